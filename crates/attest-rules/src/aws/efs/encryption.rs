//! `aws-efs-encryption`: EFS file systems are encrypted at rest.

use crate::aws::flag::Flag;
use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

pub struct EfsEncryption;

static META: RuleMeta = RuleMeta {
    id: "aws-efs-encryption",
    title: "EFS file systems are encrypted at rest",
    severity: Severity::High,
    kind: RuleKind::Resource,
    resource_types: &["aws_efs_file_system"],
    aliases: &[
        Alias {
            tool: "checkov",
            id: "CKV_AWS_42",
        },
        Alias {
            tool: "prowler",
            id: "efs_encryption_at_rest_enabled",
        },
        Alias {
            tool: "cis-aws",
            id: "2.4.1",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_efs_file_system` passes when `encrypted = true`. It fails when the attribute is false or
not written — the `CreateFileSystem` API default is unencrypted (only the console pre-selects
encryption) — and gives `unknown` when the value is only known after apply. Encryption can only be
chosen when the file system is created.

## Why it matters

Encryption at rest protects file data and metadata on the underlying storage under a KMS key whose
use is logged. CIS AWS Foundations 2.4.1 asks for it; SOC 2 CC6.1 and C1.1 expect confidential data
encrypted at rest.

## How to fix

Terraform:

```hcl
resource "aws_efs_file_system" "shared" {
  creation_token = "shared"
  encrypted      = true
  kms_key_id     = aws_kms_key.efs.arn
}
```

CloudFormation:

```yaml
SharedFileSystem:
  Type: AWS::EFS::FileSystem
  Properties:
    Encrypted: true
    KmsKeyId: !Ref EfsKey
```

An existing file system cannot be encrypted: create an encrypted one (Console: EFS → *Create file
system* → *Customize* → *Enable encryption of data at rest*; CLI: `aws efs create-file-system
--encrypted --kms-key-id alias/aws/elasticfilesystem`) and copy the data with AWS DataSync.
"#;

impl Rule for EfsEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        FLAG.check(graph, META.resource_types)
    }
}

const FLAG: Flag = Flag {
    attr: "encrypted",
    default: false,
    default_by: "AWS applies",
    want: true,
    good: "the file system is encrypted at rest",
    bad: "the file system is not encrypted at rest",
};

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    #[allow(unused_imports)]
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn set_absent_and_unknown() {
        let g = graph(
            vec![
                res("aws_efs_file_system.good", json!({"encrypted": true})),
                res("aws_efs_file_system.bad", json!({"encrypted": false})),
                res("aws_efs_file_system.absent", json!({})),
                res("aws_efs_file_system.var", json!({"encrypted": unknown()})),
            ],
            &[],
        );
        let evals = EfsEncryption.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_efs_file_system.good".into(), Verdict::Pass),
                ("aws_efs_file_system.bad".into(), Verdict::Fail),
                ("aws_efs_file_system.absent".into(), Verdict::Fail),
                ("aws_efs_file_system.var".into(), Verdict::Unknown),
            ]
        );
    }
}

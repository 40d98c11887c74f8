//! `aws-s3-mfa-delete`: S3 buckets require MFA to delete object versions.

use crate::aws::flag::Flag;
use crate::aws::s3::common::BUCKET;
use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

pub struct S3MfaDelete;

static META: RuleMeta = RuleMeta {
    id: "aws-s3-mfa-delete",
    title: "S3 buckets require MFA to delete object versions",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &["aws_s3_bucket"],
    aliases: &[
        Alias {
            tool: "prowler",
            id: "s3_bucket_no_mfa_delete",
        },
        Alias {
            tool: "cis-aws",
            id: "2.1.2",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_s3_bucket` passes when versioning has MFA delete enabled (`versioning.mfa_delete`, or a
joined `aws_s3_bucket_versioning` with `mfa_delete = "Enabled"`). It fails when MFA delete is off or
not written (the default), and gives `unknown` when the value is only known after apply. MFA delete
can only be turned on by the root user with its MFA device (through the API or CLI, and in
Terraform only with the `mfa` argument of `aws_s3_bucket_versioning`).

## Why it matters

With MFA delete, permanently deleting an object version or suspending versioning needs the root
user's MFA code, so stolen credentials alone cannot destroy the bucket's history. CIS AWS
Foundations 2.1.2 recommends it for buckets holding sensitive data; SOC 2 A1.2 expects backups to be
protected from deletion.

## How to fix

Terraform:

```hcl
resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id
  mfa    = "arn:aws:iam::123456789012:mfa/root-account-mfa-device 123456"
  versioning_configuration {
    status     = "Enabled"
    mfa_delete = "Enabled"
  }
}
```

CloudFormation:

```yaml
# CloudFormation cannot enable MFA delete; set it with the CLI as the root user.
DataBucket:
  Type: AWS::S3::Bucket
  Properties:
    VersioningConfiguration:
      Status: Enabled
```

CLI, signed in as the root user:

```sh
aws s3api put-bucket-versioning --bucket my-bucket \
  --versioning-configuration Status=Enabled,MFADelete=Enabled \
  --mfa "arn:aws:iam::123456789012:mfa/root-account-mfa-device 123456"
```
"#;

impl Rule for S3MfaDelete {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        FLAG.check(graph, &[BUCKET])
    }
}

const FLAG: Flag = Flag {
    attr: "versioning.mfa_delete",
    default: false,
    default_by: "AWS applies",
    want: true,
    good: "deleting object versions requires MFA",
    bad: "object versions can be deleted without MFA",
};

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    #[allow(unused_imports)]
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn mfa_delete() {
        let g = graph(
            vec![
                res(
                    "aws_s3_bucket.on",
                    json!({"versioning": [{"enabled": true, "mfa_delete": true}]}),
                ),
                res(
                    "aws_s3_bucket.off",
                    json!({"versioning": [{"enabled": true, "mfa_delete": false}]}),
                ),
                res("aws_s3_bucket.none", json!({})),
                res(
                    "aws_s3_bucket.var",
                    json!({"versioning": [{"mfa_delete": unknown()}]}),
                ),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &S3MfaDelete.check(&g)),
            vec![
                ("aws_s3_bucket.on".into(), Verdict::Pass),
                ("aws_s3_bucket.off".into(), Verdict::Fail),
                ("aws_s3_bucket.none".into(), Verdict::Fail),
                ("aws_s3_bucket.var".into(), Verdict::Unknown),
            ]
        );
    }
}

//! `aws-kms-key-rotation`: Symmetric KMS keys have automatic rotation enabled.

use attest_core::Value;
use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::flag::Flag;
use crate::aws::links::managed;
use crate::aws::wording::attr_not_known;

pub struct KmsKeyRotation;

static META: RuleMeta = RuleMeta {
    id: "aws-kms-key-rotation",
    title: "Symmetric KMS keys have automatic rotation enabled",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &["aws_kms_key"],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00036",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_7",
        },
        Alias {
            tool: "prowler",
            id: "kms_cmk_rotation_enabled",
        },
        Alias {
            tool: "cis-aws",
            id: "3.6",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_kms_key` whose key spec (`customer_master_key_spec`) is `SYMMETRIC_DEFAULT` or not
written passes when `enable_key_rotation = true`, fails when it is false or not written (the default
is false), and gives `unknown` when the value or the key spec is only known after apply. Asymmetric
and HMAC keys are not judged: KMS cannot rotate them automatically.

## Why it matters

Automatic rotation creates new key material every year (or the configured period) while keeping old
material for decryption, which limits how much data any one key version protects and meets policies
that require periodic key changes. CIS AWS Foundations 3.6 asks for it; SOC 2 CC6.1 expects keys
managed through their life cycle.

## How to fix

Terraform:

```hcl
resource "aws_kms_key" "data" {
  description             = "data at rest"
  enable_key_rotation     = true
  rotation_period_in_days = 365
}
```

CloudFormation:

```yaml
DataKey:
  Type: AWS::KMS::Key
  Properties:
    Description: data at rest
    EnableKeyRotation: true
```

Console: KMS → *Customer managed keys* → the key → *Key rotation* → *Automatically rotate this KMS
key every year*. CLI: `aws kms enable-key-rotation --key-id 1234abcd-12ab-34cd-56ef-1234567890ab`.
"#;

impl Rule for KmsKeyRotation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, META.resource_types)
            .into_iter()
            .filter_map(|i| judge(graph, i))
            .collect()
    }
}

const FLAG: Flag = Flag {
    attr: "enable_key_rotation",
    default: false,
    default_by: "AWS applies",
    want: true,
    good: "key material is rotated automatically",
    bad: "key material is never rotated automatically",
};

/// `None` for keys KMS cannot rotate (asymmetric, HMAC).
fn judge(graph: &ResourceGraph, i: usize) -> Option<Evaluation> {
    match graph.get(i).attr("customer_master_key_spec") {
        Value::Null => {}
        Value::String(s) if s == "SYMMETRIC_DEFAULT" => {}
        Value::String(_) => return None,
        _ => {
            return Some(
                Evaluation::unknown(i, attr_not_known(graph.get(i), "customer_master_key_spec"))
                    .at("customer_master_key_spec"),
            )
        }
    }
    Some(FLAG.judge(graph, i))
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    #[allow(unused_imports)]
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn symmetric_keys_only() {
        let g = graph(
            vec![
                res("aws_kms_key.on", json!({"enable_key_rotation": true})),
                res(
                    "aws_kms_key.absent",
                    json!({"customer_master_key_spec": "SYMMETRIC_DEFAULT"}),
                ),
                res("aws_kms_key.rsa", json!({"customer_master_key_spec": "RSA_2048"})),
                res("aws_kms_key.var", json!({"enable_key_rotation": unknown()})),
                res("aws_kms_key.spec", json!({"customer_master_key_spec": unknown()})),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &KmsKeyRotation.check(&g)),
            vec![
                ("aws_kms_key.on".into(), Verdict::Pass),
                ("aws_kms_key.absent".into(), Verdict::Fail),
                ("aws_kms_key.var".into(), Verdict::Unknown),
                ("aws_kms_key.spec".into(), Verdict::Unknown),
            ]
        );
    }
}

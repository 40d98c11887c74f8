//! `aws-kms-key-not-public`: KMS key policies do not allow access to everyone.

use crate::aws::iam::policy_document::policy_of;
use crate::aws::links::managed;
use crate::aws::s3::common::{find, public_allow};
use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

pub struct KmsKeyNotPublic;

static META: RuleMeta = RuleMeta {
    id: "aws-kms-key-not-public",
    title: "KMS key policies do not allow access to everyone",
    severity: Severity::Critical,
    kind: RuleKind::Resource,
    resource_types: &["aws_kms_key"],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00252",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_33",
        },
        Alias {
            tool: "prowler",
            id: "kms_key_not_publicly_accessible",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_kms_key` fails when its key `policy` has a statement with `Effect` `Allow`, a `Principal`
of everyone (`"*"` or `{"AWS": "*"}`) and no `Condition`, whatever the actions. Statements for
everyone that carry a condition (for example `kms:CallerAccount` or `aws:PrincipalOrgID`) are taken
as restricting. A key without a `policy` passes: KMS then applies the default key policy, which
trusts only the account. A policy only known after apply (and not from an
`aws_iam_policy_document` in the configuration) gives `unknown`.

## Why it matters

A key policy that trusts everyone lets any AWS principal, in any account, use or manage the key —
and with it decrypt every piece of data the key protects. SOC 2 CC6.1 and C1.1 expect access to
encryption keys restricted to authorized principals.

## How to fix

Terraform:

```hcl
data "aws_iam_policy_document" "key" {
  statement {
    sid       = "AccountAdmin"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:root"]
    }
  }
}

resource "aws_kms_key" "data" {
  description         = "data at rest"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.key.json
}
```

CloudFormation:

```yaml
DataKey:
  Type: AWS::KMS::Key
  Properties:
    KeyPolicy:
      Version: "2012-10-17"
      Statement:
        - Sid: AccountAdmin
          Effect: Allow
          Principal:
            AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"
          Action: "kms:*"
          Resource: "*"
```

Console: KMS → *Customer managed keys* → the key → *Key policy* → *Edit* → replace `"*"`
principals with specific accounts or roles, or add a condition. CLI:
`aws kms put-key-policy --key-id <key-id> --policy-name default --policy file://key-policy.json`.
"#;

impl Rule for KmsKeyNotPublic {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, META.resource_types)
            .into_iter()
            .map(|i| judge(graph, i))
            .collect()
    }
}

fn judge(graph: &ResourceGraph, i: usize) -> Evaluation {
    let value = graph.get(i).attr("policy");
    if value.is_null() && graph.referenced_by_attr(i, "policy").is_empty() {
        return Evaluation::pass(
            i,
            "no key policy is written: KMS applies the default policy, which trusts only the account",
        )
        .at("policy");
    }
    let policy = match policy_of(graph, i, "policy") {
        Ok(policy) => policy,
        Err(why) => return Evaluation::unknown(i, why).at("policy"),
    };
    match find(&policy, public_allow) {
        Ok(Some(st)) => Evaluation::fail(
            i,
            format!(
                "{} in {} allows {} to everyone without a condition",
                st.label, policy.origin, st.actions
            ),
        ),
        Ok(None) => Evaluation::pass(
            i,
            format!(
                "no statement in {} allows access to everyone without a condition",
                policy.origin
            ),
        ),
        Err(unknown) => Evaluation::unknown(
            i,
            format!(
                "cannot tell whom {} in {} allows",
                unknown.join(", "),
                policy.origin
            ),
        ),
    }
    .at("policy")
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    #[allow(unused_imports)]
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn key_policies() {
        let policy = |st: serde_json::Value| json!({"policy": json!({"Statement": [st]}).to_string()});
        let g = graph(
            vec![
                res("aws_kms_key.default", json!({})),
                res(
                    "aws_kms_key.account",
                    policy(json!({"Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "kms:*", "Resource": "*"})),
                ),
                res(
                    "aws_kms_key.public",
                    policy(json!({"Effect": "Allow", "Principal": "*",
                    "Action": "kms:Decrypt", "Resource": "*"})),
                ),
                res(
                    "aws_kms_key.conditional",
                    policy(json!({"Effect": "Allow", "Principal": {"AWS": "*"},
                    "Action": "kms:*", "Resource": "*",
                    "Condition": {"StringEquals": {"kms:CallerAccount": "123456789012"}}})),
                ),
                res("aws_kms_key.var", json!({"policy": unknown()})),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &KmsKeyNotPublic.check(&g)),
            vec![
                ("aws_kms_key.default".into(), Verdict::Pass),
                ("aws_kms_key.account".into(), Verdict::Pass),
                ("aws_kms_key.public".into(), Verdict::Fail),
                ("aws_kms_key.conditional".into(), Verdict::Pass),
                ("aws_kms_key.var".into(), Verdict::Unknown),
            ]
        );
    }
}

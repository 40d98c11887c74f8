//! `aws-secretsmanager-rotation`: Secrets Manager secrets rotate automatically.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri};

use crate::aws::links::{ids, managed, names_resource, refers_to};
use crate::aws::wording::{attr_not_known, not_known};

pub struct SecretsManagerRotation;

const SECRET: &str = "aws_secretsmanager_secret";
const ROTATION: &str = "aws_secretsmanager_secret_rotation";

static META: RuleMeta = RuleMeta {
    id: "aws-secretsmanager-rotation",
    title: "Secrets Manager secrets rotate automatically",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &[SECRET],
    aliases: &[
        Alias {
            tool: "checkov",
            id: "CKV2_AWS_57",
        },
        Alias {
            tool: "prowler",
            id: "secretsmanager_automatic_rotation_enabled",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_secretsmanager_secret` passes when automatic rotation is configured for it:

- an `aws_secretsmanager_secret_rotation` in the scanned configuration whose `secret_id`
  refers to the secret (a reference to it, or its id, ARN or name); or
- a `rotation_rules` block on the secret itself (the inline form of provider versions before
  4, used together with `rotation_lambda_arn`).

It fails when neither is found, and gives `unknown` when a rotation resource's `secret_id` is
only known after apply and does not come from a reference, or when the inline `rotation_rules`
is unknown. A rotation configured outside the scanned configuration (another stack, the
console) is not seen: the secret then fails here.

## Why it matters

A secret that never changes stays valid in every place it was ever copied to: old laptops, CI
logs, former employees' notes, a leaked backup. Automatic rotation bounds how long a stolen
credential works and proves that credentials are renewed on a schedule (SOC 2 CC6.1).

## How to fix

Terraform:

```hcl
resource "aws_secretsmanager_secret" "db" {
  name = "app/db"
}

resource "aws_secretsmanager_secret_rotation" "db" {
  secret_id           = aws_secretsmanager_secret.db.id
  rotation_lambda_arn = aws_lambda_function.rotate_db.arn

  rotation_rules {
    automatically_after_days = 30
  }
}
```

For RDS and Aurora master passwords, `manage_master_user_password = true` on the database
lets RDS create and rotate the secret itself.

CloudFormation:

```yaml
DbSecretRotation:
  Type: AWS::SecretsManager::RotationSchedule
  Properties:
    SecretId: !Ref DbSecret
    RotationLambdaARN: !GetAtt RotateDbFunction.Arn
    RotationRules:
      AutomaticallyAfterDays: 30
```

Console: Secrets Manager → *Secrets* → the secret → *Rotation* → *Edit rotation* → turn on
*Automatic rotation*, set the schedule and the rotation function → *Save*. CLI:

```sh
aws secretsmanager rotate-secret --secret-id app/db \
  --rotation-lambda-arn arn:aws:lambda:us-east-1:123456789012:function:rotate-db \
  --rotation-rules AutomaticallyAfterDays=30
```
"#;

impl Rule for SecretsManagerRotation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn looks_through(&self) -> &'static [&'static str] {
        &[ROTATION]
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        let rotations = managed(graph, &[ROTATION]);
        managed(graph, &[SECRET])
            .into_iter()
            .map(|i| judge(graph, i, &rotations))
            .collect()
    }
}

fn judge(graph: &ResourceGraph, i: usize, rotations: &[usize]) -> Evaluation {
    let mut found = Vec::new();
    let mut unknown = Vec::new();
    for &r in rotations {
        match refers_to(graph, r, "secret_id", i, |secret, value| {
            names_resource(secret, value, &["id", "arn", "name"])
        }) {
            Tri::True => found.push(r),
            Tri::Unknown => unknown.push(r),
            Tri::False => {}
        }
    }
    if !found.is_empty() {
        return Evaluation::pass(i, format!("rotated automatically by {}", ids(graph, &found)));
    }
    let inline = graph.get(i).attr("rotation_rules");
    match inline.blocks() {
        Some(blocks) if !blocks.is_empty() => {
            return Evaluation::pass(i, "rotated automatically by the inline rotation_rules")
                .at("rotation_rules");
        }
        None => {
            return Evaluation::unknown(
                i,
                format!(
                    "{}: cannot tell whether the secret rotates",
                    attr_not_known(graph.get(i), "rotation_rules")
                ),
            )
            .at("rotation_rules");
        }
        Some(_) => {}
    }
    if !unknown.is_empty() {
        return Evaluation::unknown(
            i,
            format!(
                "the secret_id of {} is {}: cannot tell whether it rotates this secret",
                ids(graph, &unknown),
                not_known(graph.get(unknown[0]))
            ),
        );
    }
    Evaluation::fail(
        i,
        "no aws_secretsmanager_secret_rotation refers to the secret and it has no rotation_rules: \
         the secret does not rotate automatically",
    )
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn rotation_by_edge_by_value_inline_none_and_unknown() {
        let g = graph(
            vec![
                res("aws_secretsmanager_secret.edge", json!({"name": "edge"})),
                res(
                    "aws_secretsmanager_secret.by_arn",
                    json!({"name": "by-arn", "arn": "arn:aws:secretsmanager:us-east-1:1:secret:by-arn"}),
                ),
                res(
                    "aws_secretsmanager_secret.inline",
                    json!({"rotation_rules": [{"automatically_after_days": 30}]}),
                ),
                res("aws_secretsmanager_secret.none", json!({"name": "none"})),
                res(
                    "aws_secretsmanager_secret.inline_var",
                    json!({"rotation_rules": unknown()}),
                ),
                res(
                    "aws_secretsmanager_secret_rotation.edge",
                    json!({"secret_id": unknown()}),
                ),
                res(
                    "aws_secretsmanager_secret_rotation.by_arn",
                    json!({"secret_id": "arn:aws:secretsmanager:us-east-1:1:secret:by-arn"}),
                ),
                res("data.aws_secretsmanager_secret.read", json!({"name": "read"})),
            ],
            &[edge(
                "aws_secretsmanager_secret_rotation.edge",
                "secret_id",
                "aws_secretsmanager_secret.edge",
            )],
        );
        let evals = SecretsManagerRotation.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_secretsmanager_secret.edge".into(), Verdict::Pass),
                ("aws_secretsmanager_secret.by_arn".into(), Verdict::Pass),
                ("aws_secretsmanager_secret.inline".into(), Verdict::Pass),
                ("aws_secretsmanager_secret.none".into(), Verdict::Fail),
                ("aws_secretsmanager_secret.inline_var".into(), Verdict::Unknown),
            ]
        );
        assert!(
            evals[0]
                .message
                .contains("aws_secretsmanager_secret_rotation.edge"),
            "{}",
            evals[0].message
        );
    }

    #[test]
    fn unknown_secret_id_without_edge_is_unknown() {
        let g = graph(
            vec![
                res("aws_secretsmanager_secret.s", json!({"name": "s"})),
                res(
                    "aws_secretsmanager_secret_rotation.r",
                    json!({"secret_id": unknown()}),
                ),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &SecretsManagerRotation.check(&g)),
            vec![("aws_secretsmanager_secret.s".into(), Verdict::Unknown)]
        );
    }
}

//! `aws-iam-no-admin-policy`: no IAM policy grants every action on every resource.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri, Value};

use crate::aws::iam::policy_document::{policy_of, Statement};
use crate::aws::links::managed;
use crate::aws::wording::not_known;

pub struct NoAdminPolicy;

static META: RuleMeta = RuleMeta {
    id: "aws-iam-no-admin-policy",
    title: "IAM policies do not grant full administrative privileges (\"*\" on \"*\")",
    severity: Severity::High,
    kind: RuleKind::Resource,
    resource_types: &[
        "aws_iam_policy",
        "aws_iam_role_policy",
        "aws_iam_user_policy",
        "aws_iam_group_policy",
    ],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00092",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_62",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_1",
        },
        Alias {
            tool: "prowler",
            id: "iam_customer_attached_policy_no_administrative_privileges",
        },
        Alias {
            tool: "prowler",
            id: "iam_customer_unattached_policy_no_administrative_privileges",
        },
        Alias {
            tool: "prowler",
            id: "iam_inline_policy_no_administrative_privileges",
        },
        Alias {
            tool: "cis-aws",
            id: "1.16",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every customer-managed policy (`aws_iam_policy`) and every inline policy of a role, user or group
(`aws_iam_role_policy`, `aws_iam_user_policy`, `aws_iam_group_policy`) is read statement by
statement. The policy fails when one statement has `"Effect": "Allow"`, an `Action` of `"*"` (or
`"*:*"`, alone or in a list) and a `Resource` of `"*"` (alone or in a list). Conditions are not
taken into account: a conditional grant of everything is still a grant of everything.

The document may be written as a heredoc, built with `jsonencode(…)`, or rendered from a
`data "aws_iam_policy_document"` (its `statement` blocks, `source_policy_documents` and
`override_policy_documents` are followed; `effect` defaults to `Allow` there). When part of a
statement is only known after apply, and no other statement already fails, the result is
`unknown` and says which statement could not be read.

## Why it matters

A principal holding `*` on `*` can do anything in the account: read every secret, delete every
backup, turn off logging, and create new credentials for itself. Least privilege is the access
control the SOC 2 common criteria CC6.1 and CC6.3 ask for, and CIS AWS Foundations 1.16 asks
that no such policy be attached. Administrators should get their rights through a small number
of audited roles (for example the AWS-managed `AdministratorAccess` behind single sign-on), not
through hand-written wildcard policies scattered across the configuration.

## How to fix

Replace the wildcard with the actions and resources the principal needs.

Terraform:

```hcl
data "aws_iam_policy_document" "deploy" {
  statement {
    sid       = "ReadArtifacts"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = [aws_s3_bucket.artifacts.arn, "${aws_s3_bucket.artifacts.arn}/*"]
  }
}

resource "aws_iam_policy" "deploy" {
  name   = "deploy"
  policy = data.aws_iam_policy_document.deploy.json
}
```

CloudFormation:

```yaml
DeployPolicy:
  Type: AWS::IAM::ManagedPolicy
  Properties:
    PolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Sid: ReadArtifacts
          Effect: Allow
          Action: ["s3:GetObject", "s3:ListBucket"]
          Resource:
            - !GetAtt ArtifactBucket.Arn
            - !Sub "${ArtifactBucket.Arn}/*"
```

Console: IAM → Policies → choose the policy → *Edit* → narrow `Action` and `Resource`, then
*Save changes*; for an inline policy, open the role, user or group → *Permissions* → edit the
policy. CLI:

```sh
aws iam list-entities-for-policy --policy-arn arn:aws:iam::123456789012:policy/deploy
aws iam create-policy-version --policy-arn arn:aws:iam::123456789012:policy/deploy \
  --policy-document file://least-privilege.json --set-as-default
aws iam put-role-policy --role-name app --policy-name app --policy-document file://least-privilege.json
```
"#;

impl Rule for NoAdminPolicy {
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
    let policy = match policy_of(graph, i, "policy") {
        Ok(policy) => policy,
        Err(why) => return Evaluation::unknown(i, why).at("policy"),
    };
    let verdicts: Vec<(Tri, &Statement)> = policy.statements.iter().map(|st| (grants_all(st), st)).collect();
    if let Some((_, st)) = verdicts.iter().find(|(t, _)| *t == Tri::True) {
        return Evaluation::fail(
            i,
            format!(
                "{} in {} allows every action (Action {}) on every resource (Resource {})",
                st.label, policy.origin, st.actions, st.resources
            ),
        )
        .at("policy");
    }
    let unknown: Vec<&str> = verdicts
        .iter()
        .filter(|(t, _)| *t == Tri::Unknown)
        .map(|(_, st)| st.label.as_str())
        .collect();
    if !unknown.is_empty() {
        return Evaluation::unknown(
            i,
            format!(
                "cannot tell whether {} in {} allows \"*\" on \"*\": part of it is {}",
                unknown.join(", "),
                policy.origin,
                not_known(graph.get(i))
            ),
        )
        .at("policy");
    }
    Evaluation::pass(
        i,
        format!(
            "none of the {} statement(s) in {} allows every action on every resource",
            policy.statements.len(),
            policy.origin
        ),
    )
}

/// Whether a statement allows every action on every resource.
fn grants_all(st: &Statement) -> Tri {
    let allow = match &st.effect {
        Value::String(s) => Tri::from(s.eq_ignore_ascii_case("allow")),
        Value::Unknown(_) => Tri::Unknown,
        _ => Tri::False,
    };
    allow
        .and(wildcard(&st.actions, &["*", "*:*"]))
        .and(wildcard(&st.resources, &["*"]))
}

/// Whether a string-or-list field holds one of `wildcards`.
fn wildcard(value: &Value, wildcards: &[&str]) -> Tri {
    let one = |v: &Value| match v {
        Value::String(s) => Tri::from(wildcards.contains(&s.trim())),
        Value::Unknown(_) => Tri::Unknown,
        _ => Tri::False,
    };
    match value {
        Value::List(items) => Tri::any(items.iter().map(one)),
        other => one(other),
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    fn policy_json(statement: serde_json::Value) -> serde_json::Value {
        json!({ "policy": json!({"Version": "2012-10-17", "Statement": statement}).to_string() })
    }

    fn run(g: &ResourceGraph) -> Vec<(String, Verdict)> {
        verdicts(g, &NoAdminPolicy.check(g))
    }

    #[test]
    fn star_action_as_string_or_list_fails_and_names_the_statement() {
        let g = graph(
            vec![
                res(
                    "aws_iam_policy.string",
                    policy_json(json!({"Effect": "Allow", "Action": "*", "Resource": "*"})),
                ),
                res(
                    "aws_iam_role_policy.list",
                    policy_json(json!([
                        {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"},
                        {"Sid": "All", "Effect": "Allow", "Action": ["s3:*", "*:*"], "Resource": ["arn:aws:s3:::b", "*"]}
                    ])),
                ),
            ],
            &[],
        );
        let evals = NoAdminPolicy.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_iam_policy.string".into(), Verdict::Fail),
                ("aws_iam_role_policy.list".into(), Verdict::Fail)
            ]
        );
        assert!(evals[0].message.contains("statement 0"), "{}", evals[0].message);
        assert!(
            evals[1].message.contains("statement 1 (Sid \"All\")"),
            "{}",
            evals[1].message
        );
    }

    #[test]
    fn deny_service_wildcards_and_scoped_resources_pass() {
        let g = graph(
            vec![
                res(
                    "aws_iam_user_policy.deny",
                    policy_json(json!([{"Effect": "Deny", "Action": "*", "Resource": "*"}])),
                ),
                res(
                    "aws_iam_group_policy.service",
                    policy_json(json!([{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}])),
                ),
                res(
                    "aws_iam_policy.scoped",
                    policy_json(json!([{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b/*"}])),
                ),
            ],
            &[],
        );
        assert!(run(&g).iter().all(|(_, v)| *v == Verdict::Pass), "{:?}", run(&g));
    }

    #[test]
    fn invalid_json_and_unknown_policy_without_document_are_unknown() {
        let g = graph(
            vec![
                res("aws_iam_policy.broken", json!({"policy": "{not json"})),
                res("aws_iam_policy.computed", json!({"policy": unknown()})),
            ],
            &[],
        );
        let evals = NoAdminPolicy.check(&g);
        assert_eq!(evals[0].verdict, Verdict::Unknown);
        assert!(
            evals[0].message.contains("not valid policy JSON"),
            "{}",
            evals[0].message
        );
        assert_eq!(evals[1].verdict, Verdict::Unknown);
    }

    #[test]
    fn unknown_statement_parts_are_unknown_unless_another_statement_fails() {
        let partly = json!([
            {"Effect": "Allow", "Action": "*", "Resource": unknown()},
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
        ]);
        let with_admin = json!([
            {"Effect": "Allow", "Action": unknown(), "Resource": "*"},
            {"Effect": "Allow", "Action": "*", "Resource": "*"}
        ]);
        // A `jsonencode` whose inner values are unknown cannot be a string; loaders may hand it
        // over as the document object, which is read as well.
        let a = res("aws_iam_policy.partly", json!({"policy": {"Statement": partly}}));
        let b = res(
            "aws_iam_policy.admin",
            json!({"policy": {"Statement": with_admin}}),
        );
        let g = graph(vec![a, b], &[]);
        assert_eq!(
            run(&g),
            vec![
                ("aws_iam_policy.partly".into(), Verdict::Unknown),
                ("aws_iam_policy.admin".into(), Verdict::Fail)
            ]
        );
    }

    #[test]
    fn policy_document_data_source_is_followed_by_edge() {
        let g = graph(
            vec![
                res("aws_iam_policy.admin", json!({"policy": unknown()})),
                res("aws_iam_policy.read", json!({"policy": unknown()})),
                res(
                    "data.aws_iam_policy_document.admin",
                    json!({"json": unknown(), "statement": [{"actions": ["*"], "resources": ["*"]}]}),
                ),
                res(
                    "data.aws_iam_policy_document.read",
                    json!({"statement": [
                        {"actions": ["*"], "resources": ["*"], "effect": "Deny"},
                        {"actions": ["s3:GetObject"], "resources": ["*"]}
                    ]}),
                ),
            ],
            &[
                edge(
                    "aws_iam_policy.admin",
                    "policy",
                    "data.aws_iam_policy_document.admin",
                ),
                edge(
                    "aws_iam_policy.read",
                    "policy",
                    "data.aws_iam_policy_document.read",
                ),
            ],
        );
        let evals = NoAdminPolicy.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_iam_policy.admin".into(), Verdict::Fail),
                ("aws_iam_policy.read".into(), Verdict::Pass)
            ]
        );
        assert!(
            evals[0].message.contains("data.aws_iam_policy_document.admin"),
            "{}",
            evals[0].message
        );
    }

    #[test]
    fn rendered_json_of_the_data_source_wins_over_blocks() {
        let rendered =
            json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}).to_string();
        let g = graph(
            vec![
                res("aws_iam_role_policy.p", json!({"policy": unknown()})),
                res(
                    "data.aws_iam_policy_document.d",
                    json!({"json": rendered, "statement": [{"actions": ["s3:GetObject"], "resources": ["*"]}]}),
                ),
            ],
            &[edge(
                "aws_iam_role_policy.p",
                "policy",
                "data.aws_iam_policy_document.d",
            )],
        );
        assert_eq!(run(&g), vec![("aws_iam_role_policy.p".into(), Verdict::Fail)]);
    }

    #[test]
    fn data_source_unknowns_sources_and_overrides() {
        let g = graph(
            vec![
                res("aws_iam_policy.unknown_actions", json!({"policy": unknown()})),
                res("aws_iam_policy.overridden", json!({"policy": unknown()})),
                res("aws_iam_policy.sourced", json!({"policy": unknown()})),
                res(
                    "data.aws_iam_policy_document.u",
                    json!({"statement": [{"actions": unknown(), "resources": ["*"]}]}),
                ),
                res(
                    "data.aws_iam_policy_document.o",
                    json!({
                        "statement": [{"sid": "All", "actions": ["*"], "resources": ["*"]}],
                        "override_policy_documents": [json!({"Statement": [
                            {"Sid": "All", "Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}
                        ]}).to_string()]
                    }),
                ),
                res(
                    "data.aws_iam_policy_document.s",
                    json!({"source_policy_documents": [unknown()], "statement": []}),
                ),
                res(
                    "data.aws_iam_policy_document.base",
                    json!({"statement": [{"actions": ["*"], "resources": ["*"]}]}),
                ),
            ],
            &[
                edge(
                    "aws_iam_policy.unknown_actions",
                    "policy",
                    "data.aws_iam_policy_document.u",
                ),
                edge(
                    "aws_iam_policy.overridden",
                    "policy",
                    "data.aws_iam_policy_document.o",
                ),
                edge(
                    "aws_iam_policy.sourced",
                    "policy",
                    "data.aws_iam_policy_document.s",
                ),
                edge(
                    "data.aws_iam_policy_document.s",
                    "source_policy_documents.0",
                    "data.aws_iam_policy_document.base",
                ),
            ],
        );
        assert_eq!(
            run(&g),
            vec![
                ("aws_iam_policy.unknown_actions".into(), Verdict::Unknown),
                ("aws_iam_policy.overridden".into(), Verdict::Pass),
                ("aws_iam_policy.sourced".into(), Verdict::Fail)
            ]
        );
    }
}

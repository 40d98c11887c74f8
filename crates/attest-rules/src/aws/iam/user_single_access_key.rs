//! `aws-iam-user-single-active-access-key`: no IAM user has more than one active access key.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri, Value};

use crate::aws::links::{ids, managed, names_resource, refers_to};
use crate::aws::wording::only_known;

pub struct UserSingleActiveAccessKey;

const USER: &str = "aws_iam_user";
const KEY: &str = "aws_iam_access_key";

static META: RuleMeta = RuleMeta {
    id: "aws-iam-user-single-active-access-key",
    title: "IAM users have at most one active access key",
    severity: Severity::Low,
    kind: RuleKind::Graph,
    resource_types: &[USER],
    aliases: &[
        Alias {
            tool: "cis-aws",
            id: "1.13",
        },
        Alias {
            tool: "prowler",
            id: "iam_user_two_active_access_key",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

For every `aws_iam_user`, the `aws_iam_access_key` resources whose `user` names it (by reference,
or by the user's name) and whose `status` is `Active` (the default) are counted. The user passes
with none or one, and fails with two or more. A key whose user or status is only known after
apply makes the count uncertain: the user is `unknown` unless the known keys already decide.

Keys created outside the scanned configuration are not seen; a live scan sees them all.

## Why it matters

A second active key is normally a rotation left half done: the old key keeps working, often in a
place nobody tracks. One active key per user keeps credentials accountable and makes revocation
certain. SOC 2 CC6.1 and CC6.2 expect credentials to be issued, tracked and removed under control.

## How to fix

Rotate by creating the new key, moving its users over, then deactivating and deleting the old one.

Terraform:

```hcl
resource "aws_iam_access_key" "deploy" {
  user = aws_iam_user.deploy.name
}

resource "aws_iam_access_key" "deploy_previous" {
  user   = aws_iam_user.deploy.name
  status = "Inactive" # then remove the resource
}
```

CloudFormation:

```yaml
DeployKey:
  Type: AWS::IAM::AccessKey
  Properties:
    UserName: !Ref DeployUser
    Status: Active
```

Console: IAM → *Users* → the user → *Security credentials* → *Access keys* → *Actions* →
*Deactivate*, then *Delete*. CLI: `aws iam update-access-key --user-name deploy --access-key-id
AKIA… --status Inactive` and `aws iam delete-access-key …`.
"#;

impl Rule for UserSingleActiveAccessKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn looks_through(&self) -> &'static [&'static str] {
        &[KEY]
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        let keys = managed(graph, &[KEY]);
        managed(graph, &[USER])
            .into_iter()
            .map(|u| {
                let mut active = Vec::new();
                let mut maybe = Vec::new();
                for &k in &keys {
                    let belongs = refers_to(graph, k, "user", u, |user, name| {
                        names_resource(user, name, &["name"])
                    });
                    let is_active = match graph.get(k).attr("status") {
                        Value::Null => Tri::True,
                        Value::String(s) => (s == "Active").into(),
                        _ => Tri::Unknown,
                    };
                    match belongs.and(is_active) {
                        Tri::True => active.push(k),
                        Tri::Unknown => maybe.push(k),
                        Tri::False => {}
                    }
                }
                if active.len() >= 2 {
                    Evaluation::fail(
                        u,
                        format!("{} active access keys: {}", active.len(), ids(graph, &active)),
                    )
                } else if active.len() + maybe.len() <= 1 {
                    match active.first() {
                        Some(&k) => {
                            Evaluation::pass(u, format!("one active access key: {}", graph.get(k).id))
                        }
                        None if maybe.is_empty() => Evaluation::pass(u, "no active access key"),
                        None => Evaluation::pass(u, "at most one active access key"),
                    }
                } else {
                    Evaluation::unknown(
                        u,
                        format!(
                            "cannot count the active access keys: the user or status of {} is {}",
                            ids(graph, &maybe),
                            only_known(graph.get(maybe[0]))
                        ),
                    )
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown};

    fn verdicts(keys: Vec<serde_json::Value>) -> Verdict {
        let mut resources = vec![res("aws_iam_user.deploy", json!({"name": "deploy"}))];
        let mut refs = Vec::new();
        for (n, attrs) in keys.into_iter().enumerate() {
            let id = format!("aws_iam_access_key.k{n}");
            if attrs.get("user").is_none() {
                refs.push(edge(&id, "user", "aws_iam_user.deploy"));
            }
            resources.push(res(&id, attrs));
        }
        let out = UserSingleActiveAccessKey.check(&graph(resources, &refs));
        assert_eq!(out.len(), 1);
        out[0].verdict
    }

    #[test]
    fn counts_active_keys() {
        assert_eq!(verdicts(vec![]), Verdict::Pass);
        assert_eq!(verdicts(vec![json!({})]), Verdict::Pass);
        assert_eq!(verdicts(vec![json!({}), json!({})]), Verdict::Fail);
        assert_eq!(
            verdicts(vec![json!({}), json!({"status": "Inactive"})]),
            Verdict::Pass
        );
        assert_eq!(
            verdicts(vec![json!({}), json!({"status": unknown()})]),
            Verdict::Unknown
        );
        // By name, and another user's key does not count.
        assert_eq!(
            verdicts(vec![json!({}), json!({"user": "deploy"})]),
            Verdict::Fail
        );
        assert_eq!(
            verdicts(vec![json!({}), json!({"user": "someone-else"})]),
            Verdict::Pass
        );
    }
}

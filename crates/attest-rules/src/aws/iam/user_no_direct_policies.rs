//! `aws-iam-user-no-direct-policies`: IAM users receive permissions only through groups.

use attest_core::{
    Alias, Evaluation, Resource, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri, Value,
};

use crate::aws::links::{managed, RefIndex};
use crate::aws::wording::not_known;

/// Resources that give a user a policy of its own, with the attribute that names the user(s).
const CHILDREN: [(&str, &str); 3] = [
    ("aws_iam_user_policy", "user"),
    ("aws_iam_user_policy_attachment", "user"),
    ("aws_iam_policy_attachment", "users"),
];

/// The values that name a user (besides its physical id).
fn user_names(user: &Resource) -> Vec<&str> {
    ["name", "id", "arn"]
        .iter()
        .filter_map(|a| user.attr(a).as_str())
        .collect()
}

pub struct UserNoDirectPolicies;

static META: RuleMeta = RuleMeta {
    id: "aws-iam-user-no-direct-policies",
    title: "IAM users receive permissions only through groups",
    severity: Severity::Low,
    kind: RuleKind::Graph,
    resource_types: &["aws_iam_user"],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00007",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_40",
        },
        Alias {
            tool: "prowler",
            id: "iam_policy_attached_only_to_group_or_roles",
        },
        Alias {
            tool: "cis-aws",
            id: "1.15",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_iam_user` of the scanned configuration is checked for policies of its own:

- inline policies (`aws_iam_user_policy` whose `user` is the user), and
- attached managed policies (`aws_iam_user_policy_attachment` whose `user` is the user, or an
  `aws_iam_policy_attachment` that lists the user in `users`).

The user fails when it has either; the message names the resources that grant them. Group
memberships (`aws_iam_user_group_membership`, `aws_iam_group_membership`) are how it should get
its permissions, and are not judged here. A policy resource whose `user` is only known after
apply cannot be tied to a user: when such a link leaves the user's policies undetermined the
result is `unknown`. Policies given to users that the scanned configuration does not declare
are not judged.

## Why it matters

Permissions granted user by user drift: every person ends up with a slightly different set,
leavers keep privileges nobody remembers, and reviewing who can do what means reading every
user. Granting permissions to groups (or, better, to roles assumed through single sign-on)
keeps access role-based and reviewable — CIS AWS Foundations v3.0 recommendation 1.15, and the
role-based, least-privilege access SOC 2 CC6.3 asks for.

## How to fix

Move the policy to a group and make the user a member.

Terraform:

```hcl
resource "aws_iam_group" "developers" {
  name = "developers"
}

resource "aws_iam_group_policy_attachment" "developers_read" {
  group      = aws_iam_group.developers.name
  policy_arn = aws_iam_policy.read_artifacts.arn
}

resource "aws_iam_user_group_membership" "alice" {
  user   = aws_iam_user.alice.name
  groups = [aws_iam_group.developers.name]
}
```

CloudFormation:

```yaml
Developers:
  Type: AWS::IAM::Group
  Properties:
    ManagedPolicyArns:
      - !Ref ReadArtifactsPolicy
Alice:
  Type: AWS::IAM::User
  Properties:
    Groups:
      - !Ref Developers
```

Console: IAM → *Users* → choose the user → *Permissions* → remove the directly attached and
inline policies, then *Groups* → *Add user to groups*. CLI:

```sh
aws iam list-attached-user-policies --user-name alice
aws iam list-user-policies --user-name alice
aws iam add-user-to-group --user-name alice --group-name developers
aws iam detach-user-policy --user-name alice --policy-arn arn:aws:iam::123456789012:policy/read-artifacts
aws iam delete-user-policy --user-name alice --policy-name inline-read
```
"#;

impl Rule for UserNoDirectPolicies {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn looks_through(&self) -> &'static [&'static str] {
        &[
            "aws_iam_user_policy",
            "aws_iam_user_policy_attachment",
            "aws_iam_policy_attachment",
        ]
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        let users = managed(graph, META.resource_types);
        let children: Vec<RefIndex> = CHILDREN
            .iter()
            .map(|(ty, link)| RefIndex::build(graph, &managed(graph, &[ty]), link, &users, user_names))
            .collect();
        users.iter().map(|&i| judge(graph, &children, i)).collect()
    }
}

/// What one attribute (`inline_policy`, `managed_policy_arns`) says about direct policies.
struct Direct {
    /// How each known policy is named in messages.
    found: Vec<String>,
    unknown: bool,
}

fn direct(graph: &ResourceGraph, i: usize, attr: &str) -> Direct {
    let r = graph.get(i);
    let mut found: Vec<String> = r
        .attr(&format!("_sources.{attr}"))
        .string_list()
        .unwrap_or_default()
        .into_iter()
        .map(str::to_string)
        .collect();
    let mut unknown = false;
    let items: Vec<&Value> = match r.attr(attr) {
        Value::List(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        other => vec![other],
    };
    for item in items {
        match item {
            // Joined entries are already named by their source.
            Value::Object(map) if map.contains_key("_source") => {}
            Value::Object(map) => found.push(match map.get("name").and_then(Value::as_str) {
                Some(name) => format!("inline policy {name:?}"),
                None => "an inline policy".to_string(),
            }),
            Value::String(arn)
                if !found.iter().any(|f| f.contains(arn.as_str()))
                    && !from_attachment(graph, i, attr, arn) =>
            {
                found.push(format!("policy {arn:?}"))
            }
            Value::Unknown(_) => unknown = true,
            _ => {}
        }
    }
    found.sort();
    found.dedup();
    Direct { found, unknown }
}

/// Whether an ARN element of `managed_policy_arns` came from a joined attachment (already named).
fn from_attachment(graph: &ResourceGraph, i: usize, attr: &str, arn: &str) -> bool {
    let Some(items) = graph.get(i).attr(attr).as_list() else {
        return false;
    };
    items.iter().enumerate().any(|(k, item)| {
        item.as_str() == Some(arn)
            && graph
                .referenced_by_attr(i, &format!("{attr}.{k}"))
                .iter()
                .any(|&t| graph.get(t).resource_type.ends_with("_attachment"))
    })
}

/// `children`: one index per entry of `CHILDREN`, in that order.
fn judge(graph: &ResourceGraph, children: &[RefIndex], i: usize) -> Evaluation {
    let inline = direct(graph, i, "inline_policy");
    let attached = direct(graph, i, "managed_policy_arns");
    let attr = if inline.found.is_empty() {
        "managed_policy_arns"
    } else {
        "inline_policy"
    };
    let mut found = inline.found;
    found.extend(attached.found);
    let mut undetermined = Vec::new();
    for index in children {
        for (c, t) in index.referrers(i) {
            let id = &graph.get(c).id;
            match t {
                Tri::True if !found.contains(id) => found.push(id.clone()),
                Tri::Unknown => undetermined.push(id.clone()),
                _ => {}
            }
        }
    }
    if !found.is_empty() {
        return Evaluation::fail(
            i,
            format!(
                "the user has policies of its own instead of through a group: {}",
                found.join(", ")
            ),
        )
        .at(attr);
    }
    if inline.unknown || attached.unknown {
        return Evaluation::unknown(
            i,
            format!(
                "the user's inline or attached policies are {}",
                not_known(graph.get(i))
            ),
        );
    }
    if !undetermined.is_empty() {
        return Evaluation::unknown(
            i,
            format!(
                "cannot tell whether the user is given policies by {}: the user(s) they target are {}",
                undetermined.join(", "),
                not_known(graph.get(i))
            ),
        );
    }
    Evaluation::pass(
        i,
        "no inline policy or policy attachment of the scanned configuration targets the user",
    )
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, unknown, verdicts};

    #[test]
    fn joined_inline_and_attached_policies_fail_others_pass() {
        let g = graph(
            vec![
                res(
                    "aws_iam_user.inline",
                    json!({"name": "a", "inline_policy": [{"name": "p", "policy": "{}", "_source": "aws_iam_user_policy.p"}],
                           "_sources": {"inline_policy": ["aws_iam_user_policy.p"]}}),
                ),
                res(
                    "aws_iam_user.attached",
                    json!({"name": "b", "managed_policy_arns": [unknown()],
                           "_sources": {"managed_policy_arns": ["aws_iam_user_policy_attachment.a"]}}),
                ),
                res("aws_iam_user.clean", json!({"name": "c"})),
                res(
                    "aws_iam_user.computed",
                    json!({"name": "d", "managed_policy_arns": unknown()}),
                ),
                res(
                    "aws_iam_user.state",
                    json!({"name": "e", "managed_policy_arns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}),
                ),
            ],
            &[],
        );
        let evals = UserNoDirectPolicies.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_iam_user.inline".into(), Verdict::Fail),
                ("aws_iam_user.attached".into(), Verdict::Fail),
                ("aws_iam_user.clean".into(), Verdict::Pass),
                ("aws_iam_user.computed".into(), Verdict::Unknown),
                ("aws_iam_user.state".into(), Verdict::Fail),
            ]
        );
        assert!(
            evals[0].message.contains("aws_iam_user_policy.p"),
            "{}",
            evals[0].message
        );
        assert_eq!(evals[1].attribute.as_deref(), Some("managed_policy_arns"));
        assert!(
            evals[4].message.contains("ReadOnlyAccess"),
            "{}",
            evals[4].message
        );
    }

    #[test]
    fn policies_whose_user_is_unknown_make_other_users_unknown() {
        let g = graph(
            vec![
                res("aws_iam_user.a", json!({"name": "a"})),
                res(
                    "aws_iam_user_policy.p",
                    json!({"user": unknown(), "policy": "{}"}),
                ),
                res(
                    "aws_iam_user_policy_attachment.b",
                    json!({"user": "b", "policy_arn": "x"}),
                ),
                res("aws_iam_user.b", json!({"name": "b"})),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &UserNoDirectPolicies.check(&g)),
            vec![
                ("aws_iam_user.a".into(), Verdict::Unknown),
                ("aws_iam_user.b".into(), Verdict::Fail),
            ]
        );
    }
}

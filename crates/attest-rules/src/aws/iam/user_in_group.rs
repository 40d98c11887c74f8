//! `aws-iam-user-in-group`: every IAM user belongs to at least one group.

use attest_core::{Alias, Evaluation, Resource, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri};

use crate::aws::links::{managed, names_resource, refers_to};

pub struct UserInGroup;

const USER_GROUPS: &str = "aws_iam_user_group_membership";
const GROUP_USERS: &str = "aws_iam_group_membership";

static META: RuleMeta = RuleMeta {
    id: "aws-iam-user-in-group",
    title: "IAM users belong to at least one group",
    severity: Severity::Low,
    kind: RuleKind::Graph,
    resource_types: &["aws_iam_user"],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00272",
        },
        Alias {
            tool: "checkov",
            id: "CKV2_AWS_21",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_iam_user` of the scanned configuration is a member of at least one IAM group,
declared either way the provider allows:

- an `aws_iam_user_group_membership` whose `user` is the user and whose `groups` is not empty;
- an `aws_iam_group_membership` that lists the user in `users`.

A membership resource names the user by reference (`aws_iam_user.alice.name`) or, in state
files, by its name. The user fails when no membership names it; the result is `unknown` when a
membership's `user` or `users` is only known after apply and no reference says whom it names,
or when a membership's `groups` is not known.

## Why it matters

Groups are how permissions stay role-based: a user outside every group either has no access
at all (and is likely a leftover) or gets its permissions directly, which is hard to review and
drifts over time (see `aws-iam-user-no-direct-policies`). Putting every person in a group that
matches their job supports the role-based, least-privilege access of SOC 2 CC6.3 and makes user
registration and removal (CC6.2) a matter of group membership.

## How to fix

Terraform:

```hcl
resource "aws_iam_user_group_membership" "alice" {
  user   = aws_iam_user.alice.name
  groups = [aws_iam_group.developers.name]
}
```

CloudFormation:

```yaml
Alice:
  Type: AWS::IAM::User
  Properties:
    Groups:
      - !Ref Developers
```

Console: IAM → *Users* → choose the user → *Groups* → *Add user to groups*. CLI:

```sh
aws iam list-groups-for-user --user-name alice
aws iam add-user-to-group --user-name alice --group-name developers
```
"#;

impl Rule for UserInGroup {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn looks_through(&self) -> &'static [&'static str] {
        &[USER_GROUPS, GROUP_USERS]
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, META.resource_types)
            .into_iter()
            .map(|i| judge(graph, i))
            .collect()
    }
}

fn by_name(user: &Resource, value: &str) -> bool {
    names_resource(user, value, &["name", "id", "arn"])
}

fn judge(graph: &ResourceGraph, user: usize) -> Evaluation {
    let mut unknown: Vec<String> = Vec::new();
    for m in managed(graph, &[USER_GROUPS]) {
        let membership = graph.get(m);
        match refers_to(graph, m, "user", user, by_name) {
            Tri::True => match membership.attr("groups").string_list() {
                Some(groups) if groups.is_empty() => {}
                Some(_) => {
                    return Evaluation::pass(user, format!("{} adds the user to groups", membership.id))
                }
                None if !graph.referenced_by_attr(m, "groups").is_empty() => {
                    return Evaluation::pass(user, format!("{} adds the user to groups", membership.id))
                }
                None => unknown.push(format!("the groups of {}", membership.id)),
            },
            Tri::Unknown => unknown.push(format!("the user of {}", membership.id)),
            Tri::False => {}
        }
    }
    for m in managed(graph, &[GROUP_USERS]) {
        let membership = graph.get(m);
        match refers_to(graph, m, "users", user, by_name) {
            Tri::True => {
                return Evaluation::pass(
                    user,
                    format!("{} lists the user among the members of its group", membership.id),
                )
            }
            Tri::Unknown => unknown.push(format!("the users of {}", membership.id)),
            Tri::False => {}
        }
    }
    if !unknown.is_empty() {
        return Evaluation::unknown(
            user,
            format!(
                "no membership of the scanned configuration is known to name the user; not known before apply: {}",
                unknown.join(", ")
            ),
        );
    }
    Evaluation::fail(
        user,
        "no aws_iam_user_group_membership or aws_iam_group_membership of the scanned configuration puts the user in a group",
    )
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn memberships_by_edge_or_name_pass_missing_fail_unknown_links_are_unknown() {
        let g = graph(
            vec![
                res("aws_iam_user.a", json!({"name": "a"})),
                res("aws_iam_user.b", json!({"name": "b"})),
                res("aws_iam_user.c", json!({"name": "c"})),
                res("aws_iam_user.d", json!({"name": "d"})),
                res("aws_iam_group.devs", json!({"name": "devs"})),
                res(
                    "aws_iam_user_group_membership.a",
                    json!({"user": unknown(), "groups": [unknown()]}),
                ),
                res(
                    "aws_iam_group_membership.g",
                    json!({"users": ["b"], "group": "devs"}),
                ),
                res(
                    "aws_iam_user_group_membership.empty",
                    json!({"user": "c", "groups": []}),
                ),
            ],
            &[
                edge("aws_iam_user_group_membership.a", "user", "aws_iam_user.a"),
                edge(
                    "aws_iam_user_group_membership.a",
                    "groups.0",
                    "aws_iam_group.devs",
                ),
            ],
        );
        assert_eq!(
            verdicts(&g, &UserInGroup.check(&g)),
            vec![
                ("aws_iam_user.a".into(), Verdict::Pass),
                ("aws_iam_user.b".into(), Verdict::Pass),
                ("aws_iam_user.c".into(), Verdict::Fail),
                ("aws_iam_user.d".into(), Verdict::Fail),
            ]
        );
    }

    #[test]
    fn unknown_member_list_is_unknown() {
        let g = graph(
            vec![
                res("aws_iam_user.a", json!({"name": "a"})),
                res(
                    "aws_iam_group_membership.g",
                    json!({"users": unknown(), "group": "devs"}),
                ),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &UserInGroup.check(&g)),
            vec![("aws_iam_user.a".into(), Verdict::Unknown)]
        );
    }
}

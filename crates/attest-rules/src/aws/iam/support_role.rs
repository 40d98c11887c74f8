//! `aws-iam-support-role`: a principal holds the AWSSupportAccess policy, so incidents can be
//! handled with AWS Support.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri, Verdict};

use crate::aws::iam::managed_policies::{
    policy_ref_at, principal_policies, PolicyRef, ATTACHMENTS, PRINCIPALS,
};
use crate::aws::scope::{LiveScopes, Requirement};
use crate::aws::wording::{not_known, not_known_why};

pub struct SupportRole;

const SUPPORT_POLICY: &str = "AWSSupportAccess";

static META: RuleMeta = RuleMeta {
    id: "aws-iam-support-role",
    title: "An IAM principal has the AWSSupportAccess policy to manage incidents with AWS Support",
    severity: Severity::Low,
    kind: RuleKind::Account,
    resource_types: HOLDERS,
    aliases: &[
        Alias {
            tool: "prowler",
            id: "iam_support_role_created",
        },
        Alias {
            tool: "cis-aws",
            id: "1.17",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

In a live scan, one result per account read (its `aws_caller_identity`): it passes when some
role, user or group read in the account holds `AWSSupportAccess` (as below), fails when none
does — also when the account has no principal at all ("no IAM principal holding
AWSSupportAccess in account 111122223333") — and is `unknown` when some principal's policies,
or the list of some kind of principal or attachment, could not be read.

For code, an account-level check of the scanned configuration: some IAM role, user or group has the AWS
managed policy `AWSSupportAccess` (`arn:aws:iam::aws:policy/AWSSupportAccess`, in any partition)
attached — through `managed_policy_arns`, an `aws_iam_role_policy_attachment` /
`aws_iam_user_policy_attachment` / `aws_iam_group_policy_attachment`, or an
`aws_iam_policy_attachment`. The policy may be named by its ARN or through a
`data "aws_iam_policy"` that looks it up.

- When the configuration declares no IAM role, user, group or policy attachment, nothing is
  reported: the account's identities are managed elsewhere.
- When it declares some and none holds the policy, the result fails: the scanned configuration
  declares no support role (one may exist outside it).
- When no principal is found with it but some attached policy is only known after apply, the
  result is `unknown`.

CIS asks for a role; a user or group with the policy also gives someone the means to open and
manage support cases, and passes.

## Why it matters

During an incident — a compromised account, a service disruption, a suspected AWS-side issue —
someone must be able to open and follow AWS Support cases without borrowing administrator
credentials. A dedicated role with `AWSSupportAccess` gives exactly that, with its use logged.
CIS AWS Foundations v3.0 recommendation 1.17 asks for it; it supports the incident response of
SOC 2 CC7.4 and the role-based access of CC6.3.

## How to fix

Terraform:

```hcl
resource "aws_iam_role" "support" {
  name = "aws-support"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::123456789012:root" }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "support" {
  role       = aws_iam_role.support.name
  policy_arn = "arn:aws:iam::aws:policy/AWSSupportAccess"
}
```

CloudFormation:

```yaml
SupportRole:
  Type: AWS::IAM::Role
  Properties:
    RoleName: aws-support
    AssumeRolePolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: sts:AssumeRole
          Principal:
            AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"
    ManagedPolicyArns:
      - arn:aws:iam::aws:policy/AWSSupportAccess
```

Console: IAM → *Roles* → *Create role* → trusted entity *AWS account* → attach
`AWSSupportAccess`. CLI:

```sh
aws iam list-entities-for-policy --policy-arn arn:aws:iam::aws:policy/AWSSupportAccess
aws iam create-role --role-name aws-support --assume-role-policy-document file://trust.json
aws iam attach-role-policy --role-name aws-support --policy-arn arn:aws:iam::aws:policy/AWSSupportAccess
```
"#;

impl Rule for SupportRole {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        let scopes = LiveScopes::of(graph);
        let mut out = scopes.evaluate(scopes.accounts(), &LIVE, |_, p| {
            let r = graph.get(p);
            let (policies, attr) = if PRINCIPALS.contains(&r.resource_type.as_str()) {
                (principal_policies(graph, p), "managed_policy_arns")
            } else {
                (vec![policy_ref_at(graph, p, "policy_arn")], "policy_arn")
            };
            if policies.iter().any(|found| found.is_aws(SUPPORT_POLICY)) {
                (Tri::True, format!("{} holds AWSSupportAccess", r.id))
            } else if policies.contains(&PolicyRef::Unknown) {
                (
                    Tri::Unknown,
                    format!(
                        "the policies attached to {} are {}",
                        r.id,
                        not_known_why(r, r.attr(attr))
                    ),
                )
            } else {
                (Tri::False, format!("{} does not hold AWSSupportAccess", r.id))
            }
        });
        out.extend(check_configuration(graph, &scopes));
        out
    }
}

/// The principals and attachments that may give AWSSupportAccess.
const HOLDERS: &[&str] = &[
    "aws_iam_role",
    "aws_iam_user",
    "aws_iam_group",
    "aws_iam_role_policy_attachment",
    "aws_iam_user_policy_attachment",
    "aws_iam_group_policy_attachment",
    "aws_iam_policy_attachment",
];

/// What each account of a live scan must have.
const LIVE: Requirement<'static> = Requirement {
    what: "IAM principal holding AWSSupportAccess",
    candidates: HOLDERS,
    needs: HOLDERS,
};

/// The judgement of the scanned configuration (every resource of code; in a live scan, the
/// resources not read live).
fn check_configuration(graph: &ResourceGraph, scopes: &LiveScopes<'_>) -> Vec<Evaluation> {
    let principals = scopes.configured(PRINCIPALS);
    let attachments = scopes.configured(ATTACHMENTS);
    if principals.is_empty() && attachments.is_empty() {
        return Vec::new();
    }
    let mut holders = Vec::new();
    let mut unknown = Vec::new();
    let mut unknown_words = None;
    for &p in &principals {
        for policy in principal_policies(graph, p) {
            match policy {
                ref found if found.is_aws(SUPPORT_POLICY) => holders.push(graph.get(p).id.clone()),
                PolicyRef::Unknown => {
                    unknown.push(graph.get(p).id.clone());
                    unknown_words.get_or_insert(not_known(graph.get(p)));
                }
                _ => {}
            }
        }
    }
    for &a in &attachments {
        match policy_ref_at(graph, a, "policy_arn") {
            ref found if found.is_aws(SUPPORT_POLICY) => holders.push(graph.get(a).id.clone()),
            PolicyRef::Unknown => {
                unknown.push(graph.get(a).id.clone());
                unknown_words.get_or_insert(not_known(graph.get(a)));
            }
            _ => {}
        }
    }
    holders.sort();
    holders.dedup();
    unknown.sort();
    unknown.dedup();
    let (verdict, message) = if !holders.is_empty() {
        (
            Verdict::Pass,
            format!("AWSSupportAccess is attached through {}", holders.join(", ")),
        )
    } else if !unknown.is_empty() {
        (
            Verdict::Unknown,
            format!(
                "no principal is known to hold AWSSupportAccess; policies {} are attached through {}",
                unknown_words.unwrap_or("not known before apply"),
                unknown.join(", ")
            ),
        )
    } else {
        (
            Verdict::Fail,
            format!(
                "the scanned configuration declares {} IAM principal(s) and {} policy attachment(s), none with \
                 AWSSupportAccess: it declares no support role",
                principals.len(),
                attachments.len()
            ),
        )
    };
    vec![Evaluation {
        resource: None,
        verdict,
        message,
        attribute: None,
    }]
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown};
    use crate::aws::scope::test_support::{live_global, scopes, unreadable, ACCOUNT};

    fn verdict(g: &ResourceGraph) -> Vec<Verdict> {
        SupportRole.check(g).into_iter().map(|e| e.verdict).collect()
    }

    #[test]
    fn no_principals_no_evaluation() {
        assert!(verdict(&graph(vec![res("aws_s3_bucket.b", json!({}))], &[])).is_empty());
    }

    #[test]
    fn support_policy_by_arn_data_source_or_outside_principal_passes() {
        let by_arn = graph(
            vec![res(
                "aws_iam_role.support",
                json!({"managed_policy_arns": ["arn:aws:iam::aws:policy/AWSSupportAccess"]}),
            )],
            &[],
        );
        assert_eq!(verdict(&by_arn), vec![Verdict::Pass]);
        let by_data = graph(
            vec![
                res(
                    "aws_iam_group_policy_attachment.a",
                    json!({"group": "ops", "policy_arn": unknown()}),
                ),
                res("data.aws_iam_policy.support", json!({"name": "AWSSupportAccess"})),
            ],
            &[edge(
                "aws_iam_group_policy_attachment.a",
                "policy_arn",
                "data.aws_iam_policy.support",
            )],
        );
        assert_eq!(verdict(&by_data), vec![Verdict::Pass]);
    }

    #[test]
    fn other_policies_fail_unknown_policies_are_unknown() {
        let other = graph(
            vec![res(
                "aws_iam_role.app",
                json!({"managed_policy_arns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}),
            )],
            &[],
        );
        let evals = SupportRole.check(&other);
        assert_eq!(evals[0].verdict, Verdict::Fail);
        assert!(
            evals[0].message.contains("scanned configuration"),
            "{}",
            evals[0].message
        );
        assert_eq!(evals[0].resource, None);
        let computed = graph(
            vec![res(
                "aws_iam_role_policy_attachment.a",
                json!({"role": "x", "policy_arn": unknown()}),
            )],
            &[],
        );
        assert_eq!(verdict(&computed), vec![Verdict::Unknown]);
    }

    #[test]
    fn live_accounts_need_a_support_principal() {
        let case = |extra: Vec<attest_core::Resource>| {
            let mut resources = scopes(ACCOUNT, &["eu-west-1"]);
            resources.extend(extra);
            let g = graph(resources, &[]);
            let evals = SupportRole.check(&g);
            assert_eq!(evals.len(), 1);
            assert_eq!(
                g.get(evals[0].resource.unwrap()).id,
                "aws_caller_identity:111122223333"
            );
            (evals[0].verdict, evals[0].message.clone())
        };
        let role = |name: &str, policies: serde_json::Value| {
            live_global(
                &format!("arn:aws:iam::111122223333:role/{name}"),
                "aws_iam_role",
                json!({ "name": name, "managed_policy_arns": policies }),
            )
        };
        let (v, m) = case(vec![
            role("app", json!(["arn:aws:iam::aws:policy/ReadOnlyAccess"])),
            role("support", json!(["arn:aws:iam::aws:policy/AWSSupportAccess"])),
        ]);
        assert_eq!(v, Verdict::Pass, "{m}");
        let (v, m) = case(vec![role(
            "app",
            json!(["arn:aws:iam::aws:policy/ReadOnlyAccess"]),
        )]);
        assert_eq!(v, Verdict::Fail, "{m}");
        assert!(m.contains("role/app does not hold AWSSupportAccess"), "{m}");
        // An account without any principal has no support role either.
        let (v, m) = case(vec![]);
        assert_eq!(v, Verdict::Fail);
        assert_eq!(
            m,
            "no IAM principal holding AWSSupportAccess in account 111122223333"
        );
        // The roles could not be listed: one may hold it.
        let (v, m) = case(vec![unreadable(
            "aws_iam_role",
            None,
            &["name", "managed_policy_arns"],
            "AccessDenied on iam:ListRoles",
        )]);
        assert_eq!(v, Verdict::Unknown, "{m}");
        assert!(
            m.contains("aws_iam_role could not be listed (AccessDenied on iam:ListRoles)"),
            "{m}"
        );
        // A role whose attached policies could not be read.
        let (v, m) = case(vec![role(
            "app",
            json!({"$unknown": "AccessDenied on iam:ListAttachedRolePolicies"}),
        )]);
        assert_eq!(v, Verdict::Unknown, "{m}");
        assert!(
            m.contains("role/app are unknown (AccessDenied on iam:ListAttachedRolePolicies)"),
            "{m}"
        );
    }
}

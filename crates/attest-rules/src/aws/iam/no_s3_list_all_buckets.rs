//! `aws-iam-no-s3-list-all-buckets`: no IAM policy allows listing every S3 bucket of the account.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri};

use crate::aws::iam::policy_document::{any_element, policy_of, Policy, Statement};
use crate::aws::links::managed;

pub struct NoS3ListAllBuckets;

/// The action that lists every bucket of the account.
pub const LIST_ALL_BUCKETS: &str = "s3:ListAllMyBuckets";

static META: RuleMeta = RuleMeta {
    id: "aws-iam-no-s3-list-all-buckets",
    title: "IAM policies do not allow listing all S3 buckets (s3:ListAllMyBuckets)",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &[
        "aws_iam_policy",
        "aws_iam_role_policy",
        "aws_iam_user_policy",
        "aws_iam_group_policy",
    ],
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00218",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every customer managed policy (`aws_iam_policy`) and every inline policy of a role, user or
group (`aws_iam_role_policy`, `aws_iam_user_policy`, `aws_iam_group_policy`) is read statement
by statement. The policy fails when a statement

- has `"Effect": "Allow"`,
- allows `s3:ListAllMyBuckets`: named, or through a wildcard that covers it (`s3:*`,
  `s3:List*`, `s3:ListAll*`, `*`), or through a `NotAction` that does not exclude it,
- on every resource: `Resource` contains `"*"` (the action has no resource of its own, so only
  `"*"` grants it), or `NotResource` is used without `"*"`.

Conditions are not taken into account. Policies written as heredocs, `jsonencode(…)` or
`data "aws_iam_policy_document"` are all read; parts only known after apply make the result
`unknown` when no other statement fails. Inline `inline_policy` blocks written inside an
`aws_iam_role` are judged with the role's instance profile by
`aws-iam-instance-profile-no-s3-list-all-buckets`.

## Why it matters

`s3:ListAllMyBuckets` reveals the name of every bucket in the account. Bucket names tell an
intruder what data exists and where (`payroll-exports`, `db-backups-prod`) and are the first
step of reaching for it; workloads almost never need the whole list, only the buckets they
use. Least privilege (SOC 2 CC6.3) means granting the bucket-level actions on named buckets
instead.

## How to fix

Grant actions on the buckets the principal uses, not the account-wide listing.

Terraform:

```hcl
data "aws_iam_policy_document" "reports" {
  statement {
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.reports.arn]
  }
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.reports.arn}/*"]
  }
}
```

CloudFormation:

```yaml
ReportsPolicy:
  Type: AWS::IAM::ManagedPolicy
  Properties:
    PolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: s3:ListBucket
          Resource: !GetAtt ReportsBucket.Arn
        - Effect: Allow
          Action: s3:GetObject
          Resource: !Sub "${ReportsBucket.Arn}/*"
```

Console: IAM → *Policies* → choose the policy → *Edit* → remove `s3:ListAllMyBuckets` (and
replace `s3:*` / `s3:List*` on `*` with actions on named buckets). CLI:

```sh
aws iam create-policy-version --policy-arn arn:aws:iam::123456789012:policy/reports \
  --policy-document file://reports.json --set-as-default
```
"#;

impl Rule for NoS3ListAllBuckets {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, META.resource_types)
            .into_iter()
            .map(|i| match policy_of(graph, i, "policy") {
                Ok(policy) => match listing_statements(&policy) {
                    (Tri::True, found) => Evaluation::fail(
                        i,
                        format!(
                            "{} in {} allow(s) s3:ListAllMyBuckets on \"*\"",
                            found, policy.origin
                        ),
                    )
                    .at("policy"),
                    (Tri::Unknown, found) => Evaluation::unknown(
                        i,
                        format!(
                            "cannot tell whether {} in {} allow(s) s3:ListAllMyBuckets: part of it is \
                             not known before apply",
                            found, policy.origin
                        ),
                    )
                    .at("policy"),
                    (Tri::False, _) => Evaluation::pass(
                        i,
                        format!(
                            "none of the {} statement(s) in {} allows s3:ListAllMyBuckets",
                            policy.statements.len(),
                            policy.origin
                        ),
                    ),
                },
                Err(why) => Evaluation::unknown(i, why).at("policy"),
            })
            .collect()
    }
}

/// Whether a statement allows listing every bucket.
pub fn lists_all_buckets(st: &Statement) -> Tri {
    let everywhere = if st.not_resources.is_null() {
        any_element(&st.resources, |r| r.trim() == "*")
    } else {
        any_element(&st.not_resources, |r| r.trim() == "*").not()
    };
    st.allows_action(LIST_ALL_BUCKETS).and(everywhere)
}

/// Whether a policy allows listing every bucket, with the labels of the statements that do
/// (when true) or may (when unknown).
pub fn listing_statements(policy: &Policy) -> (Tri, String) {
    let verdicts: Vec<(Tri, &str)> = policy
        .statements
        .iter()
        .map(|st| (lists_all_buckets(st), st.label.as_str()))
        .collect();
    for want in [Tri::True, Tri::Unknown] {
        let labels: Vec<&str> = verdicts
            .iter()
            .filter(|(t, _)| *t == want)
            .map(|(_, l)| *l)
            .collect();
        if !labels.is_empty() {
            return (want, labels.join(", "));
        }
    }
    (Tri::False, String::new())
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    fn policy(id: &str, statement: serde_json::Value) -> attest_core::Resource {
        res(
            id,
            json!({"policy": json!({"Version": "2012-10-17", "Statement": statement}).to_string()}),
        )
    }

    #[test]
    fn listing_on_star_fails_scoped_and_other_actions_pass() {
        let g = graph(
            vec![
                policy(
                    "aws_iam_policy.named",
                    json!({"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}),
                ),
                policy(
                    "aws_iam_role_policy.list_star",
                    json!([{"Effect": "Allow", "Action": ["s3:List*"], "Resource": ["*"]}]),
                ),
                policy(
                    "aws_iam_user_policy.not_action",
                    json!({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}),
                ),
                policy(
                    "aws_iam_group_policy.scoped",
                    json!({"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::reports/*"}),
                ),
                policy(
                    "aws_iam_policy.deny",
                    json!({"Effect": "Deny", "Action": "s3:ListAllMyBuckets", "Resource": "*"}),
                ),
                policy(
                    "aws_iam_policy.computed",
                    json!({"Effect": "Allow", "Action": unknown(), "Resource": "*"}),
                ),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &NoS3ListAllBuckets.check(&g)),
            vec![
                ("aws_iam_policy.named".into(), Verdict::Fail),
                ("aws_iam_role_policy.list_star".into(), Verdict::Fail),
                ("aws_iam_user_policy.not_action".into(), Verdict::Fail),
                ("aws_iam_group_policy.scoped".into(), Verdict::Pass),
                ("aws_iam_policy.deny".into(), Verdict::Pass),
                ("aws_iam_policy.computed".into(), Verdict::Unknown),
            ]
        );
    }

    #[test]
    fn policy_document_data_source_is_read() {
        let g = graph(
            vec![
                res("aws_iam_policy.p", json!({"policy": unknown()})),
                res(
                    "data.aws_iam_policy_document.d",
                    json!({"statement": [{"actions": ["s3:ListAllMyBuckets"], "resources": ["*"]}]}),
                ),
            ],
            &[edge(
                "aws_iam_policy.p",
                "policy",
                "data.aws_iam_policy_document.d",
            )],
        );
        assert_eq!(
            verdicts(&g, &NoS3ListAllBuckets.check(&g)),
            vec![("aws_iam_policy.p".into(), Verdict::Fail)]
        );
    }
}

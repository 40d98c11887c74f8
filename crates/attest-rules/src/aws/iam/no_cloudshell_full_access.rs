//! `aws-iam-no-cloudshell-full-access`: the AWSCloudShellFullAccess policy is attached to no
//! principal.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::iam::managed_policies::{policy_ref_at, principal_policies, PolicyRef, ATTACHMENTS};
use crate::aws::links::managed;
use crate::aws::wording::not_known;

pub struct NoCloudShellFullAccess;

const CLOUDSHELL_POLICY: &str = "AWSCloudShellFullAccess";

static META: RuleMeta = RuleMeta {
    id: "aws-iam-no-cloudshell-full-access",
    title: "The AWSCloudShellFullAccess policy is not attached to IAM principals",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &[
        "aws_iam_role",
        "aws_iam_user",
        "aws_iam_group",
        "aws_iam_role_policy_attachment",
        "aws_iam_user_policy_attachment",
        "aws_iam_group_policy_attachment",
        "aws_iam_policy_attachment",
    ],
    aliases: &[
        Alias {
            tool: "prowler",
            id: "iam_policy_cloudshell_admin_not_attached",
        },
        Alias {
            tool: "cis-aws",
            id: "1.22",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every IAM role, user and group, and every policy attachment (`aws_iam_role_policy_attachment`,
`aws_iam_user_policy_attachment`, `aws_iam_group_policy_attachment`,
`aws_iam_policy_attachment`), is checked for the AWS managed policy `AWSCloudShellFullAccess`
(`arn:aws:iam::aws:policy/AWSCloudShellFullAccess`, in any partition, named by its ARN or
through a `data "aws_iam_policy"`).

- An attachment fails when its `policy_arn` is that policy.
- A principal fails when its managed policies (`managed_policy_arns`, which after loading also
  holds what the attachment resources attach to it) include it. A principal given the policy by
  an attachment is therefore reported twice, once as principal and once as attachment.
- A policy ARN only known after apply, with no reference telling which policy it is, makes the
  result `unknown`. Customer managed policies are not read: a custom policy granting
  `cloudshell:*` is not this rule's concern.

## Why it matters

AWSCloudShellFullAccess lets a user start CloudShell sessions and move files in and out of the
CloudShell environment without restriction. A browser shell with upload and download is an easy
channel to exfiltrate data or bring tools into the account, outside the controls that guard
other data paths. CIS AWS Foundations v3.0 recommendation 1.22 asks that the policy be attached
to no one, or to a short, reviewed list of principals (grant narrower CloudShell permissions
instead). It supports the least privilege of SOC 2 CC6.3 and the data-movement restrictions of
CC6.7.

## How to fix

Detach the policy; where CloudShell is needed, grant a custom policy without file transfer
(`cloudshell:CreateSession`, `cloudshell:StartEnvironment`… but not `cloudshell:GetFileDownloadUrls`
or `cloudshell:GetFileUploadUrls`).

Terraform (remove the attachment, or replace it):

```hcl
resource "aws_iam_policy" "cloudshell_no_transfer" {
  name = "cloudshell-no-transfer"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["cloudshell:*"], Resource = "*" },
      { Effect = "Deny", Action = ["cloudshell:GetFileDownloadUrls", "cloudshell:GetFileUploadUrls"], Resource = "*" }
    ]
  })
}
```

CloudFormation: remove `arn:aws:iam::aws:policy/AWSCloudShellFullAccess` from the
`ManagedPolicyArns` of roles, users and groups:

```yaml
Operators:
  Type: AWS::IAM::Group
  Properties:
    ManagedPolicyArns:
      - !Ref CloudShellNoTransferPolicy
```

Console: IAM → *Policies* → `AWSCloudShellFullAccess` → *Entities attached* → detach each. CLI:

```sh
aws iam list-entities-for-policy --policy-arn arn:aws:iam::aws:policy/AWSCloudShellFullAccess
aws iam detach-group-policy --group-name operators --policy-arn arn:aws:iam::aws:policy/AWSCloudShellFullAccess
```
"#;

impl Rule for NoCloudShellFullAccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, META.resource_types)
            .into_iter()
            .map(|i| {
                if ATTACHMENTS.contains(&graph.get(i).resource_type.as_str()) {
                    judge(
                        graph,
                        i,
                        vec![policy_ref_at(graph, i, "policy_arn")],
                        "policy_arn",
                    )
                } else {
                    judge(graph, i, principal_policies(graph, i), "managed_policy_arns")
                }
            })
            .collect()
    }
}

fn judge(graph: &ResourceGraph, i: usize, policies: Vec<PolicyRef>, attr: &str) -> Evaluation {
    if policies.iter().any(|p| p.is_aws(CLOUDSHELL_POLICY)) {
        return Evaluation::fail(i, format!("{CLOUDSHELL_POLICY} is attached")).at(attr);
    }
    if policies.contains(&PolicyRef::Unknown) {
        return Evaluation::unknown(
            i,
            format!(
                "an attached policy is {}: it may be {CLOUDSHELL_POLICY}",
                not_known(graph.get(i))
            ),
        )
        .at(attr);
    }
    let names: Vec<String> = policies.iter().map(|p| p.describe(graph)).collect();
    Evaluation::pass(
        i,
        if names.is_empty() {
            "no managed policy is attached".to_string()
        } else {
            format!(
                "{CLOUDSHELL_POLICY} is not among the attached policies ({})",
                names.join(", ")
            )
        },
    )
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, unknown, verdicts};

    #[test]
    fn principals_and_attachments_are_judged() {
        let g = graph(
            vec![
                res(
                    "aws_iam_group.ops",
                    json!({"managed_policy_arns": ["arn:aws:iam::aws:policy/AWSCloudShellFullAccess"]}),
                ),
                res("aws_iam_user.u", json!({})),
                res("aws_iam_role.r", json!({"managed_policy_arns": unknown()})),
                res(
                    "aws_iam_user_policy_attachment.shell",
                    json!({"user": "u", "policy_arn": "arn:aws-us-gov:iam::aws:policy/AWSCloudShellFullAccess"}),
                ),
                res(
                    "aws_iam_role_policy_attachment.read",
                    json!({"role": "r", "policy_arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}),
                ),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &NoCloudShellFullAccess.check(&g)),
            vec![
                ("aws_iam_group.ops".into(), Verdict::Fail),
                ("aws_iam_user.u".into(), Verdict::Pass),
                ("aws_iam_role.r".into(), Verdict::Unknown),
                ("aws_iam_user_policy_attachment.shell".into(), Verdict::Fail),
                ("aws_iam_role_policy_attachment.read".into(), Verdict::Pass),
            ]
        );
    }
}

//! `aws-iam-password-reuse-24`: iAM password policy prevents reuse of the last 24 passwords.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::iam::password_policy::{at_least, check_each, PASSWORD_POLICY};

pub struct PasswordReuse;

static META: RuleMeta = RuleMeta {
    id: "aws-iam-password-reuse-24",
    title: "IAM password policy prevents reuse of the last 24 passwords",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &[PASSWORD_POLICY],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00002",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_13",
        },
        Alias {
            tool: "prowler",
            id: "iam_password_policy_reuse_24",
        },
        Alias {
            tool: "cis-aws",
            id: "1.9",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

`password_reuse_prevention` of each `aws_iam_account_password_policy` is at least 24 (the
largest value AWS accepts). Absent means no reuse prevention, which fails.

The account has one password policy; the scanned configuration declares it with
`aws_iam_account_password_policy`. When the configuration declares none, this rule reports
nothing (the policy of the account is not in the code). Values only known after apply make the
result `unknown`.

In a live scan, one result per account read (its `aws_caller_identity`) judges the account's
password policy: an account without one fails (AWS then enforces none of these requirements),
and one whose policy could not be read is `unknown`.

## Why it matters

When a user may set an old password again, a password that leaked once comes back into use,
and rotation achieves nothing. CIS AWS Foundations v3.0 recommendation 1.9 asks that the last
24 passwords be remembered; SOC 2 CC6.1 expects credentials that stay effective as a control.

## How to fix

Terraform:

```hcl
resource "aws_iam_account_password_policy" "this" {
  password_reuse_prevention      = 24
}
```

CloudFormation has no resource type for the account password policy; deploy it with a custom
resource whose function calls `iam:UpdateAccountPasswordPolicy` with the same settings:

```yaml
AccountPasswordPolicy:
  Type: Custom::AccountPasswordPolicy
  Properties:
    ServiceToken: !GetAtt PasswordPolicyFunction.Arn
    Policy:
        PasswordReusePrevention: 24
```

Console: IAM → *Account settings* → *Password policy* → *Edit*, tick *Prevent password reuse* and set it to 24, then *Save
changes*. CLI (the call replaces the whole policy: pass every setting you want to keep):

```sh
aws iam get-account-password-policy
aws iam update-account-password-policy --password-reuse-prevention 24
```
"#;

impl Rule for PasswordReuse {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        check_each(graph, |r| {
            vec![at_least(r, "password_reuse_prevention", 24, None)]
        })
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict::{Fail, Pass, Unknown};
    use serde_json::json;

    use super::*;
    use crate::aws::iam::password_policy::test_support::{live_outcomes, run};
    use crate::aws::links::test_support::unknown;

    #[test]
    fn judges_each_password_policy() {
        let got = run(
            &PasswordReuse,
            &[
                json!({"password_reuse_prevention": 24}),
                json!({"password_reuse_prevention": 5}),
                json!({}),
                json!({"password_reuse_prevention": unknown()}),
            ],
        );
        assert_eq!(got, vec![Pass, Fail, Fail, Unknown]);
    }

    #[test]
    fn judges_each_live_account() {
        live_outcomes(
            &PasswordReuse,
            json!({"password_reuse_prevention": 24}),
            json!({"password_reuse_prevention": 5}),
        );
    }
}

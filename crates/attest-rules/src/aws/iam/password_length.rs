//! `aws-iam-password-min-length-14`: iAM password policy requires passwords of at least 14 characters.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::iam::password_policy::{at_least, check_each, DEFAULT_MIN_LENGTH, PASSWORD_POLICY};

pub struct PasswordLength;

static META: RuleMeta = RuleMeta {
    id: "aws-iam-password-min-length-14",
    title: "IAM password policy requires passwords of at least 14 characters",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &[PASSWORD_POLICY],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00025",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_10",
        },
        Alias {
            tool: "prowler",
            id: "iam_password_policy_minimum_length_14",
        },
        Alias {
            tool: "cis-aws",
            id: "1.8",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

`minimum_password_length` of each `aws_iam_account_password_policy` is at least 14. When the
argument is absent the provider sends its default of 6, which fails.

The account has one password policy; the scanned configuration declares it with
`aws_iam_account_password_policy`. When the configuration declares none, this rule reports
nothing (the policy of the account is not in the code). Values only known after apply make the
result `unknown`.

In a live scan, one result per account read (its `aws_caller_identity`) judges the account's
password policy: an account without one fails (AWS then enforces none of these requirements),
and one whose policy could not be read is `unknown`.

## Why it matters

Length is what makes a password expensive to guess or crack offline: every added character
multiplies the search space. CIS AWS Foundations v3.0 recommendation 1.8 asks for at least 14
characters for IAM users' console passwords, and SOC 2 CC6.1 expects authentication mechanisms
strong enough to protect the system's boundary.

## How to fix

Terraform:

```hcl
resource "aws_iam_account_password_policy" "this" {
  minimum_password_length        = 14
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
        MinimumPasswordLength: 14
```

Console: IAM → *Account settings* → *Password policy* → *Edit*, set *Password minimum length* to 14, then *Save
changes*. CLI (the call replaces the whole policy: pass every setting you want to keep):

```sh
aws iam get-account-password-policy
aws iam update-account-password-policy --minimum-password-length 14
```
"#;

impl Rule for PasswordLength {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        check_each(graph, |r| {
            vec![at_least(
                r,
                "minimum_password_length",
                14,
                Some(DEFAULT_MIN_LENGTH),
            )]
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
            &PasswordLength,
            &[
                json!({"minimum_password_length": 14}),
                json!({"minimum_password_length": 32}),
                json!({"minimum_password_length": 8}),
                json!({}),
                json!({"minimum_password_length": unknown()}),
            ],
        );
        assert_eq!(got, vec![Pass, Pass, Fail, Fail, Unknown]);
    }

    #[test]
    fn judges_each_live_account() {
        live_outcomes(
            &PasswordLength,
            json!({"minimum_password_length": 14}),
            json!({"minimum_password_length": 8}),
        );
    }
}

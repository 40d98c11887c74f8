//! `aws-iam-password-number`: iAM password policy requires at least one number.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::iam::password_policy::{check_each, required, PASSWORD_POLICY};

pub struct PasswordNumber;

static META: RuleMeta = RuleMeta {
    id: "aws-iam-password-number",
    title: "IAM password policy requires at least one number",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &[PASSWORD_POLICY],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00024",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_12",
        },
        Alias {
            tool: "prowler",
            id: "iam_password_policy_number",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

`require_numbers` of each `aws_iam_account_password_policy` is true. Absent is false.

The account has one password policy; the scanned configuration declares it with
`aws_iam_account_password_policy`. When the configuration declares none, this rule reports
nothing (the policy of the account is not in the code). Values only known after apply make the
result `unknown`.

In a live scan, one result per account read (its `aws_caller_identity`) judges the account's
password policy: an account without one fails (AWS then enforces none of these requirements),
and one whose policy could not be read is `unknown`.

## Why it matters

Requiring a digit rules out dictionary words used on their own and enlarges the search space
of every password. It is part of the password complexity SOC 2 CC6.1 authentication controls
expect, and earlier CIS AWS Foundations releases (1.8 in v1.2) asked for it.

## How to fix

Terraform:

```hcl
resource "aws_iam_account_password_policy" "this" {
  require_numbers                = true
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
        RequireNumbers: true
```

Console: IAM → *Account settings* → *Password policy* → *Edit*, tick *Require at least one number*, then *Save
changes*. CLI (the call replaces the whole policy: pass every setting you want to keep):

```sh
aws iam get-account-password-policy
aws iam update-account-password-policy --require-numbers
```
"#;

impl Rule for PasswordNumber {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        check_each(graph, |r| vec![required(r, "require_numbers")])
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
            &PasswordNumber,
            &[
                json!({"require_numbers": true}),
                json!({"require_numbers": false}),
                json!({}),
                json!({"require_numbers": unknown()}),
            ],
        );
        assert_eq!(got, vec![Pass, Fail, Fail, Unknown]);
    }

    #[test]
    fn judges_each_live_account() {
        live_outcomes(
            &PasswordNumber,
            json!({"require_numbers": true}),
            json!({"require_numbers": false}),
        );
    }
}

//! `aws-iam-password-expiration`: iAM password policy expires passwords within 90 days.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::iam::password_policy::{check_each, expires_within, PASSWORD_POLICY};

pub struct PasswordExpiration;

static META: RuleMeta = RuleMeta {
    id: "aws-iam-password-expiration",
    title: "IAM password policy expires passwords within 90 days",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &[PASSWORD_POLICY],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00003",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_9",
        },
        Alias {
            tool: "prowler",
            id: "iam_password_policy_expires_passwords_within_90_days_or_less",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

`max_password_age` of each `aws_iam_account_password_policy` is set to between 1 and 90
days. When the argument is absent or 0, passwords never expire, and the policy fails.

The account has one password policy; the scanned configuration declares it with
`aws_iam_account_password_policy`. When the configuration declares none, this rule reports
nothing (the policy of the account is not in the code). Values only known after apply make the
result `unknown`.

In a live scan, one result per account read (its `aws_caller_identity`) judges the account's
password policy: an account without one fails (AWS then enforces none of these requirements),
and one whose policy could not be read is `unknown`.

## Why it matters

A password that never changes stays useful to whoever obtained it — from a phishing page, a
reused credential dump or a shared note — for as long as the account exists. Expiry bounds that
window. Current NIST guidance (SP 800-63B) prefers screening and MFA over forced rotation, and
CIS AWS Foundations v3.0 no longer scores it; many audit programmes (PCI DSS 8.2.4 for
passwords as sole factor, internal SOC 2 authentication policies under CC6.1) still expect a
90-day limit, so attest reports it for those who have committed to it.

## How to fix

Terraform:

```hcl
resource "aws_iam_account_password_policy" "this" {
  max_password_age               = 90
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
        MaxPasswordAge: 90
```

Console: IAM → *Account settings* → *Password policy* → *Edit*, set *Turn on password expiration* to 90 days, then *Save
changes*. CLI (the call replaces the whole policy: pass every setting you want to keep):

```sh
aws iam get-account-password-policy
aws iam update-account-password-policy --max-password-age 90
```
"#;

impl Rule for PasswordExpiration {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        check_each(graph, |r| vec![expires_within(r, 90)])
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
            &PasswordExpiration,
            &[
                json!({"max_password_age": 90}),
                json!({"max_password_age": 30}),
                json!({"max_password_age": 180}),
                json!({"max_password_age": 0}),
                json!({}),
                json!({"max_password_age": unknown()}),
            ],
        );
        assert_eq!(got, vec![Pass, Pass, Fail, Fail, Fail, Unknown]);
    }

    #[test]
    fn judges_each_live_account() {
        live_outcomes(
            &PasswordExpiration,
            json!({"max_password_age": 90}),
            json!({"max_password_age": 180}),
        );
    }
}

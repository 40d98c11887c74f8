//! `aws-iam-password-pci`: iAM password policy meets the PCI DSS password requirements.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::iam::password_policy::{
    at_least, check_each, either, expires_within, required, DEFAULT_MIN_LENGTH, PASSWORD_POLICY,
};

pub struct PasswordPciCompliant;

static META: RuleMeta = RuleMeta {
    id: "aws-iam-password-pci",
    title: "IAM password policy meets the PCI DSS password requirements",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &[PASSWORD_POLICY],
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00086",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Each `aws_iam_account_password_policy` meets the password requirements of PCI DSS v3.2.1
(8.2.3–8.2.5) all at once:

- `minimum_password_length` at least 7 (absent: the provider's 6, which fails);
- `require_numbers` true, and `require_lowercase_characters` or `require_uppercase_characters`
  true (passwords contain both digits and letters);
- `max_password_age` between 1 and 90 days (absent or 0: passwords never expire);
- `password_reuse_prevention` at least 4 (absent: no prevention).

A failure names every requirement the policy misses.

The account has one password policy; the scanned configuration declares it with
`aws_iam_account_password_policy`. When the configuration declares none, this rule reports
nothing (the policy of the account is not in the code). Values only known after apply make the
result `unknown`.

In a live scan, one result per account read (its `aws_caller_identity`) judges the account's
password policy: an account without one fails (AWS then enforces none of these requirements),
and one whose policy could not be read is `unknown`.

## Why it matters

Environments that store, process or transmit cardholder data must enforce these minimums for
any password used as an authentication factor. Checking them together gives one piece of
evidence per policy for the PCI assessment and for the authentication controls of SOC 2 CC6.1.

## How to fix

Terraform:

```hcl
resource "aws_iam_account_password_policy" "this" {
  minimum_password_length        = 14
  require_numbers                = true
  require_lowercase_characters   = true
  max_password_age               = 90
  password_reuse_prevention      = 4
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
        RequireNumbers: true
        RequireLowercaseCharacters: true
        MaxPasswordAge: 90
        PasswordReusePrevention: 4
```

Console: IAM → *Account settings* → *Password policy* → *Edit*, set the minimum length to 7 or more, require a number and a letter, turn on expiration at 90 days and prevent reuse of 4 passwords, then *Save
changes*. CLI (the call replaces the whole policy: pass every setting you want to keep):

```sh
aws iam get-account-password-policy
aws iam update-account-password-policy --minimum-password-length 14 --require-numbers \
  --require-lowercase-characters --max-password-age 90 --password-reuse-prevention 4
```
"#;

impl Rule for PasswordPciCompliant {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        check_each(graph, |r| {
            vec![
                at_least(r, "minimum_password_length", 7, Some(DEFAULT_MIN_LENGTH)),
                required(r, "require_numbers"),
                either(
                    required(r, "require_lowercase_characters"),
                    required(r, "require_uppercase_characters"),
                ),
                expires_within(r, 90),
                at_least(r, "password_reuse_prevention", 4, None),
            ]
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
        let good = json!({
            "minimum_password_length": 8, "require_numbers": true, "require_uppercase_characters": true,
            "max_password_age": 90, "password_reuse_prevention": 4
        });
        let mut short = good.clone();
        short["minimum_password_length"] = json!(6);
        let mut no_letters = good.clone();
        no_letters["require_uppercase_characters"] = json!(false);
        let mut never_expires = good.clone();
        never_expires["max_password_age"] = json!(0);
        let mut computed = good.clone();
        computed["password_reuse_prevention"] = unknown();
        let got = run(
            &PasswordPciCompliant,
            &[good, short, no_letters, never_expires, computed, json!({})],
        );
        assert_eq!(got, vec![Pass, Fail, Fail, Fail, Unknown, Fail]);
    }

    #[test]
    fn judges_each_live_account() {
        live_outcomes(
            &PasswordPciCompliant,
            json!({"minimum_password_length": 8, "require_numbers": true, "require_uppercase_characters": true, "max_password_age": 90, "password_reuse_prevention": 4}),
            json!({"minimum_password_length": 6, "require_numbers": true, "require_uppercase_characters": true, "max_password_age": 90, "password_reuse_prevention": 4}),
        );
    }
}

//! `aws-iam-password-reuse-4`: iAM password policy prevents reuse of the last 4 passwords.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::iam::password_policy::{at_least, check_each, PASSWORD_POLICY};

pub struct PasswordReuse4;

static META: RuleMeta = RuleMeta {
    id: "aws-iam-password-reuse-4",
    title: "IAM password policy prevents reuse of the last 4 passwords",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &[PASSWORD_POLICY],
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00088",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

`password_reuse_prevention` of each `aws_iam_account_password_policy` is at least 4. Absent
means no reuse prevention, which fails. This is the floor PCI DSS sets; CIS asks for 24 (see
`aws-iam-password-reuse-24`).

The account has one password policy; the scanned configuration declares it with
`aws_iam_account_password_policy`. When the configuration declares none, this rule reports
nothing (the policy of the account is not in the code). Values only known after apply make the
result `unknown`.

In a live scan, one result per account read (its `aws_caller_identity`) judges the account's
password policy: an account without one fails (AWS then enforces none of these requirements),
and one whose policy could not be read is `unknown`.

## Why it matters

Without reuse prevention, a user forced to change a password can set the old one again, and
a leaked password returns to service. PCI DSS v3.2.1 requirement 8.2.5 forbids reusing any of
the last four passwords; SOC 2 CC6.1 expects credentials that stay effective as a control.

## How to fix

Terraform:

```hcl
resource "aws_iam_account_password_policy" "this" {
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
        PasswordReusePrevention: 4
```

Console: IAM → *Account settings* → *Password policy* → *Edit*, tick *Prevent password reuse* and set it to at least 4, then *Save
changes*. CLI (the call replaces the whole policy: pass every setting you want to keep):

```sh
aws iam get-account-password-policy
aws iam update-account-password-policy --password-reuse-prevention 4
```
"#;

impl Rule for PasswordReuse4 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        check_each(graph, |r| vec![at_least(r, "password_reuse_prevention", 4, None)])
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict::{Fail, Pass, Unknown};
    use serde_json::json;

    use super::*;
    use crate::aws::iam::password_policy::test_support::{live_outcomes, run};

    #[test]
    fn judges_each_password_policy() {
        let got = run(
            &PasswordReuse4,
            &[
                json!({"password_reuse_prevention": 4}),
                json!({"password_reuse_prevention": 3}),
                json!({}),
                json!({"password_reuse_prevention": "x"}),
            ],
        );
        assert_eq!(got, vec![Pass, Fail, Fail, Unknown]);
    }

    #[test]
    fn judges_each_live_account() {
        live_outcomes(
            &PasswordReuse4,
            json!({"password_reuse_prevention": 4}),
            json!({"password_reuse_prevention": 3}),
        );
    }
}

//! `aws-iam-root-no-access-keys`: the root user of the account has no access keys.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::iam::account_summary::{flag, summaries, ACCOUNT_SUMMARY};

pub struct RootNoAccessKeys;

static META: RuleMeta = RuleMeta {
    id: "aws-iam-root-no-access-keys",
    title: "The root user has no access keys",
    severity: Severity::Critical,
    kind: RuleKind::Resource,
    resource_types: &[ACCOUNT_SUMMARY],
    aliases: &[
        Alias {
            tool: "cis-aws",
            id: "1.4",
        },
        Alias {
            tool: "prowler",
            id: "iam_no_root_access_key",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Each `aws_iam_account_summary` passes when its `account_access_keys_present` is `false`, and
fails when it is `true`. An attribute that could not be read is `unknown`.

`aws_iam_account_summary` is a resource type of attest's own: no Terraform resource describes the
root user, so a live scan emits one per account (id `arn:aws:iam::<account>:root`) with:

- `account_mfa_enabled` (bool): the root user has an MFA device (`AccountMFAEnabled` in
  `iam:GetAccountSummary`);
- `account_access_keys_present` (bool): the root user has access keys (`AccountAccessKeysPresent`);
- `root_mfa_virtual` (bool, null when MFA is off): the root user's MFA device is a virtual one
  (`iam:ListVirtualMFADevices` lists a device assigned to the root user).

Any of them may be unknown (for example `{"$unknown": "AccessDenied on iam:GetAccountSummary"}`).
Terraform configurations never contain this type, so the rule reports only on live scans and
inventories.

## Why it matters

An access key of the root user is a long-lived credential with unrestricted power over the
account: no IAM policy or permissions boundary limits it, and MFA does not protect API calls made
with it. A key left in a script, a CI variable or a laptop is the whole account. Daily work and
automation belong to IAM roles and users with scoped permissions. SOC 2 CC6.1 and CC6.2 expect
privileged credentials to be restricted and removed when not needed.

## How to fix

Move whatever uses the root key to an IAM role (or, if unavoidable, an IAM user) with only the
permissions it needs, then delete the root key. Root keys cannot be managed by Terraform or
CloudFormation; manage the replacement instead:

Terraform:

```hcl
resource "aws_iam_role" "automation" {
  name               = "automation"
  assume_role_policy = data.aws_iam_policy_document.automation_trust.json
}
```

CloudFormation:

```yaml
AutomationRole:
  Type: AWS::IAM::Role
  Properties:
    RoleName: automation
    AssumeRolePolicyDocument: { ... }
```

Console: sign in as the root user → account menu → *Security credentials* → *Access keys* →
*Actions* → *Deactivate*, then *Delete*. Check with the CLI: `aws iam get-account-summary --query
SummaryMap.AccountAccessKeysPresent` (expect `0`).
"#;

impl Rule for RootNoAccessKeys {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        summaries(graph)
            .into_iter()
            .map(|s| {
                match flag(graph, s, "account_access_keys_present") {
                    Ok(false) => Evaluation::pass(s, "the root user has no access keys"),
                    Ok(true) => Evaluation::fail(s, "the root user has access keys"),
                    Err(why) => Evaluation::unknown(
                        s,
                        format!("cannot tell whether the root user has access keys: {why}"),
                    ),
                }
                .at("account_access_keys_present")
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::iam::account_summary::test_support::summary_graph;

    fn verdict(attrs: serde_json::Value) -> Verdict {
        let out = RootNoAccessKeys.check(&summary_graph(attrs));
        assert_eq!(out.len(), 1);
        out[0].verdict
    }

    #[test]
    fn judges_account_access_keys_present() {
        assert_eq!(
            verdict(json!({"account_access_keys_present": false})),
            Verdict::Pass
        );
        assert_eq!(
            verdict(json!({"account_access_keys_present": true})),
            Verdict::Fail
        );
        assert_eq!(
            verdict(
                json!({"account_access_keys_present": {"$unknown": "AccessDenied on iam:GetAccountSummary"}})
            ),
            Verdict::Unknown
        );
        // Not collected is not "no keys".
        assert_eq!(verdict(json!({"account_mfa_enabled": true})), Verdict::Unknown);
    }
}

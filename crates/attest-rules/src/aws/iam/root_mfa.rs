//! `aws-iam-root-mfa`: the root user of the account has MFA enabled.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::iam::account_summary::{flag, summaries, ACCOUNT_SUMMARY};

pub struct RootMfa;

static META: RuleMeta = RuleMeta {
    id: "aws-iam-root-mfa",
    title: "The root user has MFA enabled",
    severity: Severity::High,
    kind: RuleKind::Resource,
    resource_types: &[ACCOUNT_SUMMARY],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00005",
        },
        Alias {
            tool: "cis-aws",
            id: "1.5",
        },
        Alias {
            tool: "prowler",
            id: "iam_root_mfa_enabled",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Each `aws_iam_account_summary` passes when its `account_mfa_enabled` is `true`, and fails when it
is `false`. An attribute that could not be read is `unknown`.

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

The root user can do anything in the account, including closing it and changing its billing and
support settings, and no IAM policy restricts it. With only a password, one leaked or phished
credential hands over the whole account. MFA makes the password alone useless. SOC 2 CC6.1 and
CC6.2 expect strong authentication for privileged access.

## How to fix

MFA for the root user can only be set up signed in as the root user; neither Terraform nor
CloudFormation can manage it. Record the decision next to the account's code instead:

Terraform (documentation only; the device is assigned in the console):

```hcl
# The root user of this account has MFA (see the account runbook).
# Verified by attest rule aws-iam-root-mfa on live scans.
```

CloudFormation (documentation only):

```yaml
# Root MFA is assigned in the console; checked by attest rule aws-iam-root-mfa.
Metadata:
  RootMfa: assigned-in-console
```

Console: sign in as the root user → account menu → *Security credentials* → *Multi-factor
authentication (MFA)* → *Assign MFA device*, preferably a hardware security key. Check it with
the CLI: `aws iam get-account-summary --query SummaryMap.AccountMFAEnabled` (expect `1`).
"#;

impl Rule for RootMfa {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        summaries(graph)
            .into_iter()
            .map(|s| {
                match flag(graph, s, "account_mfa_enabled") {
                    Ok(true) => Evaluation::pass(s, "the root user has an MFA device"),
                    Ok(false) => Evaluation::fail(s, "the root user has no MFA device"),
                    Err(why) => {
                        Evaluation::unknown(s, format!("cannot tell whether the root user has MFA: {why}"))
                    }
                }
                .at("account_mfa_enabled")
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
        let out = RootMfa.check(&summary_graph(attrs));
        assert_eq!(out.len(), 1);
        out[0].verdict
    }

    #[test]
    fn judges_account_mfa_enabled() {
        assert_eq!(verdict(json!({"account_mfa_enabled": true})), Verdict::Pass);
        assert_eq!(verdict(json!({"account_mfa_enabled": false})), Verdict::Fail);
        assert_eq!(
            verdict(json!({"account_mfa_enabled": {"$unknown": "AccessDenied on iam:GetAccountSummary"}})),
            Verdict::Unknown
        );
        assert_eq!(verdict(json!({})), Verdict::Unknown);
        assert_eq!(verdict(json!({"account_mfa_enabled": "yes"})), Verdict::Unknown);
    }

    #[test]
    fn unknown_message_carries_the_reason() {
        let out = RootMfa.check(&summary_graph(
            json!({"account_mfa_enabled": {"$unknown": "AccessDenied on iam:GetAccountSummary"}}),
        ));
        assert!(out[0].message.contains("AccessDenied"), "{}", out[0].message);
    }

    #[test]
    fn no_summary_no_evaluation() {
        let g = crate::aws::links::test_support::graph(
            vec![crate::aws::links::test_support::res("aws_iam_user.u", json!({}))],
            &[],
        );
        assert!(RootMfa.check(&g).is_empty());
    }
}

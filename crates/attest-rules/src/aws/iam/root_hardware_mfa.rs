//! `aws-iam-root-hardware-mfa`: the root user's MFA device is a hardware device, not a virtual one.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::iam::account_summary::{flag, summaries, ACCOUNT_SUMMARY};

pub struct RootHardwareMfa;

static META: RuleMeta = RuleMeta {
    id: "aws-iam-root-hardware-mfa",
    title: "The root user has hardware MFA enabled",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &[ACCOUNT_SUMMARY],
    aliases: &[
        Alias {
            tool: "cis-aws",
            id: "1.6",
        },
        Alias {
            tool: "prowler",
            id: "iam_root_hardware_mfa_enabled",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Each `aws_iam_account_summary` passes when `account_mfa_enabled` is `true` and `root_mfa_virtual`
is `false` (the root user's MFA device is not a virtual one: a hardware TOTP token or a FIDO
security key). It fails when MFA is off, or when the device is virtual. When MFA is on and
`root_mfa_virtual` could not be read (or was not collected), or when `account_mfa_enabled` itself
could not be read, the result is `unknown`.

`aws_iam_account_summary` is a resource type of attest's own: no Terraform resource describes the
root user, so a live scan emits one per account (id `arn:aws:iam::<account>:root`) with:

- `account_mfa_enabled` (bool): the root user has an MFA device (`AccountMFAEnabled` in
  `iam:GetAccountSummary`);
- `account_access_keys_present` (bool): the root user has access keys (`AccountAccessKeysPresent`);
- `root_mfa_virtual` (bool, null when MFA is off): the root user's MFA device is a virtual one
  (`iam:ListVirtualMFADevices` lists a device assigned to the root user).

Any of them may be unknown (for example `{"$unknown": "AccessDenied on iam:ListVirtualMFADevices"}`).
Terraform configurations never contain this type, so the rule reports only on live scans and
inventories.

## Why it matters

A virtual MFA app lives on a phone or computer that also browses, installs software and gets
backed up, lost or replaced; its seed can be copied. A dedicated hardware device keeps the second
factor of the most powerful identity in the account off general-purpose devices, and a FIDO
security key also resists phishing. SOC 2 CC6.1 and CC6.2 expect strong authentication for
privileged access.

## How to fix

Root MFA devices can only be assigned signed in as the root user; neither Terraform nor
CloudFormation can manage them. Record the decision next to the account's code:

Terraform (documentation only; the device is assigned in the console):

```hcl
# The root user of this account uses a hardware security key (see the account runbook).
# Verified by attest rule aws-iam-root-hardware-mfa on live scans.
```

CloudFormation (documentation only):

```yaml
# Root hardware MFA is assigned in the console; checked by attest rule aws-iam-root-hardware-mfa.
Metadata:
  RootMfa: hardware-key
```

Console: sign in as the root user → account menu → *Security credentials* → *Multi-factor
authentication (MFA)* → *Assign MFA device* → *Security key* or *Hardware TOTP token*; then remove
the virtual device. Check with the CLI: `aws iam list-virtual-mfa-devices --assignment-status
Assigned` must list no device whose user ARN ends in `:root`.
"#;

impl Rule for RootHardwareMfa {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        summaries(graph)
            .into_iter()
            .map(|s| match flag(graph, s, "account_mfa_enabled") {
                Ok(false) => Evaluation::fail(s, "the root user has no MFA device").at("account_mfa_enabled"),
                Err(why) => {
                    Evaluation::unknown(s, format!("cannot tell whether the root user has MFA: {why}"))
                        .at("account_mfa_enabled")
                }
                Ok(true) => match flag(graph, s, "root_mfa_virtual") {
                    Ok(false) => Evaluation::pass(s, "the root user's MFA device is a hardware device"),
                    Ok(true) => Evaluation::fail(s, "the root user's MFA device is a virtual MFA device"),
                    Err(why) => Evaluation::unknown(
                        s,
                        format!(
                            "the root user has MFA, but whether the device is virtual cannot be told: {why}"
                        ),
                    ),
                }
                .at("root_mfa_virtual"),
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
        let out = RootHardwareMfa.check(&summary_graph(attrs));
        assert_eq!(out.len(), 1);
        out[0].verdict
    }

    #[test]
    fn hardware_device_passes() {
        assert_eq!(
            verdict(json!({"account_mfa_enabled": true, "root_mfa_virtual": false})),
            Verdict::Pass
        );
    }

    #[test]
    fn virtual_device_or_no_mfa_fails() {
        assert_eq!(
            verdict(json!({"account_mfa_enabled": true, "root_mfa_virtual": true})),
            Verdict::Fail
        );
        assert_eq!(
            verdict(json!({"account_mfa_enabled": false, "root_mfa_virtual": null})),
            Verdict::Fail
        );
        // With MFA off, an unreadable device list does not matter.
        assert_eq!(
            verdict(json!({"account_mfa_enabled": false, "root_mfa_virtual": {"$unknown": "AccessDenied"}})),
            Verdict::Fail
        );
    }

    #[test]
    fn unknowns_are_unknown() {
        let denied = json!({"$unknown": "AccessDenied on iam:GetAccountSummary"});
        assert_eq!(
            verdict(json!({"account_mfa_enabled": denied, "root_mfa_virtual": false})),
            Verdict::Unknown
        );
        assert_eq!(
            verdict(json!({"account_mfa_enabled": true,
                           "root_mfa_virtual": {"$unknown": "AccessDenied on iam:ListVirtualMFADevices"}})),
            Verdict::Unknown
        );
        // MFA on but the device kind was not collected.
        assert_eq!(
            verdict(json!({"account_mfa_enabled": true, "root_mfa_virtual": null})),
            Verdict::Unknown
        );
        assert_eq!(verdict(json!({})), Verdict::Unknown);
    }
}

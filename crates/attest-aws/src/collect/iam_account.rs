//! Account-level IAM settings:
//!
//! | API call | canonical |
//! |---|---|
//! | `GetAccountPasswordPolicy` | `aws_iam_account_password_policy` (`id` = `iam-account-password-policy`, the Terraform arguments); `NoSuchEntity` (no policy set) → no resource |
//! | `GetAccountSummary` | `aws_iam_account_summary`, attest's own type (id `arn:<partition>:iam::<account>:root`): `account_mfa_enabled`, `account_access_keys_present` |
//! | `ListVirtualMFADevices` (`Assigned`, only when the root user may have MFA) | `root_mfa_virtual` of the summary: a virtual device is assigned to the root user (null when MFA is off) |
//!
//! The summary is emitted once per account read, whatever failed: an attribute whose call failed
//! is unknown. An account without a password policy has no `aws_iam_account_password_policy`
//! (the password rules judge each account read through its `aws_caller_identity`); a failed
//! `GetAccountPasswordPolicy` (other than `NoSuchEntity`) leaves a placeholder
//! `aws_iam_account_password_policy` (mode `data`, every argument unknown).
//!
//! The credential report (`GenerateCredentialReport`, `GetCredentialReport`) is not read: no rule
//! judges what only it tells (root and password last use, key rotation and last use, MFA per user).

use std::collections::HashMap;

use aws_sdk_iam::types::{AssignmentStatusType, PasswordPolicy, SummaryKeyType, VirtualMfaDevice};
use serde_json::{json, Map, Value as Json};

use attest_core::{LoadOutput, Reference, Resource};

use super::{drain, placeholder, unknown};
use crate::api::ApiError;
use crate::ctx::{client, Ctx};

pub const PASSWORD_POLICY: &str = "aws_iam_account_password_policy";
pub const ACCOUNT_SUMMARY: &str = "aws_iam_account_summary";

/// The Terraform id of the (single) account password policy.
const PASSWORD_POLICY_ID: &str = "iam-account-password-policy";

/// The arguments of `aws_iam_account_password_policy`.
const PASSWORD_ATTRS: &[&str] = &[
    "allow_users_to_change_password",
    "expire_passwords",
    "hard_expiry",
    "max_password_age",
    "minimum_password_length",
    "password_reuse_prevention",
    "require_lowercase_characters",
    "require_numbers",
    "require_symbols",
    "require_uppercase_characters",
];

/// What `GetAccountPasswordPolicy` answered.
#[derive(Debug, Clone)]
pub enum PasswordAnswer {
    Policy(PasswordPolicy),
    /// `NoSuchEntity`: the account has no password policy.
    None,
    Failed(ApiError),
}

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let iam = client!(c.session, aws_sdk_iam, "iam");
    let mut out = LoadOutput::default();

    let password = match iam.get_account_password_policy().send().await {
        Ok(o) => match o.password_policy() {
            Some(p) => PasswordAnswer::Policy(p.clone()),
            None => PasswordAnswer::Failed(ApiError {
                code: "EmptyAnswer".into(),
                message: "GetAccountPasswordPolicy answered without a policy".into(),
            }),
        },
        Err(e) => {
            let e = ApiError::from_sdk(&e);
            if e.code == "NoSuchEntity" {
                PasswordAnswer::None
            } else {
                PasswordAnswer::Failed(e)
            }
        }
    };
    if let PasswordAnswer::Failed(e) = &password {
        out.errors
            .push(c.error("iam", "GetAccountPasswordPolicy", e.message.clone()));
    }
    out.resources.extend(password_policy(c, &password));

    let summary = iam
        .get_account_summary()
        .send()
        .await
        .map(|o| o.summary_map().cloned().unwrap_or_default())
        .map_err(|e| ApiError::from_sdk(&e));
    if let Err(e) = &summary {
        out.errors
            .push(c.error("iam", "GetAccountSummary", e.message.clone()));
    }
    // The device kind only matters when the root user may have MFA.
    let mfa_off = matches!(&summary, Ok(map) if map.get(&SummaryKeyType::AccountMfaEnabled) == Some(&0));
    let devices = if mfa_off {
        None
    } else {
        let (devices, err) = drain(
            iam.list_virtual_mfa_devices()
                .assignment_status(AssignmentStatusType::Assigned)
                .into_paginator()
                .items()
                .send(),
        )
        .await;
        Some(match err {
            Some(e) => {
                out.errors
                    .push(c.error("iam", "ListVirtualMFADevices", e.message.clone()));
                Err(e)
            }
            None => Ok(devices),
        })
    };
    out.resources.push(account_summary(
        c,
        summary.as_ref(),
        devices.as_ref().map(|d| d.as_ref().map(Vec::as_slice)),
    ));
    out
}

/// The password policy as Terraform shows it: unset numbers are 0 (a `max_password_age` of 0
/// means passwords never expire, a `password_reuse_prevention` of 0 means no prevention). No
/// resource when the account has none; a placeholder when it could not be read.
pub fn password_policy(c: &Ctx<'_>, answer: &PasswordAnswer) -> Option<Resource> {
    match answer {
        PasswordAnswer::None => None,
        PasswordAnswer::Failed(e) => {
            let mut all = vec!["id"];
            all.extend_from_slice(PASSWORD_ATTRS);
            Some(placeholder(
                c,
                PASSWORD_POLICY,
                &all,
                &e.unknown_reason("iam", "GetAccountPasswordPolicy"),
            ))
        }
        PasswordAnswer::Policy(p) => {
            let mut a = Map::new();
            a.insert("id".into(), json!(PASSWORD_POLICY_ID));
            a.insert(
                "allow_users_to_change_password".into(),
                json!(p.allow_users_to_change_password()),
            );
            a.insert("expire_passwords".into(), json!(p.expire_passwords()));
            a.insert("hard_expiry".into(), json!(p.hard_expiry().unwrap_or(false)));
            a.insert(
                "max_password_age".into(),
                json!(p.max_password_age().unwrap_or(0)),
            );
            if let Some(n) = p.minimum_password_length() {
                a.insert("minimum_password_length".into(), json!(n));
            }
            a.insert(
                "password_reuse_prevention".into(),
                json!(p.password_reuse_prevention().unwrap_or(0)),
            );
            a.insert(
                "require_lowercase_characters".into(),
                json!(p.require_lowercase_characters()),
            );
            a.insert("require_numbers".into(), json!(p.require_numbers()));
            a.insert("require_symbols".into(), json!(p.require_symbols()));
            a.insert(
                "require_uppercase_characters".into(),
                json!(p.require_uppercase_characters()),
            );
            Some(c.resource(
                c.local_id(PASSWORD_POLICY, PASSWORD_POLICY_ID),
                PASSWORD_POLICY,
                Some(PASSWORD_POLICY_ID),
                a,
            ))
        }
    }
}

/// The root user's ARN, when the account is known.
fn root_arn(c: &Ctx<'_>) -> Option<String> {
    let account = c.account.as_deref()?;
    Some(format!("arn:{}:iam::{account}:root", c.partition()))
}

/// Whether a virtual MFA device is the root user's: its user is the root ARN, or its serial is
/// the root's (`arn:…:mfa/root-account-mfa-device`).
fn is_root_device(d: &VirtualMfaDevice, root: Option<&str>) -> bool {
    let by_user = d
        .user()
        .map(|u| u.arn())
        .is_some_and(|arn| Some(arn) == root || arn.ends_with(":root"));
    by_user || d.serial_number().ends_with(":mfa/root-account-mfa-device")
}

/// The account summary: what `GetAccountSummary` says about the root user, and whether its MFA
/// device is virtual (`devices`: the assigned virtual devices, `None` when not read because MFA is
/// off).
pub fn account_summary(
    c: &Ctx<'_>,
    summary: Result<&HashMap<SummaryKeyType, i32>, &ApiError>,
    devices: Option<Result<&[VirtualMfaDevice], &ApiError>>,
) -> Resource {
    let root = root_arn(c);
    let id = root
        .clone()
        .unwrap_or_else(|| c.local_id(ACCOUNT_SUMMARY, "root"));
    let mut a = Map::new();
    a.insert("id".into(), json!(id));
    a.insert("account_id".into(), json!(c.account));
    let flag = |key: SummaryKeyType| -> Json {
        match summary {
            Ok(map) => match map.get(&key) {
                Some(n) => json!(*n > 0),
                None => unknown(&format!("iam:GetAccountSummary did not report {}", key.as_str())),
            },
            Err(e) => unknown(&e.unknown_reason("iam", "GetAccountSummary")),
        }
    };
    let mfa = flag(SummaryKeyType::AccountMfaEnabled);
    a.insert(
        "account_access_keys_present".into(),
        flag(SummaryKeyType::AccountAccessKeysPresent),
    );
    let virtual_device = if mfa == json!(false) {
        Json::Null
    } else {
        match devices {
            Some(Ok(devices)) => json!(devices.iter().any(|d| is_root_device(d, root.as_deref()))),
            Some(Err(e)) => unknown(&e.unknown_reason("iam", "ListVirtualMFADevices")),
            None => unknown("iam:ListVirtualMFADevices was not read"),
        }
    };
    a.insert("account_mfa_enabled".into(), mfa);
    a.insert("root_mfa_virtual".into(), virtual_device);
    c.resource(id, ACCOUNT_SUMMARY, root.as_deref(), a)
}

/// The account-level resources refer to nothing.
pub fn link(out: &LoadOutput) -> Vec<Reference> {
    let _ = out;
    Vec::new()
}

#[cfg(test)]
mod tests {
    use attest_core::{ResourceGraph, Value, Verdict};
    use aws_sdk_iam::types::User;

    use super::*;
    use crate::ctx::Session;

    const ROOT_RULES: &[&str] = &[
        "aws-iam-root-mfa",
        "aws-iam-root-hardware-mfa",
        "aws-iam-root-no-access-keys",
    ];

    fn verdicts(resources: Vec<Resource>, rules: &[&str]) -> Vec<(String, Verdict)> {
        let graph = ResourceGraph::new(resources, &[]);
        let mut v = Vec::new();
        for id in rules {
            let rule = attest_rules::find(id).expect("rule");
            v.extend(
                rule.check(&graph)
                    .into_iter()
                    .map(|e| (id.to_string(), e.verdict)),
            );
        }
        v
    }

    fn summary_map(mfa: i32, keys: i32) -> HashMap<SummaryKeyType, i32> {
        HashMap::from([
            (SummaryKeyType::AccountMfaEnabled, mfa),
            (SummaryKeyType::AccountAccessKeysPresent, keys),
            (SummaryKeyType::Users, 3),
        ])
    }

    fn root_device() -> VirtualMfaDevice {
        VirtualMfaDevice::builder()
            .serial_number("arn:aws:iam::123456789012:mfa/root-account-mfa-device")
            .user(
                User::builder()
                    .path("/")
                    .user_name("")
                    .user_id("123456789012")
                    .arn("arn:aws:iam::123456789012:root")
                    .create_date(aws_smithy_types::DateTime::from_secs(0))
                    .build()
                    .expect("user"),
            )
            .build()
            .expect("device")
    }

    fn denied(op: &str) -> ApiError {
        ApiError {
            code: "AccessDenied".into(),
            message: format!("AccessDenied: iam:{op}"),
        }
    }

    #[test]
    fn root_with_hardware_mfa_and_no_keys_passes() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::global(&s, Some("123456789012".into()));
        let map = summary_map(1, 0);
        let r = account_summary(&c, Ok(&map), Some(Ok(&[])));
        assert_eq!(r.id, "arn:aws:iam::123456789012:root");
        assert_eq!(
            r.attributes.to_json(),
            json!({
                "id": "arn:aws:iam::123456789012:root", "account_id": "123456789012",
                "account_mfa_enabled": true, "account_access_keys_present": false,
                "root_mfa_virtual": false,
            })
        );
        assert_eq!(
            verdicts(vec![r], ROOT_RULES),
            vec![
                ("aws-iam-root-mfa".into(), Verdict::Pass),
                ("aws-iam-root-hardware-mfa".into(), Verdict::Pass),
                ("aws-iam-root-no-access-keys".into(), Verdict::Pass),
            ]
        );
    }

    #[test]
    fn root_with_virtual_mfa_or_keys_or_no_mfa_fails() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::global(&s, Some("123456789012".into()));
        let map = summary_map(1, 1);
        let devices = [root_device()];
        let r = account_summary(&c, Ok(&map), Some(Ok(&devices)));
        assert_eq!(r.attr("root_mfa_virtual"), &Value::Bool(true));
        assert_eq!(
            verdicts(vec![r], ROOT_RULES),
            vec![
                ("aws-iam-root-mfa".into(), Verdict::Pass),
                ("aws-iam-root-hardware-mfa".into(), Verdict::Fail),
                ("aws-iam-root-no-access-keys".into(), Verdict::Fail),
            ]
        );
        // MFA off: the device list is not read and the kind is null.
        let map = summary_map(0, 0);
        let r = account_summary(&c, Ok(&map), None);
        assert_eq!(r.attr("root_mfa_virtual"), &Value::Null);
        assert_eq!(
            verdicts(vec![r], ROOT_RULES),
            vec![
                ("aws-iam-root-mfa".into(), Verdict::Fail),
                ("aws-iam-root-hardware-mfa".into(), Verdict::Fail),
                ("aws-iam-root-no-access-keys".into(), Verdict::Pass),
            ]
        );
    }

    #[test]
    fn denied_summary_or_device_list_is_unknown() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::global(&s, Some("123456789012".into()));
        let e = denied("GetAccountSummary");
        let d = denied("ListVirtualMFADevices");
        let r = account_summary(&c, Err(&e), Some(Err(&d)));
        assert_eq!(
            r.attr("account_mfa_enabled"),
            &Value::Unknown("AccessDenied on iam:GetAccountSummary".into())
        );
        assert_eq!(
            verdicts(vec![r], ROOT_RULES),
            vec![
                ("aws-iam-root-mfa".into(), Verdict::Unknown),
                ("aws-iam-root-hardware-mfa".into(), Verdict::Unknown),
                ("aws-iam-root-no-access-keys".into(), Verdict::Unknown),
            ]
        );
        // MFA on, device list denied: only the device kind is unknown.
        let map = summary_map(1, 0);
        let r = account_summary(&c, Ok(&map), Some(Err(&d)));
        assert_eq!(
            r.attr("root_mfa_virtual"),
            &Value::Unknown("AccessDenied on iam:ListVirtualMFADevices".into())
        );
        assert_eq!(
            verdicts(vec![r], ROOT_RULES),
            vec![
                ("aws-iam-root-mfa".into(), Verdict::Pass),
                ("aws-iam-root-hardware-mfa".into(), Verdict::Unknown),
                ("aws-iam-root-no-access-keys".into(), Verdict::Pass),
            ]
        );
        // A summary without the key is not read as "no".
        let partial = HashMap::from([(SummaryKeyType::Users, 1)]);
        let r = account_summary(&c, Ok(&partial), None);
        assert!(r.attr("account_access_keys_present").is_unknown());
        // Without the account id, the summary gets a local id.
        let c = Ctx::global(&s, None);
        let r = account_summary(&c, Ok(&map), Some(Ok(&[])));
        assert_eq!(r.id, "aws_iam_account_summary:global:root");
    }

    #[test]
    fn password_policy_in_the_terraform_shape() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::global(&s, Some("123456789012".into()));
        let p = PasswordPolicy::builder()
            .minimum_password_length(14)
            .require_symbols(true)
            .require_numbers(true)
            .require_uppercase_characters(true)
            .require_lowercase_characters(true)
            .allow_users_to_change_password(true)
            .password_reuse_prevention(24)
            .build();
        let r = password_policy(&c, &PasswordAnswer::Policy(p)).expect("policy");
        assert_eq!(
            r.id,
            "aws_iam_account_password_policy:global:iam-account-password-policy"
        );
        assert_eq!(r.physical_id.as_deref(), Some("iam-account-password-policy"));
        assert_eq!(
            r.attributes.to_json(),
            json!({
                "id": "iam-account-password-policy",
                "allow_users_to_change_password": true, "expire_passwords": false,
                "hard_expiry": false, "max_password_age": 0, "minimum_password_length": 14,
                "password_reuse_prevention": 24, "require_lowercase_characters": true,
                "require_numbers": true, "require_symbols": true, "require_uppercase_characters": true,
            })
        );
        let rules = [
            "aws-iam-password-min-length-14",
            "aws-iam-password-reuse-24",
            "aws-iam-password-symbol",
            "aws-iam-password-expiration",
        ];
        assert_eq!(
            verdicts(vec![r], &rules),
            vec![
                ("aws-iam-password-min-length-14".into(), Verdict::Pass),
                ("aws-iam-password-reuse-24".into(), Verdict::Pass),
                ("aws-iam-password-symbol".into(), Verdict::Pass),
                // Passwords never expire.
                ("aws-iam-password-expiration".into(), Verdict::Fail),
            ]
        );

        // No policy: no resource. A failed read: a data placeholder with every argument unknown.
        assert!(password_policy(&c, &PasswordAnswer::None).is_none());
        let r = password_policy(&c, &PasswordAnswer::Failed(denied("GetAccountPasswordPolicy")))
            .expect("placeholder");
        assert_eq!(r.mode, attest_core::Mode::Data);
        assert_eq!(r.id, "aws_iam_account_password_policy:global:unreadable");
        assert_eq!(
            r.attr("minimum_password_length"),
            &Value::Unknown("AccessDenied on iam:GetAccountPasswordPolicy".into())
        );
    }
}

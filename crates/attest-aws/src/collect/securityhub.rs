//! Security Hub `DescribeHub` → `aws_securityhub_account` and `GetEnabledStandards` →
//! `aws_securityhub_standards_subscription`.
//!
//! `aws_securityhub_account` exists in a region exactly when Security Hub is enabled there:
//! `DescribeHub` answering `InvalidAccessException` ("not subscribed to AWS Security Hub") means
//! not enabled, which is no resource and no error. Any other failure is reported and leaves a
//! placeholder hub (every attribute unknown), so "Security Hub is enabled" says unknown for that
//! region. Standards are read only for an enabled hub; a failed `GetEnabledStandards` leaves a
//! placeholder subscription. Subscriptions being deleted are left out.

use aws_sdk_securityhub::operation::describe_hub::DescribeHubOutput;
use aws_sdk_securityhub::types::{StandardsStatus, StandardsSubscription};
use serde_json::{json, Map};

use attest_core::{LoadOutput, Reference, Resource};

use super::{drain, placeholder};
use crate::api::ApiError;
use crate::ctx::{client, Ctx};

const HUB: &str = "aws_securityhub_account";
const SUBSCRIPTION: &str = "aws_securityhub_standards_subscription";

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let sh = client!(c.session, aws_sdk_securityhub, "securityhub");
    let mut out = LoadOutput::default();
    let hub = match sh.describe_hub().send().await {
        Ok(h) => h,
        Err(e) => {
            let e = ApiError::from_sdk(&e);
            if !not_enabled(&e) {
                out.errors.push(c.error("securityhub", "DescribeHub", &e.message));
                out.resources.push(placeholder(
                    c,
                    HUB,
                    &["arn", "auto_enable_controls", "control_finding_generator"],
                    &e.unknown_reason("securityhub", "DescribeHub"),
                ));
            }
            return out;
        }
    };
    out.resources.push(hub_resource(c, &hub));
    let (subscriptions, err) = drain(sh.get_enabled_standards().into_paginator().items().send()).await;
    if let Some(e) = err {
        out.errors
            .push(c.error("securityhub", "GetEnabledStandards", &e.message));
        out.resources.push(placeholder(
            c,
            SUBSCRIPTION,
            &["standards_arn"],
            &e.unknown_reason("securityhub", "GetEnabledStandards"),
        ));
    }
    out.resources
        .extend(subscriptions.iter().filter_map(|s| subscription(c, s)));
    out
}

/// Whether a `DescribeHub` failure means Security Hub is not enabled in the region.
fn not_enabled(e: &ApiError) -> bool {
    e.code == "InvalidAccessException" || e.message.contains("not subscribed to AWS Security Hub")
}

/// The hub of an account in a region; Terraform's `id` is the account id.
pub fn hub_resource(c: &Ctx<'_>, h: &DescribeHubOutput) -> Resource {
    let arn = h
        .hub_arn()
        .map(str::to_string)
        .or_else(|| c.arn("securityhub", "hub/default"));
    let account = c.account.clone();
    let mut a = Map::new();
    a.insert("id".into(), json!(account));
    a.insert("arn".into(), json!(arn));
    a.insert("auto_enable_controls".into(), json!(h.auto_enable_controls()));
    a.insert(
        "control_finding_generator".into(),
        json!(h.control_finding_generator().map(|g| g.as_str())),
    );
    let rid = arn.unwrap_or_else(|| c.local_id(HUB, "default"));
    c.resource(rid, HUB, account.as_deref(), a)
}

pub fn subscription(c: &Ctx<'_>, s: &StandardsSubscription) -> Option<Resource> {
    if s.standards_status() == Some(&StandardsStatus::Deleting) {
        return None;
    }
    let arn = s.standards_subscription_arn()?;
    let mut a = Map::new();
    a.insert("id".into(), json!(arn));
    a.insert("standards_arn".into(), json!(s.standards_arn()));
    Some(c.resource(arn.to_string(), SUBSCRIPTION, Some(arn), a))
}

/// Security Hub resources refer to nothing the rules follow.
pub fn link(out: &LoadOutput) -> Vec<Reference> {
    let _ = out;
    Vec::new()
}

#[cfg(test)]
mod tests {
    use aws_sdk_securityhub::types::ControlFindingGenerator;

    use super::*;
    use crate::ctx::Session;

    #[test]
    fn hub_and_subscriptions() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let h = DescribeHubOutput::builder()
            .hub_arn("arn:aws:securityhub:us-east-1:123456789012:hub/default")
            .auto_enable_controls(true)
            .control_finding_generator(ControlFindingGenerator::SecurityControl)
            .build();
        let r = hub_resource(&c, &h);
        assert_eq!(r.id, "arn:aws:securityhub:us-east-1:123456789012:hub/default");
        assert_eq!(r.physical_id.as_deref(), Some("123456789012"));
        assert_eq!(r.attr("id").as_str(), Some("123456789012"));
        assert_eq!(
            r.attr("control_finding_generator").as_str(),
            Some("SECURITY_CONTROL")
        );

        let arn =
            "arn:aws:securityhub:us-east-1:123456789012:subscription/cis-aws-foundations-benchmark/v/1.4.0";
        let ready = StandardsSubscription::builder()
            .standards_subscription_arn(arn)
            .standards_arn("arn:aws:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/1.4.0")
            .standards_status(StandardsStatus::Ready)
            .build();
        let r = subscription(&c, &ready).expect("subscription");
        assert_eq!(r.id, arn);
        let deleting = StandardsSubscription::builder()
            .standards_subscription_arn(arn)
            .standards_status(StandardsStatus::Deleting)
            .build();
        assert!(subscription(&c, &deleting).is_none());
    }

    #[test]
    fn not_subscribed_is_not_an_error() {
        let off = ApiError {
            code: "InvalidAccessException".into(),
            message: "InvalidAccessException: Account 123456789012 is not subscribed to AWS Security Hub"
                .into(),
        };
        assert!(not_enabled(&off));
        let denied = ApiError {
            code: "AccessDeniedException".into(),
            message: "AccessDeniedException: not allowed".into(),
        };
        assert!(!not_enabled(&denied));
    }
}

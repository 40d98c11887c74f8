//! GuardDuty `ListDetectors` and `GetDetector` → `aws_guardduty_detector` (`enable`,
//! `finding_publishing_frequency`).
//!
//! A region has at most one detector: a failed `ListDetectors` adds a placeholder detector (every
//! attribute unknown), so that "GuardDuty is on in every region" cannot pass or fail on a region
//! that could not be read. A failed `GetDetector` keeps the detector with `enable` and
//! `finding_publishing_frequency` unknown.

use aws_sdk_guardduty::operation::get_detector::GetDetectorOutput;
use aws_sdk_guardduty::types::DetectorStatus;
use futures::StreamExt;
use serde_json::{json, Map};

use attest_core::{LoadOutput, Reference, Resource};

use super::{drain, placeholder, unknown};
use crate::api::ApiError;
use crate::ctx::{client, Ctx};

const TYPE: &str = "aws_guardduty_detector";

/// `GetDetector` calls in flight at once.
const CONCURRENCY: usize = 4;

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let gd = client!(c.session, aws_sdk_guardduty, "guardduty");
    let (ids, err) = drain(gd.list_detectors().into_paginator().items().send()).await;
    let mut out = LoadOutput::default();
    if let Some(e) = err {
        out.errors.push(c.error("guardduty", "ListDetectors", &e.message));
        out.resources.push(placeholder(
            c,
            TYPE,
            &["enable", "finding_publishing_frequency"],
            &e.unknown_reason("guardduty", "ListDetectors"),
        ));
    }
    let gd = &gd;
    let read: Vec<(String, Result<GetDetectorOutput, ApiError>)> = futures::stream::iter(ids)
        .map(|id| async move {
            let r = gd
                .get_detector()
                .detector_id(&id)
                .send()
                .await
                .map_err(|e| ApiError::from_sdk(&e));
            (id, r)
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    for (id, r) in read {
        if let Err(e) = &r {
            out.errors.push(c.error(
                "guardduty",
                "GetDetector",
                format!("detector {id}: {}", e.message),
            ));
        }
        out.resources.push(detector(c, &id, r.as_ref()));
    }
    out
}

pub fn detector(c: &Ctx<'_>, id: &str, got: Result<&GetDetectorOutput, &ApiError>) -> Resource {
    let arn = c.arn("guardduty", &format!("detector/{id}"));
    let mut a = Map::new();
    a.insert("id".into(), json!(id));
    a.insert("arn".into(), json!(arn));
    a.insert("account_id".into(), json!(c.account));
    match got {
        Ok(d) => {
            a.insert(
                "enable".into(),
                json!(d.status() == Some(&DetectorStatus::Enabled)),
            );
            a.insert(
                "finding_publishing_frequency".into(),
                json!(d.finding_publishing_frequency().map(|f| f.as_str())),
            );
        }
        Err(e) => {
            let reason = e.unknown_reason("guardduty", "GetDetector");
            a.insert("enable".into(), unknown(&reason));
            a.insert("finding_publishing_frequency".into(), unknown(&reason));
        }
    }
    let rid = arn.unwrap_or_else(|| c.local_id(TYPE, id));
    c.resource(rid, TYPE, Some(id), a)
}

/// Detectors refer to nothing the rules follow.
pub fn link(out: &LoadOutput) -> Vec<Reference> {
    let _ = out;
    Vec::new()
}

#[cfg(test)]
mod tests {
    use aws_sdk_guardduty::types::FindingPublishingFrequency;

    use super::*;
    use crate::ctx::Session;

    #[test]
    fn detector_status_and_denied_read() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let on = GetDetectorOutput::builder()
            .status(DetectorStatus::Enabled)
            .finding_publishing_frequency(FindingPublishingFrequency::FifteenMinutes)
            .build();
        let r = detector(&c, "d1", Ok(&on));
        assert_eq!(r.id, "arn:aws:guardduty:us-east-1:123456789012:detector/d1");
        assert_eq!(r.physical_id.as_deref(), Some("d1"));
        assert_eq!(r.attr("enable").as_bool(), Some(true));
        assert_eq!(
            r.attr("finding_publishing_frequency").as_str(),
            Some("FIFTEEN_MINUTES")
        );
        let off = GetDetectorOutput::builder()
            .status(DetectorStatus::Disabled)
            .build();
        assert_eq!(detector(&c, "d2", Ok(&off)).attr("enable").as_bool(), Some(false));
        let denied = ApiError {
            code: "AccessDeniedException".into(),
            message: "no".into(),
        };
        let r = detector(&c, "d3", Err(&denied));
        assert_eq!(
            r.attr("enable"),
            &attest_core::Value::Unknown("AccessDeniedException on guardduty:GetDetector".into())
        );
    }
}

//! AWS Config `DescribeConfigurationRecorders` → `aws_config_configuration_recorder`,
//! `DescribeConfigurationRecorderStatus` → `aws_config_configuration_recorder_status` and
//! `DescribeDeliveryChannels` → `aws_config_delivery_channel`.
//!
//! The recorder is a region-level singleton that account-level rules look for ("a recorder
//! records every resource type and is on"), so a failed listing never reads as "no recorder":
//! - recorders unreadable → a placeholder `aws_config_configuration_recorder` (every attribute
//!   the rules read unknown);
//! - statuses unreadable → one status per listed recorder with `is_enabled` unknown, or a
//!   placeholder status when the recorders are unreadable too.
//!
//! A delivery channel failure is reported and nothing stands in for it: no rule looks for one.

use aws_sdk_config::types::{
    ConfigurationRecorder, ConfigurationRecorderStatus, DeliveryChannel, RecordingGroup, RecordingMode,
};
use serde_json::{json, Map, Value as Json};

use attest_core::{LoadOutput, Mode, Reference, Resource};

use super::{placeholder, unknown};
use crate::api::ApiError;
use crate::ctx::{client, Ctx};

const RECORDER: &str = "aws_config_configuration_recorder";
const STATUS: &str = "aws_config_configuration_recorder_status";
const CHANNEL: &str = "aws_config_delivery_channel";

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let config = client!(c.session, aws_sdk_config, "config");
    let (recorders, statuses, channels) = tokio::join!(
        config.describe_configuration_recorders().send(),
        config.describe_configuration_recorder_status().send(),
        config.describe_delivery_channels().send(),
    );
    let mut out = LoadOutput::default();
    let recorders = recorders
        .map(|o| o.configuration_recorders.unwrap_or_default())
        .map_err(|e| ApiError::from_sdk(&e));
    let statuses = statuses
        .map(|o| o.configuration_recorders_status.unwrap_or_default())
        .map_err(|e| ApiError::from_sdk(&e));
    match &recorders {
        Ok(list) => out.resources.extend(list.iter().filter_map(|r| recorder(c, r))),
        Err(e) => {
            out.errors
                .push(c.error("config", "DescribeConfigurationRecorders", &e.message));
            out.resources.push(placeholder(
                c,
                RECORDER,
                &["name", "role_arn", "recording_group"],
                &e.unknown_reason("config", "DescribeConfigurationRecorders"),
            ));
        }
    }
    match &statuses {
        Ok(list) => out.resources.extend(list.iter().filter_map(|s| status(c, s))),
        Err(e) => {
            out.errors
                .push(c.error("config", "DescribeConfigurationRecorderStatus", &e.message));
            let reason = e.unknown_reason("config", "DescribeConfigurationRecorderStatus");
            match &recorders {
                Ok(list) => out.resources.extend(
                    list.iter()
                        .filter_map(|r| r.name())
                        .map(|name| unread_status(c, name, &reason)),
                ),
                Err(_) => out
                    .resources
                    .push(placeholder(c, STATUS, &["name", "is_enabled"], &reason)),
            }
        }
    }
    match channels {
        Ok(o) => out
            .resources
            .extend(o.delivery_channels().iter().filter_map(|d| channel(c, d))),
        Err(e) => {
            let e = ApiError::from_sdk(&e);
            out.errors
                .push(c.error("config", "DescribeDeliveryChannels", e.message));
        }
    }
    out
}

/// A recorder as Terraform shows it: `recording_group` and `recording_mode` as one-element
/// block lists.
pub fn recorder(c: &Ctx<'_>, r: &ConfigurationRecorder) -> Option<Resource> {
    let name = r.name()?;
    let mut a = Map::new();
    a.insert("id".into(), json!(name));
    a.insert("name".into(), json!(name));
    a.insert("role_arn".into(), json!(r.role_arn().unwrap_or_default()));
    a.insert(
        "recording_group".into(),
        json!(r
            .recording_group()
            .map(recording_group)
            .into_iter()
            .collect::<Vec<_>>()),
    );
    a.insert(
        "recording_mode".into(),
        json!(r
            .recording_mode()
            .map(recording_mode)
            .into_iter()
            .collect::<Vec<_>>()),
    );
    let rid = r
        .arn()
        .map(str::to_string)
        .unwrap_or_else(|| c.local_id(RECORDER, name));
    Some(c.resource(rid, RECORDER, Some(name), a))
}

fn recording_group(g: &RecordingGroup) -> Json {
    let types = |list: &[aws_sdk_config::types::ResourceType]| -> Vec<String> {
        list.iter().map(|t| t.as_str().to_string()).collect()
    };
    json!({
        "all_supported": g.all_supported(),
        "include_global_resource_types": g.include_global_resource_types(),
        "resource_types": types(g.resource_types()),
        "exclusion_by_resource_types": g
            .exclusion_by_resource_types()
            .map(|e| json!([{"resource_types": types(e.resource_types())}]))
            .unwrap_or_else(|| json!([])),
        "recording_strategy": g
            .recording_strategy()
            .map(|s| json!([{"use_only": s.use_only().map(|u| u.as_str())}]))
            .unwrap_or_else(|| json!([])),
    })
}

fn recording_mode(m: &RecordingMode) -> Json {
    let overrides: Vec<Json> = m
        .recording_mode_overrides()
        .iter()
        .map(|o| {
            json!({
                "description": o.description(),
                "recording_frequency": o.recording_frequency().as_str(),
                "resource_types": o
                    .resource_types()
                    .iter()
                    .map(|t| t.as_str())
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "recording_frequency": m.recording_frequency().as_str(),
        "recording_mode_override": overrides,
    })
}

/// Whether a recorder is recording.
pub fn status(c: &Ctx<'_>, s: &ConfigurationRecorderStatus) -> Option<Resource> {
    let name = s.name()?;
    let mut a = Map::new();
    a.insert("id".into(), json!(name));
    a.insert("name".into(), json!(name));
    a.insert("is_enabled".into(), json!(s.recording()));
    Some(c.resource(c.local_id(STATUS, name), STATUS, Some(name), a))
}

/// The status of a listed recorder whose status could not be read.
fn unread_status(c: &Ctx<'_>, name: &str, reason: &str) -> Resource {
    let mut a = Map::new();
    a.insert("id".into(), json!(name));
    a.insert("name".into(), json!(name));
    a.insert("is_enabled".into(), unknown(reason));
    c.resource(c.local_id(STATUS, name), STATUS, Some(name), a)
}

pub fn channel(c: &Ctx<'_>, d: &DeliveryChannel) -> Option<Resource> {
    let name = d.name()?;
    let mut a = Map::new();
    a.insert("id".into(), json!(name));
    a.insert("name".into(), json!(name));
    a.insert("s3_bucket_name".into(), json!(d.s3_bucket_name()));
    a.insert("s3_key_prefix".into(), json!(d.s3_key_prefix()));
    a.insert("s3_kms_key_arn".into(), json!(d.s3_kms_key_arn()));
    a.insert("sns_topic_arn".into(), json!(d.sns_topic_arn()));
    a.insert(
        "snapshot_delivery_properties".into(),
        json!(d
            .config_snapshot_delivery_properties()
            .map(|p| json!({"delivery_frequency": p.delivery_frequency().map(|f| f.as_str())}))
            .into_iter()
            .collect::<Vec<_>>()),
    );
    Some(c.resource(c.local_id(CHANNEL, name), CHANNEL, Some(name), a))
}

/// Recorder status → the recorder it turns on (by name, same account and region).
pub fn link(out: &LoadOutput) -> Vec<Reference> {
    use std::collections::HashMap;
    let scope = |r: &Resource| {
        (
            r.provenance.account.clone().unwrap_or_default(),
            r.provenance.region.clone().unwrap_or_default(),
        )
    };
    let mut recorders: HashMap<(String, String, &str), &str> = HashMap::new();
    for r in out
        .resources
        .iter()
        .filter(|r| r.mode == Mode::Managed && r.resource_type == RECORDER)
    {
        if let Some(name) = r.attr("name").as_str() {
            let (account, region) = scope(r);
            recorders.insert((account, region, name), &r.id);
        }
    }
    out.resources
        .iter()
        .filter(|r| r.mode == Mode::Managed && r.resource_type == STATUS)
        .filter_map(|s| {
            let (account, region) = scope(s);
            let name = s.attr("name").as_str()?;
            let to = recorders.get(&(account, region, name))?;
            Some(Reference {
                from: s.id.clone(),
                path: "name".into(),
                to: (*to).to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use aws_sdk_config::types::{RecordingStrategy, RecordingStrategyType, ResourceType};
    use serde_json::json;

    use super::*;
    use crate::ctx::Session;

    #[test]
    fn recorder_status_and_channel_shapes() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let r = ConfigurationRecorder::builder()
            .name("default")
            .role_arn("arn:aws:iam::123456789012:role/config")
            .recording_group(
                RecordingGroup::builder()
                    .all_supported(true)
                    .include_global_resource_types(true)
                    .recording_strategy(
                        RecordingStrategy::builder()
                            .use_only(RecordingStrategyType::AllSupportedResourceTypes)
                            .build(),
                    )
                    .build(),
            )
            .build();
        let rec = recorder(&c, &r).expect("recorder");
        assert_eq!(rec.id, "aws_config_configuration_recorder:us-east-1:default");
        assert_eq!(
            rec.attr("recording_group").to_json(),
            json!([{
                "all_supported": true,
                "include_global_resource_types": true,
                "resource_types": [],
                "exclusion_by_resource_types": [],
                "recording_strategy": [{"use_only": "ALL_SUPPORTED_RESOURCE_TYPES"}],
            }])
        );
        assert_eq!(rec.attr("recording_mode").to_json(), json!([]));
        let some = RecordingGroup::builder()
            .all_supported(false)
            .resource_types(ResourceType::Bucket)
            .build();
        assert_eq!(
            recording_group(&some)["resource_types"],
            json!(["AWS::S3::Bucket"])
        );

        let st = status(
            &c,
            &ConfigurationRecorderStatus::builder()
                .name("default")
                .recording(true)
                .build(),
        )
        .expect("status");
        assert_eq!(st.attr("is_enabled").as_bool(), Some(true));

        let ch = channel(
            &c,
            &DeliveryChannel::builder()
                .name("default")
                .s3_bucket_name("config-bucket")
                .build(),
        )
        .expect("channel");
        assert_eq!(ch.attr("s3_bucket_name").as_str(), Some("config-bucket"));

        let out = LoadOutput {
            resources: vec![rec, st],
            ..Default::default()
        };
        let refs = link(&out);
        assert_eq!(refs.len(), 1);
        assert_eq!(refs[0].to, "aws_config_configuration_recorder:us-east-1:default");
        assert_eq!(refs[0].path, "name");
    }

    #[test]
    fn unreadable_status_is_unknown_not_off() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let e = ApiError {
            code: "AccessDeniedException".into(),
            message: "no".into(),
        };
        let reason = e.unknown_reason("config", "DescribeConfigurationRecorderStatus");
        let st = unread_status(&c, "default", &reason);
        assert_eq!(
            st.attr("is_enabled"),
            &attest_core::Value::Unknown(
                "AccessDeniedException on config:DescribeConfigurationRecorderStatus".into()
            )
        );
        assert_eq!(st.mode, Mode::Managed);
        let p = placeholder(&c, RECORDER, &["name", "recording_group"], &reason);
        assert_eq!(p.id, "aws_config_configuration_recorder:us-east-1:unreadable");
        assert_eq!(p.mode, Mode::Data);
        assert!(p.attr("recording_group").is_unknown());
    }
}

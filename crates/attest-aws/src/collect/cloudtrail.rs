//! CloudTrail `DescribeTrails` → `aws_cloudtrail`, completed per trail by `GetTrailStatus`
//! (`enable_logging`) and `GetEventSelectors` (`event_selector`, `advanced_event_selector`).
//!
//! Each trail is emitted once, in its home region: `DescribeTrails` is asked for shadow trails
//! too (a multi-region trail's copies in other regions, and an organization trail as member
//! accounts see it), and a region keeps only the trails whose home region it is. A trail whose
//! home region is not among the regions scanned (a multi-region or organization trail living
//! elsewhere) is kept by the first scanned region, so that a scan of some regions still sees the
//! trails that cover them. Per-trail calls go to the trail's home region, by ARN.
//!
//! A failed `GetTrailStatus` leaves `enable_logging` unknown; a failed `GetEventSelectors` leaves
//! both selector blocks unknown. A failed `DescribeTrails` adds a placeholder `aws_cloudtrail`
//! (account-level rules such as "a multi-region trail logs all management events" then say
//! unknown rather than judge the trails of the other regions alone).
//!
//! The resource id is the trail's ARN, except for an organization trail read from a member
//! account (its ARN names the management account): `aws_cloudtrail:<region>:<ARN>`, so that
//! several member accounts read together do not repeat one id.
//!
//! As Terraform shows them: `id` is the trail's ARN, `cloud_watch_logs_group_arn` keeps the API's
//! `:*` suffix, `sns_topic_name` is the topic's name when it lives in the trail's home region and
//! account (else its ARN), and a single default event selector (all management events, reads and
//! writes, no data resources) reads as no `event_selector` block at all.

use aws_sdk_cloudtrail::operation::get_event_selectors::GetEventSelectorsOutput;
use aws_sdk_cloudtrail::operation::get_trail_status::GetTrailStatusOutput;
use aws_sdk_cloudtrail::types::{AdvancedEventSelector, EventSelector, ReadWriteType, Trail};
use futures::StreamExt;
use serde_json::{json, Map, Value as Json};

use attest_core::{LoadOutput, Mode, Reference, Resource};

use super::{placeholder, unknown};
use crate::api::ApiError;
use crate::ctx::{client, Ctx};

const TYPE: &str = "aws_cloudtrail";

/// Trails read at once (two calls each).
const CONCURRENCY: usize = 8;

/// What the rules read of a trail, unknown on the placeholder of an unreadable listing.
const PLACEHOLDER_ATTRS: &[&str] = &[
    "name",
    "s3_bucket_name",
    "is_multi_region_trail",
    "include_global_service_events",
    "enable_log_file_validation",
    "enable_logging",
    "kms_key_id",
    "cloud_watch_logs_group_arn",
    "event_selector",
    "advanced_event_selector",
];

/// A listed trail with the answers of its two per-trail calls.
type TrailRead = (
    Trail,
    Result<GetTrailStatusOutput, ApiError>,
    Result<GetEventSelectorsOutput, ApiError>,
);

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let ct = client!(c.session, aws_sdk_cloudtrail, "cloudtrail");
    let mut out = LoadOutput::default();
    let trails = match ct.describe_trails().include_shadow_trails(true).send().await {
        Ok(o) => o.trail_list.unwrap_or_default(),
        Err(e) => {
            let e = ApiError::from_sdk(&e);
            out.errors
                .push(c.error("cloudtrail", "DescribeTrails", &e.message));
            out.resources.push(placeholder(
                c,
                TYPE,
                PLACEHOLDER_ATTRS,
                &e.unknown_reason("cloudtrail", "DescribeTrails"),
            ));
            return out;
        }
    };
    let ct = &ct;
    let read: Vec<TrailRead> = futures::stream::iter(trails.into_iter().filter(|t| read_here(c, t)))
        .map(|t| async move {
            let id = t.trail_arn().or(t.name()).unwrap_or_default().to_string();
            let home = t.home_region().unwrap_or(&c.region);
            let elsewhere;
            let client = if home == c.region {
                ct
            } else {
                let s = c.session.in_region(home);
                elsewhere = client!(s, aws_sdk_cloudtrail, "cloudtrail");
                &elsewhere
            };
            let (status, selectors) = tokio::join!(
                client.get_trail_status().name(&id).send(),
                client.get_event_selectors().trail_name(&id).send(),
            );
            (
                t,
                status.map_err(|e| ApiError::from_sdk(&e)),
                selectors.map_err(|e| ApiError::from_sdk(&e)),
            )
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    for (t, status, selectors) in read {
        let name = t.name().unwrap_or_default();
        if let Err(e) = &status {
            out.errors.push(c.error(
                "cloudtrail",
                "GetTrailStatus",
                format!("trail {name}: {}", e.message),
            ));
        }
        if let Err(e) = &selectors {
            out.errors.push(c.error(
                "cloudtrail",
                "GetEventSelectors",
                format!("trail {name}: {}", e.message),
            ));
        }
        out.resources
            .extend(trail(c, &t, status.as_ref(), selectors.as_ref()));
    }
    out
}

/// Whether this region reports the trail: its home region, or the first scanned region when the
/// home region is not scanned.
fn read_here(c: &Ctx<'_>, t: &Trail) -> bool {
    let first = c.regions.iter().min() == Some(&c.region);
    match t.home_region() {
        // Without a home region a trail listed everywhere is reported once.
        None => first || t.is_multi_region_trail() != Some(true),
        Some(home) if home == c.region => true,
        Some(home) => first && !c.regions.iter().any(|r| r == home),
    }
}

/// A trail from `DescribeTrails`, with what its status and selectors tell (or those attributes
/// unknown when the call failed).
pub fn trail(
    c: &Ctx<'_>,
    t: &Trail,
    status: Result<&GetTrailStatusOutput, &ApiError>,
    selectors: Result<&GetEventSelectorsOutput, &ApiError>,
) -> Option<Resource> {
    let name = t.name()?;
    let home = t.home_region().unwrap_or(&c.region);
    let arn = t.trail_arn().map(str::to_string).or_else(|| {
        let account = c.account.as_deref()?;
        Some(format!(
            "arn:{}:cloudtrail:{home}:{account}:trail/{name}",
            c.partition()
        ))
    });
    let mut a = Map::new();
    a.insert("id".into(), json!(arn.as_deref().unwrap_or(name)));
    a.insert("arn".into(), json!(arn));
    a.insert("name".into(), json!(name));
    a.insert("home_region".into(), json!(home));
    a.insert("s3_bucket_name".into(), json!(t.s3_bucket_name()));
    a.insert("s3_key_prefix".into(), json!(t.s3_key_prefix()));
    a.insert(
        "include_global_service_events".into(),
        json!(t.include_global_service_events()),
    );
    a.insert("is_multi_region_trail".into(), json!(t.is_multi_region_trail()));
    a.insert("is_organization_trail".into(), json!(t.is_organization_trail()));
    a.insert(
        "enable_log_file_validation".into(),
        json!(t.log_file_validation_enabled()),
    );
    a.insert("kms_key_id".into(), json!(non_empty(t.kms_key_id())));
    a.insert(
        "cloud_watch_logs_group_arn".into(),
        json!(non_empty(t.cloud_watch_logs_log_group_arn())),
    );
    a.insert(
        "cloud_watch_logs_role_arn".into(),
        json!(non_empty(t.cloud_watch_logs_role_arn())),
    );
    a.insert("sns_topic_arn".into(), json!(t.sns_topic_arn()));
    a.insert("sns_topic_name".into(), json!(sns_topic_name(c, home, t)));
    a.insert(
        "enable_logging".into(),
        match status {
            Ok(s) => match s.is_logging() {
                Some(on) => json!(on),
                None => unknown("GetTrailStatus answered without IsLogging"),
            },
            Err(e) => unknown(&e.unknown_reason("cloudtrail", "GetTrailStatus")),
        },
    );
    match selectors {
        Ok(s) => {
            a.insert("event_selector".into(), basic_selectors(s.event_selectors()));
            a.insert(
                "advanced_event_selector".into(),
                Json::Array(
                    s.advanced_event_selectors()
                        .iter()
                        .map(advanced_selector)
                        .collect(),
                ),
            );
        }
        Err(e) => {
            let reason = e.unknown_reason("cloudtrail", "GetEventSelectors");
            a.insert("event_selector".into(), unknown(&reason));
            a.insert("advanced_event_selector".into(), unknown(&reason));
        }
    }
    // An organization trail seen from a member account keeps the management account's ARN: its
    // id is qualified by the reading account, so that a scan of several member accounts does not
    // emit one id several times.
    let foreign = match (
        arn.as_deref().and_then(|a| a.split(':').nth(4)),
        c.account.as_deref(),
    ) {
        (Some(owner), Some(reader)) => owner != reader,
        _ => false,
    };
    let rid = match &arn {
        Some(arn) if !foreign => arn.clone(),
        Some(arn) => c.local_id(TYPE, arn),
        None => c.local_id(TYPE, name),
    };
    Some(c.resource(rid, TYPE, Some(arn.as_deref().unwrap_or(name)), a))
}

fn non_empty(v: Option<&str>) -> Option<&str> {
    v.filter(|s| !s.is_empty())
}

/// The topic's name when it lives in the trail's home region and account, else its ARN (as the
/// provider reads it).
fn sns_topic_name(c: &Ctx<'_>, home: &str, t: &Trail) -> Option<String> {
    let arn = t.sns_topic_arn()?;
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        [_, _, _, region, account, name]
            if *region == home && c.account.as_deref().is_none_or(|a| a == *account) =>
        {
            Some((*name).to_string())
        }
        _ => Some(arn.to_string()),
    }
}

/// `EventSelectors` as Terraform's `event_selector` blocks. The single default selector (what a
/// trail without custom selectors answers) is no block, as Terraform shows it.
fn basic_selectors(list: &[EventSelector]) -> Json {
    let is_default = |s: &EventSelector| {
        s.include_management_events() != Some(false)
            && matches!(s.read_write_type(), None | Some(ReadWriteType::All))
            && s.data_resources().is_empty()
            && s.exclude_management_event_sources().is_empty()
    };
    if let [only] = list {
        if is_default(only) {
            return json!([]);
        }
    }
    Json::Array(
        list.iter()
            .map(|s| {
                let data: Vec<Json> = s
                    .data_resources()
                    .iter()
                    .map(|d| json!({"type": d.r#type().unwrap_or_default(), "values": d.values()}))
                    .collect();
                json!({
                    "read_write_type": s.read_write_type().map(|r| r.as_str()).unwrap_or("All"),
                    "include_management_events": s.include_management_events().unwrap_or(true),
                    "exclude_management_event_sources": s.exclude_management_event_sources(),
                    "data_resource": data,
                })
            })
            .collect(),
    )
}

/// An `AdvancedEventSelector` as Terraform's `advanced_event_selector` block: the operators the
/// API answered, and only those.
fn advanced_selector(s: &AdvancedEventSelector) -> Json {
    let fields: Vec<Json> = s
        .field_selectors()
        .iter()
        .map(|f| {
            let mut m = Map::new();
            m.insert("field".into(), json!(f.field()));
            for (key, values) in [
                ("equals", f.equals.as_ref()),
                ("not_equals", f.not_equals.as_ref()),
                ("starts_with", f.starts_with.as_ref()),
                ("not_starts_with", f.not_starts_with.as_ref()),
                ("ends_with", f.ends_with.as_ref()),
                ("not_ends_with", f.not_ends_with.as_ref()),
            ] {
                if let Some(v) = values {
                    m.insert(key.into(), json!(v));
                }
            }
            Json::Object(m)
        })
        .collect();
    json!({"name": s.name().unwrap_or_default(), "field_selector": fields})
}

/// Trail → the S3 bucket it delivers to (by name: bucket names are global), the log group it
/// delivers to (by ARN, with or without `:*`) and the KMS key encrypting its logs (by ARN).
pub fn link(out: &LoadOutput) -> Vec<Reference> {
    use std::collections::HashMap;
    let mut buckets: HashMap<&str, &str> = HashMap::new();
    let mut groups: HashMap<&str, &str> = HashMap::new();
    let mut keys: HashMap<&str, &str> = HashMap::new();
    for r in out.resources.iter().filter(|r| r.mode == Mode::Managed) {
        match r.resource_type.as_str() {
            "aws_s3_bucket" => {
                if let Some(name) = r.attr("bucket").as_str().or(r.physical_id.as_deref()) {
                    buckets.insert(name, &r.id);
                }
            }
            "aws_cloudwatch_log_group" => {
                if let Some(arn) = r.attr("arn").as_str() {
                    groups.insert(arn.strip_suffix(":*").unwrap_or(arn), &r.id);
                }
            }
            "aws_kms_key" => {
                if let Some(arn) = r.attr("arn").as_str() {
                    keys.insert(arn, &r.id);
                }
            }
            _ => {}
        }
    }
    let mut refs = Vec::new();
    for t in out
        .resources
        .iter()
        .filter(|r| r.mode == Mode::Managed && r.resource_type == TYPE)
    {
        let mut to = |path: &str, target: Option<&&str>| {
            if let Some(target) = target {
                refs.push(Reference {
                    from: t.id.clone(),
                    path: path.to_string(),
                    to: (*target).to_string(),
                });
            }
        };
        if let Some(b) = t.attr("s3_bucket_name").as_str() {
            to("s3_bucket_name", buckets.get(b));
        }
        if let Some(g) = t.attr("cloud_watch_logs_group_arn").as_str() {
            to(
                "cloud_watch_logs_group_arn",
                groups.get(g.strip_suffix(":*").unwrap_or(g)),
            );
        }
        if let Some(k) = t.attr("kms_key_id").as_str() {
            to("kms_key_id", keys.get(k));
        }
    }
    refs
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use aws_sdk_cloudtrail::types::{AdvancedFieldSelector, DataResource};
    use serde_json::json;

    use super::*;
    use crate::ctx::Session;

    fn denied() -> ApiError {
        ApiError {
            code: "AccessDeniedException".into(),
            message: "not allowed".into(),
        }
    }

    fn main_trail() -> Trail {
        Trail::builder()
            .name("main")
            .trail_arn("arn:aws:cloudtrail:us-east-1:123456789012:trail/main")
            .home_region("us-east-1")
            .s3_bucket_name("trail-logs")
            .is_multi_region_trail(true)
            .include_global_service_events(true)
            .log_file_validation_enabled(true)
            .kms_key_id("arn:aws:kms:us-east-1:123456789012:key/k")
            .cloud_watch_logs_log_group_arn("arn:aws:logs:us-east-1:123456789012:log-group:trail:*")
            .sns_topic_arn("arn:aws:sns:us-east-1:123456789012:trail-topic")
            .build()
    }

    #[test]
    fn trail_with_status_and_selectors() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let status = GetTrailStatusOutput::builder().is_logging(true).build();
        let selectors = GetEventSelectorsOutput::builder()
            .event_selectors(
                EventSelector::builder()
                    .read_write_type(ReadWriteType::WriteOnly)
                    .include_management_events(true)
                    .data_resources(
                        DataResource::builder()
                            .r#type("AWS::S3::Object")
                            .values("arn:aws:s3")
                            .build(),
                    )
                    .build(),
            )
            .build();
        let r = trail(&c, &main_trail(), Ok(&status), Ok(&selectors)).expect("trail");
        assert_eq!(r.id, "arn:aws:cloudtrail:us-east-1:123456789012:trail/main");
        assert_eq!(r.physical_id.as_deref(), Some(r.id.as_str()));
        let a = r.attributes.to_json();
        assert_eq!(a["enable_logging"], json!(true));
        assert_eq!(a["is_multi_region_trail"], json!(true));
        assert_eq!(a["enable_log_file_validation"], json!(true));
        assert_eq!(a["sns_topic_name"], json!("trail-topic"));
        assert_eq!(
            a["cloud_watch_logs_group_arn"],
            json!("arn:aws:logs:us-east-1:123456789012:log-group:trail:*")
        );
        assert_eq!(
            a["event_selector"],
            json!([{
                "read_write_type": "WriteOnly",
                "include_management_events": true,
                "exclude_management_event_sources": [],
                "data_resource": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}],
            }])
        );
        assert_eq!(a["advanced_event_selector"], json!([]));
    }

    #[test]
    fn default_selector_reads_as_no_block_and_advanced_keeps_operators() {
        let default = [EventSelector::builder()
            .read_write_type(ReadWriteType::All)
            .include_management_events(true)
            .build()];
        assert_eq!(basic_selectors(&default), json!([]));
        // Management events turned off is not the default.
        let off = [EventSelector::builder()
            .read_write_type(ReadWriteType::All)
            .include_management_events(false)
            .build()];
        assert_eq!(
            basic_selectors(&off)[0]["include_management_events"],
            json!(false)
        );
        let adv = AdvancedEventSelector::builder()
            .name("s3")
            .field_selectors(
                AdvancedFieldSelector::builder()
                    .field("eventCategory")
                    .equals("Data")
                    .build()
                    .expect("field"),
            )
            .field_selectors(
                AdvancedFieldSelector::builder()
                    .field("resources.ARN")
                    .starts_with("arn:aws:s3:::")
                    .build()
                    .expect("field"),
            )
            .build()
            .expect("selector");
        assert_eq!(
            advanced_selector(&adv),
            json!({"name": "s3", "field_selector": [
                {"field": "eventCategory", "equals": ["Data"]},
                {"field": "resources.ARN", "starts_with": ["arn:aws:s3:::"]},
            ]})
        );
    }

    #[test]
    fn denied_calls_leave_their_attributes_unknown() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let r = trail(&c, &main_trail(), Err(&denied()), Err(&denied())).expect("trail");
        assert_eq!(
            r.attr("enable_logging"),
            &attest_core::Value::Unknown("AccessDeniedException on cloudtrail:GetTrailStatus".into())
        );
        assert!(r.attr("event_selector").is_unknown());
        assert!(r.attr("advanced_event_selector").is_unknown());
        // What DescribeTrails told stays known.
        assert_eq!(
            r.attr("kms_key_id").as_str(),
            Some("arn:aws:kms:us-east-1:123456789012:key/k")
        );
    }

    #[test]
    fn absent_settings_and_foreign_topics() {
        let s = Session::for_tests("eu-west-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let t = Trail::builder()
            .name("plain")
            .home_region("eu-west-1")
            .s3_bucket_name("b")
            .kms_key_id("")
            .sns_topic_arn("arn:aws:sns:us-east-1:123456789012:elsewhere")
            .build();
        let status = GetTrailStatusOutput::builder().is_logging(false).build();
        let sel = GetEventSelectorsOutput::builder().build();
        let r = trail(&c, &t, Ok(&status), Ok(&sel)).expect("trail");
        assert_eq!(r.id, "arn:aws:cloudtrail:eu-west-1:123456789012:trail/plain");
        assert!(r.attr("kms_key_id").is_null());
        assert!(r.attr("cloud_watch_logs_group_arn").is_null());
        assert_eq!(r.attr("enable_logging").as_bool(), Some(false));
        assert_eq!(
            r.attr("sns_topic_name").as_str(),
            Some("arn:aws:sns:us-east-1:123456789012:elsewhere")
        );
        assert_eq!(r.attr("event_selector").to_json(), json!([]));
    }

    #[test]
    fn organization_trails_of_another_account_get_a_local_id() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("444455556666".into()));
        let status = GetTrailStatusOutput::builder().is_logging(true).build();
        let sel = GetEventSelectorsOutput::builder().build();
        let org = Trail::builder()
            .name("org")
            .trail_arn("arn:aws:cloudtrail:us-east-1:123456789012:trail/org")
            .home_region("us-east-1")
            .is_organization_trail(true)
            .build();
        let r = trail(&c, &org, Ok(&status), Ok(&sel)).expect("trail");
        assert_eq!(
            r.id,
            "aws_cloudtrail:us-east-1:arn:aws:cloudtrail:us-east-1:123456789012:trail/org"
        );
        assert_eq!(
            r.physical_id.as_deref(),
            Some("arn:aws:cloudtrail:us-east-1:123456789012:trail/org")
        );
        assert_eq!(r.attr("is_organization_trail").as_bool(), Some(true));
    }

    #[test]
    fn each_trail_is_read_once_in_its_home_region() {
        let scanned = Arc::new(vec!["eu-west-1".to_string(), "us-east-1".to_string()]);
        let eu = Session::for_tests("eu-west-1");
        let us = Session::for_tests("us-east-1");
        let c_eu = Ctx::new(&eu, None).with_regions(scanned.clone());
        let c_us = Ctx::new(&us, None).with_regions(scanned);
        let home_us = Trail::builder().name("a").home_region("us-east-1").build();
        assert!(read_here(&c_us, &home_us));
        assert!(!read_here(&c_eu, &home_us));
        // Home region not scanned: the first scanned region reports it.
        let home_ap = Trail::builder().name("b").home_region("ap-south-1").build();
        assert!(read_here(&c_eu, &home_ap));
        assert!(!read_here(&c_us, &home_ap));
        // No home region reported: a multi-region trail is reported by the first region only.
        let homeless = Trail::builder().name("c").is_multi_region_trail(true).build();
        assert!(read_here(&c_eu, &homeless));
        assert!(!read_here(&c_us, &homeless));
    }

    #[test]
    fn links_to_bucket_log_group_and_key() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let status = GetTrailStatusOutput::builder().is_logging(true).build();
        let sel = GetEventSelectorsOutput::builder().build();
        let t = trail(&c, &main_trail(), Ok(&status), Ok(&sel)).expect("trail");
        let mut bucket = Map::new();
        bucket.insert("bucket".into(), json!("trail-logs"));
        let mut group = Map::new();
        group.insert(
            "arn".into(),
            json!("arn:aws:logs:us-east-1:123456789012:log-group:trail"),
        );
        let mut key = Map::new();
        key.insert("arn".into(), json!("arn:aws:kms:us-east-1:123456789012:key/k"));
        let out = LoadOutput {
            resources: vec![
                t,
                c.resource("b".into(), "aws_s3_bucket", Some("trail-logs"), bucket),
                c.resource("g".into(), "aws_cloudwatch_log_group", Some("trail"), group),
                c.resource("k".into(), "aws_kms_key", Some("k"), key),
            ],
            ..Default::default()
        };
        let mut refs: Vec<(String, String)> = link(&out).into_iter().map(|r| (r.path, r.to)).collect();
        refs.sort();
        assert_eq!(
            refs,
            vec![
                ("cloud_watch_logs_group_arn".to_string(), "g".to_string()),
                ("kms_key_id".to_string(), "k".to_string()),
                ("s3_bucket_name".to_string(), "b".to_string()),
            ]
        );
    }
}

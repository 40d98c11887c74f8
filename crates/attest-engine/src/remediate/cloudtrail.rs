//! CloudTrail trails: logging turned off → `StartLogging`; delivery, validation, encryption and
//! coverage settings → one `UpdateTrail` with the baseline's values; event selectors →
//! `PutEventSelectors` with the baseline's; a deleted trail → `CreateTrail` with the baseline's
//! settings, its selectors and `StartLogging`. An added trail can be deleted (`DeleteTrail`: its
//! delivered logs stay in their bucket).
//!
//! Left to a person: stopping a trail's logging (the baseline had it off: turning the audit trail
//! off is not done automatically), organization trails seen from a member account (they are
//! changed from the management account), trails whose home region is not the one the resource
//! was read in (CloudTrail changes a trail only from its home region), and renames.

use serde_json::{json, Map, Value};

use super::util::{fully_known, str_of, top};
use super::{Out, Step, Subject};
use crate::drift::DriftKind;

pub(super) const TYPES: &[&str] = &["aws_cloudtrail"];

/// Attributes `UpdateTrail` sets back, with their API parameter. `sns_topic_arn` follows
/// `sns_topic_name`; the two CloudWatch Logs parameters are always sent together.
const SETTINGS: &[(&str, &str)] = &[
    ("s3_bucket_name", "S3BucketName"),
    ("s3_key_prefix", "S3KeyPrefix"),
    ("sns_topic_name", "SnsTopicName"),
    ("include_global_service_events", "IncludeGlobalServiceEvents"),
    ("is_multi_region_trail", "IsMultiRegionTrail"),
    ("enable_log_file_validation", "EnableLogFileValidation"),
    ("kms_key_id", "KmsKeyId"),
    ("cloud_watch_logs_group_arn", "CloudWatchLogsLogGroupArn"),
    ("cloud_watch_logs_role_arn", "CloudWatchLogsRoleArn"),
];

const SELECTORS: &[&str] = &["event_selector", "advanced_event_selector"];

pub(super) fn plan(s: &Subject<'_>, out: &mut Out<'_>) {
    let base = s.attributes();
    if let Some(reason) = not_here(s) {
        return match s.drift.kind {
            DriftKind::Removed => out.manual(s, None, reason),
            _ => manual_paths(s, out, &paths(s, |_| true), &reason),
        };
    }
    let trail = str_of(base, "arn")
        .or_else(|| str_of(base, "name"))
        .map(str::to_string)
        .unwrap_or_else(|| s.physical_id());
    if s.drift.kind == DriftKind::Removed {
        return recreate(s, out);
    }
    let logging = paths(s, |t| t == "enable_logging");
    if !logging.is_empty() {
        start_logging(s, out, &trail, &logging, Step::Modify);
    }
    update(s, out, &trail);
    let selectors = paths(s, |t| SELECTORS.contains(&t));
    if !selectors.is_empty() {
        put_selectors(s, out, &trail, &selectors, Step::Modify);
    }
    let handled = |t: &str| {
        t == "enable_logging"
            || t == "sns_topic_arn"
            || SELECTORS.contains(&t)
            || SETTINGS.iter().any(|(a, _)| *a == t)
    };
    for p in paths(s, |t| !handled(t)) {
        out.manual(s, Some(p), other_reason(top(p)));
    }
}

/// An added trail: `DeleteTrail` (its logs stay in their bucket), unless it is an organization
/// trail of another account or lives in another region.
pub(super) fn delete(s: &Subject<'_>, out: &mut Out<'_>) -> bool {
    if not_here(s).is_some() {
        return false;
    }
    // By name: the trail is this account's and lives in this region, so its name is unambiguous.
    let Some(trail) = str_of(s.attributes(), "name") else {
        return false;
    };
    out.action(
        s,
        Step::DeleteAdded,
        &[],
        format!("delete trail {trail} (its delivered logs stay in their bucket)"),
        "cloudtrail",
        "DeleteTrail",
        json!({ "Name": trail }),
        None,
        None,
    );
    true
}

/// Why attest cannot change this trail from where it was read, if it cannot.
fn not_here(s: &Subject<'_>) -> Option<String> {
    let a = s.attributes();
    let owner = str_of(a, "arn").and_then(|arn| arn.split(':').nth(4));
    if let (Some(owner), Some(reader)) = (owner, s.drift.account.as_deref()) {
        if owner != reader {
            return Some(format!(
                "this trail belongs to account {owner} (an organization trail): change it from there"
            ));
        }
    }
    match (str_of(a, "home_region"), s.drift.region.as_deref()) {
        (Some(home), Some(region)) if home != region => Some(format!(
            "the trail's home region is {home}, which this environment does not scan: CloudTrail \
             changes a trail only from its home region"
        )),
        _ => None,
    }
}

fn name_of(s: &Subject<'_>) -> String {
    str_of(s.attributes(), "name")
        .map(str::to_string)
        .unwrap_or_else(|| s.physical_id())
}

/// The distinct change paths whose top-level attribute passes `keep`, in drift order.
fn paths<'a>(s: &'a Subject<'_>, keep: impl Fn(&str) -> bool) -> Vec<&'a str> {
    let mut out: Vec<&str> = s
        .changes()
        .iter()
        .map(|c| c.path.as_str())
        .filter(|p| keep(top(p)))
        .collect();
    out.dedup();
    out
}

fn manual_paths(s: &Subject<'_>, out: &mut Out<'_>, paths: &[&str], reason: &str) {
    for p in paths {
        out.manual(s, Some(p), reason);
    }
}

fn current(s: &Subject<'_>, attr: &str) -> Option<Value> {
    s.current.and_then(|r| r.attributes.get(attr)).cloned()
}

fn baseline(s: &Subject<'_>, attr: &str) -> Option<Value> {
    s.baseline.and_then(|r| r.attributes.get(attr)).cloned()
}

fn start_logging(s: &Subject<'_>, out: &mut Out<'_>, trail: &str, paths: &[&str], step: Step) {
    match baseline(s, "enable_logging").as_ref().and_then(Value::as_bool) {
        Some(true) => out.action(
            s,
            step,
            paths,
            format!("start logging of trail {}", name_of(s)),
            "cloudtrail",
            "StartLogging",
            json!({ "Name": trail }),
            current(s, "enable_logging"),
            Some(json!(true)),
        ),
        Some(false) => manual_paths(
            s,
            out,
            paths,
            "the baseline had this trail's logging off: attest does not stop an audit trail; stop \
             it yourself (StopLogging) if that is intended",
        ),
        None => manual_paths(s, out, paths, "the baseline's logging state is not known"),
    }
}

/// A baseline setting as its `UpdateTrail`/`CreateTrail` parameter: strings as they are (absent:
/// empty, which removes the setting), booleans as they are; `None` when not known.
fn setting(s: &Subject<'_>, attr: &str) -> Option<Value> {
    match baseline(s, attr) {
        None | Some(Value::Null) if attr != "s3_bucket_name" && !is_bool(attr) => Some(json!("")),
        Some(v @ (Value::String(_) | Value::Bool(_))) => Some(v),
        _ => None,
    }
}

fn is_bool(attr: &str) -> bool {
    matches!(
        attr,
        "include_global_service_events" | "is_multi_region_trail" | "enable_log_file_validation"
    )
}

/// One `UpdateTrail` for every changed setting.
fn update(s: &Subject<'_>, out: &mut Out<'_>, trail: &str) {
    let changed = |attr: &str| s.changes().iter().any(|c| top(&c.path) == attr);
    let mut attrs: Vec<&str> = SETTINGS
        .iter()
        .map(|(a, _)| *a)
        .filter(|a| changed(a) || (*a == "sns_topic_name" && changed("sns_topic_arn")))
        .collect();
    // The log group and its role are set together.
    if attrs.iter().any(|a| a.starts_with("cloud_watch_logs_")) {
        attrs.retain(|a| !a.starts_with("cloud_watch_logs_"));
        attrs.extend(["cloud_watch_logs_group_arn", "cloud_watch_logs_role_arn"]);
    }
    if attrs.is_empty() {
        return;
    }
    let mut params = Map::new();
    params.insert("Name".into(), json!(trail));
    let (mut before, mut after) = (Map::new(), Map::new());
    let mut restored: Vec<&str> = Vec::new();
    let mut missing = false;
    for attr in &attrs {
        let covers = paths(s, |t| {
            t == *attr || (*attr == "sns_topic_name" && t == "sns_topic_arn")
        });
        match setting(s, attr) {
            Some(v) => {
                let param = SETTINGS
                    .iter()
                    .find(|(a, _)| a == attr)
                    .map(|(_, p)| *p)
                    .unwrap_or(attr);
                params.insert(param.into(), v);
                before.insert((*attr).into(), current(s, attr).unwrap_or(Value::Null));
                after.insert((*attr).into(), baseline(s, attr).unwrap_or(Value::Null));
                restored.extend(covers);
            }
            None => {
                missing = true;
                restored.extend(covers);
            }
        }
    }
    if restored.is_empty() {
        return;
    }
    if !missing {
        out.action(
            s,
            Step::Modify,
            &restored,
            format!("set {} of trail {} back", attrs.join(", "), name_of(s)),
            "cloudtrail",
            "UpdateTrail",
            Value::Object(params),
            Some(Value::Object(before)),
            Some(Value::Object(after)),
        );
    } else {
        // One setting not known spoils the call (the log group and role go together): all manual.
        manual_paths(
            s,
            out,
            &restored,
            "a setting of the baseline this call needs is not known: set the trail back yourself",
        );
    }
}

/// The baseline's selectors as `PutEventSelectors` parameters: advanced ones when the baseline has
/// them, else basic ones (the single default selector when the baseline shows none).
fn selector_params(s: &Subject<'_>, trail: &str) -> Option<Value> {
    let basic = baseline(s, "event_selector").unwrap_or(json!([]));
    let advanced = baseline(s, "advanced_event_selector").unwrap_or(json!([]));
    if !fully_known(&basic) || !fully_known(&advanced) {
        return None;
    }
    let (basic, advanced) = (basic.as_array()?, advanced.as_array()?);
    match (basic.is_empty(), advanced.is_empty()) {
        (true, false) => {
            let list: Option<Vec<Value>> = advanced.iter().map(advanced_selector).collect();
            Some(json!({"TrailName": trail, "AdvancedEventSelectors": list?}))
        }
        (false, true) => {
            let list: Option<Vec<Value>> = basic.iter().map(basic_selector).collect();
            Some(json!({"TrailName": trail, "EventSelectors": list?}))
        }
        (true, true) => Some(json!({"TrailName": trail, "EventSelectors": [{
            "ReadWriteType": "All",
            "IncludeManagementEvents": true,
            "DataResources": [],
            "ExcludeManagementEventSources": [],
        }]})),
        // CloudTrail takes one kind or the other, never both.
        (false, false) => None,
    }
}

fn basic_selector(v: &Value) -> Option<Value> {
    let data: Option<Vec<Value>> = v
        .get("data_resource")?
        .as_array()?
        .iter()
        .map(|d| Some(json!({"Type": str_of(d, "type")?, "Values": d.get("values")?.as_array()?})))
        .collect();
    Some(json!({
        "ReadWriteType": str_of(v, "read_write_type")?,
        "IncludeManagementEvents": v.get("include_management_events")?.as_bool()?,
        "ExcludeManagementEventSources": v.get("exclude_management_event_sources")?.as_array()?,
        "DataResources": data?,
    }))
}

fn advanced_selector(v: &Value) -> Option<Value> {
    const OPERATORS: &[(&str, &str)] = &[
        ("equals", "Equals"),
        ("not_equals", "NotEquals"),
        ("starts_with", "StartsWith"),
        ("not_starts_with", "NotStartsWith"),
        ("ends_with", "EndsWith"),
        ("not_ends_with", "NotEndsWith"),
    ];
    let fields: Option<Vec<Value>> = v
        .get("field_selector")?
        .as_array()?
        .iter()
        .map(|f| {
            let mut m = Map::new();
            m.insert("Field".into(), json!(str_of(f, "field")?));
            for (attr, param) in OPERATORS {
                if let Some(values) = f.get(*attr).filter(|x| !x.is_null()) {
                    m.insert((*param).into(), json!(values.as_array()?));
                }
            }
            Some(Value::Object(m))
        })
        .collect();
    let mut m = Map::new();
    if let Some(name) = str_of(v, "name").filter(|n| !n.is_empty()) {
        m.insert("Name".into(), json!(name));
    }
    m.insert("FieldSelectors".into(), json!(fields?));
    Some(Value::Object(m))
}

fn put_selectors(s: &Subject<'_>, out: &mut Out<'_>, trail: &str, paths: &[&str], step: Step) {
    let Some(params) = selector_params(s, trail) else {
        return manual_paths(
            s,
            out,
            paths,
            "the baseline's event selectors are not known (or mix basic and advanced ones)",
        );
    };
    let now = json!({
        "event_selector": current(s, "event_selector"),
        "advanced_event_selector": current(s, "advanced_event_selector"),
    });
    let then = json!({
        "event_selector": baseline(s, "event_selector"),
        "advanced_event_selector": baseline(s, "advanced_event_selector"),
    });
    out.action(
        s,
        step,
        paths,
        format!("put the baseline's event selectors on trail {}", name_of(s)),
        "cloudtrail",
        "PutEventSelectors",
        params,
        (step != Step::Restore).then_some(now),
        Some(then),
    );
}

/// A deleted trail: `CreateTrail` with the baseline's settings, then its selectors and logging.
fn recreate(s: &Subject<'_>, out: &mut Out<'_>) {
    let name = name_of(s);
    let base = s.attributes();
    if base.get("is_organization_trail").and_then(Value::as_bool) != Some(false) {
        return out.manual(
            s,
            None,
            "an organization trail (or one whose kind is not known) is re-created from the \
             management account: re-create it from code",
        );
    }
    let Some(bucket) = str_of(base, "s3_bucket_name") else {
        return out.manual(
            s,
            None,
            "the baseline's S3 bucket is not known: re-create the trail from code",
        );
    };
    let mut params = Map::new();
    params.insert("Name".into(), json!(name));
    params.insert("S3BucketName".into(), json!(bucket));
    for (attr, param) in SETTINGS.iter().skip(1) {
        match baseline(s, attr) {
            Some(Value::Bool(b)) => {
                params.insert((*param).into(), json!(b));
            }
            Some(Value::String(v)) => {
                if !v.is_empty() {
                    params.insert((*param).into(), json!(v));
                }
            }
            Some(Value::Null) | None if !is_bool(attr) => {}
            _ => {
                return out.manual(
                    s,
                    None,
                    format!("the baseline's {attr} is not known: re-create the trail from code"),
                );
            }
        }
    }
    out.action(
        s,
        Step::Restore,
        &[],
        format!("re-create trail {name} delivering to bucket {bucket} (its tags are not restored)"),
        "cloudtrail",
        "CreateTrail",
        Value::Object(params),
        None,
        Some(base.clone()),
    );
    let trail = str_of(base, "arn").unwrap_or(&name).to_string();
    let default = |attr: &str| baseline(s, attr).is_some_and(|v| v == json!([]));
    if !(default("event_selector") && default("advanced_event_selector")) {
        put_selectors(s, out, &trail, &[], Step::Restore);
    }
    match baseline(s, "enable_logging").as_ref().and_then(Value::as_bool) {
        Some(true) => start_logging(s, out, &trail, &[], Step::Restore),
        Some(false) => {}
        None => out.manual(
            s,
            Some("enable_logging"),
            "the baseline's logging state is not known: start logging yourself if it was on",
        ),
    }
}

fn other_reason(attr: &str) -> &'static str {
    match attr {
        "name" | "id" | "arn" => "a trail cannot be renamed: replace it",
        "home_region" => "a trail cannot move to another region: replace it",
        "is_organization_trail" => {
            "a trail becomes (or stops being) an organization trail only from the management \
             account: change it there"
        }
        _ => "attest has no automatic revert for this attribute of a trail",
    }
}

#[cfg(test)]
mod tests {
    use attest_core::{Snapshot, SnapshotResource};
    use serde_json::{json, Value};

    use crate::drift::{diff, Ignore};
    use crate::remediate::{plan, Plan, PlanOptions, Step};

    const ACCOUNT: &str = "123456789012";
    const ARN: &str = "arn:aws:cloudtrail:us-east-1:123456789012:trail/main";
    const GROUP: &str = "arn:aws:logs:us-east-1:123456789012:log-group:trail:*";
    const ROLE: &str = "arn:aws:iam::123456789012:role/trail";

    fn attrs(over: Value) -> Value {
        let mut a = json!({
            "id": ARN, "arn": ARN, "name": "main", "home_region": "us-east-1",
            "s3_bucket_name": "trail-logs", "s3_key_prefix": null,
            "include_global_service_events": true, "is_multi_region_trail": true,
            "is_organization_trail": false, "enable_log_file_validation": true,
            "kms_key_id": "arn:aws:kms:us-east-1:123456789012:key/k",
            "cloud_watch_logs_group_arn": GROUP, "cloud_watch_logs_role_arn": ROLE,
            "sns_topic_arn": null, "sns_topic_name": null,
            "enable_logging": true, "event_selector": [], "advanced_event_selector": [],
        });
        if let (Some(a), Some(o)) = (a.as_object_mut(), over.as_object()) {
            for (k, v) in o {
                a.insert(k.clone(), v.clone());
            }
        }
        a
    }

    fn snap(items: Vec<Value>) -> Snapshot {
        Snapshot::new(
            items
                .into_iter()
                .map(|a| SnapshotResource {
                    key: a["arn"].as_str().unwrap_or(ARN).to_string(),
                    resource_type: "aws_cloudtrail".into(),
                    physical_id: a["arn"].as_str().map(str::to_string),
                    account: Some(ACCOUNT.into()),
                    region: Some("us-east-1".into()),
                    attributes: a,
                })
                .collect(),
            vec![],
        )
    }

    fn run(base: &Snapshot, now: &Snapshot, opts: &PlanOptions) -> Plan {
        plan(&diff(base, now, &Ignore::none()), base, now, opts)
    }

    fn ops(p: &Plan) -> Vec<&str> {
        p.actions.iter().map(|a| a.call.operation.as_str()).collect()
    }

    #[test]
    fn logging_settings_and_selectors_are_restored() {
        let base = snap(vec![attrs(json!({}))]);
        let now = snap(vec![attrs(json!({
            "enable_logging": false,
            "is_multi_region_trail": false,
            "enable_log_file_validation": false,
            "kms_key_id": null,
            "cloud_watch_logs_group_arn": null,
            "cloud_watch_logs_role_arn": null,
            "event_selector": [{"read_write_type": "WriteOnly", "include_management_events": false,
                                "exclude_management_event_sources": [], "data_resource": []}],
        }))]);
        let p = run(&base, &now, &PlanOptions::default());
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        assert_eq!(ops(&p), ["StartLogging", "UpdateTrail", "PutEventSelectors"]);
        assert!(p
            .actions
            .iter()
            .all(|a| a.step == Step::Modify && a.call.service == "cloudtrail"));
        assert_eq!(p.actions[0].call.params, json!({"Name": ARN}));
        assert_eq!(p.actions[0].before, Some(json!(false)));
        assert_eq!(
            p.actions[1].call.params,
            json!({
                "Name": ARN,
                "IsMultiRegionTrail": true,
                "EnableLogFileValidation": true,
                "KmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/k",
                "CloudWatchLogsLogGroupArn": GROUP,
                "CloudWatchLogsRoleArn": ROLE,
            })
        );
        assert_eq!(
            p.actions[1].paths,
            [
                "is_multi_region_trail",
                "enable_log_file_validation",
                "kms_key_id",
                "cloud_watch_logs_group_arn",
                "cloud_watch_logs_role_arn"
            ]
        );
        assert_eq!(p.actions[1].before.as_ref().unwrap()["kms_key_id"], Value::Null);
        // The baseline had the default selector (no block): it is put back explicitly.
        assert_eq!(
            p.actions[2].call.params,
            json!({"TrailName": ARN, "EventSelectors": [{"ReadWriteType": "All",
                "IncludeManagementEvents": true, "DataResources": [], "ExcludeManagementEventSources": []}]})
        );
        assert_eq!(p.actions[2].paths, ["event_selector[]"]);
    }

    #[test]
    fn removed_settings_are_cleared_and_selectors_keep_their_kind() {
        let sel = json!([{"read_write_type": "All", "include_management_events": true,
                          "exclude_management_event_sources": ["kms.amazonaws.com"],
                          "data_resource": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}]}]);
        let base = snap(vec![attrs(
            json!({"kms_key_id": null, "cloud_watch_logs_group_arn": null,
                                          "cloud_watch_logs_role_arn": null, "event_selector": sel}),
        )]);
        let adv = json!([{"name": "s3", "field_selector": [
            {"field": "eventCategory", "equals": ["Data"]},
            {"field": "resources.ARN", "starts_with": ["arn:aws:s3:::b/"]}]}]);
        let now = snap(vec![attrs(
            json!({"cloud_watch_logs_group_arn": GROUP, "event_selector": [],
                                         "advanced_event_selector": adv.clone(),
                                         "sns_topic_name": "t", "sns_topic_arn": "arn:aws:sns:us-east-1:1:t"}),
        )]);
        let p = run(&base, &now, &PlanOptions::default());
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        assert_eq!(
            p.actions[0].call.params,
            json!({"Name": ARN, "SnsTopicName": "", "KmsKeyId": "",
                   "CloudWatchLogsLogGroupArn": "", "CloudWatchLogsRoleArn": ""})
        );
        assert_eq!(
            p.actions[0].paths,
            [
                "sns_topic_arn",
                "sns_topic_name",
                "kms_key_id",
                "cloud_watch_logs_group_arn",
                "cloud_watch_logs_role_arn"
            ]
        );
        assert_eq!(
            p.actions[1].call.params,
            json!({"TrailName": ARN, "EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": true,
                "ExcludeManagementEventSources": ["kms.amazonaws.com"],
                "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}]}]})
        );
        assert_eq!(
            p.actions[1].paths,
            ["advanced_event_selector[]", "event_selector[]"]
        );

        // The other way round: advanced selectors come back as advanced selectors.
        let p = run(&now, &base, &PlanOptions::default());
        let put = p
            .actions
            .iter()
            .find(|a| a.call.operation == "PutEventSelectors")
            .unwrap();
        assert_eq!(
            put.call.params,
            json!({"TrailName": ARN, "AdvancedEventSelectors": [{"Name": "s3", "FieldSelectors": [
                {"Field": "eventCategory", "Equals": ["Data"]},
                {"Field": "resources.ARN", "StartsWith": ["arn:aws:s3:::b/"]}]}]})
        );
        let upd = p
            .actions
            .iter()
            .find(|a| a.call.operation == "UpdateTrail")
            .unwrap();
        assert_eq!(upd.call.params["SnsTopicName"], json!("t"));
        assert_eq!(upd.call.params["CloudWatchLogsRoleArn"], json!(ROLE));
    }

    #[test]
    fn stopping_logging_renames_and_unknowns_are_manual() {
        let base = snap(vec![attrs(
            json!({"enable_logging": false, "is_organization_trail": false}),
        )]);
        let now = snap(vec![attrs(
            json!({"enable_logging": true, "is_organization_trail": true}),
        )]);
        let p = run(&base, &now, &PlanOptions::default());
        assert!(p.actions.is_empty(), "{:?}", p.actions);
        let manual: Vec<(&str, &str)> = p
            .manual
            .iter()
            .map(|m| (m.path.as_deref().unwrap_or(""), m.reason.as_str()))
            .collect();
        assert_eq!(manual.len(), 2);
        assert_eq!(manual[0].0, "enable_logging");
        assert!(manual[0].1.contains("StopLogging"));
        assert_eq!(manual[1].0, "is_organization_trail");

        // The log group changed but the baseline's role is not known: no half call.
        let base = snap(vec![attrs(
            json!({"cloud_watch_logs_role_arn": {"$unknown": "x"}}),
        )]);
        let now = snap(vec![attrs(json!({"cloud_watch_logs_group_arn": null}))]);
        let p = run(&base, &now, &PlanOptions::default());
        assert!(p.actions.is_empty(), "{:?}", p.actions);
        assert_eq!(p.manual.len(), 1);
        assert!(p.manual[0].reason.contains("not known"));
    }

    #[test]
    fn trails_of_other_accounts_or_regions_are_manual() {
        let org = "arn:aws:cloudtrail:us-east-1:999999999999:trail/org";
        let base = snap(vec![attrs(
            json!({"arn": org, "id": org, "is_organization_trail": true}),
        )]);
        let now = snap(vec![attrs(
            json!({"arn": org, "id": org, "is_organization_trail": true,
                                         "enable_logging": false}),
        )]);
        let p = run(&base, &now, &PlanOptions::default());
        assert!(p.actions.is_empty());
        assert!(p.manual[0].reason.contains("999999999999"), "{:?}", p.manual);

        let elsewhere = snap(vec![attrs(json!({"home_region": "eu-west-1"}))]);
        let now = snap(vec![attrs(
            json!({"home_region": "eu-west-1", "enable_logging": false}),
        )]);
        let p = run(&elsewhere, &now, &PlanOptions::default());
        assert!(p.actions.is_empty());
        assert!(p.manual[0].reason.contains("eu-west-1"), "{:?}", p.manual);
        // Nor deleted when added.
        let opts = PlanOptions {
            delete_added: vec!["aws_cloudtrail".into()],
            ..Default::default()
        };
        let p = run(&snap(vec![]), &elsewhere, &opts);
        assert!(p.actions.is_empty());
        assert_eq!(p.manual.len(), 1);
    }

    #[test]
    fn removed_trails_are_re_created_and_added_ones_deleted_on_request() {
        let sel = json!([{"read_write_type": "WriteOnly", "include_management_events": true,
                          "exclude_management_event_sources": [], "data_resource": []}]);
        let base = snap(vec![attrs(json!({"event_selector": sel, "s3_key_prefix": "ct"}))]);
        let p = run(&base, &snap(vec![]), &PlanOptions::default());
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        assert_eq!(ops(&p), ["CreateTrail", "PutEventSelectors", "StartLogging"]);
        assert!(p
            .actions
            .iter()
            .all(|a| a.step == Step::Restore && a.paths.is_empty()));
        assert_eq!(
            p.actions[0].call.params,
            json!({
                "Name": "main", "S3BucketName": "trail-logs", "S3KeyPrefix": "ct",
                "IncludeGlobalServiceEvents": true, "IsMultiRegionTrail": true,
                "EnableLogFileValidation": true, "KmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/k",
                "CloudWatchLogsLogGroupArn": GROUP, "CloudWatchLogsRoleArn": ROLE,
            })
        );
        assert_eq!(
            p.actions[1].call.params["EventSelectors"][0]["ReadWriteType"],
            "WriteOnly"
        );
        assert_eq!(p.actions[2].call.params, json!({"Name": ARN}));

        // A trail that was not logging is re-created stopped, with the default selector.
        let base = snap(vec![attrs(json!({"enable_logging": false}))]);
        let p = run(&base, &snap(vec![]), &PlanOptions::default());
        assert_eq!(ops(&p), ["CreateTrail"]);
        // An organization trail is not re-created from here.
        let base = snap(vec![attrs(json!({"is_organization_trail": true}))]);
        let p = run(&base, &snap(vec![]), &PlanOptions::default());
        assert!(p.actions.is_empty());
        assert_eq!(p.manual.len(), 1);

        let opts = PlanOptions {
            delete_added: vec!["aws_cloudtrail".into()],
            ..Default::default()
        };
        let p = run(&snap(vec![]), &snap(vec![attrs(json!({}))]), &opts);
        assert_eq!(ops(&p), ["DeleteTrail"]);
        assert_eq!(p.actions[0].step, Step::DeleteAdded);
        assert_eq!(p.actions[0].call.params, json!({"Name": "main"}));
        let p = run(
            &snap(vec![]),
            &snap(vec![attrs(json!({}))]),
            &PlanOptions::default(),
        );
        assert!(p.actions.is_empty());
        assert_eq!(p.kept.len(), 1);
    }
}

//! CloudWatch alarms and CloudWatch Logs: metric alarms and metric filters are put back whole
//! (`PutMetricAlarm`, `PutMetricFilter` create or overwrite by name, so one call restores a
//! deleted or a changed one); log groups get their retention (`PutRetentionPolicy`,
//! `DeleteRetentionPolicy`) and KMS key (`AssociateKmsKey`, `DisassociateKmsKey`) back. A deleted
//! log group is re-created empty (`CreateLogGroup`): its log events are gone, but whatever
//! delivers to it (a trail, flow logs) and its metric filters need the group back.
//!
//! Added alarms and metric filters can be deleted (`DeleteAlarms`, `DeleteMetricFilter`); added log
//! groups are kept (deleting one deletes its log events).

use serde_json::{json, Map, Value};

use super::util::{fully_known, str_of, top};
use super::{Out, Step, Subject};
use crate::drift::DriftKind;

const ALARM: &str = "aws_cloudwatch_metric_alarm";
const FILTER: &str = "aws_cloudwatch_log_metric_filter";
const GROUP: &str = "aws_cloudwatch_log_group";

pub(super) const TYPES: &[&str] = &[ALARM, FILTER, GROUP];

pub(super) fn plan(s: &Subject<'_>, out: &mut Out<'_>) {
    match s.drift.resource_type.as_str() {
        ALARM => put_whole(s, out, alarm_params, "cloudwatch", "PutMetricAlarm", "alarm"),
        FILTER => put_whole(s, out, filter_params, "logs", "PutMetricFilter", "metric filter"),
        _ => log_group(s, out),
    }
}

pub(super) fn delete(s: &Subject<'_>, out: &mut Out<'_>) -> bool {
    let a = s.attributes();
    match s.drift.resource_type.as_str() {
        ALARM => {
            let Some(name) = str_of(a, "alarm_name") else {
                return false;
            };
            out.action(
                s,
                Step::DeleteAdded,
                &[],
                format!("delete alarm {name}"),
                "cloudwatch",
                "DeleteAlarms",
                json!({ "AlarmNames": [name] }),
                None,
                None,
            );
            true
        }
        FILTER => {
            let (Some(name), Some(group)) = (str_of(a, "name"), str_of(a, "log_group_name")) else {
                return false;
            };
            out.action(
                s,
                Step::DeleteAdded,
                &[],
                format!("delete metric filter {name} of log group {group}"),
                "logs",
                "DeleteMetricFilter",
                json!({"logGroupName": group, "filterName": name}),
                None,
                None,
            );
            true
        }
        _ => false,
    }
}

/// The distinct paths of the drift's changes.
fn change_paths<'a>(s: &'a Subject<'_>) -> Vec<&'a str> {
    let mut out: Vec<&str> = s.changes().iter().map(|c| c.path.as_str()).collect();
    out.dedup();
    out
}

/// The changed top-level attributes of both sides, as `(before, after)` objects.
fn changed_values(s: &Subject<'_>) -> (Value, Value) {
    let (mut before, mut after) = (Map::new(), Map::new());
    for c in s.changes() {
        let t = top(&c.path);
        if before.contains_key(t) {
            continue;
        }
        let side = |r: Option<&attest_core::SnapshotResource>| {
            r.and_then(|r| r.attributes.get(t))
                .cloned()
                .unwrap_or(Value::Null)
        };
        before.insert(t.to_string(), side(s.current));
        after.insert(t.to_string(), side(s.baseline));
    }
    (Value::Object(before), Value::Object(after))
}

/// Restores a resource the API writes whole by name: the baseline's definition, once, covering
/// every change (or re-creating it when it was deleted).
fn put_whole(
    s: &Subject<'_>,
    out: &mut Out<'_>,
    params: fn(&Value) -> Result<(Value, String), String>,
    service: &str,
    operation: &str,
    what: &str,
) {
    let paths = change_paths(s);
    let base = s.attributes();
    let built = if fully_known(base) {
        params(base)
    } else {
        Err(format!(
            "the baseline's definition of this {what} is not fully known"
        ))
    };
    let (params, name) = match built {
        Ok(p) => p,
        Err(reason) => {
            if paths.is_empty() {
                out.manual(s, None, reason.as_str());
            }
            for p in &paths {
                out.manual(s, Some(p), &reason);
            }
            return;
        }
    };
    if s.drift.kind == DriftKind::Removed {
        out.action(
            s,
            Step::Restore,
            &[],
            format!("re-create {what} {name} as in the baseline"),
            service,
            operation,
            params,
            None,
            Some(base.clone()),
        );
    } else {
        let (before, after) = changed_values(s);
        out.action(
            s,
            Step::Modify,
            &paths,
            format!("put {what} {name} back as in the baseline"),
            service,
            operation,
            params,
            Some(before),
            Some(after),
        );
    }
}

/// `Dimensions` from Terraform's map of dimensions.
fn dimensions(v: Option<&Value>) -> Result<Vec<Value>, String> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Object(m)) => m
            .iter()
            .map(|(k, v)| {
                v.as_str()
                    .map(|v| json!({"Name": k, "Value": v}))
                    .ok_or_else(|| format!("dimension {k} is not a string"))
            })
            .collect(),
        Some(_) => Err("the alarm's dimensions are not a map".into()),
    }
}

/// Copies `attr` into `param` when it is set (not null).
fn copy(p: &mut Map<String, Value>, a: &Value, attr: &str, param: &str) {
    if let Some(v) = a.get(attr).filter(|v| !v.is_null()) {
        p.insert(param.into(), v.clone());
    }
}

/// Comparison operators of anomaly-detection alarms: they need `ThresholdMetricId`.
const BAND_OPERATORS: &[&str] = &[
    "LessThanLowerOrGreaterThanUpperThreshold",
    "LessThanLowerThreshold",
    "GreaterThanUpperThreshold",
];

/// `PutMetricAlarm` for the baseline's alarm, and its name.
fn alarm_params(a: &Value) -> Result<(Value, String), String> {
    let name = str_of(a, "alarm_name").ok_or("the baseline's alarm has no name")?;
    let operator =
        str_of(a, "comparison_operator").ok_or("the baseline's alarm has no comparison operator")?;
    if BAND_OPERATORS.contains(&operator) && str_of(a, "threshold_metric_id").is_none() {
        return Err(
            "an anomaly-detection alarm needs its threshold metric id, which the baseline does not \
             have (it was taken before attest read it): put it back from code"
                .into(),
        );
    }
    let mut p = Map::new();
    p.insert("AlarmName".into(), json!(name));
    p.insert(
        "AlarmDescription".into(),
        json!(str_of(a, "alarm_description").unwrap_or_default()),
    );
    p.insert(
        "ActionsEnabled".into(),
        json!(a.get("actions_enabled").and_then(Value::as_bool).unwrap_or(true)),
    );
    for (attr, param) in [
        ("alarm_actions", "AlarmActions"),
        ("ok_actions", "OKActions"),
        ("insufficient_data_actions", "InsufficientDataActions"),
    ] {
        let list = match a.get(attr) {
            None | Some(Value::Null) => json!([]),
            Some(v @ Value::Array(_)) => v.clone(),
            Some(_) => return Err(format!("the alarm's {attr} is not a list")),
        };
        p.insert(param.into(), list);
    }
    for (attr, param) in [
        ("metric_name", "MetricName"),
        ("namespace", "Namespace"),
        ("statistic", "Statistic"),
        ("extended_statistic", "ExtendedStatistic"),
        ("period", "Period"),
        ("evaluation_periods", "EvaluationPeriods"),
        ("datapoints_to_alarm", "DatapointsToAlarm"),
        ("threshold", "Threshold"),
        ("comparison_operator", "ComparisonOperator"),
        ("treat_missing_data", "TreatMissingData"),
        ("unit", "Unit"),
        (
            "evaluate_low_sample_count_percentiles",
            "EvaluateLowSampleCountPercentile",
        ),
        ("threshold_metric_id", "ThresholdMetricId"),
    ] {
        copy(&mut p, a, attr, param);
    }
    let dims = dimensions(a.get("dimensions"))?;
    if !dims.is_empty() {
        p.insert("Dimensions".into(), json!(dims));
    }
    let queries = a
        .get("metric_query")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    if !queries.is_empty() {
        let metrics: Result<Vec<Value>, String> = queries.iter().map(metric_query).collect();
        p.insert("Metrics".into(), json!(metrics?));
    }
    Ok((Value::Object(p), name.to_string()))
}

/// A `MetricDataQuery` from Terraform's `metric_query` block.
fn metric_query(q: &Value) -> Result<Value, String> {
    let mut m = Map::new();
    m.insert(
        "Id".into(),
        json!(str_of(q, "id").ok_or("a metric query of the alarm has no id")?),
    );
    copy(&mut m, q, "expression", "Expression");
    copy(&mut m, q, "label", "Label");
    copy(&mut m, q, "return_data", "ReturnData");
    copy(&mut m, q, "account_id", "AccountId");
    copy(&mut m, q, "period", "Period");
    if let Some(stat) = q.get("metric").and_then(Value::as_array).and_then(|l| l.first()) {
        let mut metric = Map::new();
        copy(&mut metric, stat, "namespace", "Namespace");
        copy(&mut metric, stat, "metric_name", "MetricName");
        let dims = dimensions(stat.get("dimensions"))?;
        if !dims.is_empty() {
            metric.insert("Dimensions".into(), json!(dims));
        }
        let mut ms = Map::new();
        ms.insert("Metric".into(), Value::Object(metric));
        copy(&mut ms, stat, "period", "Period");
        copy(&mut ms, stat, "stat", "Stat");
        copy(&mut ms, stat, "unit", "Unit");
        m.insert("MetricStat".into(), Value::Object(ms));
    }
    Ok(Value::Object(m))
}

/// `PutMetricFilter` for the baseline's filter, and its name.
fn filter_params(a: &Value) -> Result<(Value, String), String> {
    let name = str_of(a, "name").ok_or("the baseline's metric filter has no name")?;
    let group = str_of(a, "log_group_name").ok_or("the baseline's metric filter has no log group")?;
    let transformations: Result<Vec<Value>, String> = a
        .get("metric_transformation")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .map(|t| {
            let field = |k: &str| str_of(t, k).ok_or_else(|| format!("the metric transformation has no {k}"));
            let mut m = Map::new();
            m.insert("metricName".into(), json!(field("name")?));
            m.insert("metricNamespace".into(), json!(field("namespace")?));
            m.insert("metricValue".into(), json!(field("value")?));
            match str_of(t, "default_value").unwrap_or_default() {
                "" => {}
                v => {
                    let n: f64 = v.parse().map_err(|_| {
                        format!("the metric transformation's default value {v} is not a number")
                    })?;
                    m.insert("defaultValue".into(), json!(n));
                }
            }
            if let Some(unit) = str_of(t, "unit").filter(|u| *u != "None") {
                m.insert("unit".into(), json!(unit));
            }
            if let Some(dims) = t
                .get("dimensions")
                .and_then(Value::as_object)
                .filter(|d| !d.is_empty())
            {
                m.insert("dimensions".into(), Value::Object(dims.clone()));
            }
            Ok(Value::Object(m))
        })
        .collect();
    let transformations = transformations?;
    if transformations.is_empty() {
        return Err("the baseline's metric filter has no metric transformation".into());
    }
    Ok((
        json!({
            "logGroupName": group,
            "filterName": name,
            "filterPattern": str_of(a, "pattern").unwrap_or_default(),
            "metricTransformations": transformations,
        }),
        format!("{name} of log group {group}"),
    ))
}

/// A log group's KMS key: empty when none, `None` when not known.
fn kms(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str)
}

fn log_group(s: &Subject<'_>, out: &mut Out<'_>) {
    let base = s.attributes();
    let Some(name) = str_of(base, "name") else {
        return out.manual(s, None, "the baseline's log group name is not known");
    };
    let retention = |v: Option<&Value>| v.and_then(Value::as_i64);
    if s.drift.kind == DriftKind::Removed {
        let (Some(days), Some(key)) = (
            retention(base.get("retention_in_days")),
            kms(base.get("kms_key_id")),
        ) else {
            return out.manual(
                s,
                None,
                "the baseline's retention or KMS key is not known: re-create the log group from code",
            );
        };
        let mut p = json!({ "logGroupName": name });
        if !key.is_empty() {
            p["kmsKeyId"] = json!(key);
        }
        if let Some(class) = str_of(base, "log_group_class") {
            p["logGroupClass"] = json!(class);
        }
        out.action(
            s,
            Step::Restore,
            &[],
            format!("re-create log group {name}, empty (its log events were deleted with it)"),
            "logs",
            "CreateLogGroup",
            p,
            None,
            Some(base.clone()),
        );
        if days > 0 {
            out.action(
                s,
                Step::Restore,
                &[],
                format!("keep the events of log group {name} for {days} days"),
                "logs",
                "PutRetentionPolicy",
                json!({"logGroupName": name, "retentionInDays": days}),
                None,
                Some(json!(days)),
            );
        }
        return;
    }
    for path in change_paths(s) {
        let before = s.current.and_then(|r| r.attributes.get(path)).cloned();
        let after = s.baseline.and_then(|r| r.attributes.get(path)).cloned();
        match path {
            "retention_in_days" => match retention(after.as_ref()) {
                Some(0) => out.action(
                    s,
                    Step::Modify,
                    &[path],
                    format!("keep the events of log group {name} forever again"),
                    "logs",
                    "DeleteRetentionPolicy",
                    json!({ "logGroupName": name }),
                    before,
                    after,
                ),
                Some(days) => out.action(
                    s,
                    Step::Modify,
                    &[path],
                    format!("keep the events of log group {name} for {days} days"),
                    "logs",
                    "PutRetentionPolicy",
                    json!({"logGroupName": name, "retentionInDays": days}),
                    before,
                    after,
                ),
                None => out.manual(s, Some(path), "the baseline's retention is not known"),
            },
            "kms_key_id" => match kms(after.as_ref()) {
                Some("") => out.action(
                    s,
                    Step::Modify,
                    &[path],
                    format!("stop encrypting log group {name} with a KMS key"),
                    "logs",
                    "DisassociateKmsKey",
                    json!({ "logGroupName": name }),
                    before,
                    after,
                ),
                Some(key) => out.action(
                    s,
                    Step::Modify,
                    &[path],
                    format!("encrypt log group {name} with KMS key {key}"),
                    "logs",
                    "AssociateKmsKey",
                    json!({"logGroupName": name, "kmsKeyId": key}),
                    before,
                    after,
                ),
                None => out.manual(s, Some(path), "the baseline's KMS key is not known"),
            },
            "log_group_class" => out.manual(
                s,
                Some(path),
                "the class of a log group cannot be changed: re-create it (its log events are lost)",
            ),
            "name" | "id" | "arn" => out.manual(s, Some(path), "a log group cannot be renamed: replace it"),
            _ => out.manual(
                s,
                Some(path),
                "attest has no automatic revert for this attribute of a log group",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use attest_core::{Snapshot, SnapshotResource};
    use serde_json::{json, Value};

    use crate::drift::{diff, Ignore};
    use crate::remediate::{plan, Plan, PlanOptions, Step};

    const ALARM_ARN: &str = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:root-use";
    const GROUP_ARN: &str = "arn:aws:logs:us-east-1:123456789012:log-group:trail";
    const FILTER_KEY: &str = "aws_cloudwatch_log_metric_filter:us-east-1:trail:root-use";

    fn res(key: &str, ty: &str, attrs: Value) -> SnapshotResource {
        SnapshotResource {
            key: key.into(),
            resource_type: ty.into(),
            physical_id: None,
            account: Some("123456789012".into()),
            region: Some("us-east-1".into()),
            attributes: attrs,
        }
    }

    fn with(mut base: Value, over: Value) -> Value {
        if let (Some(a), Some(o)) = (base.as_object_mut(), over.as_object()) {
            for (k, v) in o {
                a.insert(k.clone(), v.clone());
            }
        }
        base
    }

    fn alarm(over: Value) -> SnapshotResource {
        res(
            ALARM_ARN,
            "aws_cloudwatch_metric_alarm",
            with(
                json!({
                    "id": "root-use", "alarm_name": "root-use", "arn": ALARM_ARN,
                    "alarm_description": "", "metric_name": "RootUse", "namespace": "CIS",
                    "statistic": "Sum", "extended_statistic": null, "period": 300,
                    "evaluation_periods": 1, "datapoints_to_alarm": null, "threshold": 1.0,
                    "comparison_operator": "GreaterThanOrEqualToThreshold",
                    "treat_missing_data": "notBreaching", "dimensions": {},
                    "actions_enabled": true, "alarm_actions": ["arn:aws:sns:us-east-1:123456789012:sec"],
                    "ok_actions": [], "insufficient_data_actions": [], "metric_query": [],
                }),
                over,
            ),
        )
    }

    fn filter(over: Value) -> SnapshotResource {
        res(
            FILTER_KEY,
            "aws_cloudwatch_log_metric_filter",
            with(
                json!({
                    "id": "root-use", "name": "root-use", "log_group_name": "trail",
                    "pattern": "{ $.userIdentity.type = \"Root\" }",
                    "metric_transformation": [{"name": "RootUse", "namespace": "CIS", "value": "1",
                        "default_value": "", "unit": "None", "dimensions": {}}],
                }),
                over,
            ),
        )
    }

    fn group(over: Value) -> SnapshotResource {
        res(
            GROUP_ARN,
            "aws_cloudwatch_log_group",
            with(
                json!({"id": "trail", "name": "trail", "arn": GROUP_ARN, "retention_in_days": 365,
                       "kms_key_id": "arn:aws:kms:us-east-1:123456789012:key/k", "log_group_class": "STANDARD"}),
                over,
            ),
        )
    }

    fn snap(r: Vec<SnapshotResource>) -> Snapshot {
        Snapshot::new(r, vec![])
    }

    fn run(base: Vec<SnapshotResource>, now: Vec<SnapshotResource>, opts: &PlanOptions) -> Plan {
        let (base, now) = (snap(base), snap(now));
        plan(&diff(&base, &now, &Ignore::none()), &base, &now, opts)
    }

    fn ops(p: &Plan) -> Vec<&str> {
        p.actions.iter().map(|a| a.call.operation.as_str()).collect()
    }

    #[test]
    fn alarms_are_put_back_whole() {
        let expected = json!({
            "AlarmName": "root-use", "AlarmDescription": "", "ActionsEnabled": true,
            "AlarmActions": ["arn:aws:sns:us-east-1:123456789012:sec"], "OKActions": [],
            "InsufficientDataActions": [], "MetricName": "RootUse", "Namespace": "CIS",
            "Statistic": "Sum", "Period": 300, "EvaluationPeriods": 1, "Threshold": 1.0,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold", "TreatMissingData": "notBreaching",
        });
        // Deleted: re-created.
        let p = run(vec![alarm(json!({}))], vec![], &PlanOptions::default());
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        assert_eq!(ops(&p), ["PutMetricAlarm"]);
        assert_eq!(p.actions[0].step, Step::Restore);
        assert_eq!(p.actions[0].call.service, "cloudwatch");
        assert_eq!(p.actions[0].call.params, expected);
        // Changed (actions removed, threshold raised): one call covers every change.
        let now = alarm(json!({"alarm_actions": [], "threshold": 100.0, "dimensions": {"X": "y"}}));
        let p = run(vec![alarm(json!({}))], vec![now], &PlanOptions::default());
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        assert_eq!(ops(&p), ["PutMetricAlarm"]);
        assert_eq!(p.actions[0].step, Step::Modify);
        assert_eq!(p.actions[0].call.params, expected);
        assert_eq!(
            p.actions[0].paths,
            ["alarm_actions[]", "dimensions.X", "threshold"]
        );
        assert_eq!(
            p.actions[0].before,
            Some(json!({"alarm_actions": [], "dimensions": {"X": "y"}, "threshold": 100.0}))
        );
    }

    #[test]
    fn metric_math_alarms_keep_their_queries() {
        let q = json!([
            {"id": "e1", "expression": "m1 * 2", "label": "double", "return_data": true,
             "account_id": null, "period": null, "metric": []},
            {"id": "m1", "expression": null, "label": null, "return_data": false, "account_id": null,
             "period": null, "metric": [{"metric_name": "Errors", "namespace": "App",
                "dimensions": {"Service": "api"}, "period": 60, "stat": "Sum", "unit": null}]},
        ]);
        let base = alarm(json!({"metric_name": null, "namespace": null, "statistic": null,
                                "period": null, "metric_query": q}));
        let p = run(vec![base], vec![], &PlanOptions::default());
        let params = &p.actions[0].call.params;
        assert!(params.get("MetricName").is_none() && params.get("Period").is_none());
        assert_eq!(
            params["Metrics"],
            json!([
                {"Id": "e1", "Expression": "m1 * 2", "Label": "double", "ReturnData": true},
                {"Id": "m1", "ReturnData": false, "MetricStat": {
                    "Metric": {"Namespace": "App", "MetricName": "Errors",
                               "Dimensions": [{"Name": "Service", "Value": "api"}]},
                    "Period": 60, "Stat": "Sum"}},
            ])
        );
    }

    #[test]
    fn anomaly_alarms_and_unknown_baselines_are_manual() {
        let band = alarm(json!({"comparison_operator": "LessThanLowerOrGreaterThanUpperThreshold"}));
        let p = run(vec![band], vec![], &PlanOptions::default());
        assert!(p.actions.is_empty());
        assert!(
            p.manual[0].reason.contains("threshold metric id"),
            "{:?}",
            p.manual
        );

        // With its threshold metric id (and a unit), it is put back whole.
        let band = alarm(
            json!({"comparison_operator": "LessThanLowerOrGreaterThanUpperThreshold",
                                "threshold_metric_id": "ad1", "unit": "Count",
                                "evaluate_low_sample_count_percentiles": "ignore"}),
        );
        let p = run(vec![band], vec![], &PlanOptions::default());
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        let params = &p.actions[0].call.params;
        assert_eq!(params["ThresholdMetricId"], "ad1");
        assert_eq!(params["Unit"], "Count");
        assert_eq!(params["EvaluateLowSampleCountPercentile"], "ignore");

        let unknown = alarm(json!({"ok_actions": {"$unknown": "AccessDenied"}}));
        let now = alarm(json!({"threshold": 5.0}));
        let p = run(vec![unknown], vec![now], &PlanOptions::default());
        assert!(p.actions.is_empty());
        assert_eq!(p.manual.len(), 1);
        assert_eq!(p.manual[0].path.as_deref(), Some("threshold"));
        assert!(p.manual[0].reason.contains("not fully known"));
    }

    #[test]
    fn metric_filters_are_put_back_whole() {
        let expected = json!({
            "logGroupName": "trail", "filterName": "root-use",
            "filterPattern": "{ $.userIdentity.type = \"Root\" }",
            "metricTransformations": [{"metricName": "RootUse", "metricNamespace": "CIS", "metricValue": "1"}],
        });
        let p = run(vec![filter(json!({}))], vec![], &PlanOptions::default());
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        assert_eq!(ops(&p), ["PutMetricFilter"]);
        assert_eq!(p.actions[0].call.service, "logs");
        assert_eq!(p.actions[0].call.params, expected);

        let base = filter(
            json!({"metric_transformation": [{"name": "RootUse", "namespace": "CIS",
            "value": "1", "default_value": "0", "unit": "Count", "dimensions": {"User": "$.user"}}]}),
        );
        let now = filter(json!({"pattern": ""}));
        let p = run(vec![base], vec![now], &PlanOptions::default());
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        assert_eq!(p.actions[0].step, Step::Modify);
        assert_eq!(p.actions[0].paths, ["metric_transformation[]", "pattern"]);
        assert_eq!(
            p.actions[0].call.params["metricTransformations"],
            json!([{"metricName": "RootUse", "metricNamespace": "CIS", "metricValue": "1",
                    "defaultValue": 0.0, "unit": "Count", "dimensions": {"User": "$.user"}}])
        );
    }

    #[test]
    fn log_group_retention_and_key() {
        let now = group(json!({"retention_in_days": 1, "kms_key_id": ""}));
        let p = run(vec![group(json!({}))], vec![now.clone()], &PlanOptions::default());
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        assert_eq!(ops(&p), ["AssociateKmsKey", "PutRetentionPolicy"]);
        assert_eq!(
            p.actions[0].call.params,
            json!({"logGroupName": "trail", "kmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/k"})
        );
        assert_eq!(
            p.actions[1].call.params,
            json!({"logGroupName": "trail", "retentionInDays": 365})
        );
        assert_eq!(p.actions[1].before, Some(json!(1)));
        // The other way: no retention (never expire), no key.
        let base = group(json!({"retention_in_days": 0, "kms_key_id": ""}));
        let p = run(vec![base], vec![group(json!({}))], &PlanOptions::default());
        assert_eq!(ops(&p), ["DisassociateKmsKey", "DeleteRetentionPolicy"]);
        assert_eq!(p.actions[1].call.params, json!({"logGroupName": "trail"}));
        // The class cannot change.
        let now = group(json!({"log_group_class": "INFREQUENT_ACCESS"}));
        let p = run(vec![group(json!({}))], vec![now], &PlanOptions::default());
        assert!(p.actions.is_empty());
        assert!(p.manual[0].reason.contains("cannot be changed"));
    }

    #[test]
    fn deleted_log_groups_come_back_before_their_filters() {
        let p = run(
            vec![filter(json!({})), group(json!({}))],
            vec![],
            &PlanOptions::default(),
        );
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        assert_eq!(
            ops(&p),
            ["CreateLogGroup", "PutRetentionPolicy", "PutMetricFilter"]
        );
        assert!(p.actions.iter().all(|a| a.step == Step::Restore));
        assert_eq!(
            p.actions[0].call.params,
            json!({"logGroupName": "trail", "kmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/k",
                   "logGroupClass": "STANDARD"})
        );
        assert!(p.actions[0].summary.contains("empty"));
        // Without retention: no PutRetentionPolicy.
        let p = run(
            vec![group(json!({"retention_in_days": 0}))],
            vec![],
            &PlanOptions::default(),
        );
        assert_eq!(ops(&p), ["CreateLogGroup"]);
    }

    #[test]
    fn added_alarms_and_filters_are_deleted_on_request_groups_never() {
        let opts = PlanOptions {
            delete_added: vec![
                "aws_cloudwatch_metric_alarm".into(),
                "aws_cloudwatch_log_metric_filter".into(),
                "aws_cloudwatch_log_group".into(),
            ],
            ..Default::default()
        };
        let p = run(
            vec![],
            vec![alarm(json!({})), filter(json!({})), group(json!({}))],
            &opts,
        );
        assert_eq!(ops(&p), ["DeleteAlarms", "DeleteMetricFilter"]);
        assert!(p.actions.iter().all(|a| a.step == Step::DeleteAdded));
        assert_eq!(p.actions[0].call.params, json!({"AlarmNames": ["root-use"]}));
        assert_eq!(
            p.actions[1].call.params,
            json!({"logGroupName": "trail", "filterName": "root-use"})
        );
        assert_eq!(p.manual.len(), 1);
        assert_eq!(p.manual[0].resource_type, "aws_cloudwatch_log_group");
        let p = run(vec![], vec![alarm(json!({}))], &PlanOptions::default());
        assert!(p.actions.is_empty());
        assert_eq!(p.kept.len(), 1);
    }
}

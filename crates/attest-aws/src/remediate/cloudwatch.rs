//! cloudwatch calls of remediation plans: `PutMetricAlarm` (creates or overwrites an alarm by
//! name) and `DeleteAlarms`.

use aws_sdk_cloudwatch::types::{
    ComparisonOperator, Dimension, Metric, MetricDataQuery, MetricStat, StandardUnit, Statistic,
};
use serde_json::Value;

use super::params::{self, strings};
use super::sdk_error;
use crate::ctx::{client, Session};

pub(super) async fn run(s: &Session, op: &str, p: &Value) -> Result<String, String> {
    let cw = client!(s, aws_sdk_cloudwatch, "cloudwatch");
    match op {
        "PutMetricAlarm" => {
            let name = params::str(p, "AlarmName")?;
            let metrics = params::list(p, "Metrics")
                .iter()
                .map(metric_query)
                .collect::<Result<Vec<_>, _>>()?;
            cw.put_metric_alarm()
                .alarm_name(name)
                .set_alarm_description(params::opt_str(p, "AlarmDescription").map(str::to_string))
                .set_actions_enabled(p.get("ActionsEnabled").and_then(Value::as_bool))
                .set_alarm_actions(strings(p, "AlarmActions")?)
                .set_ok_actions(strings(p, "OKActions")?)
                .set_insufficient_data_actions(strings(p, "InsufficientDataActions")?)
                .set_metric_name(params::opt_str(p, "MetricName").map(str::to_string))
                .set_namespace(params::opt_str(p, "Namespace").map(str::to_string))
                .set_statistic(params::opt_str(p, "Statistic").map(Statistic::from))
                .set_extended_statistic(params::opt_str(p, "ExtendedStatistic").map(str::to_string))
                .set_dimensions(Some(dimensions(p)?).filter(|d| !d.is_empty()))
                .set_period(int(p, "Period")?)
                .set_evaluation_periods(int(p, "EvaluationPeriods")?)
                .set_datapoints_to_alarm(int(p, "DatapointsToAlarm")?)
                .set_threshold(p.get("Threshold").and_then(Value::as_f64))
                .comparison_operator(ComparisonOperator::from(params::str(p, "ComparisonOperator")?))
                .set_treat_missing_data(params::opt_str(p, "TreatMissingData").map(str::to_string))
                .set_unit(params::opt_str(p, "Unit").map(StandardUnit::from))
                .set_evaluate_low_sample_count_percentile(
                    params::opt_str(p, "EvaluateLowSampleCountPercentile").map(str::to_string),
                )
                .set_threshold_metric_id(params::opt_str(p, "ThresholdMetricId").map(str::to_string))
                .set_metrics(Some(metrics).filter(|m| !m.is_empty()))
                .send()
                .await
                .map_err(|e| sdk_error(&e))?;
            Ok(format!("alarm {name} put"))
        }
        "DeleteAlarms" => {
            let names = strings(p, "AlarmNames")?.unwrap_or_default();
            if names.is_empty() {
                return Err("the plan's `AlarmNames` parameter is missing or empty".into());
            }
            let note = format!("deleted alarm(s) {}", names.join(", "));
            cw.delete_alarms()
                .set_alarm_names(Some(names))
                .send()
                .await
                .map_err(|e| sdk_error(&e))?;
            Ok(note)
        }
        _ => Err(params::unsupported("cloudwatch", op)),
    }
}

/// An optional 32-bit integer parameter.
fn int(p: &Value, key: &str) -> Result<Option<i32>, String> {
    match p.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| format!("the plan's `{key}` parameter is not an integer")),
    }
}

/// `Dimensions` (`[{Name, Value}]`; absent: none).
fn dimensions(p: &Value) -> Result<Vec<Dimension>, String> {
    params::list(p, "Dimensions")
        .iter()
        .map(|d| {
            Ok(Dimension::builder()
                .name(params::str(d, "Name")?)
                .value(params::str(d, "Value")?)
                .build())
        })
        .collect()
}

fn metric_query(q: &Value) -> Result<MetricDataQuery, String> {
    let stat = match q.get("MetricStat") {
        None | Some(Value::Null) => None,
        Some(ms) => {
            let m = ms.get("Metric").unwrap_or(&Value::Null);
            let metric = Metric::builder()
                .set_namespace(params::opt_str(m, "Namespace").map(str::to_string))
                .set_metric_name(params::opt_str(m, "MetricName").map(str::to_string))
                .set_dimensions(Some(dimensions(m)?).filter(|d| !d.is_empty()))
                .build();
            Some(
                MetricStat::builder()
                    .metric(metric)
                    .set_period(int(ms, "Period")?)
                    .set_stat(params::opt_str(ms, "Stat").map(str::to_string))
                    .set_unit(params::opt_str(ms, "Unit").map(StandardUnit::from))
                    .build(),
            )
        }
    };
    Ok(MetricDataQuery::builder()
        .id(params::str(q, "Id")?)
        .set_expression(params::opt_str(q, "Expression").map(str::to_string))
        .set_label(params::opt_str(q, "Label").map(str::to_string))
        .set_return_data(q.get("ReturnData").and_then(Value::as_bool))
        .set_account_id(params::opt_str(q, "AccountId").map(str::to_string))
        .set_period(int(q, "Period")?)
        .set_metric_stat(stat)
        .build())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn metric_queries_and_dimensions_from_the_plan() {
        let q = metric_query(&json!({"Id": "m1", "ReturnData": false, "MetricStat": {
            "Metric": {"Namespace": "App", "MetricName": "Errors",
                       "Dimensions": [{"Name": "Service", "Value": "api"}]},
            "Period": 60, "Stat": "Sum"}}))
        .expect("query");
        assert_eq!(q.id(), Some("m1"));
        assert_eq!(q.return_data(), Some(false));
        let stat = q.metric_stat().expect("stat");
        assert_eq!(stat.period(), Some(60));
        let metric = stat.metric().expect("metric");
        assert_eq!(metric.metric_name(), Some("Errors"));
        assert_eq!(metric.dimensions()[0].value(), Some("api"));
        assert!(metric_query(&json!({"Expression": "m1"}))
            .unwrap_err()
            .contains("`Id`"));
        assert!(int(&json!({"Period": 1e12}), "Period").is_err());
        assert_eq!(int(&json!({"Period": 300}), "Period"), Ok(Some(300)));
        assert!(dimensions(&json!({"Dimensions": [{"Name": "a"}]}))
            .unwrap_err()
            .contains("`Value`"));
    }

    #[tokio::test]
    async fn bad_plans_fail_before_calling_aws() {
        let s = Session::for_tests("us-east-1");
        let err = run(&s, "PutMetricAlarm", &json!({"AlarmName": "a"}))
            .await
            .unwrap_err();
        assert!(err.contains("`ComparisonOperator`"), "{err}");
        let err = run(&s, "DeleteAlarms", &json!({"AlarmNames": []}))
            .await
            .unwrap_err();
        assert!(err.contains("`AlarmNames`"), "{err}");
        let err = run(&s, "SetAlarmState", &json!({})).await.unwrap_err();
        assert_eq!(err, "attest does not call cloudwatch.SetAlarmState");
    }
}

//! logs calls of remediation plans: metric filters (`PutMetricFilter`, which creates or
//! overwrites a filter by name, and `DeleteMetricFilter`) and log groups (`CreateLogGroup`,
//! `PutRetentionPolicy`, `DeleteRetentionPolicy`, `AssociateKmsKey`, `DisassociateKmsKey`).

use std::collections::HashMap;

use aws_sdk_cloudwatchlogs::types::{LogGroupClass, MetricTransformation, StandardUnit};
use serde_json::Value;

use super::params;
use super::sdk_error;
use crate::ctx::{client, Session};

pub(super) async fn run(s: &Session, op: &str, p: &Value) -> Result<String, String> {
    let logs = client!(s, aws_sdk_cloudwatchlogs, "logs");
    let group = || params::str(p, "logGroupName");
    match op {
        "PutMetricFilter" => {
            let group = group()?;
            let name = params::str(p, "filterName")?;
            let pattern = params::opt_str(p, "filterPattern").unwrap_or_default();
            let transformations = params::list(p, "metricTransformations")
                .iter()
                .map(transformation)
                .collect::<Result<Vec<_>, _>>()?;
            if transformations.is_empty() {
                return Err("the plan's `metricTransformations` parameter is missing or empty".into());
            }
            logs.put_metric_filter()
                .log_group_name(group)
                .filter_name(name)
                .filter_pattern(pattern)
                .set_metric_transformations(Some(transformations))
                .send()
                .await
                .map_err(|e| sdk_error(&e))?;
            Ok(format!("metric filter {name} of {group} put"))
        }
        "DeleteMetricFilter" => {
            let group = group()?;
            let name = params::str(p, "filterName")?;
            logs.delete_metric_filter()
                .log_group_name(group)
                .filter_name(name)
                .send()
                .await
                .map_err(|e| sdk_error(&e))?;
            Ok(format!("metric filter {name} of {group} deleted"))
        }
        "CreateLogGroup" => {
            let group = group()?;
            logs.create_log_group()
                .log_group_name(group)
                .set_kms_key_id(params::opt_str(p, "kmsKeyId").map(str::to_string))
                .set_log_group_class(params::opt_str(p, "logGroupClass").map(LogGroupClass::from))
                .send()
                .await
                .map_err(|e| sdk_error(&e))?;
            Ok(format!("log group {group} created"))
        }
        "PutRetentionPolicy" => {
            let group = group()?;
            let days = params::opt_i64(p, "retentionInDays")
                .and_then(|d| i32::try_from(d).ok())
                .ok_or("the plan's `retentionInDays` parameter is missing or not an integer")?;
            logs.put_retention_policy()
                .log_group_name(group)
                .retention_in_days(days)
                .send()
                .await
                .map_err(|e| sdk_error(&e))?;
            Ok(format!("log group {group}: retention {days} days"))
        }
        "DeleteRetentionPolicy" => {
            let group = group()?;
            logs.delete_retention_policy()
                .log_group_name(group)
                .send()
                .await
                .map_err(|e| sdk_error(&e))?;
            Ok(format!("log group {group}: events kept forever"))
        }
        "AssociateKmsKey" => {
            let group = group()?;
            let key = params::str(p, "kmsKeyId")?;
            logs.associate_kms_key()
                .log_group_name(group)
                .kms_key_id(key)
                .send()
                .await
                .map_err(|e| sdk_error(&e))?;
            Ok(format!("log group {group}: encrypted with {key}"))
        }
        "DisassociateKmsKey" => {
            let group = group()?;
            logs.disassociate_kms_key()
                .log_group_name(group)
                .send()
                .await
                .map_err(|e| sdk_error(&e))?;
            Ok(format!("log group {group}: KMS key removed"))
        }
        _ => Err(params::unsupported("logs", op)),
    }
}

fn transformation(t: &Value) -> Result<MetricTransformation, String> {
    let dimensions = match t.get("dimensions") {
        None | Some(Value::Null) => None,
        Some(Value::Object(m)) => Some(
            m.iter()
                .map(|(k, v)| {
                    v.as_str()
                        .map(|v| (k.clone(), v.to_string()))
                        .ok_or_else(|| format!("the plan's dimension `{k}` is not a string"))
                })
                .collect::<Result<HashMap<_, _>, _>>()?,
        ),
        Some(_) => return Err("the plan's `dimensions` parameter is not a map".into()),
    };
    MetricTransformation::builder()
        .metric_name(params::str(t, "metricName")?)
        .metric_namespace(params::str(t, "metricNamespace")?)
        .metric_value(params::str(t, "metricValue")?)
        .set_default_value(t.get("defaultValue").and_then(Value::as_f64))
        .set_unit(params::opt_str(t, "unit").map(StandardUnit::from))
        .set_dimensions(dimensions)
        .build()
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn transformations_from_the_plan() {
        let t = transformation(&json!({"metricName": "RootUse", "metricNamespace": "CIS",
            "metricValue": "1", "defaultValue": 0.0, "unit": "Count", "dimensions": {"User": "$.user"}}))
        .expect("transformation");
        assert_eq!(t.metric_name(), "RootUse");
        assert_eq!(t.default_value(), Some(0.0));
        assert_eq!(t.unit(), Some(&StandardUnit::Count));
        assert_eq!(
            t.dimensions().and_then(|d| d.get("User")).map(String::as_str),
            Some("$.user")
        );
        let err = transformation(&json!({"metricName": "m", "metricNamespace": "n"})).unwrap_err();
        assert!(err.contains("`metricValue`"), "{err}");
    }

    #[tokio::test]
    async fn bad_plans_fail_before_calling_aws() {
        let s = Session::for_tests("us-east-1");
        let err = run(&s, "PutRetentionPolicy", &json!({})).await.unwrap_err();
        assert!(err.contains("`logGroupName`"), "{err}");
        let err = run(&s, "PutRetentionPolicy", &json!({"logGroupName": "g"}))
            .await
            .unwrap_err();
        assert!(err.contains("`retentionInDays`"), "{err}");
        let err = run(
            &s,
            "PutMetricFilter",
            &json!({"logGroupName": "g", "filterName": "f"}),
        )
        .await
        .unwrap_err();
        assert!(err.contains("`metricTransformations`"), "{err}");
        let err = run(&s, "DeleteLogGroup", &json!({"logGroupName": "g"}))
            .await
            .unwrap_err();
        assert_eq!(err, "attest does not call logs.DeleteLogGroup");
    }
}

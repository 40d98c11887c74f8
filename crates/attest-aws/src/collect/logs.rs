//! CloudWatch Logs `DescribeLogGroups` → `aws_cloudwatch_log_group` and `DescribeMetricFilters` →
//! `aws_cloudwatch_log_metric_filter`.

use aws_sdk_cloudwatchlogs::types::{LogGroup, MetricFilter};
use serde_json::{json, Map};

use attest_core::{LoadOutput, Resource};

use super::{drain, placeholder};
use crate::ctx::{client, Ctx};

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let logs = client!(c.session, aws_sdk_cloudwatchlogs, "logs");
    let ((groups, group_err), (filters, filter_err)) = tokio::join!(
        drain(logs.describe_log_groups().into_paginator().items().send()),
        drain(logs.describe_metric_filters().into_paginator().items().send()),
    );
    let mut out = LoadOutput::default();
    if let Some(e) = group_err {
        out.errors.push(c.error("logs", "DescribeLogGroups", e.message));
    }
    if let Some(e) = filter_err {
        out.errors
            .push(c.error("logs", "DescribeMetricFilters", &e.message));
        // A flow log's group may have a filter that could not be read.
        out.resources.push(placeholder(
            c,
            "aws_cloudwatch_log_metric_filter",
            &["name", "log_group_name", "pattern", "metric_transformation"],
            &e.unknown_reason("logs", "DescribeMetricFilters"),
        ));
    }
    out.resources.extend(groups.iter().filter_map(|g| group(c, g)));
    out.resources.extend(filters.iter().filter_map(|f| filter(c, f)));
    out
}

fn group(c: &Ctx<'_>, g: &LogGroup) -> Option<Resource> {
    let name = g.log_group_name()?;
    // Terraform's `arn` has no `:*` suffix (`logGroupArn`); the older `arn` field has it.
    let arn = g
        .log_group_arn()
        .map(str::to_string)
        .or_else(|| g.arn().map(|a| a.strip_suffix(":*").unwrap_or(a).to_string()))
        .or_else(|| c.arn("logs", &format!("log-group:{name}")));
    let mut a = Map::new();
    a.insert("id".into(), json!(name));
    a.insert("name".into(), json!(name));
    a.insert("arn".into(), json!(arn));
    a.insert(
        "retention_in_days".into(),
        json!(g.retention_in_days().unwrap_or(0)),
    );
    a.insert("kms_key_id".into(), json!(g.kms_key_id().unwrap_or_default()));
    a.insert(
        "log_group_class".into(),
        json!(g.log_group_class().map(|k| k.as_str())),
    );
    let rid = arn.unwrap_or_else(|| c.local_id("aws_cloudwatch_log_group", name));
    Some(c.resource(rid, "aws_cloudwatch_log_group", Some(name), a))
}

fn filter(c: &Ctx<'_>, f: &MetricFilter) -> Option<Resource> {
    let name = f.filter_name()?;
    let group = f.log_group_name().unwrap_or_default();
    let transformations: Vec<serde_json::Value> = f
        .metric_transformations()
        .iter()
        .map(|t| {
            json!({
                "name": t.metric_name(),
                "namespace": t.metric_namespace(),
                "value": t.metric_value(),
                "default_value": t.default_value().map(|v| v.to_string()).unwrap_or_default(),
                "unit": t.unit().map(|u| u.as_str()).unwrap_or("None"),
                "dimensions": t.dimensions().cloned().unwrap_or_default(),
            })
        })
        .collect();
    let mut a = Map::new();
    a.insert("id".into(), json!(name));
    a.insert("name".into(), json!(name));
    a.insert("log_group_name".into(), json!(group));
    a.insert("pattern".into(), json!(f.filter_pattern().unwrap_or_default()));
    a.insert("metric_transformation".into(), json!(transformations));
    // Filter names are unique within a log group.
    let rid = c.local_id("aws_cloudwatch_log_metric_filter", &format!("{group}:{name}"));
    Some(c.resource(rid, "aws_cloudwatch_log_metric_filter", Some(name), a))
}

//! CloudWatch `DescribeAlarms` → `aws_cloudwatch_metric_alarm` (metric alarms; composite alarms
//! are not collected yet).

use aws_sdk_cloudwatch::types::{Dimension, MetricAlarm};
use serde_json::{json, Map, Value as Json};

use attest_core::{LoadOutput, Resource};

use super::{drain, placeholder};
use crate::ctx::{client, Ctx};

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let cw = client!(c.session, aws_sdk_cloudwatch, "cloudwatch");
    let (pages, err) = drain(cw.describe_alarms().into_paginator().send()).await;
    let mut out = LoadOutput::default();
    if let Some(e) = err {
        out.errors
            .push(c.error("cloudwatch", "DescribeAlarms", &e.message));
        // Metric filters and distributions may be watched by an alarm that could not be read.
        out.resources.push(placeholder(
            c,
            "aws_cloudwatch_metric_alarm",
            &[
                "alarm_name",
                "metric_name",
                "namespace",
                "dimensions",
                "metric_query",
                "alarm_actions",
            ],
            &e.unknown_reason("cloudwatch", "DescribeAlarms"),
        ));
    }
    for page in &pages {
        out.resources
            .extend(page.metric_alarms().iter().filter_map(|m| alarm(c, m)));
    }
    out
}

fn dimensions(d: &[Dimension]) -> Json {
    Json::Object(
        d.iter()
            .filter_map(|d| Some((d.name()?.to_string(), json!(d.value().unwrap_or_default()))))
            .collect(),
    )
}

fn alarm(c: &Ctx<'_>, m: &MetricAlarm) -> Option<Resource> {
    let name = m.alarm_name()?;
    let arn = m
        .alarm_arn()
        .map(str::to_string)
        .or_else(|| c.arn("cloudwatch", &format!("alarm:{name}")));
    let queries: Vec<Json> = m
        .metrics()
        .iter()
        .map(|q| {
            let metric: Vec<Json> = q
                .metric_stat()
                .map(|s| {
                    json!({
                        "metric_name": s.metric().and_then(|x| x.metric_name()),
                        "namespace": s.metric().and_then(|x| x.namespace()),
                        "dimensions": dimensions(s.metric().map(|x| x.dimensions()).unwrap_or_default()),
                        "period": s.period(),
                        "stat": s.stat(),
                        "unit": s.unit().map(|u| u.as_str()),
                    })
                })
                .into_iter()
                .collect();
            json!({
                "id": q.id(),
                "expression": q.expression(),
                "label": q.label(),
                "return_data": q.return_data(),
                "account_id": q.account_id(),
                "period": q.period(),
                "metric": metric,
            })
        })
        .collect();
    let mut a = Map::new();
    a.insert("id".into(), json!(name));
    a.insert("alarm_name".into(), json!(name));
    a.insert("arn".into(), json!(arn));
    a.insert(
        "alarm_description".into(),
        json!(m.alarm_description().unwrap_or_default()),
    );
    a.insert("metric_name".into(), json!(m.metric_name()));
    a.insert("namespace".into(), json!(m.namespace()));
    a.insert("statistic".into(), json!(m.statistic().map(|s| s.as_str())));
    a.insert("extended_statistic".into(), json!(m.extended_statistic()));
    a.insert("period".into(), json!(m.period()));
    a.insert("evaluation_periods".into(), json!(m.evaluation_periods()));
    a.insert("datapoints_to_alarm".into(), json!(m.datapoints_to_alarm()));
    a.insert("threshold".into(), json!(m.threshold()));
    a.insert(
        "comparison_operator".into(),
        json!(m.comparison_operator().map(|s| s.as_str())),
    );
    a.insert("treat_missing_data".into(), json!(m.treat_missing_data()));
    a.insert("unit".into(), json!(m.unit().map(|u| u.as_str())));
    a.insert(
        "evaluate_low_sample_count_percentiles".into(),
        json!(m.evaluate_low_sample_count_percentile()),
    );
    a.insert("threshold_metric_id".into(), json!(m.threshold_metric_id()));
    a.insert("dimensions".into(), dimensions(m.dimensions()));
    a.insert(
        "actions_enabled".into(),
        json!(m.actions_enabled().unwrap_or(true)),
    );
    a.insert("alarm_actions".into(), json!(m.alarm_actions()));
    a.insert("ok_actions".into(), json!(m.ok_actions()));
    a.insert(
        "insufficient_data_actions".into(),
        json!(m.insufficient_data_actions()),
    );
    a.insert("metric_query".into(), json!(queries));
    let rid = arn.unwrap_or_else(|| c.local_id("aws_cloudwatch_metric_alarm", name));
    Some(c.resource(rid, "aws_cloudwatch_metric_alarm", Some(name), a))
}

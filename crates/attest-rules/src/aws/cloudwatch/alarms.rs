//! CloudWatch alarms and the metrics they watch, shared by the monitoring rules.

use attest_core::{Resource, ResourceGraph, Tri, Value};

pub const ALARM: &str = "aws_cloudwatch_metric_alarm";

/// A metric an alarm watches: its own `metric_name`/`namespace`/`dimensions`, or a `metric`
/// block of one of its `metric_query` blocks (metric math alarms).
#[derive(Debug, Clone, PartialEq)]
pub struct WatchedMetric {
    pub name: Value,
    pub namespace: Value,
    pub dimensions: Value,
    /// True for a metric found in a `metric_query` block.
    pub in_query: bool,
}

/// The metrics `alarm` watches. An unknown `metric_query` gives one metric with unknown fields.
pub fn watched_metrics(alarm: &Resource) -> Vec<WatchedMetric> {
    let mut out = Vec::new();
    let own = WatchedMetric {
        name: alarm.attr("metric_name").clone(),
        namespace: alarm.attr("namespace").clone(),
        dimensions: alarm.attr("dimensions").clone(),
        in_query: false,
    };
    if !own.name.is_null() || !own.namespace.is_null() {
        out.push(own);
    }
    let unknown = || WatchedMetric {
        name: Value::unknown("metric query not known before apply"),
        namespace: Value::unknown("metric query not known before apply"),
        dimensions: Value::unknown("metric query not known before apply"),
        in_query: true,
    };
    match alarm.attr("metric_query").blocks() {
        None => out.push(unknown()),
        Some(queries) => {
            for query in queries {
                match query.get("metric").blocks() {
                    None => out.push(unknown()),
                    Some(metrics) => out.extend(metrics.into_iter().map(|m| WatchedMetric {
                        name: m.get("metric_name").clone(),
                        namespace: m.get("namespace").clone(),
                        dimensions: m.get("dimensions").clone(),
                        in_query: true,
                    })),
                }
            }
        }
    }
    out
}

/// Whether a string attribute equals one of `expected`.
pub fn equals_any(value: &Value, expected: &[&str]) -> Tri {
    match value {
        Value::String(s) => Tri::from(expected.contains(&s.as_str())),
        Value::Unknown(_) => Tri::Unknown,
        _ => Tri::False,
    }
}

/// Whether two string attributes are equal; unknown when either is.
pub fn same_string(a: &Value, b: &Value) -> Tri {
    match (a, b) {
        (Value::String(x), Value::String(y)) => Tri::from(x == y),
        (Value::Unknown(_), _) | (_, Value::Unknown(_)) => Tri::Unknown,
        _ => Tri::False,
    }
}

/// Resources the `dimensions` of a watched metric reference by edge. Paths of metrics in
/// `metric_query` blocks are matched loosely (any `dimensions` under `metric_query`), since
/// loaders may or may not index the nested blocks.
pub fn dimension_edges(graph: &ResourceGraph, alarm: usize, metric: &WatchedMetric) -> Vec<usize> {
    let mut out: Vec<usize> = graph
        .edges_from(alarm)
        .filter(|e| {
            if metric.in_query {
                e.path.starts_with("metric_query") && e.path.contains("dimensions")
            } else {
                e.path == "dimensions" || e.path.starts_with("dimensions.")
            }
        })
        .map(|e| e.to)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Resources the `metric_name` or `namespace` of a watched metric reference by edge (an alarm
/// written as `metric_name = aws_cloudwatch_log_metric_filter.f.metric_transformation[0].name`).
pub fn metric_edges(graph: &ResourceGraph, alarm: usize, metric: &WatchedMetric) -> Vec<usize> {
    let mut out: Vec<usize> = graph
        .edges_from(alarm)
        .filter(|e| {
            let leaf = e
                .path
                .rsplit('.')
                .find(|s| s.parse::<usize>().is_err())
                .unwrap_or(e.path);
            let nested = e.path.starts_with("metric_query");
            nested == metric.in_query && (leaf == "metric_name" || leaf == "namespace")
        })
        .map(|e| e.to)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

//! The chain from a CloudWatch Logs log group to an alarm: the log group something writes to, the
//! metric filters on it, and the alarms on the metrics those filters publish. Shared by the rules
//! that ask for a metric filter and an alarm on a log (flow logs, CloudTrail).

use attest_core::{Resource, ResourceGraph, Tri, Value};

use crate::aws::cloudwatch::alarms::{metric_edges, same_string, watched_metrics, ALARM};
use crate::aws::links::names_resource;

pub const LOG_GROUP: &str = "aws_cloudwatch_log_group";
pub const FILTER: &str = "aws_cloudwatch_log_metric_filter";

/// The log group something writes to.
pub struct Group {
    pub resource: Option<usize>,
    /// Its name when known.
    pub name: Value,
    pub label: String,
}

impl Group {
    /// A declared log group.
    pub fn declared(graph: &ResourceGraph, lg: usize) -> Group {
        Group {
            resource: Some(lg),
            name: graph.get(lg).attr("name").clone(),
            label: graph.get(lg).id.clone(),
        }
    }

    /// A log group known only by name (or ARN).
    pub fn named(value: &str) -> Group {
        let name = name_from_arn(value).unwrap_or(value).to_string();
        Group {
            resource: None,
            label: format!("log group {name:?}"),
            name: Value::String(name),
        }
    }
}

/// `arn:aws:logs:us-east-1:123456789012:log-group:flow-logs:*` -> `flow-logs`.
pub fn name_from_arn(arn: &str) -> Option<&str> {
    let (_, rest) = arn.split_once(":log-group:")?;
    Some(rest.strip_suffix(":*").unwrap_or(rest))
}

/// Whether a log group ARN (with or without the `:*` suffix) names the log group `lg`.
pub fn same_group_arn(lg: &Resource, value: &str) -> bool {
    let trimmed = value.strip_suffix(":*").unwrap_or(value);
    names_resource(lg, value, &["arn"])
        || names_resource(lg, trimmed, &["arn"])
        || name_from_arn(value).is_some_and(|n| names_resource(lg, n, &["name"]))
}

/// Whether the metric filter `f` reads the log group `group`.
pub fn filter_on_group(graph: &ResourceGraph, f: usize, group: &Group) -> Tri {
    let edges: Vec<usize> = graph
        .referenced_by_attr(f, "log_group_name")
        .into_iter()
        .filter(|&t| graph.get(t).resource_type == LOG_GROUP)
        .collect();
    if let Some(lg) = group.resource {
        if edges.contains(&lg) {
            return Tri::True;
        }
    }
    if !edges.is_empty() {
        return Tri::False;
    }
    let name = graph.get(f).attr("log_group_name");
    if group.name.is_null() && !name.is_null() {
        // A group named by `name_prefix`: its name is only known after apply.
        return Tri::Unknown;
    }
    same_string(name, &group.name)
}

/// The alarms on the metrics a metric filter publishes.
pub struct FilterAlarms {
    /// Whether some alarm watches one of the filter's metrics.
    pub alarmed: Tri,
    /// The alarms that certainly do.
    pub alarms: Vec<usize>,
    /// `metric <namespace>/<name>` of the filter, for messages (`its metric` when unknown).
    pub metric: String,
}

/// Finds the alarms on the metrics of the filter `f`: by an edge from the alarm's metric name
/// or namespace to the filter, or by equal metric name and namespace.
pub fn filter_alarms(graph: &ResourceGraph, f: usize) -> FilterAlarms {
    let filter = graph.get(f);
    let mut alarmed = Tri::False;
    let mut alarms = Vec::new();
    let mut metric = String::from("its metric");
    match filter.attr("metric_transformation").blocks() {
        None => alarmed = Tri::Unknown,
        Some(blocks) => {
            for t in blocks {
                let (name, namespace) = (t.get("name"), t.get("namespace"));
                if let (Some(n), Some(ns)) = (name.as_str(), namespace.as_str()) {
                    metric = format!("metric {ns}/{n}");
                }
                for &a in graph.of_type(ALARM) {
                    let watched = watched_metrics(graph.get(a)).into_iter().map(|m| {
                        if metric_edges(graph, a, &m).contains(&f) {
                            Tri::True
                        } else {
                            same_string(&m.name, name).and(same_string(&m.namespace, namespace))
                        }
                    });
                    let t = Tri::any(watched);
                    if t == Tri::True && !alarms.contains(&a) {
                        alarms.push(a);
                    }
                    alarmed = alarmed.or(t);
                }
            }
        }
    }
    FilterAlarms {
        alarmed,
        alarms,
        metric,
    }
}

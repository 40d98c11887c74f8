//! The chain from a CloudWatch Logs log group to an alarm: the log group something writes to, the
//! metric filters on it, and the alarms on the metrics those filters publish. Shared by the rules
//! that ask for a metric filter and an alarm on a log (flow logs, CloudTrail).

use std::collections::HashMap;

use attest_core::{Resource, ResourceGraph, Tri, Value};

use crate::aws::cloudwatch::alarms::{metric_edges, same_string, watched_metrics, WatchedMetric, ALARM};
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

/// Log groups by the values that name them, built once per rule: what [`same_group_arn`] and
/// a match on `name` find, without comparing the value with every log group.
pub struct GroupIndex<'g> {
    /// By physical id and `arn`.
    by_arn: HashMap<&'g str, Vec<usize>>,
    /// By physical id and `name`.
    by_name: HashMap<&'g str, Vec<usize>>,
}

impl<'g> GroupIndex<'g> {
    pub fn build(graph: &'g ResourceGraph) -> GroupIndex<'g> {
        let mut by_arn: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
        for &lg in graph.of_type(LOG_GROUP) {
            let r = graph.get(lg);
            for (map, attr) in [(&mut by_arn, "arn"), (&mut by_name, "name")] {
                let names = r.physical_id.as_deref().into_iter().chain(r.attr(attr).as_str());
                for name in names.filter(|n| !n.is_empty()) {
                    let list = map.entry(name).or_default();
                    if !list.contains(&lg) {
                        list.push(lg);
                    }
                }
            }
        }
        GroupIndex { by_arn, by_name }
    }

    /// The log groups `value` names as [`same_group_arn`] compares them, in load order.
    pub fn by_arn(&self, value: &str) -> Vec<usize> {
        let trimmed = value.strip_suffix(":*").unwrap_or(value);
        let mut out: Vec<usize> = [value, trimmed]
            .into_iter()
            .filter_map(|v| self.by_arn.get(v))
            .flatten()
            .copied()
            .collect();
        if let Some(name) = name_from_arn(value) {
            out.extend(self.by_name.get(name).into_iter().flatten());
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The log groups whose physical id or `name` is `value`, in load order.
    pub fn by_name(&self, value: &str) -> Vec<usize> {
        self.by_name.get(value).cloned().unwrap_or_default()
    }
}

/// The metric filters by the log group they read, built once per rule so that finding the
/// filters on one log group does not compare it with every filter.
pub struct FilterIndex {
    /// Filters whose `log_group_name` references log groups, by log group.
    by_edge: HashMap<usize, Vec<usize>>,
    /// Filters without such a reference, by their concrete `log_group_name`.
    by_name: HashMap<String, Vec<usize>>,
    /// Filters without such a reference whose `log_group_name` is unknown.
    unknown_name: Vec<usize>,
    /// Filters without such a reference whose `log_group_name` is set.
    named: Vec<usize>,
    /// Filters without such a reference.
    unlinked: Vec<usize>,
}

impl FilterIndex {
    pub fn build(graph: &ResourceGraph) -> FilterIndex {
        let mut index = FilterIndex {
            by_edge: HashMap::new(),
            by_name: HashMap::new(),
            unknown_name: Vec::new(),
            named: Vec::new(),
            unlinked: Vec::new(),
        };
        for &f in graph.of_type(FILTER) {
            let edges: Vec<usize> = graph
                .referenced_by_attr(f, "log_group_name")
                .into_iter()
                .filter(|&t| graph.get(t).resource_type == LOG_GROUP)
                .collect();
            if !edges.is_empty() {
                for lg in edges {
                    let list = index.by_edge.entry(lg).or_default();
                    if list.last() != Some(&f) {
                        list.push(f);
                    }
                }
                continue;
            }
            index.unlinked.push(f);
            let name = graph.get(f).attr("log_group_name");
            match name {
                Value::String(s) => index.by_name.entry(s.clone()).or_default().push(f),
                Value::Unknown(_) => index.unknown_name.push(f),
                _ => {}
            }
            if !name.is_null() {
                index.named.push(f);
            }
        }
        index
    }

    /// The filters that [`filter_on_group`] does not rule out for `group`, in load order.
    pub fn on_group(&self, group: &Group) -> Vec<usize> {
        let mut out: Vec<usize> = group
            .resource
            .and_then(|lg| self.by_edge.get(&lg))
            .cloned()
            .unwrap_or_default();
        match &group.name {
            Value::Null => out.extend(&self.named),
            Value::Unknown(_) => out.extend(&self.unlinked),
            Value::String(name) => {
                out.extend(self.by_name.get(name).into_iter().flatten());
                out.extend(&self.unknown_name);
            }
            _ => out.extend(&self.unknown_name),
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// A metric an alarm watches, with the resources its name or namespace references.
type Watched = (WatchedMetric, Vec<usize>);

/// The alarms with the metrics they watch, built once per rule so that finding the alarms on
/// a filter's metric does not compare the filter with every alarm.
pub struct AlarmIndex {
    /// Each alarm, in load order, with its watched metrics and what their name or namespace
    /// references.
    alarms: Vec<(usize, Vec<Watched>)>,
    /// Positions in `alarms` of the alarms with a metric referencing a resource, by resource.
    by_edge: HashMap<usize, Vec<usize>>,
    /// Positions of the alarms with a metric of concrete namespace and name, by both.
    by_metric: HashMap<(String, String), Vec<usize>>,
    /// Positions of the alarms with a metric whose name or namespace is not a concrete string.
    open: Vec<usize>,
}

impl AlarmIndex {
    pub fn build(graph: &ResourceGraph) -> AlarmIndex {
        let mut index = AlarmIndex {
            alarms: Vec::new(),
            by_edge: HashMap::new(),
            by_metric: HashMap::new(),
            open: Vec::new(),
        };
        for (pos, &a) in graph.of_type(ALARM).iter().enumerate() {
            let mut watched = Vec::new();
            for m in watched_metrics(graph.get(a)) {
                let edges = metric_edges(graph, a, &m);
                for &e in &edges {
                    index.by_edge.entry(e).or_default().push(pos);
                }
                match (&m.namespace, &m.name) {
                    (Value::String(ns), Value::String(n)) => index
                        .by_metric
                        .entry((ns.clone(), n.clone()))
                        .or_default()
                        .push(pos),
                    _ => index.open.push(pos),
                }
                watched.push((m, edges));
            }
            index.alarms.push((a, watched));
        }
        index
    }
}

/// Finds the alarms on the metrics of the filter `f`: by an edge from the alarm's metric name
/// or namespace to the filter, or by equal metric name and namespace.
pub fn filter_alarms(graph: &ResourceGraph, index: &AlarmIndex, f: usize) -> FilterAlarms {
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
                // The alarms left out watch only metrics of other concrete names that do not
                // reference the filter: they do not watch it.
                let positions: Vec<usize> = match (namespace, name) {
                    (Value::String(ns), Value::String(n)) => {
                        let mut p: Vec<usize> = index
                            .by_edge
                            .get(&f)
                            .into_iter()
                            .flatten()
                            .chain(
                                index
                                    .by_metric
                                    .get(&(ns.clone(), n.clone()))
                                    .into_iter()
                                    .flatten(),
                            )
                            .chain(&index.open)
                            .copied()
                            .collect();
                        p.sort_unstable();
                        p.dedup();
                        p
                    }
                    _ => (0..index.alarms.len()).collect(),
                };
                for pos in positions {
                    let (a, metrics) = &index.alarms[pos];
                    let watched = metrics.iter().map(|(m, edges)| {
                        if edges.contains(&f) {
                            Tri::True
                        } else {
                            same_string(&m.name, name).and(same_string(&m.namespace, namespace))
                        }
                    });
                    let t = Tri::any(watched);
                    if t == Tri::True && !alarms.contains(a) {
                        alarms.push(*a);
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

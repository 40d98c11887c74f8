//! The CloudTrail monitoring family: for each class of security-relevant API activity, a metric
//! filter on the log group a trail delivers to, an alarm on the filter's metric, and an SNS topic
//! with a subscriber among the alarm's actions.
//!
//! Filter patterns are compared by their terms: a JSON filter pattern
//! (`{ ($.eventName = CreateTrail) || ($.eventName = "DeleteTrail") }`) is split at `&&` and `||`,
//! parentheses, braces, whitespace and quotes are dropped, and each comparison becomes one term
//! (`$.eventName=CreateTrail`, `$.userIdentity.invokedBy NOT EXISTS`). A pattern covers a class
//! when it holds every term the class requires; the order and grouping of the terms do not
//! matter.

use std::collections::{BTreeSet, HashMap, HashSet};

use attest_core::{Evaluation, ResourceGraph, Tri, Value};

use crate::aws::cloudtrail::trail::{trails, TRAIL};
use crate::aws::cloudwatch::alarms::ALARM;
use crate::aws::cloudwatch::log_chain::{
    filter_alarms, filter_on_group, AlarmIndex, FilterIndex, Group, GroupIndex, FILTER, LOG_GROUP,
};
use crate::aws::links::{resolve_by, Link};
use crate::aws::wording::{not_known, only_known};

pub const TOPIC: &str = "aws_sns_topic";
pub const SUBSCRIPTION: &str = "aws_sns_topic_subscription";

/// A class of API activity the family watches.
pub struct EventClass {
    /// For messages: `CloudTrail configuration changes`.
    pub name: &'static str,
    /// Terms other than event names the pattern must hold (normalized: `$.eventSource=kms.amazonaws.com`).
    pub terms: &'static [&'static str],
    /// Event names (`$.eventName = <name>`) the pattern must hold, every one of them.
    pub events: &'static [&'static str],
}

impl EventClass {
    /// Every required term, normalized.
    fn required(&self) -> Vec<String> {
        self.terms
            .iter()
            .map(|t| t.to_string())
            .chain(self.events.iter().map(|e| format!("$.eventName={e}")))
            .collect()
    }
}

/// The terms of a CloudWatch Logs filter pattern (empty for a pattern that is not a JSON filter).
pub fn pattern_terms(pattern: &str) -> BTreeSet<String> {
    let text = pattern.trim();
    if !text.starts_with('{') {
        return BTreeSet::new();
    }
    let mut pieces = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(q) = quote {
            if c == q {
                quote = None;
            } else {
                cur.push(c);
            }
            i += 1;
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '(' | ')' | '{' | '}' => cur.push(' '),
            '&' | '|' if chars.get(i + 1) == Some(&c) => {
                pieces.push(std::mem::take(&mut cur));
                i += 1;
            }
            _ => cur.push(c),
        }
        i += 1;
    }
    pieces.push(cur);
    pieces.iter().filter_map(|p| term(p)).collect()
}

/// One comparison, normalized: `$.a=b`, `$.a!=b`, `$.a NOT EXISTS`, `$.a IS NULL`.
fn term(piece: &str) -> Option<String> {
    let piece = piece.split_whitespace().collect::<Vec<_>>().join(" ");
    if piece.is_empty() {
        return None;
    }
    for op in ["!=", "="] {
        if let Some((field, value)) = piece.split_once(op) {
            let value = value.trim().trim_start_matches('=').trim();
            return Some(format!("{}{op}{value}", field.trim()));
        }
    }
    let upper = piece.to_ascii_uppercase();
    for suffix in [" NOT EXISTS", " EXISTS", " IS NULL", " NOT NULL"] {
        if upper.ends_with(suffix) {
            let field = piece[..piece.len() - suffix.len()].trim();
            return Some(format!("{field}{suffix}"));
        }
    }
    None
}

/// Whether a pattern covers the class, and the required terms it lacks.
pub fn covers(pattern: &Value, class: &EventClass) -> (Tri, Vec<String>) {
    let Value::String(p) = pattern else {
        return if pattern.is_unknown() {
            (Tri::Unknown, Vec::new())
        } else {
            (Tri::False, class.required())
        };
    };
    let have = pattern_terms(p);
    let missing: Vec<String> = class
        .required()
        .into_iter()
        .filter(|t| !have.contains(t))
        .collect();
    (Tri::from(missing.is_empty()), missing)
}

/// SNS topics and their subscriptions, indexed once per rule.
pub struct Topics<'g> {
    /// Topics by the values that name them (physical id, `arn`, `id`), in load order.
    by_name: HashMap<&'g str, Vec<usize>>,
    /// The concrete `topic_arn` values of the subscriptions.
    subscribed: HashSet<&'g str>,
    /// Whether a subscription has a `topic_arn` not known before apply and no reference edge.
    open: bool,
}

impl<'g> Topics<'g> {
    pub fn build(graph: &'g ResourceGraph) -> Topics<'g> {
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
        for &t in graph.of_type(TOPIC) {
            let r = graph.get(t);
            let names = r
                .physical_id
                .as_deref()
                .into_iter()
                .chain(["arn", "id"].iter().filter_map(|a| r.attr(a).as_str()));
            for name in names.filter(|n| !n.is_empty()) {
                let list = by_name.entry(name).or_default();
                if !list.contains(&t) {
                    list.push(t);
                }
            }
        }
        let mut subscribed = HashSet::new();
        let mut open = false;
        for &s in graph.of_type(SUBSCRIPTION) {
            match graph.get(s).attr("topic_arn") {
                Value::String(arn) => {
                    subscribed.insert(arn.as_str());
                }
                Value::Unknown(_) if graph.referenced_by_attr(s, "topic_arn").is_empty() => open = true,
                _ => {}
            }
        }
        Topics {
            by_name,
            subscribed,
            open,
        }
    }

    /// Whether a topic has a subscription.
    fn subscribed(&self, graph: &ResourceGraph, topic: usize) -> Tri {
        if !graph.referrers(topic, SUBSCRIPTION, "topic_arn").is_empty() {
            return Tri::True;
        }
        let t = graph.get(topic);
        let mut names = t
            .physical_id
            .as_deref()
            .into_iter()
            .chain(["arn", "id"].iter().filter_map(|a| t.attr(a).as_str()));
        if names.any(|n| !n.is_empty() && self.subscribed.contains(n)) {
            Tri::True
        } else if self.open {
            Tri::Unknown
        } else {
            Tri::False
        }
    }
}

/// The indexes one rule of the family looks its chains up in.
pub struct Chains<'g> {
    pub groups: GroupIndex<'g>,
    pub filters: FilterIndex,
    pub alarms: AlarmIndex,
    pub topics: Topics<'g>,
}

impl<'g> Chains<'g> {
    pub fn build(graph: &'g ResourceGraph) -> Chains<'g> {
        Chains {
            groups: GroupIndex::build(graph),
            filters: FilterIndex::build(graph),
            alarms: AlarmIndex::build(graph),
            topics: Topics::build(graph),
        }
    }
}

/// Whether an alarm notifies an SNS topic that has a subscriber, and how it does.
pub fn notifies(graph: &ResourceGraph, index: &Topics, a: usize) -> (Tri, String) {
    let alarm = graph.get(a);
    match alarm.attr("actions_enabled").truthy(true) {
        Tri::False => {
            return (
                Tri::False,
                "has its actions disabled (actions_enabled = false)".into(),
            )
        }
        Tri::Unknown => {
            return (
                Tri::Unknown,
                format!("has an actions_enabled {}", only_known(alarm)),
            )
        }
        Tri::True => {}
    }
    let topics: Vec<usize> = graph
        .referenced_by_attr(a, "alarm_actions")
        .into_iter()
        .filter(|&t| graph.get(t).resource_type == TOPIC)
        .collect();
    if let Some(&t) = topics.iter().find(|&&t| index.subscribed(graph, t) == Tri::True) {
        return (
            Tri::True,
            format!("notifies {}, which has a subscription", graph.get(t).id),
        );
    }
    let mut verdict = Tri::any(topics.iter().map(|&t| index.subscribed(graph, t)));
    let items: Vec<&Value> = match alarm.attr("alarm_actions") {
        Value::List(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        other => vec![other],
    };
    for item in items {
        match item {
            Value::String(arn) if arn.starts_with("arn:aws:sns:") => {
                let declared: Vec<usize> = index.by_name.get(arn.as_str()).cloned().unwrap_or_default();
                let t = if declared.is_empty() {
                    if index.subscribed.contains(arn.as_str()) {
                        Tri::True
                    } else {
                        Tri::Unknown
                    }
                } else {
                    Tri::any(declared.iter().map(|&t| index.subscribed(graph, t)))
                };
                if t == Tri::True {
                    return (
                        Tri::True,
                        format!("notifies SNS topic {arn}, which has a subscription"),
                    );
                }
                verdict = verdict.or(t);
            }
            Value::Unknown(_) if topics.is_empty() => verdict = verdict.or(Tri::Unknown),
            _ => {}
        }
    }
    match verdict {
        Tri::Unknown => (
            Tri::Unknown,
            format!(
                "has alarm_actions of which attest cannot tell whether they reach an SNS topic with a subscription (a \
                 topic or subscription outside the scanned configuration, or values {})",
                only_known(alarm)
            ),
        ),
        _ => (
            Tri::False,
            "has no alarm action that notifies an SNS topic with a subscription".into(),
        ),
    }
}

/// One metric filter that may sit on the trail's log group, and how far the chain gets.
struct Candidate {
    filter: usize,
    on_group: Tri,
    covers: Tri,
    missing: Vec<String>,
    alarmed: Tri,
    metric: String,
    notify: Tri,
    notify_why: String,
}

impl Candidate {
    fn chain(&self) -> Tri {
        self.on_group.and(self.covers).and(self.alarmed).and(self.notify)
    }
}

fn candidate(
    graph: &ResourceGraph,
    chains: &Chains,
    f: usize,
    group: &Group,
    class: &EventClass,
) -> Option<Candidate> {
    let on_group = filter_on_group(graph, f, group);
    if on_group == Tri::False {
        return None;
    }
    let (covers, missing) = covers(graph.get(f).attr("pattern"), class);
    if covers == Tri::False {
        // The chain is broken at the pattern: the alarms need not be looked at.
        return Some(Candidate {
            filter: f,
            on_group,
            covers,
            missing,
            alarmed: Tri::False,
            metric: String::from("its metric"),
            notify: Tri::False,
            notify_why: String::from("the pattern does not cover the event class"),
        });
    }
    let fa = filter_alarms(graph, &chains.alarms, f);
    let mut notify = Tri::False;
    let mut notify_why = String::from("no alarm watches the metric");
    for &a in &fa.alarms {
        let (t, why) = notifies(graph, &chains.topics, a);
        if t == Tri::True {
            notify = Tri::True;
            notify_why = format!("alarm {} {why}", graph.get(a).id);
            break;
        }
        if notify == Tri::False {
            notify_why = format!("alarm {} {why}", graph.get(a).id);
        }
        notify = notify.or(t);
    }
    if fa.alarmed == Tri::Unknown && notify != Tri::True {
        notify = Tri::Unknown;
    }
    Some(Candidate {
        filter: f,
        on_group,
        covers,
        missing,
        alarmed: fa.alarmed,
        metric: fa.metric,
        notify,
        notify_why,
    })
}

/// The evaluations of one rule of the family: one per trail.
pub fn judge_trails(graph: &ResourceGraph, class: &EventClass) -> Vec<Evaluation> {
    let chains = Chains::build(graph);
    trails(graph)
        .into_iter()
        .map(|t| judge(graph, &chains, t, class))
        .collect()
}

fn judge(graph: &ResourceGraph, chains: &Chains, t: usize, class: &EventClass) -> Evaluation {
    let attr = "cloud_watch_logs_group_arn";
    let group = match resolve_by(graph, t, attr, &[LOG_GROUP], |s| chains.groups.by_arn(s)) {
        Link::Resources(found) => Group::declared(graph, found[0]),
        Link::Literal(arn) => Group::named(&arn),
        Link::Unknown => {
            return Evaluation::unknown(
                t,
                format!(
                    "cloud_watch_logs_group_arn is {} and refers to no aws_cloudwatch_log_group in the \
                     scanned configuration",
                    not_known(graph.get(t))
                ),
            )
            .at(attr)
        }
        Link::Absent => {
            return Evaluation::fail(
                t,
                format!(
                    "the trail is not delivered to CloudWatch Logs, so no metric filter can watch it for {}",
                    class.name
                ),
            )
            .at(attr)
        }
    };
    let candidates: Vec<Candidate> = chains
        .filters
        .on_group(&group)
        .into_iter()
        .filter_map(|f| candidate(graph, chains, f, &group, class))
        .collect();
    if let Some(c) = candidates.iter().find(|c| c.chain() == Tri::True) {
        return Evaluation::pass(
            t,
            format!(
                "metric filter {} on {} matches {} into {}; {}",
                graph.get(c.filter).id,
                group.label,
                class.name,
                c.metric,
                c.notify_why
            ),
        );
    }
    if let Some(c) = candidates.iter().find(|c| c.chain() == Tri::Unknown) {
        let part = if c.on_group == Tri::Unknown {
            format!("which log group it reads is {}", not_known(graph.get(c.filter)))
        } else if c.covers == Tri::Unknown {
            format!("its pattern is {}", not_known(graph.get(c.filter)))
        } else if c.alarmed == Tri::Unknown {
            format!(
                "whether an alarm watches its metric is {}",
                not_known(graph.get(c.filter))
            )
        } else {
            c.notify_why.clone()
        };
        return Evaluation::unknown(
            t,
            format!(
                "cannot tell whether metric filter {} on {} completes the alarm chain for {}: {part}",
                graph.get(c.filter).id,
                group.label,
                class.name
            ),
        );
    }
    let matching: Vec<&Candidate> = candidates.iter().filter(|c| c.covers == Tri::True).collect();
    if let Some(c) = matching.iter().find(|c| c.alarmed == Tri::True) {
        return Evaluation::fail(
            t,
            format!(
                "metric filter {} matches {} into {}, but {}",
                graph.get(c.filter).id,
                class.name,
                c.metric,
                c.notify_why
            ),
        );
    }
    if let Some(c) = matching.first() {
        return Evaluation::fail(
            t,
            format!(
                "metric filter {} matches {} into {}, but no CloudWatch alarm watches that metric",
                graph.get(c.filter).id,
                class.name,
                c.metric
            ),
        );
    }
    if candidates.is_empty() {
        return Evaluation::fail(
            t,
            format!(
                "{} has no metric filter, so {} are not counted",
                group.label, class.name
            ),
        );
    }
    let lacking: Vec<String> = candidates
        .iter()
        .map(|c| format!("{} lacks {}", graph.get(c.filter).id, c.missing.join(", ")))
        .collect();
    Evaluation::fail(
        t,
        format!(
            "no metric filter on {} matches {}: {}",
            group.label,
            class.name,
            lacking.join("; ")
        ),
    )
}

/// The resource types the family's rules report on.
pub const TYPES: &[&str] = &[TRAIL, FILTER, ALARM];

/// Declares one rule of the family: its struct, metadata and documentation.
macro_rules! cis_alarm_rule {
    (
        $ty:ident,
        class: $class:expr,
        id: $id:literal,
        title: $title:literal,
        cis: $cis:literal,
        aliases: [$($alias:expr),* $(,)?],
        activity: $activity:literal,
        why: $why:literal,
        metric: $metric:literal,
        pattern: $pattern:literal,
        hcl_pattern: $hcl:literal $(,)?
    ) => {
        pub struct $ty;

        static META: attest_core::RuleMeta = attest_core::RuleMeta {
            id: $id,
            title: $title,
            severity: attest_core::Severity::Medium,
            kind: attest_core::RuleKind::Graph,
            resource_types: $crate::aws::cloudwatch::cis_monitoring::TYPES,
            aliases: &[
                attest_core::Alias { tool: "cis-aws", id: $cis },
                $($alias,)*
            ],
            doc: DOC,
        };

        const DOC: &str = concat!(
            "## What it checks\n\n",
            "For every `aws_cloudtrail` that delivers to CloudWatch Logs, attest follows the chain that \
turns ", $activity, " into a notification:\n\n",
            "1. the log group named by the trail's `cloud_watch_logs_group_arn` (a reference or an ARN);\n",
            "2. an `aws_cloudwatch_log_metric_filter` on that log group whose `pattern` holds every term \
below (in any order or grouping; whitespace and quotes do not matter):\n\n   `",
            $pattern,
            "`\n\n",
            "3. an `aws_cloudwatch_metric_alarm` on the metric the filter publishes (same `metric_name` \
and `namespace`, or a reference to the filter);\n",
            "4. among the alarm's `alarm_actions` (with `actions_enabled` not `false`), an `aws_sns_topic` \
that has an `aws_sns_topic_subscription` — by reference or by concrete ARN.\n\n",
            "A trail without `cloud_watch_logs_group_arn` fails: its events never reach a metric filter. \
A pattern missing a required term fails, and the message names what is missing. Patterns, names \
or topics only known after apply, or an SNS topic outside the scanned configuration with no \
subscription in it, give `unknown`.\n\n",
            "## Why it matters\n\n",
            $why,
            "\n\nSOC 2 CC7.2 asks that system components be monitored for anomalies, and CC7.3 that security \
events be evaluated; an alarm that reaches a person is what makes the recorded events actionable.\n\n",
            "## How to fix\n\n",
            "Terraform:\n\n```hcl\n",
            "resource \"aws_cloudwatch_log_metric_filter\" \"", $metric, "\" {\n",
            "  name           = \"", $metric, "\"\n",
            "  log_group_name = aws_cloudwatch_log_group.cloudtrail.name\n",
            "  pattern        = \"", $hcl, "\"\n\n",
            "  metric_transformation {\n",
            "    name      = \"", $metric, "\"\n",
            "    namespace = \"CISBenchmark\"\n",
            "    value     = \"1\"\n",
            "  }\n}\n\n",
            "resource \"aws_cloudwatch_metric_alarm\" \"", $metric, "\" {\n",
            "  alarm_name          = \"", $metric, "\"\n",
            "  metric_name         = \"", $metric, "\"\n",
            "  namespace           = \"CISBenchmark\"\n",
            "  statistic           = \"Sum\"\n",
            "  period              = 300\n",
            "  evaluation_periods  = 1\n",
            "  threshold           = 1\n",
            "  comparison_operator = \"GreaterThanOrEqualToThreshold\"\n",
            "  alarm_actions       = [aws_sns_topic.security.arn]\n",
            "}\n\n",
            "resource \"aws_sns_topic_subscription\" \"security\" {\n",
            "  topic_arn = aws_sns_topic.security.arn\n",
            "  protocol  = \"email\"\n",
            "  endpoint  = \"security@example.com\"\n",
            "}\n```\n\n",
            "CloudFormation:\n\n```yaml\n",
            "Filter:\n  Type: AWS::Logs::MetricFilter\n  Properties:\n",
            "    LogGroupName: !Ref CloudTrailLogGroup\n",
            "    FilterPattern: '", $pattern, "'\n",
            "    MetricTransformations:\n      - MetricName: ", $metric, "\n        MetricNamespace: CISBenchmark\n        MetricValue: \"1\"\n",
            "Alarm:\n  Type: AWS::CloudWatch::Alarm\n  Properties:\n",
            "    MetricName: ", $metric, "\n    Namespace: CISBenchmark\n    Statistic: Sum\n    Period: 300\n",
            "    EvaluationPeriods: 1\n    Threshold: 1\n    ComparisonOperator: GreaterThanOrEqualToThreshold\n",
            "    AlarmActions: [!Ref SecurityTopic]\n```\n\n",
            "Console: CloudWatch → *Log groups* → the CloudTrail log group → *Metric filters* → *Create \
metric filter* with the pattern above; then *Create alarm* on the new metric with an SNS topic \
that has a confirmed subscription. CLI:\n\n```sh\n",
            "aws logs put-metric-filter --log-group-name cloudtrail --filter-name ", $metric, " \\\n",
            "  --filter-pattern '", $pattern, "' \\\n",
            "  --metric-transformations metricName=", $metric, ",metricNamespace=CISBenchmark,metricValue=1\n",
            "aws cloudwatch put-metric-alarm --alarm-name ", $metric, " --metric-name ", $metric, " \\\n",
            "  --namespace CISBenchmark --statistic Sum --period 300 --evaluation-periods 1 --threshold 1 \\\n",
            "  --comparison-operator GreaterThanOrEqualToThreshold \\\n",
            "  --alarm-actions arn:aws:sns:us-east-1:123456789012:security\n```\n"
        );

        impl attest_core::Rule for $ty {
            fn meta(&self) -> &'static attest_core::RuleMeta {
                &META
            }

            fn check(&self, graph: &attest_core::ResourceGraph) -> Vec<attest_core::Evaluation> {
                $crate::aws::cloudwatch::cis_monitoring::judge_trails(graph, &$class)
            }
        }
    };
}

pub(crate) use cis_alarm_rule;

#[cfg(test)]
pub(crate) mod test_support {
    //! A complete chain, to test each rule of the family with its own pattern.

    use attest_core::{Reference, Resource, Rule, Verdict};
    use serde_json::json;

    use crate::aws::links::test_support::{edge, graph, res};

    pub fn chain(pattern: &str) -> (Vec<Resource>, Vec<Reference>) {
        (
            vec![
                res(
                    "aws_cloudtrail.main",
                    json!({"cloud_watch_logs_group_arn": {"$unknown": "arn"}}),
                ),
                res("aws_cloudwatch_log_group.trail", json!({"name": "cloudtrail"})),
                res(
                    "aws_cloudwatch_log_metric_filter.f",
                    json!({"log_group_name": "cloudtrail", "pattern": pattern,
                           "metric_transformation": [{"name": "M", "namespace": "CIS", "value": "1"}]}),
                ),
                res(
                    "aws_cloudwatch_metric_alarm.a",
                    json!({"metric_name": "M", "namespace": "CIS", "alarm_actions": [{"$unknown": "arn"}]}),
                ),
                res("aws_sns_topic.security", json!({"name": "security"})),
                res(
                    "aws_sns_topic_subscription.email",
                    json!({"topic_arn": {"$unknown": "arn"}}),
                ),
            ],
            vec![
                edge(
                    "aws_cloudtrail.main",
                    "cloud_watch_logs_group_arn",
                    "aws_cloudwatch_log_group.trail",
                ),
                edge(
                    "aws_cloudwatch_metric_alarm.a",
                    "alarm_actions.0",
                    "aws_sns_topic.security",
                ),
                edge(
                    "aws_sns_topic_subscription.email",
                    "topic_arn",
                    "aws_sns_topic.security",
                ),
            ],
        )
    }

    /// `good` passes; `lacking` fails and the message names `missing`.
    pub fn check_rule(rule: &dyn Rule, good: &str, lacking: &str, missing: &str) {
        let (r, e) = chain(good);
        let g = graph(r, &e);
        let evals = rule.check(&g);
        assert_eq!(evals.len(), 1);
        assert_eq!(evals[0].verdict, Verdict::Pass, "{}", evals[0].message);
        let (r, e) = chain(lacking);
        let g = graph(r, &e);
        let evals = rule.check(&g);
        assert_eq!(evals[0].verdict, Verdict::Fail, "{}", evals[0].message);
        assert!(evals[0].message.contains(missing), "{}", evals[0].message);
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::test_support::chain;
    use super::*;
    use crate::aws::links::test_support::{graph, res, unknown};

    static CLASS: EventClass = EventClass {
        name: "test events",
        terms: &["$.eventSource=kms.amazonaws.com"],
        events: &["DisableKey", "ScheduleKeyDeletion"],
    };

    const GOOD: &str =
        "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion))}";

    fn run(resources: Vec<attest_core::Resource>, edges: &[attest_core::Reference]) -> (Verdict, String) {
        let g = graph(resources, edges);
        let e = judge_trails(&g, &CLASS);
        assert_eq!(e.len(), 1);
        (e[0].verdict, e[0].message.clone())
    }

    #[test]
    fn terms_ignore_order_quotes_and_spacing() {
        let a = pattern_terms(GOOD);
        let b = pattern_terms(
            "{ ( $.eventName = \"ScheduleKeyDeletion\" ) || ($.eventName = 'DisableKey') && $.eventSource = \"kms.amazonaws.com\" }",
        );
        assert_eq!(a, b);
        assert!(pattern_terms(
            "{ $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"
        )
        .is_superset(
            &[
                "$.userIdentity.invokedBy NOT EXISTS".to_string(),
                "$.eventType!=AwsServiceEvent".to_string()
            ]
            .into_iter()
            .collect()
        ));
        assert!(pattern_terms("DisableKey").is_empty());
        assert_eq!(covers(&Value::from(GOOD), &CLASS).0, Tri::True);
        let (t, missing) = covers(&Value::from("{ $.eventName = DisableKey }"), &CLASS);
        assert_eq!(t, Tri::False);
        assert_eq!(
            missing,
            vec![
                "$.eventSource=kms.amazonaws.com",
                "$.eventName=ScheduleKeyDeletion"
            ]
        );
        assert_eq!(covers(&Value::unknown("x"), &CLASS).0, Tri::Unknown);
    }

    #[test]
    fn complete_chain_passes() {
        let (r, e) = chain(GOOD);
        let (v, m) = run(r, &e);
        assert_eq!(v, Verdict::Pass, "{m}");
        assert!(m.contains("aws_sns_topic.security"), "{m}");
    }

    #[test]
    fn each_missing_link_fails() {
        // No delivery to CloudWatch Logs.
        let (v, m) = run(vec![res("aws_cloudtrail.main", json!({}))], &[]);
        assert_eq!(v, Verdict::Fail);
        assert!(m.contains("not delivered to CloudWatch Logs"), "{m}");
        // Pattern lacking an event.
        let (r, e) = chain("{ ($.eventSource = kms.amazonaws.com) && ($.eventName = DisableKey) }");
        let (v, m) = run(r, &e);
        assert_eq!(v, Verdict::Fail);
        assert!(m.contains("ScheduleKeyDeletion"), "{m}");
        // No filter at all.
        let (mut r, e) = chain(GOOD);
        r.remove(2);
        let (v, m) = run(r, &e);
        assert_eq!(v, Verdict::Fail);
        assert!(m.contains("has no metric filter"), "{m}");
        // No alarm.
        let (mut r, e) = chain(GOOD);
        r.remove(3);
        let (v, m) = run(r, &e);
        assert_eq!(v, Verdict::Fail);
        assert!(m.contains("no CloudWatch alarm"), "{m}");
        // Topic without subscription.
        let (mut r, e) = chain(GOOD);
        r.remove(5);
        let (v, m) = run(r, &e);
        assert_eq!(v, Verdict::Fail);
        assert!(m.contains("subscription"), "{m}");
        // Actions disabled.
        let (mut r, e) = chain(GOOD);
        r[3] = res(
            "aws_cloudwatch_metric_alarm.a",
            json!({"metric_name": "M", "namespace": "CIS", "actions_enabled": false, "alarm_actions": [unknown()]}),
        );
        let (v, m) = run(r, &e);
        assert_eq!(v, Verdict::Fail);
        assert!(m.contains("disabled"), "{m}");
        // Filter on another log group.
        let (mut r, e) = chain(GOOD);
        r[2] = res(
            "aws_cloudwatch_log_metric_filter.f",
            json!({"log_group_name": "other", "pattern": GOOD,
                   "metric_transformation": [{"name": "M", "namespace": "CIS"}]}),
        );
        assert_eq!(run(r, &e).0, Verdict::Fail);
    }

    #[test]
    fn concrete_arns_and_unknowns() {
        // Concrete topic ARN with a subscription naming the same ARN, log group by ARN.
        let arn = "arn:aws:sns:us-east-1:123456789012:security";
        let resources = vec![
            res(
                "aws_cloudtrail.main",
                json!({"cloud_watch_logs_group_arn": "arn:aws:logs:us-east-1:123456789012:log-group:cloudtrail:*"}),
            ),
            res(
                "aws_cloudwatch_log_metric_filter.f",
                json!({"log_group_name": "cloudtrail", "pattern": GOOD,
                       "metric_transformation": [{"name": "M", "namespace": "CIS"}]}),
            ),
            res(
                "aws_cloudwatch_metric_alarm.a",
                json!({"metric_name": "M", "namespace": "CIS", "alarm_actions": [arn]}),
            ),
            res("aws_sns_topic_subscription.s", json!({"topic_arn": arn})),
        ];
        let (v, m) = run(resources.clone(), &[]);
        assert_eq!(v, Verdict::Pass, "{m}");
        // The topic is outside the configuration and nothing subscribes to it here.
        let (v, m) = run(resources[..3].to_vec(), &[]);
        assert_eq!(v, Verdict::Unknown, "{m}");
        // Unknown pattern.
        let (mut r, e) = chain(GOOD);
        r[2] = res(
            "aws_cloudwatch_log_metric_filter.f",
            json!({"log_group_name": "cloudtrail", "pattern": unknown(),
                   "metric_transformation": [{"name": "M", "namespace": "CIS"}]}),
        );
        let (v, m) = run(r, &e);
        assert_eq!(v, Verdict::Unknown);
        assert!(m.contains("pattern"), "{m}");
        // Unknown log group without an edge.
        let (r, _) = chain(GOOD);
        assert_eq!(run(r, &[]).0, Verdict::Unknown);
    }
}

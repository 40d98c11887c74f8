//! Verdicts a live scan could not decide: when a rule looks through resources of another type
//! ([`Rule::looks_through`]) and a list call for that type failed in the subject's account and
//! region (a placeholder stands there), the subject's pass or fail becomes `unknown`. What could
//! not be read might have changed the verdict either way.

use attest_core::{
    is_unreadable_placeholder, Evaluation, InputKind, Resource, ResourceGraph, Value, Verdict,
};

/// The placeholders of a graph, found once per scan.
pub struct Unreadable<'g> {
    placeholders: Vec<&'g Resource>,
}

/// The types of a live collection's scope: their evaluations are account-level rules that weigh
/// placeholders themselves.
const SCOPE_TYPES: &[&str] = &["aws_region", "aws_caller_identity"];

impl<'g> Unreadable<'g> {
    pub fn of(graph: &'g ResourceGraph) -> Self {
        Unreadable {
            placeholders: graph
                .resources()
                .iter()
                .filter(|r| is_unreadable_placeholder(r))
                .collect(),
        }
    }

    /// `evaluations` with every decided verdict that depends on an unreadable type made unknown.
    pub fn temper(
        &self,
        graph: &ResourceGraph,
        types: &[&str],
        evaluations: Vec<Evaluation>,
    ) -> Vec<Evaluation> {
        if self.placeholders.is_empty() || types.is_empty() {
            return evaluations;
        }
        evaluations
            .into_iter()
            .map(|mut ev| {
                let Some(i) = ev.resource else { return ev };
                if ev.verdict == Verdict::Unknown {
                    return ev;
                }
                let subject = graph.get(i);
                if subject.provenance.input != InputKind::Live
                    || SCOPE_TYPES.contains(&subject.resource_type.as_str())
                {
                    return ev;
                }
                if let Some(p) = self.placeholders.iter().find(|p| {
                    types.contains(&p.resource_type.as_str())
                        && p.resource_type != subject.resource_type
                        && same_scope(p, subject)
                }) {
                    ev.verdict = Verdict::Unknown;
                    ev.message = format!(
                        "{}; not decided: {} in {} could not be read ({})",
                        ev.message,
                        p.resource_type,
                        place(p),
                        reason(p)
                    );
                }
                ev
            })
            .collect()
    }
}

/// Same account (when both are known) and same region (a global placeholder or subject matches
/// every region).
fn same_scope(p: &Resource, r: &Resource) -> bool {
    let account = match (&p.provenance.account, &r.provenance.account) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    let region = match (&p.provenance.region, &r.provenance.region) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    account && region
}

fn place(p: &Resource) -> String {
    match (&p.provenance.account, &p.provenance.region) {
        (Some(a), Some(r)) => format!("{a}/{r}"),
        (Some(a), None) => format!("account {a}"),
        (None, Some(r)) => r.clone(),
        (None, None) => "the account".to_string(),
    }
}

/// The reason a placeholder carries: the first unknown value's.
fn reason(p: &Resource) -> String {
    fn first(v: &Value) -> Option<&str> {
        match v {
            Value::Unknown(why) => Some(why),
            Value::Object(map) => map.values().find_map(first),
            Value::List(items) => items.iter().find_map(first),
            _ => None,
        }
    }
    first(&p.attributes).unwrap_or("the list call failed").to_string()
}

#[cfg(test)]
mod tests {
    use attest_core::{Mode, Provenance};

    use super::*;

    fn live(id: &str, ty: &str, region: &str, attrs: serde_json::Value) -> Resource {
        let mut p = Provenance::new(InputKind::Live);
        p.account = Some("111122223333".into());
        p.region = Some(region.into());
        Resource::new(id, ty, Value::from_json(&attrs), p)
    }

    fn placeholder(ty: &str, region: &str) -> Resource {
        let mut r = live(
            &format!("{ty}:{region}:unreadable"),
            ty,
            region,
            serde_json::json!({"vpc_id": {"$unknown": "AccessDenied on ec2:DescribeFlowLogs"}}),
        );
        r.mode = Mode::Data;
        r
    }

    #[test]
    fn decided_verdicts_on_subjects_in_the_unreadable_scope_become_unknown() {
        let graph = ResourceGraph::new(
            vec![
                live("vpc-a", "aws_vpc", "us-east-1", serde_json::json!({})),
                live("vpc-b", "aws_vpc", "eu-west-1", serde_json::json!({})),
                placeholder("aws_flow_log", "us-east-1"),
            ],
            &[],
        );
        let u = Unreadable::of(&graph);
        let evs = vec![
            Evaluation::fail(0, "no flow log records this VPC's traffic"),
            Evaluation::fail(1, "no flow log records this VPC's traffic"),
        ];
        let out = u.temper(&graph, &["aws_flow_log"], evs.clone());
        assert_eq!(out[0].verdict, Verdict::Unknown);
        assert_eq!(
            out[0].message,
            "no flow log records this VPC's traffic; not decided: aws_flow_log in 111122223333/us-east-1 \
             could not be read (AccessDenied on ec2:DescribeFlowLogs)"
        );
        // Another region read its flow logs: its verdict stands.
        assert_eq!(out[1].verdict, Verdict::Fail);
        // Rules that do not look through flow logs are untouched.
        let same = u.temper(&graph, &["aws_lb"], evs);
        assert_eq!(same[0].verdict, Verdict::Fail);
    }

    #[test]
    fn iac_subjects_are_untouched() {
        let iac = Resource::new(
            "aws_vpc.main",
            "aws_vpc",
            Value::from_json(&serde_json::json!({})),
            Provenance::new(InputKind::TfHcl),
        );
        let graph = ResourceGraph::new(vec![iac, placeholder("aws_flow_log", "us-east-1")], &[]);
        let out = Unreadable::of(&graph).temper(&graph, &["aws_flow_log"], vec![Evaluation::pass(0, "ok")]);
        assert_eq!(out[0].verdict, Verdict::Pass);
    }
}

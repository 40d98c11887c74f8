//! Network ACL ingress shared by the "no administration port open to the internet" NACL rules.
//!
//! A network ACL's inbound entries are its inline `ingress` blocks (`aws_network_acl`,
//! `aws_default_network_acl`) and the `aws_network_acl_rule` resources with `egress = false`
//! that name it in `network_acl_id`. AWS evaluates them in ascending rule number and applies the
//! first that matches a packet; a packet no entry matches is denied.

use attest_core::{Evaluation, ResourceGraph, Tri, Value};

use crate::aws::ec2::sg_ingress::{is_whole_internet, protocol, Proto};
use crate::aws::links::{ids, managed, names_resource, resolve, Link};

pub const NACL: &str = "aws_network_acl";
pub const DEFAULT_NACL: &str = "aws_default_network_acl";
pub const NACL_RULE: &str = "aws_network_acl_rule";
pub const NACLS: &[&str] = &[NACL, DEFAULT_NACL];
pub const SUBJECTS: &[&str] = &[NACL, DEFAULT_NACL, NACL_RULE];

/// The address families a probe comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    V4,
    V6,
}

/// One inbound NACL entry.
#[derive(Debug, Clone)]
struct NaclEntry {
    label: String,
    /// `None` when not known.
    rule_no: Option<i64>,
    /// Allow → true, deny → false.
    allow: Tri,
    protocol: Option<Proto>,
    ports: Option<(i64, i64)>,
    /// The IPv4 and IPv6 source ranges; `Err(())` when unknown, `Ok(None)` when unset.
    v4: Result<Option<String>, ()>,
    v6: Result<Option<String>, ()>,
    /// Whether it is an inbound entry (`aws_network_acl_rule.egress`).
    inbound: Tri,
}

fn cidr(v: &Value) -> Result<Option<String>, ()> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Ok(Some(s.trim().to_string())),
        Value::Unknown(_) => Err(()),
        _ => Ok(None),
    }
}

impl NaclEntry {
    #[allow(clippy::too_many_arguments)]
    fn new(
        label: String,
        rule_no: &Value,
        action: &Value,
        proto: &Value,
        from: &Value,
        to: &Value,
        v4: &Value,
        v6: &Value,
        inbound: Tri,
    ) -> Self {
        let allow = match action.as_str().map(|a| a.trim().to_ascii_lowercase()) {
            Some(a) if a == "allow" => Tri::True,
            Some(a) if a == "deny" => Tri::False,
            _ => Tri::Unknown,
        };
        NaclEntry {
            label,
            rule_no: rule_no.as_i64(),
            allow,
            protocol: protocol(proto).map(|(p, _)| p),
            ports: from.as_i64().zip(to.as_i64()),
            v4: cidr(v4),
            v6: cidr(v6),
            inbound,
        }
    }

    /// Whether the entry applies to all traffic of `family` to `port` over `proto` (a narrower
    /// source range neither exposes nor protects the whole internet).
    fn covers(&self, family: Family, proto: Proto, port: i64) -> Tri {
        let source = match (family, &self.v4, &self.v6) {
            (Family::V4, Ok(Some(c)), _) | (Family::V6, _, Ok(Some(c))) => Tri::from(is_whole_internet(c)),
            (Family::V4, Err(()), _) | (Family::V6, _, Err(())) => Tri::Unknown,
            _ => Tri::False,
        };
        let traffic = match self.protocol {
            None => Tri::Unknown,
            Some(Proto::All) => Tri::True,
            Some(p) if p == proto => match self.ports {
                Some((f, t)) => Tri::from(f <= port && port <= t),
                None => Tri::Unknown,
            },
            Some(_) => Tri::False,
        };
        self.inbound.and(source).and(traffic)
    }
}

impl NaclEntry {
    /// Whether the entry applies to all traffic of some family and protocol to `port`.
    fn reaches(&self, port: i64) -> Tri {
        Tri::any(
            [Family::V4, Family::V6]
                .into_iter()
                .flat_map(|f| [Proto::Tcp, Proto::Udp].map(|p| self.covers(f, p, port))),
        )
    }
}

/// Whether entries in this order let all traffic of `family` reach `port` over `proto`. Folded
/// from the last entry to the first: the implicit final entry denies.
fn allowed_in_order(entries: &[&NaclEntry], family: Family, proto: Proto, port: i64) -> Tri {
    entries
        .iter()
        .rev()
        .fold(Tri::False, |after, e| match e.covers(family, proto, port) {
            Tri::True => e.allow,
            Tri::False => after,
            Tri::Unknown if e.allow == after => after,
            Tri::Unknown => Tri::Unknown,
        })
}

/// Whether the entries let the whole internet reach `port` (TCP or UDP, IPv4 or IPv6), with rule
/// numbers taken into account. Entries whose number is unknown are tried both first and last; when
/// the answers differ, the result is unknown.
fn exposed(entries: &[NaclEntry], port: i64) -> Tri {
    let mut known: Vec<&NaclEntry> = entries.iter().filter(|e| e.rule_no.is_some()).collect();
    known.sort_by_key(|e| e.rule_no);
    let unnumbered: Vec<&NaclEntry> = entries.iter().filter(|e| e.rule_no.is_none()).collect();
    let mut orders = vec![known.clone()];
    if !unnumbered.is_empty() {
        for front in [true, false] {
            for reversed in [false, true] {
                let mut u = unnumbered.clone();
                if reversed {
                    u.reverse();
                }
                let mut order = if front { u.clone() } else { known.clone() };
                order.extend(if front { known.clone() } else { u });
                orders.push(order);
            }
        }
        orders.remove(0);
    }
    let mut result = Tri::False;
    for family in [Family::V4, Family::V6] {
        for proto in [Proto::Tcp, Proto::Udp] {
            let answers: Vec<Tri> = orders
                .iter()
                .map(|o| allowed_in_order(o, family, proto, port))
                .collect();
            let answer = if answers.iter().all(|a| *a == answers[0]) {
                answers[0]
            } else {
                Tri::Unknown
            };
            result = result.or(answer);
        }
    }
    result
}

fn inline_entries(graph: &ResourceGraph, n: usize) -> Option<Vec<NaclEntry>> {
    let blocks = graph.get(n).attr("ingress").blocks()?;
    Some(
        blocks
            .into_iter()
            .enumerate()
            .map(|(i, b)| {
                NaclEntry::new(
                    format!("ingress block {i}"),
                    b.get("rule_no"),
                    b.get("action"),
                    b.get("protocol"),
                    b.get("from_port"),
                    b.get("to_port"),
                    b.get("cidr_block"),
                    b.get("ipv6_cidr_block"),
                    if b.is_unknown() { Tri::Unknown } else { Tri::True },
                )
            })
            .collect(),
    )
}

fn rule_entry(graph: &ResourceGraph, r: usize) -> NaclEntry {
    let rule = graph.get(r);
    let number = match rule.attr("rule_number") {
        Value::Null => rule.attr("rule_no"),
        v => v,
    };
    NaclEntry::new(
        rule.id.clone(),
        number,
        rule.attr("rule_action"),
        rule.attr("protocol"),
        rule.attr("from_port"),
        rule.attr("to_port"),
        rule.attr("cidr_block"),
        rule.attr("ipv6_cidr_block"),
        rule.attr("egress").truthy(false).not(),
    )
}

/// One evaluation per managed network ACL, and one per `aws_network_acl_rule` whose network ACL
/// is not in the graph: does the whole internet reach `port` (`name` is the service, for
/// messages)?
pub fn check_nacl_port(graph: &ResourceGraph, port: i64, name: &str) -> Vec<Evaluation> {
    let nacls = managed(graph, NACLS);
    let mut attached: Vec<Vec<usize>> = vec![Vec::new(); nacls.len()];
    let mut maybe: Vec<Vec<usize>> = vec![Vec::new(); nacls.len()];
    let mut orphans = Vec::new();
    for r in managed(graph, &[NACL_RULE]) {
        match resolve(graph, r, "network_acl_id", NACLS, |n, v| {
            names_resource(n, v, &["id"])
        }) {
            Link::Resources(found) => {
                let mut any = false;
                for (k, &n) in nacls.iter().enumerate() {
                    if found.contains(&n) {
                        attached[k].push(r);
                        any = true;
                    }
                }
                if !any {
                    orphans.push(r);
                }
            }
            Link::Unknown => {
                for m in maybe.iter_mut() {
                    m.push(r);
                }
                orphans.push(r);
            }
            Link::Literal(_) | Link::Absent => orphans.push(r),
        }
    }
    let what = format!("{name} (port {port}) from 0.0.0.0/0 or ::/0");
    let mut out = Vec::new();
    for (k, &n) in nacls.iter().enumerate() {
        let Some(mut entries) = inline_entries(graph, n) else {
            out.push(Evaluation::unknown(
                n,
                format!(
                    "cannot tell whether it allows {what}: its ingress entries are not known before apply"
                ),
            ));
            continue;
        };
        entries.extend(attached[k].iter().map(|&r| rule_entry(graph, r)));
        let verdict = exposed(&entries, port);
        let listing = entries
            .iter()
            .filter(|e| e.allow != Tri::False && e.reaches(port) != Tri::False)
            .map(|e| match e.rule_no {
                Some(no) => format!("{} (rule {no})", e.label),
                None => format!("{} (rule number not known before apply)", e.label),
            })
            .collect::<Vec<_>>()
            .join(", ");
        out.push(match verdict {
            Tri::True => Evaluation::fail(
                n,
                format!("allows {what}: {listing}, and no lower-numbered entry denies it"),
            )
            .at("ingress"),
            Tri::False if maybe[k].is_empty() => Evaluation::pass(
                n,
                format!(
                    "its {} inbound entr(ies) do not allow {what} (a lower-numbered deny or no matching allow)",
                    entries.len()
                ),
            ),
            Tri::False => Evaluation::unknown(
                n,
                format!(
                    "its own entries do not allow {what}, but {} may add entries to it (network ACL not known before apply)",
                    ids(graph, &maybe[k])
                ),
            ),
            Tri::Unknown => Evaluation::unknown(
                n,
                format!("cannot tell whether it allows {what}: part of its entries is not known before apply"),
            ),
        });
    }
    for r in orphans {
        let e = rule_entry(graph, r);
        let opens = e.reaches(port).and(e.allow);
        out.push(match opens {
            Tri::False => Evaluation::pass(r, format!("does not allow {what}")),
            _ => Evaluation::unknown(
                r,
                format!(
                    "may allow {what}, but its network ACL is not in the scanned configuration: cannot tell \
                     whether a lower-numbered entry denies it"
                ),
            )
            .at("network_acl_id"),
        });
    }
    out.sort_by_key(|e| e.resource);
    out
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    fn entry(no: i64, action: &str, proto: &str, from: i64, to: i64, cidr: &str) -> serde_json::Value {
        let key = if cidr.contains(':') {
            "ipv6_cidr_block"
        } else {
            "cidr_block"
        };
        json!({"rule_no": no, "action": action, "protocol": proto, "from_port": from, "to_port": to, key: cidr})
    }

    fn run(g: &ResourceGraph) -> Vec<(String, Verdict)> {
        verdicts(g, &check_nacl_port(g, 22, "SSH"))
    }

    #[test]
    fn rule_order_decides() {
        let g = graph(
            vec![
                res(
                    "aws_network_acl.open",
                    json!({"ingress": [entry(100, "allow", "tcp", 0, 1024, "0.0.0.0/0")]}),
                ),
                res(
                    "aws_network_acl.all",
                    json!({"ingress": [entry(100, "allow", "-1", 0, 0, "::/0")]}),
                ),
                res(
                    "aws_network_acl.denied_first",
                    json!({"ingress": [
                        entry(200, "allow", "-1", 0, 0, "0.0.0.0/0"),
                        entry(100, "deny", "tcp", 22, 22, "0.0.0.0/0"),
                        entry(110, "deny", "udp", 22, 22, "0.0.0.0/0"),
                        entry(120, "deny", "-1", 0, 0, "::/0"),
                    ]}),
                ),
                res(
                    "aws_network_acl.denied_later",
                    json!({"ingress": [
                        entry(100, "allow", "tcp", 22, 22, "0.0.0.0/0"),
                        entry(200, "deny", "tcp", 22, 22, "0.0.0.0/0"),
                    ]}),
                ),
                res(
                    "aws_network_acl.partial_deny",
                    json!({"ingress": [
                        entry(100, "deny", "tcp", 22, 22, "203.0.113.0/24"),
                        entry(200, "allow", "tcp", 22, 22, "0.0.0.0/0"),
                    ]}),
                ),
                res(
                    "aws_network_acl.private",
                    json!({"ingress": [entry(100, "allow", "tcp", 22, 22, "10.0.0.0/8")]}),
                ),
                res("aws_default_network_acl.default", json!({})),
            ],
            &[],
        );
        assert_eq!(
            run(&g),
            vec![
                ("aws_network_acl.open".into(), Verdict::Fail),
                ("aws_network_acl.all".into(), Verdict::Fail),
                ("aws_network_acl.denied_first".into(), Verdict::Pass),
                ("aws_network_acl.denied_later".into(), Verdict::Fail),
                ("aws_network_acl.partial_deny".into(), Verdict::Fail),
                ("aws_network_acl.private".into(), Verdict::Pass),
                ("aws_default_network_acl.default".into(), Verdict::Pass),
            ]
        );
    }

    #[test]
    fn unknowns_matter_only_where_they_could_change_the_outcome() {
        let g = graph(
            vec![
                res(
                    "aws_network_acl.cidr",
                    json!({"ingress": [
                    {"rule_no": 100, "action": "allow", "protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_block": unknown()}]}),
                ),
                res(
                    "aws_network_acl.deny_unknown",
                    json!({"ingress": [
                    {"rule_no": 100, "action": "deny", "protocol": "tcp", "from_port": unknown(), "to_port": 22, "cidr_block": "0.0.0.0/0"},
                    entry(200, "allow", "tcp", 22, 22, "0.0.0.0/0")]}),
                ),
                res(
                    "aws_network_acl.allow_after_deny_all",
                    json!({"ingress": [
                    entry(100, "deny", "-1", 0, 0, "0.0.0.0/0"),
                    entry(101, "deny", "-1", 0, 0, "::/0"),
                    {"rule_no": 200, "action": "allow", "protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_block": unknown()}]}),
                ),
                res("aws_network_acl.blocks", json!({"ingress": unknown()})),
                res(
                    "aws_network_acl.number",
                    json!({"ingress": [
                    {"rule_no": unknown(), "action": "deny", "protocol": "-1", "from_port": 0, "to_port": 0, "cidr_block": "0.0.0.0/0"},
                    entry(200, "allow", "tcp", 22, 22, "0.0.0.0/0")]}),
                ),
            ],
            &[],
        );
        assert_eq!(
            run(&g),
            vec![
                ("aws_network_acl.cidr".into(), Verdict::Unknown),
                ("aws_network_acl.deny_unknown".into(), Verdict::Unknown),
                ("aws_network_acl.allow_after_deny_all".into(), Verdict::Pass),
                ("aws_network_acl.blocks".into(), Verdict::Unknown),
                ("aws_network_acl.number".into(), Verdict::Unknown),
            ]
        );
    }

    #[test]
    fn separate_rules_join_their_acl_and_orphans_are_judged_alone() {
        let g = graph(
            vec![
                res("aws_network_acl.main", json!({"id": "acl-1"})),
                res(
                    "aws_network_acl.guarded",
                    json!({"ingress": [entry(50, "deny", "-1", 0, 0, "0.0.0.0/0")]}),
                ),
                res(
                    "aws_network_acl_rule.ssh",
                    json!({"network_acl_id": "acl-1", "rule_number": 100,
                    "egress": false, "protocol": "tcp", "rule_action": "allow", "cidr_block": "0.0.0.0/0",
                    "from_port": 22, "to_port": 22}),
                ),
                res(
                    "aws_network_acl_rule.guarded_ssh",
                    json!({"network_acl_id": unknown(), "rule_number": 100,
                    "protocol": "6", "rule_action": "allow", "cidr_block": "0.0.0.0/0",
                    "from_port": 22, "to_port": 22}),
                ),
                res(
                    "aws_network_acl_rule.out",
                    json!({"network_acl_id": "acl-1", "rule_number": 100,
                    "egress": true, "protocol": "-1", "rule_action": "allow", "cidr_block": "0.0.0.0/0"}),
                ),
                res(
                    "aws_network_acl_rule.elsewhere",
                    json!({"network_acl_id": "acl-other", "rule_number": 10,
                    "protocol": "tcp", "rule_action": "allow", "cidr_block": "0.0.0.0/0",
                    "from_port": 22, "to_port": 22}),
                ),
                res(
                    "aws_network_acl_rule.elsewhere_https",
                    json!({"network_acl_id": "acl-other", "rule_number": 11,
                    "protocol": "tcp", "rule_action": "allow", "cidr_block": "0.0.0.0/0",
                    "from_port": 443, "to_port": 443}),
                ),
            ],
            &[edge(
                "aws_network_acl_rule.guarded_ssh",
                "network_acl_id",
                "aws_network_acl.guarded",
            )],
        );
        assert_eq!(
            run(&g),
            vec![
                ("aws_network_acl.main".into(), Verdict::Fail),
                ("aws_network_acl.guarded".into(), Verdict::Pass),
                ("aws_network_acl_rule.elsewhere".into(), Verdict::Unknown),
                ("aws_network_acl_rule.elsewhere_https".into(), Verdict::Pass),
            ]
        );
    }
}

//! Security group ingress shared by the security-group rules: what each ingress permission of a
//! group allows (protocol, ports, sources), and the common ways of judging groups on it.
//!
//! A group's ingress is its `ingress` list as the loaders give it: inline blocks plus the
//! entries joined from `aws_security_group_rule` / `aws_vpc_security_group_ingress_rule`
//! resources (each carrying `_source`, see `attest_iac::normalize`). Rule resources that could
//! not be joined to a group in the graph are judged on their own.

use std::collections::{BTreeSet, HashMap};

use attest_core::{Evaluation, Mode, Resource, ResourceGraph, Tri, Value};

use crate::aws::links::{ids, managed, names_resource, resolve, Link};
use crate::aws::wording::not_known;

pub const GROUP: &str = "aws_security_group";
pub const DEFAULT_GROUP: &str = "aws_default_security_group";
pub const RULE: &str = "aws_security_group_rule";
pub const INGRESS_RULE: &str = "aws_vpc_security_group_ingress_rule";
pub const EGRESS_RULE: &str = "aws_vpc_security_group_egress_rule";
/// Both kinds of group a rule judges.
pub const GROUPS: &[&str] = &[GROUP, DEFAULT_GROUP];
/// The resource types a group-and-orphan-rules check reports on.
pub const SUBJECTS: &[&str] = &[GROUP, DEFAULT_GROUP, RULE, INGRESS_RULE];
/// The key with which the loaders mark an `ingress` entry that a separate rule resource
/// contributed (`attest_iac::normalize`).
const SOURCE_KEY: &str = "_source";
const MAX_PORT: i64 = 65535;

/// An IP protocol as security groups and network ACLs write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proto {
    /// `-1` / `all`: every protocol and port.
    All,
    Tcp,
    Udp,
    /// ICMP, ICMPv6 and every other protocol number: no ports.
    Other,
}

/// Parses a protocol (`tcp`, `6`, `-1`, `all`, `udp`, `17`, `icmp`…); `None` when unknown.
pub fn protocol(value: &Value) -> Option<(Proto, String)> {
    let name = match value {
        Value::String(s) => s.trim().to_ascii_lowercase(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let proto = match name.as_str() {
        "-1" | "all" => Proto::All,
        "tcp" | "6" => Proto::Tcp,
        "udp" | "17" => Proto::Udp,
        _ => Proto::Other,
    };
    Some((proto, name))
}

/// Whether a CIDR is a whole address family (`0.0.0.0/0`, `::/0`).
pub fn is_whole_internet(cidr: &str) -> bool {
    cidr.trim()
        .split_once('/')
        .is_some_and(|(_, len)| len.trim() == "0")
}

/// One ingress permission of a group: an inline block, a joined entry or a rule resource.
#[derive(Debug, Clone)]
pub struct Permission {
    /// `ingress block 0`, `aws_security_group_rule.http`.
    pub label: String,
    /// Whether it is ingress at all (an `aws_security_group_rule` may be egress or unknown).
    pub ingress: Tri,
    /// `None` when the protocol is not known.
    pub protocol: Option<(Proto, String)>,
    /// The port range for TCP and UDP; `None` when unknown.
    pub ports: Option<(i64, i64)>,
    /// Every concrete CIDR source (IPv4 and IPv6).
    pub cidrs: Vec<String>,
    /// Some CIDR source is not known.
    pub cidrs_unknown: bool,
    /// The whole permission is not known (an unknown `ingress` list or block).
    pub opaque: bool,
}

impl Permission {
    fn unknown(label: impl Into<String>) -> Self {
        Permission {
            label: label.into(),
            ingress: Tri::True,
            protocol: None,
            ports: None,
            cidrs: Vec::new(),
            cidrs_unknown: true,
            opaque: true,
        }
    }

    fn new(
        label: String,
        ingress: Tri,
        cidr_attrs: &[&Value],
        proto: &Value,
        from: &Value,
        to: &Value,
    ) -> Self {
        let mut cidrs = Vec::new();
        let mut cidrs_unknown = false;
        for attr in cidr_attrs {
            let items: Vec<&Value> = match attr {
                Value::List(items) => items.iter().collect(),
                other => vec![other],
            };
            for item in items {
                match item {
                    Value::String(s) if !s.trim().is_empty() => cidrs.push(s.trim().to_string()),
                    Value::Unknown(_) => cidrs_unknown = true,
                    _ => {}
                }
            }
        }
        Permission {
            label,
            ingress,
            protocol: protocol(proto),
            ports: from.as_i64().zip(to.as_i64()),
            cidrs,
            cidrs_unknown,
            opaque: false,
        }
    }

    /// Whether it accepts a whole address family (`0.0.0.0/0` or `::/0`).
    pub fn from_internet(&self) -> Tri {
        if self.cidrs.iter().any(|c| is_whole_internet(c)) {
            Tri::True
        } else if self.cidrs_unknown {
            Tri::Unknown
        } else {
            Tri::False
        }
    }

    /// Whether it accepts some CIDR range (private ranges included).
    pub fn from_any_cidr(&self) -> Tri {
        if !self.cidrs.is_empty() {
            Tri::True
        } else if self.cidrs_unknown {
            Tri::Unknown
        } else {
            Tri::False
        }
    }

    /// Whether it takes in `port` of one of `protos` (all traffic takes in every port).
    pub fn reaches(&self, port: i64, protos: &[Proto]) -> Tri {
        self.reaches_range(port, port, protos)
    }

    /// Whether it takes in some port of `from..=to` of one of `protos`.
    pub fn reaches_range(&self, from: i64, to: i64, protos: &[Proto]) -> Tri {
        match &self.protocol {
            None => Tri::Unknown,
            Some((Proto::All, _)) => Tri::True,
            Some((p, _)) if protos.contains(p) => match self.ports {
                Some((f, t)) => Tri::from(f <= to && from <= t),
                None => Tri::Unknown,
            },
            Some(_) => Tri::False,
        }
    }

    /// Whether it takes in every port: all traffic, or TCP / UDP over the whole port range.
    pub fn all_ports(&self) -> Tri {
        match &self.protocol {
            None => Tri::Unknown,
            Some((Proto::All, _)) => Tri::True,
            Some((Proto::Tcp | Proto::Udp, _)) => match self.ports {
                Some((f, t)) => Tri::from(f <= 1 && t >= MAX_PORT),
                None => Tri::Unknown,
            },
            Some(_) => Tri::False,
        }
    }

    /// Whether it is all traffic (protocol `-1`).
    pub fn all_traffic(&self) -> Tri {
        match &self.protocol {
            None => Tri::Unknown,
            Some((p, _)) => Tri::from(*p == Proto::All),
        }
    }

    /// What it allows, for messages: `all traffic`, `TCP 22`, `UDP 0-1024`, `protocol icmp`.
    pub fn ports_text(&self) -> String {
        let range = |name: &str| match self.ports {
            Some((f, t)) if f == t => format!("{name} {f}"),
            Some((f, t)) => format!("{name} {f}-{t}"),
            None => format!("{name} on ports not known before apply"),
        };
        match &self.protocol {
            None => "an unknown protocol".into(),
            Some((Proto::All, _)) => "all traffic".into(),
            Some((Proto::Tcp, _)) => range("TCP"),
            Some((Proto::Udp, _)) => range("UDP"),
            Some((Proto::Other, name)) => format!("protocol {name}"),
        }
    }
}

/// The sources a check counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sources {
    /// `0.0.0.0/0` and `::/0`.
    Internet,
    /// Any CIDR range, private ones included.
    AnyCidr,
    /// Any source: CIDR ranges, other security groups, prefix lists.
    Any,
}

/// What a check forbids.
pub struct Scope<'a> {
    pub sources: Sources,
    /// Whether a permission's protocol and ports are in scope.
    pub matches: &'a dyn Fn(&Permission) -> Tri,
    /// What is forbidden, for messages: `TCP or UDP port 22 from 0.0.0.0/0 or ::/0`.
    pub what: &'a str,
}

/// A permission judged against a scope.
pub struct Entry {
    pub label: String,
    pub exposes: Tri,
    /// What it allows, for messages: `tcp 0-1024 from 0.0.0.0/0`.
    pub detail: String,
}

impl Scope<'_> {
    pub fn judge(&self, p: &Permission) -> Entry {
        let source = match self.sources {
            Sources::Internet => p.from_internet(),
            Sources::AnyCidr => p.from_any_cidr(),
            Sources::Any => Tri::True,
        };
        let exposes = p.ingress.and(source).and((self.matches)(p));
        let detail = if p.opaque {
            "inline ingress not known before apply".to_string()
        } else {
            let shown: Vec<&str> = p
                .cidrs
                .iter()
                .map(String::as_str)
                .filter(|c| self.sources != Sources::Internet || is_whole_internet(c))
                .collect();
            let sources = if !shown.is_empty() {
                format!("from {}", shown.join(", "))
            } else if p.cidrs_unknown {
                "from sources not known before apply".to_string()
            } else {
                match self.sources {
                    Sources::Internet => "from no 0.0.0.0/0 or ::/0 source",
                    Sources::AnyCidr => "from no address range",
                    Sources::Any => "from other security groups or prefix lists",
                }
                .to_string()
            };
            format!("{} {sources}", p.ports_text())
        };
        Entry {
            label: p.label.clone(),
            exposes,
            detail,
        }
    }

    /// The judged ingress of a group.
    pub fn group_entries(&self, group: &Resource) -> Vec<Entry> {
        group_permissions(group).iter().map(|p| self.judge(p)).collect()
    }
}

/// The group's effective ingress: its inline `ingress` blocks and the entries that the loaders
/// joined to it from rule resources (labelled with the rule's id).
pub fn group_permissions(group: &Resource) -> Vec<Permission> {
    let Some(blocks) = group.attr("ingress").blocks() else {
        return vec![Permission::unknown("its inline ingress")];
    };
    blocks
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            if b.is_unknown() {
                return Permission::unknown("its inline ingress");
            }
            let label = match b.get(SOURCE_KEY).as_str() {
                Some(source) => source.to_string(),
                None => format!("ingress block {i}"),
            };
            Permission::new(
                label,
                Tri::True,
                &[b.get("cidr_blocks"), b.get("ipv6_cidr_blocks")],
                b.get("protocol"),
                b.get("from_port"),
                b.get("to_port"),
            )
        })
        .collect()
}

/// The permission a rule resource (`aws_security_group_rule`,
/// `aws_vpc_security_group_ingress_rule`) grants.
pub fn rule_permission(rule: &Resource) -> Permission {
    if rule.resource_type == INGRESS_RULE {
        return Permission::new(
            rule.id.clone(),
            Tri::True,
            &[rule.attr("cidr_ipv4"), rule.attr("cidr_ipv6")],
            rule.attr("ip_protocol"),
            rule.attr("from_port"),
            rule.attr("to_port"),
        );
    }
    let ingress = match rule.attr("type") {
        Value::String(t) => Tri::from(t == "ingress"),
        _ => Tri::Unknown,
    };
    Permission::new(
        rule.id.clone(),
        ingress,
        &[rule.attr("cidr_blocks"), rule.attr("ipv6_cidr_blocks")],
        rule.attr("protocol"),
        rule.attr("from_port"),
        rule.attr("to_port"),
    )
}

/// Whether a value names a security group by id or ARN.
pub fn same_group(group: &Resource, value: &str) -> bool {
    names_resource(group, value, &["id", "arn"])
}

/// Whether a value names a security group by id, ARN or name (`aws_instance.security_groups`
/// takes names in a default VPC).
pub fn same_group_or_name(group: &Resource, value: &str) -> bool {
    names_resource(group, value, &["id", "arn", "name"])
}

/// The ids of the rule resources the loaders joined to one of `groups`.
pub fn joined_rules<'g>(graph: &'g ResourceGraph, groups: &[usize]) -> BTreeSet<&'g str> {
    let mut joined = BTreeSet::new();
    for &g in groups {
        let group = graph.get(g);
        for attr in ["ingress", "egress"] {
            for b in group.attr(attr).blocks().unwrap_or_default() {
                if let Some(source) = b.get(SOURCE_KEY).as_str() {
                    joined.insert(source);
                }
            }
        }
    }
    joined
}

/// Rule resources (`aws_security_group_rule`, `aws_vpc_security_group_ingress_rule`) not joined
/// to a group, with what their `security_group_id` points at.
pub fn orphan_rules(graph: &ResourceGraph, groups: &[usize]) -> Vec<(usize, Link)> {
    let joined = joined_rules(graph, groups);
    managed(graph, &[RULE, INGRESS_RULE])
        .into_iter()
        .filter(|&r| !joined.contains(graph.get(r).id.as_str()))
        .map(|r| (r, resolve(graph, r, "security_group_id", GROUPS, same_group)))
        .collect()
}

/// Describes the group an orphan rule belongs to, for messages.
pub fn orphan_group(graph: &ResourceGraph, link: &Link) -> String {
    match link {
        Link::Literal(id) => format!("group {id}"),
        Link::Resources(found) if found.iter().all(|&g| graph.get(g).mode == Mode::Data) => {
            format!("group {} (read, not managed here)", ids(graph, found))
        }
        Link::Resources(found) => format!(
            "group {} (its rules could not be joined to it)",
            ids(graph, found)
        ),
        Link::Unknown => "its group (not known before apply)".to_string(),
        Link::Absent => "its group (not set)".to_string(),
    }
}

fn listing(entries: &[Entry], exposure: Tri) -> String {
    entries
        .iter()
        .filter(|e| e.exposes == exposure)
        .map(|e| format!("{} ({})", e.label, e.detail))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Judges a group on its entries; `context` is added to messages (`, used by aws_instance.web`).
pub fn judge_group(g: usize, entries: &[Entry], scope: &Scope, context: &str) -> Evaluation {
    if entries.is_empty() {
        return Evaluation::pass(g, format!("allows no ingress{context}"));
    }
    let exposure = Tri::any(entries.iter().map(|e| e.exposes));
    let what = listing(entries, exposure);
    match exposure {
        Tri::False => Evaluation::pass(
            g,
            format!(
                "none of its {} ingress rule(s) allows {}{context}",
                entries.len(),
                scope.what
            ),
        ),
        Tri::True => Evaluation::fail(g, format!("allows {}{context}: {what}", scope.what)).at("ingress"),
        Tri::Unknown => Evaluation::unknown(
            g,
            format!(
                "cannot tell whether {what} allows {}{context}: part of it is not known before apply",
                scope.what
            ),
        ),
    }
}

/// Judges a rule resource that is not joined to a group of the graph on its own.
pub fn judge_orphan(graph: &ResourceGraph, r: usize, link: &Link, scope: &Scope) -> Evaluation {
    let e = scope.judge(&rule_permission(graph.get(r)));
    let group = orphan_group(graph, link);
    match e.exposes {
        Tri::False => Evaluation::pass(
            r,
            format!("does not allow {} ({}), on {group}", scope.what, e.detail),
        ),
        Tri::True => Evaluation::fail(r, format!("allows {} ({}), on {group}", scope.what, e.detail)),
        Tri::Unknown => Evaluation::unknown(
            r,
            format!(
                "cannot tell whether it allows {} ({}): part of it is not known before apply",
                scope.what, e.detail
            ),
        ),
    }
}

/// Judges every managed security group (and default security group) on its ingress, and every
/// rule resource that could not be joined to a group on its own.
pub fn check_groups(graph: &ResourceGraph, scope: &Scope) -> Vec<Evaluation> {
    let groups = managed(graph, GROUPS);
    let mut out: Vec<Evaluation> = groups
        .iter()
        .map(|&g| judge_group(g, &scope.group_entries(graph.get(g)), scope, ""))
        .collect();
    for (r, link) in orphan_rules(graph, &groups) {
        out.push(judge_orphan(graph, r, &link, scope));
    }
    out.sort_by_key(|e| e.resource);
    out
}

/// Resources that attach security groups: a type and the attributes that list its groups.
pub struct Consumers<'a> {
    pub types: &'a [&'a str],
    pub attrs: &'a [&'a str],
    /// What they are, for messages (`instances`, `databases`).
    pub noun: &'a str,
}

/// Judges the managed security groups that resources of `consumers` use (by reference edge or
/// by a concrete id, ARN or name). Groups no such resource uses are not reported; groups that
/// one might use (a list not known before apply) are reported `unknown` when they would fail.
pub fn check_attached(graph: &ResourceGraph, scope: &Scope, consumers: &Consumers) -> Vec<Evaluation> {
    let groups = managed(graph, GROUPS);
    // Groups by every value that names them (physical id, id, ARN, name), to resolve concrete
    // references without comparing every consumer with every group.
    let mut by_value: HashMap<&str, Vec<usize>> = HashMap::new();
    for &g in &groups {
        let r = graph.get(g);
        let names = r
            .physical_id
            .as_deref()
            .into_iter()
            .chain(["id", "arn", "name"].iter().filter_map(|a| r.attr(a).as_str()));
        for name in names.filter(|n| !n.is_empty()) {
            let list = by_value.entry(name).or_default();
            if !list.contains(&g) {
                list.push(g);
            }
        }
    }
    // For each consumer: the groups it certainly uses, and whether it may use any other one.
    let mut users_of: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut open_ended: Vec<(usize, BTreeSet<usize>)> = Vec::new();
    for u in managed(graph, consumers.types) {
        let mut definite = BTreeSet::new();
        let mut unknown = false;
        for a in consumers.attrs {
            let edges = graph.referenced_by_attr(u, a);
            let has_edges = !edges.is_empty();
            definite.extend(edges);
            let value = graph.get(u).attr(a);
            let items: Vec<&Value> = match value {
                Value::List(items) => items.iter().collect(),
                Value::Null => Vec::new(),
                other => vec![other],
            };
            for item in items {
                match item {
                    Value::String(s) => definite.extend(by_value.get(s.as_str()).into_iter().flatten()),
                    // As `refers_to`: an unknown element with no reference edge could be any group.
                    Value::Unknown(_) if !has_edges => unknown = true,
                    _ => {}
                }
            }
        }
        for &g in &definite {
            users_of.entry(g).or_default().push(u);
        }
        if unknown {
            open_ended.push((u, definite));
        }
    }
    let mut out = Vec::new();
    for g in groups {
        let uses: Vec<usize> = users_of.get(&g).cloned().unwrap_or_default();
        let maybe: Vec<usize> = open_ended
            .iter()
            .filter(|(_, definite)| !definite.contains(&g))
            .map(|(u, _)| *u)
            .collect();
        if uses.is_empty() && maybe.is_empty() {
            continue;
        }
        let entries = scope.group_entries(graph.get(g));
        if !uses.is_empty() {
            let context = format!(", and {} {} use it", consumers.noun, ids(graph, &uses));
            out.push(judge_group(g, &entries, scope, &context));
            continue;
        }
        let eval = judge_group(g, &entries, scope, "");
        out.push(match eval.verdict {
            attest_core::Verdict::Pass => eval,
            _ => Evaluation::unknown(
                g,
                format!(
                    "{}; whether {} {} use it is {}",
                    eval.message,
                    consumers.noun,
                    ids(graph, &maybe),
                    not_known(graph.get(maybe[0]))
                ),
            ),
        });
    }
    out
}

/// The `matches` of a check on one port over TCP and UDP.
pub fn port_matcher(port: i64) -> impl Fn(&Permission) -> Tri {
    move |p: &Permission| p.reaches(port, &[Proto::Tcp, Proto::Udp])
}

/// The check of the "no <port> from the internet" family: every group and unjoined rule.
pub fn check_public_port(graph: &ResourceGraph, port: i64) -> Vec<Evaluation> {
    let matcher = port_matcher(port);
    let what = format!("TCP or UDP port {port} from 0.0.0.0/0 or ::/0");
    let scope = Scope {
        sources: Sources::Internet,
        matches: &matcher,
        what: &what,
    };
    check_groups(graph, &scope)
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Hand-built security groups for the rules' unit tests.

    use attest_core::{Reference, Resource, ResourceGraph};
    use serde_json::json;

    use crate::aws::links::test_support::res;

    /// A graph with split rules joined to their groups, as `attest_iac::load_paths` gives it.
    pub fn graph(resources: Vec<Resource>, references: &[Reference]) -> ResourceGraph {
        let mut out = attest_core::LoadOutput {
            resources,
            references: references.to_vec(),
            ..Default::default()
        };
        attest_iac::normalize::join_split_resources(&mut out);
        ResourceGraph::new(out.resources, &out.references)
    }

    pub fn ingress(
        protocol: serde_json::Value,
        from: i64,
        to: i64,
        cidrs: &[&str],
        v6: &[&str],
    ) -> serde_json::Value {
        json!({"protocol": protocol, "from_port": from, "to_port": to, "cidr_blocks": cidrs, "ipv6_cidr_blocks": v6})
    }

    pub fn sg(name: &str, ingress: Vec<serde_json::Value>) -> Resource {
        res(
            &format!("aws_security_group.{name}"),
            json!({ "ingress": ingress }),
        )
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::test_support::{graph, ingress, sg};
    use super::*;
    use crate::aws::links::test_support::{edge, res, unknown, verdicts};

    fn port22(g: &ResourceGraph) -> Vec<(String, Verdict)> {
        verdicts(g, &check_public_port(g, 22))
    }

    #[test]
    fn port_rules_cover_tcp_udp_ranges_and_all_traffic() {
        let g = graph(
            vec![
                sg("tcp", vec![ingress(json!("tcp"), 22, 22, &["0.0.0.0/0"], &[])]),
                sg("udp", vec![ingress(json!("17"), 20, 30, &[], &["::/0"])]),
                sg("all", vec![ingress(json!("all"), 0, 0, &["0.0.0.0/0"], &[])]),
                sg(
                    "other_port",
                    vec![ingress(json!("tcp"), 23, 23, &["0.0.0.0/0"], &[])],
                ),
                sg("icmp", vec![ingress(json!("icmp"), -1, -1, &["0.0.0.0/0"], &[])]),
                sg("private", vec![ingress(json!("-1"), 0, 0, &["10.0.0.0/8"], &[])]),
                res(
                    "aws_default_security_group.default",
                    json!({"ingress": [
                    ingress(json!("tcp"), 0, 65535, &["0.0.0.0/0"], &[])]}),
                ),
                res("aws_security_group.none", json!({})),
            ],
            &[],
        );
        assert_eq!(
            port22(&g),
            vec![
                ("aws_security_group.tcp".into(), Verdict::Fail),
                ("aws_security_group.udp".into(), Verdict::Fail),
                ("aws_security_group.all".into(), Verdict::Fail),
                ("aws_security_group.other_port".into(), Verdict::Pass),
                ("aws_security_group.icmp".into(), Verdict::Pass),
                ("aws_security_group.private".into(), Verdict::Pass),
                ("aws_default_security_group.default".into(), Verdict::Fail),
                ("aws_security_group.none".into(), Verdict::Pass),
            ]
        );
    }

    #[test]
    fn unknowns_are_unknown_unless_they_cannot_matter() {
        let g = graph(
            vec![
                res(
                    "aws_security_group.port",
                    json!({"ingress": [
                    {"protocol": "tcp", "from_port": unknown(), "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}]}),
                ),
                res(
                    "aws_security_group.cidr",
                    json!({"ingress": [
                    {"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": [unknown()]}]}),
                ),
                res(
                    "aws_security_group.proto",
                    json!({"ingress": [
                    {"protocol": unknown(), "from_port": 22, "to_port": 22, "cidr_blocks": ["::/0"]}]}),
                ),
                res("aws_security_group.blocks", json!({"ingress": unknown()})),
                res(
                    "aws_security_group.closed",
                    json!({"ingress": [
                    {"protocol": "tcp", "from_port": unknown(), "to_port": 22, "cidr_blocks": ["10.0.0.0/8"]}]}),
                ),
            ],
            &[],
        );
        assert_eq!(
            port22(&g),
            vec![
                ("aws_security_group.port".into(), Verdict::Unknown),
                ("aws_security_group.cidr".into(), Verdict::Unknown),
                ("aws_security_group.proto".into(), Verdict::Unknown),
                ("aws_security_group.blocks".into(), Verdict::Unknown),
                ("aws_security_group.closed".into(), Verdict::Pass),
            ]
        );
    }

    #[test]
    fn joined_rules_count_on_their_group_and_orphans_alone() {
        let g = graph(
            vec![
                sg("web", vec![]),
                res(
                    "aws_security_group_rule.ssh",
                    json!({"type": "ingress", "security_group_id": unknown(), "protocol": "tcp",
                           "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}),
                ),
                res(
                    "aws_vpc_security_group_ingress_rule.elsewhere",
                    json!({"security_group_id": "sg-other", "ip_protocol": "-1", "cidr_ipv6": "::/0"}),
                ),
                res(
                    "aws_security_group_rule.egress",
                    json!({"type": "egress", "security_group_id": "sg-other", "protocol": "-1",
                           "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}),
                ),
                res(
                    "aws_security_group_rule.what",
                    json!({"type": unknown(), "security_group_id": "sg-other", "protocol": "tcp",
                           "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}),
                ),
            ],
            &[edge(
                "aws_security_group_rule.ssh",
                "security_group_id",
                "aws_security_group.web",
            )],
        );
        let evals = check_public_port(&g, 22);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_security_group.web".into(), Verdict::Fail),
                (
                    "aws_vpc_security_group_ingress_rule.elsewhere".into(),
                    Verdict::Fail
                ),
                ("aws_security_group_rule.egress".into(), Verdict::Pass),
                ("aws_security_group_rule.what".into(), Verdict::Unknown),
            ]
        );
        assert!(evals[0]
            .message
            .contains("aws_security_group_rule.ssh (TCP 22 from 0.0.0.0/0)"));
        assert!(
            evals[1].message.contains("group sg-other"),
            "{}",
            evals[1].message
        );
    }

    #[test]
    fn permission_predicates() {
        let p = |proto: serde_json::Value, from: i64, to: i64| {
            Permission::new(
                "p".into(),
                Tri::True,
                &[],
                &Value::from(proto),
                &from.into(),
                &to.into(),
            )
        };
        assert_eq!(p(json!("tcp"), 0, 65535).all_ports(), Tri::True);
        assert_eq!(p(json!("udp"), 1, 65535).all_ports(), Tri::True);
        assert_eq!(p(json!("tcp"), 1, 1024).all_ports(), Tri::False);
        assert_eq!(p(json!("icmp"), -1, -1).all_ports(), Tri::False);
        assert_eq!(p(json!(-1), 0, 0).all_traffic(), Tri::True);
        assert_eq!(p(json!("6"), 0, 0).all_traffic(), Tri::False);
        assert_eq!(
            p(json!("tcp"), 80, 443).reaches_range(100, 200, &[Proto::Tcp]),
            Tri::True
        );
        assert_eq!(p(json!("tcp"), 80, 443).reaches(22, &[Proto::Tcp]), Tri::False);
        assert_eq!(p(json!("udp"), 80, 80).reaches(80, &[Proto::Tcp]), Tri::False);
        assert_eq!(p(json!("udp"), 80, 80).ports_text(), "UDP 80");
    }

    #[test]
    fn attached_groups_only_and_maybe_attached_are_unknown() {
        let mut by_id = sg("by_id", vec![ingress(json!("-1"), 0, 0, &["0.0.0.0/0"], &[])]);
        by_id.attributes =
            Value::from(json!({"id": "sg-1", "ingress": [ingress(json!("-1"), 0, 0, &["0.0.0.0/0"], &[])]}));
        let g = graph(
            vec![
                sg(
                    "by_edge",
                    vec![ingress(json!("tcp"), 22, 22, &["0.0.0.0/0"], &[])],
                ),
                by_id,
                sg("by_name", vec![]),
                sg("unused", vec![ingress(json!("-1"), 0, 0, &["0.0.0.0/0"], &[])]),
                res(
                    "aws_instance.a",
                    json!({"vpc_security_group_ids": ["sg-1"], "security_groups": ["web"]}),
                ),
                res("aws_instance.b", json!({"vpc_security_group_ids": [unknown()]})),
            ],
            &[edge(
                "aws_instance.a",
                "vpc_security_group_ids.1",
                "aws_security_group.by_edge",
            )],
        );
        let matcher = |p: &Permission| p.all_ports();
        let scope = Scope {
            sources: Sources::Internet,
            matches: &matcher,
            what: "all ports from the internet",
        };
        let consumers = Consumers {
            types: &["aws_instance"],
            attrs: &["vpc_security_group_ids", "security_groups"],
            noun: "instances",
        };
        let evals = check_attached(&g, &scope, &consumers);
        // aws_instance.b's list is unknown, so every group might be used by it; `unused` would
        // fail, so it is unknown.
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_security_group.by_edge".into(), Verdict::Pass),
                ("aws_security_group.by_id".into(), Verdict::Fail),
                ("aws_security_group.by_name".into(), Verdict::Pass),
                ("aws_security_group.unused".into(), Verdict::Unknown),
            ]
        );
        assert!(
            evals[1].message.contains("aws_instance.a"),
            "{}",
            evals[1].message
        );
    }
}

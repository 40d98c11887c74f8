//! `aws-ec2-sg-no-public-http`: security groups do not open TCP port 80 to the whole internet,
//! unless they front a load balancer.

use std::collections::BTreeSet;

use attest_core::{
    Alias, Evaluation, Mode, Resource, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri, Value,
};

use crate::aws::links::{ids, managed, names_resource, refers_to, resolve, Link};

pub struct SgNoPublicHttp;

const GROUP: &str = "aws_security_group";
const RULE: &str = "aws_security_group_rule";
const INGRESS_RULE: &str = "aws_vpc_security_group_ingress_rule";
const LOAD_BALANCERS: &[&str] = &["aws_lb", "aws_alb", "aws_elb"];
const PORT: i64 = 80;
/// The key with which the loaders mark an `ingress` entry that a separate rule resource
/// contributed (`attest_iac::normalize`).
const SOURCE_KEY: &str = "_source";

static META: RuleMeta = RuleMeta {
    id: "aws-ec2-sg-no-public-http",
    title: "Security groups do not allow HTTP (TCP 80) from the internet unless they front a load balancer",
    severity: Severity::High,
    kind: RuleKind::Graph,
    resource_types: &[GROUP, RULE, INGRESS_RULE],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00041",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_260",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

For every security group, attest gathers the ingress it allows: its inline `ingress` blocks, the
`aws_security_group_rule` resources of type `ingress` attached to it, and the
`aws_vpc_security_group_ingress_rule` resources attached to it. The group fails when one of them
accepts traffic from `0.0.0.0/0` or `::/0` on TCP port 80 — protocol `tcp` (or `6`) with a port
range that includes 80, or protocol `-1` (all traffic).

A group that a load balancer (`aws_lb`, `aws_alb`, `aws_elb`) uses passes: a public load balancer
is meant to accept HTTP, usually to redirect it to HTTPS. Rules whose security group is not part
of the scanned configuration are judged on their own: open on port 80 they are `unknown`,
because attest cannot tell whether the group fronts a load balancer.

Protocols, ports or source ranges only known after apply make the result `unknown`.

## Why it matters

Port 80 carries unencrypted HTTP. An instance, container or database host that answers it to the
whole internet is found by scanners within minutes, exposes whatever the service leaks over
plain text, and bypasses the load balancer where TLS, WAF rules and access logs live. Restricting
ingress to known networks is part of the boundary protection SOC 2 CC6.6 expects.

## How to fix

Put the service behind a load balancer and allow port 80 on the instances only from the load
balancer's security group (or from known address ranges).

Terraform:

```hcl
resource "aws_vpc_security_group_ingress_rule" "app_http_from_lb" {
  security_group_id            = aws_security_group.app.id
  referenced_security_group_id = aws_security_group.lb.id
  ip_protocol                  = "tcp"
  from_port                    = 80
  to_port                      = 80
}
```

CloudFormation:

```yaml
AppHttpFromLb:
  Type: AWS::EC2::SecurityGroupIngress
  Properties:
    GroupId: !Ref AppSecurityGroup
    SourceSecurityGroupId: !Ref LoadBalancerSecurityGroup
    IpProtocol: tcp
    FromPort: 80
    ToPort: 80
```

Console: EC2 → Security Groups → choose the group → *Inbound rules* → *Edit inbound rules* →
change the source of the port 80 rule from `0.0.0.0/0` / `::/0` to the load balancer's security
group. CLI:

```sh
aws ec2 revoke-security-group-ingress --group-id sg-0123456789abcdef0 \
  --protocol tcp --port 80 --cidr 0.0.0.0/0
aws ec2 authorize-security-group-ingress --group-id sg-0123456789abcdef0 \
  --protocol tcp --port 80 --source-group sg-0fedcba9876543210
```
"#;

impl Rule for SgNoPublicHttp {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        // The loaders join separate rule resources to their group's `ingress` / `egress` (each
        // entry names its rule in `_source`), so a group is judged on its `ingress` alone and
        // only the rules that could not be joined are judged on their own.
        let groups = managed(graph, &[GROUP]);
        let mut joined: BTreeSet<&str> = BTreeSet::new();
        let mut out = Vec::new();
        for &g in &groups {
            let group = graph.get(g);
            for attr in ["ingress", "egress"] {
                for b in group.attr(attr).blocks().unwrap_or_default() {
                    if let Some(source) = b.get(SOURCE_KEY).as_str() {
                        joined.insert(source);
                    }
                }
            }
            out.push(judge_group(graph, g, &inline_entries(group)));
        }
        for r in managed(graph, &[RULE, INGRESS_RULE]) {
            if joined.contains(graph.get(r).id.as_str()) {
                continue;
            }
            let link = resolve(graph, r, "security_group_id", &[GROUP], same_group);
            out.push(judge_orphan(graph, r, &link));
        }
        out.sort_by_key(|e| e.resource);
        out
    }
}

fn same_group(group: &Resource, value: &str) -> bool {
    names_resource(group, value, &["id", "arn"])
}

/// One source of ingress and whether it opens TCP 80 to the internet.
struct Entry {
    /// `ingress block 0`, `aws_security_group_rule.http`.
    label: String,
    exposes: Tri,
    /// What it allows, for messages: `tcp 0-1024 from 0.0.0.0/0`.
    detail: String,
}

/// The group's effective ingress: its inline `ingress` blocks and the entries that the loaders
/// joined to it from `aws_security_group_rule` / `aws_vpc_security_group_ingress_rule`
/// resources (labelled with the rule's id).
fn inline_entries(group: &Resource) -> Vec<Entry> {
    let unknown = || Entry {
        label: "its inline ingress".into(),
        exposes: Tri::Unknown,
        detail: "inline ingress not known before apply".into(),
    };
    let Some(blocks) = group.attr("ingress").blocks() else {
        return vec![unknown()];
    };
    blocks
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            if b.is_unknown() {
                return unknown();
            }
            let label = match b.get(SOURCE_KEY).as_str() {
                Some(source) => source.to_string(),
                None => format!("ingress block {i}"),
            };
            let open = open_sources(&[b.get("cidr_blocks"), b.get("ipv6_cidr_blocks")]);
            entry(
                label,
                Tri::True,
                open,
                b.get("protocol"),
                b.get("from_port"),
                b.get("to_port"),
            )
        })
        .collect()
}

fn rule_entry(rule: &Resource) -> Entry {
    if rule.resource_type == INGRESS_RULE {
        let open = open_sources(&[rule.attr("cidr_ipv4"), rule.attr("cidr_ipv6")]);
        return entry(
            rule.id.clone(),
            Tri::True,
            open,
            rule.attr("ip_protocol"),
            rule.attr("from_port"),
            rule.attr("to_port"),
        );
    }
    let ingress = match rule.attr("type") {
        Value::String(t) => Tri::from(t == "ingress"),
        _ => Tri::Unknown,
    };
    let open = open_sources(&[rule.attr("cidr_blocks"), rule.attr("ipv6_cidr_blocks")]);
    entry(
        rule.id.clone(),
        ingress,
        open,
        rule.attr("protocol"),
        rule.attr("from_port"),
        rule.attr("to_port"),
    )
}

fn entry(
    label: String,
    ingress: Tri,
    open: (Tri, Vec<String>),
    protocol: &Value,
    from: &Value,
    to: &Value,
) -> Entry {
    let (open, cidrs) = open;
    let (reaches, ports) = reaches_port(protocol, from, to);
    let sources = if !cidrs.is_empty() {
        format!("from {}", cidrs.join(", "))
    } else if open == Tri::Unknown {
        "from sources not known before apply".to_string()
    } else {
        "from no 0.0.0.0/0 or ::/0 source".to_string()
    };
    Entry {
        label,
        exposes: ingress.and(open).and(reaches),
        detail: format!("{ports} {sources}"),
    }
}

/// Whether any of these CIDR attributes (strings or lists of strings) is a whole address family
/// (`0.0.0.0/0`, `::/0`); also returns the open ranges found.
fn open_sources(attrs: &[&Value]) -> (Tri, Vec<String>) {
    let mut found = Vec::new();
    let mut verdict = Tri::False;
    for attr in attrs {
        let items: Vec<&Value> = match attr {
            Value::List(items) => items.iter().collect(),
            other => vec![other],
        };
        for item in items {
            match item {
                Value::String(s) if is_whole_internet(s) => {
                    found.push(s.trim().to_string());
                    verdict = Tri::True;
                }
                Value::Unknown(_) => verdict = verdict.or(Tri::Unknown),
                _ => {}
            }
        }
    }
    (verdict, found)
}

fn is_whole_internet(cidr: &str) -> bool {
    cidr.trim()
        .split_once('/')
        .is_some_and(|(_, len)| len.trim() == "0")
}

/// Whether a protocol and port range take in TCP 80; also a description for messages.
fn reaches_port(protocol: &Value, from: &Value, to: &Value) -> (Tri, String) {
    let proto = match protocol {
        Value::String(s) => s.trim().to_ascii_lowercase(),
        Value::Number(n) => n.to_string(),
        _ => return (Tri::Unknown, "an unknown protocol".into()),
    };
    match proto.as_str() {
        "-1" | "all" => (Tri::True, "all traffic".into()),
        "tcp" | "6" => match (from.as_i64(), to.as_i64()) {
            (Some(f), Some(t)) => {
                let ports = if f == t {
                    format!("TCP {f}")
                } else {
                    format!("TCP {f}-{t}")
                };
                (Tri::from(f <= PORT && PORT <= t), ports)
            }
            _ => (Tri::Unknown, "TCP on ports not known before apply".into()),
        },
        other => (Tri::False, format!("protocol {other}")),
    }
}

fn judge_group(graph: &ResourceGraph, g: usize, entries: &[Entry]) -> Evaluation {
    let exposure = Tri::any(entries.iter().map(|e| e.exposes));
    if entries.is_empty() {
        return Evaluation::pass(g, "allows no ingress");
    }
    if exposure == Tri::False {
        return Evaluation::pass(
            g,
            format!(
                "none of its {} ingress rule(s) allows TCP 80 from 0.0.0.0/0 or ::/0",
                entries.len()
            ),
        );
    }
    let mut fronts = Vec::new();
    let mut maybe = Vec::new();
    for lb in graph.of_types(LOAD_BALANCERS) {
        match refers_to(graph, lb, "security_groups", g, same_group) {
            Tri::True => fronts.push(lb),
            Tri::Unknown => maybe.push(lb),
            Tri::False => {}
        }
    }
    let exposing: Vec<&Entry> = entries.iter().filter(|e| e.exposes == exposure).collect();
    let what = exposing
        .iter()
        .map(|e| format!("{} ({})", e.label, e.detail))
        .collect::<Vec<_>>()
        .join("; ");
    if !fronts.is_empty() {
        return Evaluation::pass(
            g,
            format!(
                "fronts load balancer {}, where public HTTP is expected: {what}",
                ids(graph, &fronts)
            ),
        );
    }
    if !maybe.is_empty() {
        return Evaluation::unknown(
            g,
            format!(
                "{what} may open TCP 80 to the internet, and the security groups of {} are not known \
                 before apply, so cannot tell whether it fronts a load balancer",
                ids(graph, &maybe)
            ),
        );
    }
    match exposure {
        Tri::True => Evaluation::fail(
            g,
            format!("allows HTTP from the internet and fronts no load balancer: {what}"),
        ),
        _ => Evaluation::unknown(
            g,
            format!("cannot tell whether {what} opens TCP 80 to the internet: part of it is not known before apply"),
        ),
    }
}

fn judge_orphan(graph: &ResourceGraph, r: usize, link: &Link) -> Evaluation {
    let e = rule_entry(graph.get(r));
    let group = match link {
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
    };
    match e.exposes {
        Tri::False => Evaluation::pass(r, format!("does not allow TCP 80 from the internet ({})", e.detail)),
        Tri::True => Evaluation::unknown(
            r,
            format!(
                "allows {}, but {group} is not in the scanned configuration: cannot tell whether it fronts \
                 a load balancer",
                e.detail
            ),
        )
        .at("security_group_id"),
        Tri::Unknown => Evaluation::unknown(
            r,
            format!(
                "cannot tell whether it opens TCP 80 to the internet ({}): part of it is not known before apply",
                e.detail
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, res, unknown, verdicts};

    /// A graph of hand-built resources with split rules joined to their groups, as
    /// `attest_iac::load_paths` gives it.
    fn graph(resources: Vec<Resource>, references: &[attest_core::Reference]) -> ResourceGraph {
        let mut out = attest_core::LoadOutput {
            resources,
            references: references.to_vec(),
            ..Default::default()
        };
        attest_iac::normalize::join_split_resources(&mut out);
        ResourceGraph::new(out.resources, &out.references)
    }

    fn ingress(
        protocol: serde_json::Value,
        from: i64,
        to: i64,
        cidrs: &[&str],
        v6: &[&str],
    ) -> serde_json::Value {
        json!({"protocol": protocol, "from_port": from, "to_port": to, "cidr_blocks": cidrs, "ipv6_cidr_blocks": v6})
    }

    fn sg(name: &str, ingress: Vec<serde_json::Value>) -> Resource {
        res(
            &format!("aws_security_group.{name}"),
            json!({ "ingress": ingress }),
        )
    }

    fn run(g: &ResourceGraph) -> Vec<(String, Verdict)> {
        verdicts(g, &SgNoPublicHttp.check(g))
    }

    #[test]
    fn inline_ingress_ports_protocols_and_ipv6() {
        let g = graph(
            vec![
                sg("exact", vec![ingress(json!("tcp"), 80, 80, &["0.0.0.0/0"], &[])]),
                sg(
                    "range",
                    vec![ingress(json!("6"), 0, 1024, &["10.0.0.0/8", "0.0.0.0/0"], &[])],
                ),
                sg("all", vec![ingress(json!("-1"), 0, 0, &[], &["::/0"])]),
                sg(
                    "https",
                    vec![ingress(json!("tcp"), 443, 443, &["0.0.0.0/0"], &[])],
                ),
                sg("udp", vec![ingress(json!("udp"), 80, 80, &["0.0.0.0/0"], &[])]),
                sg(
                    "private",
                    vec![ingress(json!("tcp"), 80, 80, &["10.0.0.0/8"], &[])],
                ),
                res("aws_security_group.none", json!({"ingress": null})),
            ],
            &[],
        );
        assert_eq!(
            run(&g),
            vec![
                ("aws_security_group.exact".into(), Verdict::Fail),
                ("aws_security_group.range".into(), Verdict::Fail),
                ("aws_security_group.all".into(), Verdict::Fail),
                ("aws_security_group.https".into(), Verdict::Pass),
                ("aws_security_group.udp".into(), Verdict::Pass),
                ("aws_security_group.private".into(), Verdict::Pass),
                ("aws_security_group.none".into(), Verdict::Pass),
            ]
        );
    }

    #[test]
    fn unknown_parts_of_a_matching_rule_are_unknown() {
        let g = graph(
            vec![
                res(
                    "aws_security_group.port",
                    json!({"ingress": [{"protocol": "tcp", "from_port": unknown(), "to_port": 80, "cidr_blocks": ["0.0.0.0/0"]}]}),
                ),
                res(
                    "aws_security_group.cidr",
                    json!({"ingress": [{"protocol": "tcp", "from_port": 80, "to_port": 80, "cidr_blocks": [unknown()]}]}),
                ),
                res("aws_security_group.blocks", json!({"ingress": unknown()})),
                // An unknown port on a rule that is closed anyway does not matter.
                res(
                    "aws_security_group.private",
                    json!({"ingress": [{"protocol": "tcp", "from_port": unknown(), "to_port": 80, "cidr_blocks": ["10.0.0.0/8"]}]}),
                ),
            ],
            &[],
        );
        assert_eq!(
            run(&g),
            vec![
                ("aws_security_group.port".into(), Verdict::Unknown),
                ("aws_security_group.cidr".into(), Verdict::Unknown),
                ("aws_security_group.blocks".into(), Verdict::Unknown),
                ("aws_security_group.private".into(), Verdict::Pass),
            ]
        );
    }

    #[test]
    fn separate_rules_attach_by_edge_or_by_id() {
        let mut by_id = sg("by_id", vec![]);
        by_id.attributes = Value::from(json!({"id": "sg-123", "ingress": []}));
        let g = graph(
            vec![
                sg("by_edge", vec![]),
                by_id,
                res(
                    "aws_security_group_rule.http",
                    json!({"type": "ingress", "security_group_id": unknown(), "protocol": "tcp",
                           "from_port": 80, "to_port": 80, "cidr_blocks": ["0.0.0.0/0"]}),
                ),
                res(
                    "aws_vpc_security_group_ingress_rule.v6",
                    json!({"security_group_id": "sg-123", "ip_protocol": "-1", "cidr_ipv6": "::/0"}),
                ),
                res(
                    "aws_security_group_rule.egress",
                    json!({"type": "egress", "security_group_id": "sg-123", "protocol": "-1",
                           "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}),
                ),
            ],
            &[edge(
                "aws_security_group_rule.http",
                "security_group_id",
                "aws_security_group.by_edge",
            )],
        );
        assert_eq!(
            run(&g),
            vec![
                ("aws_security_group.by_edge".into(), Verdict::Fail),
                ("aws_security_group.by_id".into(), Verdict::Fail),
            ]
        );
    }

    #[test]
    fn a_rule_listed_in_the_group_and_as_a_resource_counts_once_and_is_named() {
        // A state file lists the rules of separate resources in the group's `ingress` too.
        let g = graph(
            vec![
                res(
                    "aws_security_group.web",
                    json!({"id": "sg-1", "ingress": [ingress(json!("tcp"), 80, 80, &["0.0.0.0/0"], &[])]}),
                ),
                res(
                    "aws_security_group_rule.http",
                    json!({"type": "ingress", "security_group_id": "sg-1", "protocol": "tcp",
                           "from_port": 80, "to_port": 80, "cidr_blocks": ["0.0.0.0/0"]}),
                ),
            ],
            &[],
        );
        let evals = SgNoPublicHttp.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![("aws_security_group.web".into(), Verdict::Fail)]
        );
        assert!(
            evals[0]
                .message
                .contains("aws_security_group_rule.http (TCP 80 from 0.0.0.0/0)")
                && !evals[0].message.contains("ingress block"),
            "{}",
            evals[0].message
        );
    }

    #[test]
    fn groups_fronting_a_load_balancer_pass_by_edge_or_by_id() {
        let mut by_id = sg("by_id", vec![ingress(json!("tcp"), 80, 80, &["0.0.0.0/0"], &[])]);
        by_id.attributes = Value::from(
            json!({"id": "sg-9", "ingress": [ingress(json!("tcp"), 80, 80, &["0.0.0.0/0"], &[])]}),
        );
        let g = graph(
            vec![
                sg(
                    "by_edge",
                    vec![ingress(json!("tcp"), 80, 80, &["0.0.0.0/0"], &[])],
                ),
                by_id,
                res("aws_lb.front", json!({"security_groups": [unknown()]})),
                res("aws_elb.classic", json!({"security_groups": ["sg-9"]})),
            ],
            &[edge(
                "aws_lb.front",
                "security_groups.0",
                "aws_security_group.by_edge",
            )],
        );
        let evals = SgNoPublicHttp.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_security_group.by_edge".into(), Verdict::Pass),
                ("aws_security_group.by_id".into(), Verdict::Pass),
            ]
        );
        assert!(evals[0].message.contains("aws_lb.front"), "{}", evals[0].message);
        assert!(
            evals[1].message.contains("aws_elb.classic"),
            "{}",
            evals[1].message
        );
    }

    #[test]
    fn load_balancer_with_unknown_groups_and_no_edge_makes_an_open_group_unknown() {
        let g = graph(
            vec![
                sg("open", vec![ingress(json!("tcp"), 80, 80, &["0.0.0.0/0"], &[])]),
                res("aws_lb.elsewhere", json!({"security_groups": unknown()})),
            ],
            &[],
        );
        assert_eq!(
            run(&g),
            vec![("aws_security_group.open".into(), Verdict::Unknown)]
        );
    }

    #[test]
    fn rules_whose_group_is_not_scanned_are_judged_alone() {
        let g = graph(
            vec![
                res(
                    "aws_security_group_rule.open",
                    json!({"type": "ingress", "security_group_id": "sg-elsewhere", "protocol": "tcp",
                           "from_port": 80, "to_port": 80, "cidr_blocks": ["0.0.0.0/0"]}),
                ),
                res(
                    "aws_vpc_security_group_ingress_rule.closed",
                    json!({"security_group_id": unknown(), "ip_protocol": "tcp", "from_port": 22,
                           "to_port": 22, "cidr_ipv4": "0.0.0.0/0"}),
                ),
                res(
                    "aws_security_group_rule.egress",
                    json!({"type": "egress", "security_group_id": "sg-elsewhere", "protocol": "-1",
                           "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}),
                ),
                res("data.aws_security_group.shared", json!({"id": "sg-shared"})),
                res(
                    "aws_vpc_security_group_ingress_rule.on_data_group",
                    json!({"security_group_id": "sg-shared", "ip_protocol": "-1", "cidr_ipv4": "0.0.0.0/0"}),
                ),
            ],
            &[],
        );
        assert_eq!(
            run(&g),
            vec![
                ("aws_security_group_rule.open".into(), Verdict::Unknown),
                ("aws_vpc_security_group_ingress_rule.closed".into(), Verdict::Pass),
                ("aws_security_group_rule.egress".into(), Verdict::Pass),
                (
                    "aws_vpc_security_group_ingress_rule.on_data_group".into(),
                    Verdict::Unknown
                ),
            ]
        );
    }
}

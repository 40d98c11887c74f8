//! `aws-ec2-sg-no-public-http`: security groups do not open TCP port 80 to the whole internet,
//! unless they front a load balancer.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri};

use crate::aws::ec2::sg_ingress::{
    orphan_group, orphan_rules, rule_permission, Entry, Permission, Proto, Scope, Sources, GROUPS, SUBJECTS,
};
use crate::aws::links::{ids, managed, Link, RefIndex};
use crate::aws::wording::not_known;

pub struct SgNoPublicHttp;

const LOAD_BALANCERS: &[&str] = &["aws_lb", "aws_alb", "aws_elb"];
const PORT: i64 = 80;

static META: RuleMeta = RuleMeta {
    id: "aws-ec2-sg-no-public-http",
    title: "Security groups do not allow HTTP (TCP 80) from the internet unless they front a load balancer",
    severity: Severity::High,
    kind: RuleKind::Graph,
    resource_types: SUBJECTS,
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

For every security group (`aws_security_group` and `aws_default_security_group`), attest gathers
the ingress it allows: its inline `ingress` blocks, the `aws_security_group_rule` resources of
type `ingress` attached to it, and the `aws_vpc_security_group_ingress_rule` resources attached
to it. The group fails when one of them accepts traffic from `0.0.0.0/0` or `::/0` on TCP port
80 — protocol `tcp` (or `6`) with a port range that includes 80, or protocol `-1` (all traffic).

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
        let matcher = |p: &Permission| p.reaches(PORT, &[Proto::Tcp]);
        let scope = Scope {
            sources: Sources::Internet,
            matches: &matcher,
            what: "TCP 80 from 0.0.0.0/0 or ::/0",
        };
        let groups = managed(graph, GROUPS);
        // `same_group`: a load balancer names a group by its physical id, `id` or `arn`.
        let fronting = RefIndex::build(
            graph,
            &graph.of_types(LOAD_BALANCERS),
            "security_groups",
            &groups,
            |r| ["id", "arn"].iter().filter_map(|a| r.attr(a).as_str()).collect(),
        );
        let mut out = Vec::new();
        for &g in &groups {
            out.push(judge_group(
                graph,
                &fronting,
                g,
                &scope.group_entries(graph.get(g)),
            ));
        }
        for (r, link) in orphan_rules(graph, &groups) {
            out.push(judge_orphan(graph, r, &link, &scope));
        }
        out.sort_by_key(|e| e.resource);
        out
    }
}

fn judge_group(graph: &ResourceGraph, fronting: &RefIndex, g: usize, entries: &[Entry]) -> Evaluation {
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
    for (lb, t) in fronting.referrers(g) {
        match t {
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
                "{what} may open TCP 80 to the internet, and the security groups of {} are {}, so \
                 cannot tell whether it fronts a load balancer",
                ids(graph, &maybe),
                not_known(graph.get(maybe[0]))
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
            format!(
                "cannot tell whether {what} opens TCP 80 to the internet: part of it is {}",
                not_known(graph.get(g))
            ),
        ),
    }
}

fn judge_orphan(graph: &ResourceGraph, r: usize, link: &Link, scope: &Scope) -> Evaluation {
    let e = scope.judge(&rule_permission(graph.get(r)));
    let group = orphan_group(graph, link);
    match e.exposes {
        Tri::False => Evaluation::pass(
            r,
            format!("does not allow TCP 80 from the internet ({})", e.detail),
        ),
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
                "cannot tell whether it opens TCP 80 to the internet ({}): part of it is {}",
                e.detail,
                not_known(graph.get(r))
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use attest_core::{Resource, Value, Verdict};
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
    fn default_groups_are_judged_like_other_groups() {
        let open = || json!({"ingress": [ingress(json!("tcp"), 80, 80, &["0.0.0.0/0"], &[])]});
        let g = graph(
            vec![
                res("aws_default_security_group.open", open()),
                res("aws_default_security_group.front", open()),
                res("aws_default_security_group.closed", json!({"ingress": []})),
                res("aws_lb.front", json!({"security_groups": [unknown()]})),
            ],
            &[edge(
                "aws_lb.front",
                "security_groups.0",
                "aws_default_security_group.front",
            )],
        );
        assert_eq!(
            run(&g),
            vec![
                ("aws_default_security_group.open".into(), Verdict::Fail),
                ("aws_default_security_group.front".into(), Verdict::Pass),
                ("aws_default_security_group.closed".into(), Verdict::Pass),
            ]
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

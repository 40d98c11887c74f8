//! `aws-autoscaling-multi-az`: Auto Scaling groups span two or more availability zones.

use std::collections::BTreeSet;

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Value};

use crate::aws::links::{managed, names_resource, resolve, Link};
use crate::aws::wording::attr_not_known;

pub struct AutoScalingMultiAz;

const GROUP: &str = "aws_autoscaling_group";
const SUBNET: &str = "aws_subnet";

static META: RuleMeta = RuleMeta {
    id: "aws-autoscaling-multi-az",
    title: "Auto Scaling groups span two or more availability zones",
    severity: Severity::Medium,
    kind: RuleKind::Graph,
    resource_types: &[GROUP],
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00014",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_autoscaling_group` passes when it can launch instances in at least two availability
zones:

- with `availability_zones`, when the list holds two or more distinct zones;
- with `vpc_zone_identifier`, when its subnets lie in two or more distinct zones. The zone of
  each subnet is read from the `aws_subnet` it references in the scanned configuration
  (`availability_zone` or `availability_zone_id`).

It fails when only one zone is possible (a single zone, a single subnet, or several subnets in
the same zone). It gives `unknown` when the zones cannot be told: a list only known after
apply, or subnets declared outside the scanned configuration.

## Why it matters

A group confined to one availability zone goes down with that zone: an outage, a capacity
shortage of the instance type, or a networking event takes all of its instances at once.
Spanning zones lets Auto Scaling replace capacity elsewhere — the availability and recovery
design SOC 2 A1.2 expects.

## How to fix

Terraform:

```hcl
resource "aws_autoscaling_group" "web" {
  min_size            = 2
  max_size            = 6
  vpc_zone_identifier = [aws_subnet.private_a.id, aws_subnet.private_b.id]
  # ...
}
```

CloudFormation:

```yaml
WebGroup:
  Type: AWS::AutoScaling::AutoScalingGroup
  Properties:
    MinSize: "2"
    MaxSize: "6"
    VPCZoneIdentifier:
      - !Ref PrivateSubnetA
      - !Ref PrivateSubnetB
```

Console: EC2 → *Auto Scaling groups* → the group → *Details* → *Network* → *Edit* → add subnets
in other availability zones. CLI:

```sh
aws autoscaling update-auto-scaling-group --auto-scaling-group-name web \
  --vpc-zone-identifier "subnet-0a1b2c3d,subnet-4e5f6a7b"
```
"#;

impl Rule for AutoScalingMultiAz {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, &[GROUP])
            .into_iter()
            .map(|i| judge(graph, i))
            .collect()
    }
}

fn judge(graph: &ResourceGraph, i: usize) -> Evaluation {
    let group = graph.get(i);
    let zones = group.attr("availability_zones");
    if !zones.is_null() && zones.as_list().is_none_or(|l| !l.is_empty()) {
        return match zones.string_list() {
            Some(list) => {
                let distinct: BTreeSet<&str> = list.into_iter().collect();
                verdict_for(i, &distinct, "availability_zones")
            }
            None => Evaluation::unknown(i, attr_not_known(graph.get(i), "availability_zones"))
                .at("availability_zones"),
        };
    }
    let subnets = group.attr("vpc_zone_identifier");
    let items: Vec<&Value> = match subnets {
        Value::List(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        Value::Unknown(_) => {
            return Evaluation::unknown(i, attr_not_known(graph.get(i), "vpc_zone_identifier"))
                .at("vpc_zone_identifier");
        }
        other => vec![other],
    };
    if items.is_empty() {
        return Evaluation::fail(
            i,
            "neither availability_zones nor vpc_zone_identifier names a zone",
        )
        .at("vpc_zone_identifier");
    }
    if items.len() == 1 {
        return Evaluation::fail(
            i,
            "vpc_zone_identifier lists a single subnet: one availability zone",
        )
        .at("vpc_zone_identifier");
    }
    let mut distinct = BTreeSet::new();
    let mut unresolved = Vec::new();
    for n in 0..items.len() {
        let path = format!("vpc_zone_identifier.{n}");
        let link = resolve(graph, i, &path, &[SUBNET], |r, v| {
            names_resource(r, v, &["id", "arn"])
        });
        match link {
            Link::Resources(found) if found.len() == 1 => {
                let subnet = graph.get(found[0]);
                let zone = match subnet.attr("availability_zone") {
                    Value::String(z) => Some(z.as_str()),
                    _ => subnet.attr("availability_zone_id").as_str(),
                };
                match zone {
                    Some(z) => {
                        distinct.insert(z);
                    }
                    None => unresolved.push(format!("the zone of {}", subnet.id)),
                }
            }
            Link::Literal(s) => unresolved.push(format!("subnet {s} (not in the scanned configuration)")),
            _ => unresolved.push(format!("vpc_zone_identifier element {n}")),
        }
    }
    if distinct.len() >= 2 || unresolved.is_empty() {
        return verdict_for(i, &distinct, "vpc_zone_identifier");
    }
    Evaluation::unknown(
        i,
        format!(
            "cannot tell the availability zones: {} not known",
            unresolved.join(", ")
        ),
    )
    .at("vpc_zone_identifier")
}

fn verdict_for(i: usize, zones: &BTreeSet<&str>, attr: &str) -> Evaluation {
    let list = zones.iter().copied().collect::<Vec<_>>().join(", ");
    if zones.len() >= 2 {
        Evaluation::pass(
            i,
            format!("instances can launch in {} zones ({list})", zones.len()),
        )
        .at(attr)
    } else {
        Evaluation::fail(
            i,
            format!("instances can only launch in one availability zone ({list})"),
        )
        .at(attr)
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn zones_and_subnets() {
        let g = graph(
            vec![
                res("aws_subnet.a", json!({"availability_zone": "us-east-1a"})),
                res("aws_subnet.a2", json!({"availability_zone": "us-east-1a"})),
                res("aws_subnet.b", json!({"availability_zone": "us-east-1b"})),
                res("aws_subnet.var", json!({"availability_zone": unknown()})),
                res(
                    "aws_autoscaling_group.zones",
                    json!({"availability_zones": ["us-east-1a", "us-east-1b"]}),
                ),
                res(
                    "aws_autoscaling_group.one_zone",
                    json!({"availability_zones": ["us-east-1a"]}),
                ),
                res(
                    "aws_autoscaling_group.two_az",
                    json!({"vpc_zone_identifier": [unknown(), unknown()]}),
                ),
                res(
                    "aws_autoscaling_group.same_az",
                    json!({"vpc_zone_identifier": [unknown(), unknown()]}),
                ),
                res(
                    "aws_autoscaling_group.single",
                    json!({"vpc_zone_identifier": [unknown()]}),
                ),
                res(
                    "aws_autoscaling_group.zone_var",
                    json!({"vpc_zone_identifier": [unknown(), unknown()]}),
                ),
                res(
                    "aws_autoscaling_group.outside",
                    json!({"vpc_zone_identifier": ["subnet-1", "subnet-2"]}),
                ),
                res(
                    "aws_autoscaling_group.list_var",
                    json!({"vpc_zone_identifier": unknown()}),
                ),
            ],
            &[
                edge(
                    "aws_autoscaling_group.two_az",
                    "vpc_zone_identifier.0",
                    "aws_subnet.a",
                ),
                edge(
                    "aws_autoscaling_group.two_az",
                    "vpc_zone_identifier.1",
                    "aws_subnet.b",
                ),
                edge(
                    "aws_autoscaling_group.same_az",
                    "vpc_zone_identifier.0",
                    "aws_subnet.a",
                ),
                edge(
                    "aws_autoscaling_group.same_az",
                    "vpc_zone_identifier.1",
                    "aws_subnet.a2",
                ),
                edge(
                    "aws_autoscaling_group.single",
                    "vpc_zone_identifier.0",
                    "aws_subnet.a",
                ),
                edge(
                    "aws_autoscaling_group.zone_var",
                    "vpc_zone_identifier.0",
                    "aws_subnet.a",
                ),
                edge(
                    "aws_autoscaling_group.zone_var",
                    "vpc_zone_identifier.1",
                    "aws_subnet.var",
                ),
            ],
        );
        assert_eq!(
            verdicts(&g, &AutoScalingMultiAz.check(&g)),
            vec![
                ("aws_autoscaling_group.zones".into(), Verdict::Pass),
                ("aws_autoscaling_group.one_zone".into(), Verdict::Fail),
                ("aws_autoscaling_group.two_az".into(), Verdict::Pass),
                ("aws_autoscaling_group.same_az".into(), Verdict::Fail),
                ("aws_autoscaling_group.single".into(), Verdict::Fail),
                ("aws_autoscaling_group.zone_var".into(), Verdict::Unknown),
                ("aws_autoscaling_group.outside".into(), Verdict::Unknown),
                ("aws_autoscaling_group.list_var".into(), Verdict::Unknown),
            ]
        );
    }
}

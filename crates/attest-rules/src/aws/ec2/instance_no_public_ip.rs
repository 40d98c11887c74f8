//! `aws-ec2-instance-no-public-ip`: EC2 instances have no public IPv4 address.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri, Value};

use crate::aws::links::{managed, names_resource, resolve, Link};
use crate::aws::wording::{attr_not_known, not_known, not_known_why};

pub struct Ec2InstanceNoPublicIp;

const INSTANCE: &str = "aws_instance";
const SUBNET: &str = "aws_subnet";
const ATTR: &str = "associate_public_ip_address";

static META: RuleMeta = RuleMeta {
    id: "aws-ec2-instance-no-public-ip",
    title: "EC2 instances do not have a public IPv4 address",
    severity: Severity::Medium,
    kind: RuleKind::Graph,
    resource_types: &[INSTANCE],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00271",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_88",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_instance`:

- fails when `associate_public_ip_address = true`, or when a state file records a non-empty
  `public_ip`;
- passes when `associate_public_ip_address = false`;
- when the attribute is not set, AWS follows the subnet's `map_public_ip_on_launch`: the
  instance fails when its `subnet_id` references an `aws_subnet` of the scanned configuration
  that maps public IPs, and passes when that subnet does not (the subnet default is `false`).
  When the subnet is outside the scanned configuration or no `subnet_id` is set (a default
  subnet, which maps public IPs), the result is `unknown`.

Values only known after apply give `unknown`.

## Why it matters

An instance with a public address is reachable from the internet as soon as a security group
or network ACL rule is loosened, by mistake or by an attacker who gained access. Keeping
instances on private addresses, behind load balancers, NAT gateways and Session Manager, makes
the network boundary the only way in (SOC 2 CC6.6).

## How to fix

Terraform:

```hcl
resource "aws_instance" "app" {
  # ...
  subnet_id                   = aws_subnet.private_a.id
  associate_public_ip_address = false
}
```

CloudFormation:

```yaml
AppInstance:
  Type: AWS::EC2::Instance
  Properties:
    NetworkInterfaces:
      - DeviceIndex: "0"
        SubnetId: !Ref PrivateSubnetA
        AssociatePublicIpAddress: false
```

Console: a public IPv4 address cannot be removed from a running instance's primary interface;
launch a replacement in a private subnet (EC2 → *Launch instance* → *Network settings* →
*Auto-assign public IP* → *Disable*), and turn off the subnet's auto-assignment (VPC →
*Subnets* → the subnet → *Edit subnet settings*). CLI:

```sh
aws ec2 modify-subnet-attribute --subnet-id subnet-0a1b2c3d --no-map-public-ip-on-launch
```
"#;

impl Rule for Ec2InstanceNoPublicIp {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, &[INSTANCE])
            .into_iter()
            .map(|i| judge(graph, i))
            .collect()
    }
}

fn judge(graph: &ResourceGraph, i: usize) -> Evaluation {
    let instance = graph.get(i);
    if let Value::String(ip) = instance.attr("public_ip") {
        if !ip.is_empty() {
            return Evaluation::fail(i, format!("the instance has the public IP {ip}")).at("public_ip");
        }
    }
    let value = instance.attr(ATTR);
    if !value.is_null() {
        return match value.truthy(false) {
            Tri::True => Evaluation::fail(
                i,
                "associate_public_ip_address = true gives the instance a public IP",
            ),
            Tri::False => Evaluation::pass(i, "associate_public_ip_address = false: no public IP"),
            Tri::Unknown => {
                Evaluation::unknown(i, attr_not_known(graph.get(i), "associate_public_ip_address"))
            }
        }
        .at(ATTR);
    }
    match resolve(graph, i, "subnet_id", &[SUBNET], |r, v| {
        names_resource(r, v, &["id", "arn"])
    }) {
        Link::Resources(found) if found.len() == 1 => {
            let subnet = graph.get(found[0]);
            match subnet.attr("map_public_ip_on_launch").truthy(false) {
                Tri::True => Evaluation::fail(
                    i,
                    format!(
                        "the subnet {} maps a public IP to instances launched in it",
                        subnet.id
                    ),
                ),
                Tri::False => Evaluation::pass(
                    i,
                    format!(
                        "the subnet {} does not map public IPs, and the instance asks for none",
                        subnet.id
                    ),
                ),
                Tri::Unknown => Evaluation::unknown(
                    i,
                    format!(
                        "map_public_ip_on_launch of {} is {}",
                        subnet.id,
                        not_known_why(subnet, subnet.attr("map_public_ip_on_launch"))
                    ),
                ),
            }
            .at("subnet_id")
        }
        Link::Absent => Evaluation::unknown(
            i,
            "no subnet_id and no associate_public_ip_address: the instance launches in a default subnet, \
             which maps public IPs",
        )
        .at(ATTR),
        Link::Literal(s) => Evaluation::unknown(
            i,
            format!(
                "associate_public_ip_address is not set and the subnet {s} is not in the scanned \
                 configuration: its map_public_ip_on_launch decides"
            ),
        )
        .at("subnet_id"),
        _ => Evaluation::unknown(
            i,
            format!(
                "associate_public_ip_address is not set and the subnet is {}",
                not_known(graph.get(i))
            ),
        )
        .at("subnet_id"),
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn attribute_subnet_and_state() {
        let g = graph(
            vec![
                res("aws_subnet.public", json!({"map_public_ip_on_launch": true})),
                res("aws_subnet.private", json!({})),
                res(
                    "aws_instance.explicit_on",
                    json!({"associate_public_ip_address": true}),
                ),
                res(
                    "aws_instance.explicit_off",
                    json!({"associate_public_ip_address": false}),
                ),
                res(
                    "aws_instance.var",
                    json!({"associate_public_ip_address": unknown()}),
                ),
                res("aws_instance.in_public", json!({"subnet_id": unknown()})),
                res("aws_instance.in_private", json!({"subnet_id": unknown()})),
                res("aws_instance.outside", json!({"subnet_id": "subnet-0a1b"})),
                res("aws_instance.default_subnet", json!({})),
                res(
                    "aws_instance.state",
                    json!({"associate_public_ip_address": false, "public_ip": "3.3.3.3"}),
                ),
            ],
            &[
                edge("aws_instance.in_public", "subnet_id", "aws_subnet.public"),
                edge("aws_instance.in_private", "subnet_id", "aws_subnet.private"),
            ],
        );
        assert_eq!(
            verdicts(&g, &Ec2InstanceNoPublicIp.check(&g)),
            vec![
                ("aws_instance.explicit_on".into(), Verdict::Fail),
                ("aws_instance.explicit_off".into(), Verdict::Pass),
                ("aws_instance.var".into(), Verdict::Unknown),
                ("aws_instance.in_public".into(), Verdict::Fail),
                ("aws_instance.in_private".into(), Verdict::Pass),
                ("aws_instance.outside".into(), Verdict::Unknown),
                ("aws_instance.default_subnet".into(), Verdict::Unknown),
                ("aws_instance.state".into(), Verdict::Fail),
            ]
        );
    }
}

//! `aws-ec2-sg-public-ingress-web-only`: security groups allow ingress from the internet only to ports 80 and 443.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri};

use crate::aws::ec2::sg_ingress::{check_groups, Permission, Proto, Scope, Sources, SUBJECTS};

pub struct SgPublicIngressWebOnly;

static META: RuleMeta = RuleMeta {
    id: "aws-ec2-sg-public-ingress-web-only",
    title: "Security groups allow ingress from the internet only to ports 80 and 443",
    severity: Severity::Medium,
    kind: RuleKind::Graph,
    resource_types: SUBJECTS,
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00377",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

For every security group (`aws_security_group` and `aws_default_security_group`), attest gathers the ingress it allows: its inline `ingress` blocks and the
`aws_security_group_rule` (type `ingress`) and `aws_vpc_security_group_ingress_rule` resources
attached to it. The group fails when an ingress permission accepts traffic from `0.0.0.0/0` or `::/0` on anything other than exactly port 80 or exactly port 443 (TCP or UDP): a port range wider than one of them, another port, all traffic, ICMP or another protocol.

Rule resources whose security group is not part of the scanned configuration are judged on
their own. Protocols, ports or sources only known after apply make the result `unknown`.

## Why it matters

Web traffic is the one thing most workloads need to accept from everyone. Every other port open to the internet is attack surface that should be justified and narrowed to known networks. Restricting ingress to what is needed, from whom it is needed, is the boundary
protection SOC 2 CC6.6 expects.

## How to fix

Replace the broad rule with rules for the ports the workload serves, from the security groups or
address ranges of its clients.

Terraform:

```hcl
resource "aws_vpc_security_group_ingress_rule" "from_clients" {
  security_group_id            = aws_security_group.service.id
  referenced_security_group_id = aws_security_group.clients.id
  ip_protocol                  = "tcp"
  from_port                    = 22
  to_port                      = 22
}
```

CloudFormation:

```yaml
FromClients:
  Type: AWS::EC2::SecurityGroupIngress
  Properties:
    GroupId: !Ref ServiceSecurityGroup
    SourceSecurityGroupId: !Ref ClientSecurityGroup
    IpProtocol: tcp
    FromPort: 22
    ToPort: 22
```

Console: EC2 → Security Groups → choose the group → *Inbound rules* → *Edit inbound rules* →
delete the broad rule and add rules for the needed ports from the clients' security group. CLI:

```sh
aws ec2 revoke-security-group-ingress --group-id sg-0123456789abcdef0 \
  --ip-permissions IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]
aws ec2 authorize-security-group-ingress --group-id sg-0123456789abcdef0 \
  --protocol tcp --port 22 --source-group sg-0fedcba9876543210
```
"#;

impl Rule for SgPublicIngressWebOnly {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        let matcher = |p: &Permission| web_only(p);
        let scope = Scope {
            sources: Sources::Internet,
            matches: &matcher,
            what: "ingress from 0.0.0.0/0 or ::/0 other than to port 80 or 443",
        };
        check_groups(graph, &scope)
    }
}

/// Whether a permission takes in anything but exactly port 80 or exactly port 443.
fn web_only(p: &Permission) -> Tri {
    match &p.protocol {
        None => Tri::Unknown,
        Some((Proto::Tcp | Proto::Udp, _)) => match p.ports {
            Some((f, t)) => Tri::from(!(f == t && (f == 80 || f == 443))),
            None => Tri::Unknown,
        },
        Some(_) => Tri::True,
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::ec2::sg_ingress::test_support::{graph, ingress, sg};
    use crate::aws::links::test_support::{res, unknown, verdicts};

    fn run(g: &attest_core::ResourceGraph) -> Vec<(String, Verdict)> {
        verdicts(g, &SgPublicIngressWebOnly.check(g))
    }

    #[test]
    fn only_exact_web_ports_may_be_public() {
        let g = graph(
            vec![
                sg(
                    "web",
                    vec![
                        ingress(json!("tcp"), 80, 80, &["0.0.0.0/0"], &[]),
                        ingress(json!("tcp"), 443, 443, &[], &["::/0"]),
                        ingress(json!("-1"), 0, 0, &["10.0.0.0/8"], &[]),
                    ],
                ),
                sg("range", vec![ingress(json!("tcp"), 80, 443, &["0.0.0.0/0"], &[])]),
                sg("ssh", vec![ingress(json!("tcp"), 22, 22, &["0.0.0.0/0"], &[])]),
                sg("icmp", vec![ingress(json!("icmp"), -1, -1, &["0.0.0.0/0"], &[])]),
                res(
                    "aws_security_group.what",
                    json!({"ingress": [{"protocol": "tcp", "from_port": unknown(),
                    "to_port": unknown(), "cidr_blocks": ["0.0.0.0/0"]}]}),
                ),
            ],
            &[],
        );
        assert_eq!(
            run(&g),
            vec![
                ("aws_security_group.web".into(), Verdict::Pass),
                ("aws_security_group.range".into(), Verdict::Fail),
                ("aws_security_group.ssh".into(), Verdict::Fail),
                ("aws_security_group.icmp".into(), Verdict::Fail),
                ("aws_security_group.what".into(), Verdict::Unknown),
            ]
        );
    }
}

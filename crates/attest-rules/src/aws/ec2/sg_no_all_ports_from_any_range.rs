//! `aws-ec2-sg-no-all-ports-from-any-range`: security groups do not allow every port from any address range, private ones included.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::ec2::sg_ingress::{check_groups, Permission, Scope, Sources, SUBJECTS};

pub struct SgNoAllPortsFromAnyRange;

static META: RuleMeta = RuleMeta {
    id: "aws-ec2-sg-no-all-ports-from-any-range",
    title: "Security groups do not allow every port from any address range, private ones included",
    severity: Severity::Medium,
    kind: RuleKind::Graph,
    resource_types: SUBJECTS,
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00350",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

For every security group (`aws_security_group` and `aws_default_security_group`), attest gathers the ingress it allows: its inline `ingress` blocks and the
`aws_security_group_rule` (type `ingress`) and `aws_vpc_security_group_ingress_rule` resources
attached to it. The group fails when an ingress permission accepts every port (protocol `-1`, or TCP or UDP over the whole port range) from any CIDR range — private ranges such as `10.0.0.0/8` included. Permissions whose sources are other security groups or prefix lists do not count.

Rule resources whose security group is not part of the scanned configuration are judged on
their own. Protocols, ports or sources only known after apply make the result `unknown`.

## Why it matters

An all-ports rule from a private range trusts every host of that range with every service: one compromised host in the VPC, a peered network or an on-premises range can then move laterally without restriction. Least privilege asks for the ports each client needs. Restricting ingress to what is needed, from whom it is needed, is the boundary
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
  from_port                    = 443
  to_port                      = 443
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
    FromPort: 443
    ToPort: 443
```

Console: EC2 → Security Groups → choose the group → *Inbound rules* → *Edit inbound rules* →
delete the broad rule and add rules for the needed ports from the clients' security group. CLI:

```sh
aws ec2 revoke-security-group-ingress --group-id sg-0123456789abcdef0 \
  --ip-permissions IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]
aws ec2 authorize-security-group-ingress --group-id sg-0123456789abcdef0 \
  --protocol tcp --port 443 --source-group sg-0fedcba9876543210
```
"#;

impl Rule for SgNoAllPortsFromAnyRange {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        let matcher = |p: &Permission| p.all_ports();
        let scope = Scope {
            sources: Sources::AnyCidr,
            matches: &matcher,
            what: "every port from an address range",
        };
        check_groups(graph, &scope)
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
        verdicts(g, &SgNoAllPortsFromAnyRange.check(g))
    }

    #[test]
    fn all_ports_from_any_cidr_fail_and_group_sources_pass() {
        let g = graph(
            vec![
                sg("private", vec![ingress(json!("-1"), 0, 0, &["10.0.0.0/8"], &[])]),
                sg(
                    "tcp_v6",
                    vec![ingress(json!("tcp"), 0, 65535, &[], &["fd00::/8"])],
                ),
                res(
                    "aws_security_group.from_group",
                    json!({"ingress": [{"protocol": "-1", "from_port": 0,
                    "to_port": 0, "security_groups": ["sg-1"]}]}),
                ),
                sg(
                    "one_port",
                    vec![ingress(json!("tcp"), 22, 22, &["10.0.0.0/8"], &[])],
                ),
                res(
                    "aws_security_group.what",
                    json!({"ingress": [{"protocol": "-1", "from_port": 0,
                    "to_port": 0, "cidr_blocks": [unknown()]}]}),
                ),
            ],
            &[],
        );
        assert_eq!(
            run(&g),
            vec![
                ("aws_security_group.private".into(), Verdict::Fail),
                ("aws_security_group.tcp_v6".into(), Verdict::Fail),
                ("aws_security_group.from_group".into(), Verdict::Pass),
                ("aws_security_group.one_port".into(), Verdict::Pass),
                ("aws_security_group.what".into(), Verdict::Unknown),
            ]
        );
    }
}

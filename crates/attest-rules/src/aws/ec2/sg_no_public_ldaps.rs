//! `aws-ec2-sg-no-public-ldaps`: security groups do not open port 636 (LDAP over TLS) to the internet.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::ec2::sg_ingress::{check_public_port, SUBJECTS};

pub struct SgNoPublicLdaps;

const PORT: i64 = 636;

static META: RuleMeta = RuleMeta {
    id: "aws-ec2-sg-no-public-ldaps",
    title: "Security groups do not allow LDAP over TLS (port 636) from the internet",
    severity: Severity::High,
    kind: RuleKind::Graph,
    resource_types: SUBJECTS,
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00266",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

For every security group (`aws_security_group` and `aws_default_security_group`), attest gathers
the ingress it allows: its inline `ingress` blocks and the `aws_security_group_rule` (type
`ingress`) and `aws_vpc_security_group_ingress_rule` resources attached to it. The group fails
when one of them accepts traffic from `0.0.0.0/0` or `::/0` on port 636, the LDAP over TLS (LDAPS) port:
protocol TCP or UDP with a port range that includes 636, or protocol `-1` (all traffic).
Sources that are narrower ranges, other security groups or prefix lists do not count.

Rule resources whose security group is not part of the scanned configuration are judged on
their own. Protocols, ports or source ranges only known after apply make the result `unknown`.

## Why it matters

An exposed directory service lets anyone attempt binds against user accounts, enumerate the directory and exploit the directory server itself. Limiting who can reach a service to known networks is the boundary protection SOC 2
CC6.6 expects.

## How to fix

Remove the rule that opens port 636 to `0.0.0.0/0` / `::/0`, and allow the port only from the
security group of the clients that need it (or from known address ranges).

Terraform:

```hcl
resource "aws_vpc_security_group_ingress_rule" "service_from_clients" {
  security_group_id            = aws_security_group.service.id
  referenced_security_group_id = aws_security_group.clients.id
  ip_protocol                  = "tcp"
  from_port                    = 636
  to_port                      = 636
}
```

CloudFormation:

```yaml
ServiceFromClients:
  Type: AWS::EC2::SecurityGroupIngress
  Properties:
    GroupId: !Ref ServiceSecurityGroup
    SourceSecurityGroupId: !Ref ClientSecurityGroup
    IpProtocol: tcp
    FromPort: 636
    ToPort: 636
```

Console: EC2 → Security Groups → choose the group → *Inbound rules* → *Edit inbound rules* →
delete the rule for port 636 with source `0.0.0.0/0` or `::/0`, or change its source to the
clients' security group. CLI:

```sh
aws ec2 revoke-security-group-ingress --group-id sg-0123456789abcdef0 \
  --protocol tcp --port 636 --cidr 0.0.0.0/0
aws ec2 authorize-security-group-ingress --group-id sg-0123456789abcdef0 \
  --protocol tcp --port 636 --source-group sg-0fedcba9876543210
```
"#;

impl Rule for SgNoPublicLdaps {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        check_public_port(graph, PORT)
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::ec2::sg_ingress::test_support::{graph, ingress, sg};
    use crate::aws::links::test_support::verdicts;

    #[test]
    fn open_port_fails_and_other_ports_pass() {
        let g = graph(
            vec![
                sg(
                    "open",
                    vec![ingress(json!("tcp"), PORT, PORT, &["0.0.0.0/0"], &[])],
                ),
                sg(
                    "v6_range",
                    vec![ingress(json!("tcp"), PORT - 1, PORT + 1, &[], &["::/0"])],
                ),
                sg(
                    "other",
                    vec![ingress(json!("tcp"), 443, 443, &["0.0.0.0/0"], &[])],
                ),
                sg(
                    "private",
                    vec![ingress(json!("tcp"), PORT, PORT, &["10.0.0.0/8"], &[])],
                ),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &SgNoPublicLdaps.check(&g)),
            vec![
                ("aws_security_group.open".into(), Verdict::Fail),
                ("aws_security_group.v6_range".into(), Verdict::Fail),
                ("aws_security_group.other".into(), Verdict::Pass),
                ("aws_security_group.private".into(), Verdict::Pass),
            ]
        );
    }
}

//! `aws-vpc-nacl-no-public-rdp`: network ACLs do not allow RDP (port 3389) from the internet.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::vpc::nacl_ingress::{check_nacl_port, SUBJECTS};

pub struct NaclNoPublicRdp;

static META: RuleMeta = RuleMeta {
    id: "aws-vpc-nacl-no-public-rdp",
    title: "Network ACLs do not allow RDP (port 3389) from the internet",
    severity: Severity::High,
    kind: RuleKind::Graph,
    resource_types: SUBJECTS,
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00359",
        },
        Alias {
            tool: "cis-aws",
            id: "5.1",
        },
        Alias {
            tool: "prowler",
            id: "ec2_networkacl_allow_ingress_tcp_port_3389",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

For every network ACL (`aws_network_acl` and `aws_default_network_acl`), attest gathers its
inbound entries: the inline `ingress` blocks and the `aws_network_acl_rule` resources with
`egress = false` (the default) that name it in `network_acl_id`. It then evaluates them as AWS
does — in ascending rule number, the first entry that matches decides, and traffic no entry
matches is denied — for TCP and UDP traffic to port 3389 (RDP) from the whole IPv4 internet
(`0.0.0.0/0`) and the whole IPv6 internet (`::/0`). The ACL fails when such traffic is allowed:
an `allow` entry from `0.0.0.0/0` or `::/0` whose protocol is `-1` (all) or TCP/UDP with a port
range that includes 3389, with no lower-numbered `deny` entry covering the same traffic.
Entries for narrower source ranges neither expose nor protect the whole internet.

Values only known after apply (sources, ports, actions, rule numbers) make the result `unknown`
when they could change the outcome. `aws_network_acl_rule` resources whose network ACL is not in
the scanned configuration are judged on their own: an allow from the internet is `unknown`,
since a lower-numbered deny may exist there.

This is CIS AWS Foundations Benchmark v3.0 recommendation 5.1.

## Why it matters

Network ACLs are the subnet-level boundary. Allowing remote administration ports from the whole
internet at that layer leaves security groups as the only control in front of RDP, which is
brute-forced continuously and a common entry point for intrusions. SOC 2 CC6.6 expects such
boundary protections to restrict access from outside the system.

## How to fix

Allow RDP only from known administration ranges, or deny it from everywhere with an entry
numbered lower than any broad allow.

Terraform:

```hcl
resource "aws_network_acl_rule" "deny_rdp" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 50
  egress         = false
  protocol       = "tcp"
  rule_action    = "deny"
  cidr_block     = "0.0.0.0/0"
  from_port      = 3389
  to_port        = 3389
}
```

CloudFormation:

```yaml
DenyRDP:
  Type: AWS::EC2::NetworkAclEntry
  Properties:
    NetworkAclId: !Ref PublicNetworkAcl
    RuleNumber: 50
    Egress: false
    Protocol: 6
    RuleAction: deny
    CidrBlock: 0.0.0.0/0
    PortRange:
      From: 3389
      To: 3389
```

Console: VPC → Network ACLs → choose the ACL → *Inbound rules* → *Edit inbound rules* → remove
the rule allowing port 3389 from `0.0.0.0/0` / `::/0`, or add a lower-numbered deny. CLI:

```sh
aws ec2 create-network-acl-entry --network-acl-id acl-0123456789abcdef0 --ingress \
  --rule-number 50 --protocol tcp --port-range From=3389,To=3389 \
  --cidr-block 0.0.0.0/0 --rule-action deny
```
"#;

impl Rule for NaclNoPublicRdp {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        check_nacl_port(graph, 3389, "RDP")
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, verdicts};

    #[test]
    fn open_port_fails_unless_denied_first() {
        let allow = json!({"rule_no": 200, "action": "allow", "protocol": "tcp", "from_port": 3389,
            "to_port": 3389, "cidr_block": "0.0.0.0/0"});
        let deny = json!({"rule_no": 100, "action": "deny", "protocol": "-1", "from_port": 0,
            "to_port": 0, "cidr_block": "0.0.0.0/0"});
        let g = graph(
            vec![
                res("aws_network_acl.open", json!({"ingress": [allow.clone()]})),
                res("aws_network_acl.denied", json!({"ingress": [allow, deny]})),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &NaclNoPublicRdp.check(&g)),
            vec![
                ("aws_network_acl.open".into(), Verdict::Fail),
                ("aws_network_acl.denied".into(), Verdict::Pass),
            ]
        );
    }
}

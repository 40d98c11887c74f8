//! `aws-vpc-default-sg-restricts-all`: the default security group of a VPC has no ingress or
//! egress rules.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri};

use crate::aws::ec2::sg_ingress::{same_group, DEFAULT_GROUP, EGRESS_RULE, INGRESS_RULE, RULE};
use crate::aws::links::{managed, refers_to};

pub struct DefaultSgRestrictsAll;

static META: RuleMeta = RuleMeta {
    id: "aws-vpc-default-sg-restricts-all",
    title: "Default security groups allow no inbound or outbound traffic",
    severity: Severity::Medium,
    kind: RuleKind::Graph,
    resource_types: &[DEFAULT_GROUP],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00089",
        },
        Alias {
            tool: "cis-aws",
            id: "5.4",
        },
        Alias {
            tool: "checkov",
            id: "CKV2_AWS_12",
        },
        Alias {
            tool: "prowler",
            id: "ec2_securitygroup_default_restrict_traffic",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every VPC has a default security group that AWS attaches to instances and interfaces launched
without one. Terraform manages it with `aws_default_security_group`, which removes every rule the
configuration does not declare. attest judges each `aws_default_security_group`: it passes when
it declares no `ingress` and no `egress` block and no `aws_security_group_rule`,
`aws_vpc_security_group_ingress_rule` or `aws_vpc_security_group_egress_rule` resource adds a
rule to it (by reference or by the group's id). Rules only known after apply make the result
`unknown`.

This is CIS AWS Foundations Benchmark v3.0 recommendation 5.4. VPCs whose default security group
the scanned configuration does not manage are not judged (AWS creates it with a rule allowing all
traffic between its members and all outbound traffic).

## Why it matters

Anything launched without an explicit security group lands in the default one. When it allows
traffic, forgotten resources become reachable and can reach each other and the internet without
anyone having decided so. Keeping it empty forces every workload onto a purpose-built group, the
least-privilege boundary SOC 2 CC6.1 and CC6.6 expect.

## How to fix

Terraform — adopt the default group and declare no rules:

```hcl
resource "aws_default_security_group" "default" {
  vpc_id = aws_vpc.main.id
}
```

CloudFormation cannot manage the default security group's rules; remove them with a custom
resource or out of band, and give every resource its own group:

```yaml
AppSecurityGroup:
  Type: AWS::EC2::SecurityGroup
  Properties:
    GroupDescription: app
    VpcId: !Ref Vpc
```

Console: VPC → Security groups → the group named `default` → *Inbound rules* and *Outbound
rules* → delete every rule. CLI:

```sh
aws ec2 revoke-security-group-ingress --group-id sg-0123456789abcdef0 \
  --ip-permissions '[{"IpProtocol":"-1","UserIdGroupPairs":[{"GroupId":"sg-0123456789abcdef0"}]}]'
aws ec2 revoke-security-group-egress --group-id sg-0123456789abcdef0 \
  --ip-permissions '[{"IpProtocol":"-1","IpRanges":[{"CidrIp":"0.0.0.0/0"}]}]'
```
"#;

impl Rule for DefaultSgRestrictsAll {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn looks_through(&self) -> &'static [&'static str] {
        &[RULE, INGRESS_RULE, EGRESS_RULE]
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        let rules = managed(graph, &[RULE, INGRESS_RULE, EGRESS_RULE]);
        managed(graph, &[DEFAULT_GROUP])
            .into_iter()
            .map(|g| {
                let group = graph.get(g);
                let mut found = Vec::new();
                let mut unknown = Vec::new();
                for attr in ["ingress", "egress"] {
                    match group.attr(attr).blocks() {
                        None => unknown.push(format!("its {attr} (not known before apply)")),
                        Some(blocks) if !blocks.is_empty() => {
                            found.push(format!("{} inline {attr} rule(s)", blocks.len()))
                        }
                        Some(_) => {}
                    }
                }
                for &r in &rules {
                    match refers_to(graph, r, "security_group_id", g, same_group) {
                        Tri::True => found.push(graph.get(r).id.clone()),
                        Tri::Unknown => {
                            unknown.push(format!("{} (group not known before apply)", graph.get(r).id))
                        }
                        Tri::False => {}
                    }
                }
                if !found.is_empty() {
                    Evaluation::fail(
                        g,
                        format!("the default security group has rules: {}", found.join(", ")),
                    )
                } else if !unknown.is_empty() {
                    Evaluation::unknown(
                        g,
                        format!(
                            "cannot tell whether the default security group has rules: {}",
                            unknown.join(", ")
                        ),
                    )
                } else {
                    Evaluation::pass(g, "the default security group declares no ingress or egress rule")
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn rules_inline_or_separate_fail_and_unknowns_are_unknown() {
        let g = graph(
            vec![
                res("aws_default_security_group.empty", json!({"id": "sg-0"})),
                res(
                    "aws_default_security_group.inline",
                    json!({"egress": [{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}]}),
                ),
                res("aws_default_security_group.by_edge", json!({})),
                res("aws_default_security_group.by_id", json!({"id": "sg-9"})),
                res(
                    "aws_default_security_group.computed",
                    json!({"ingress": unknown()}),
                ),
                res(
                    "aws_security_group_rule.self",
                    json!({"type": "ingress", "security_group_id": unknown()}),
                ),
                res(
                    "aws_vpc_security_group_egress_rule.out",
                    json!({"security_group_id": "sg-9"}),
                ),
            ],
            &[edge(
                "aws_security_group_rule.self",
                "security_group_id",
                "aws_default_security_group.by_edge",
            )],
        );
        assert_eq!(
            verdicts(&g, &DefaultSgRestrictsAll.check(&g)),
            vec![
                ("aws_default_security_group.empty".into(), Verdict::Pass),
                ("aws_default_security_group.inline".into(), Verdict::Fail),
                ("aws_default_security_group.by_edge".into(), Verdict::Fail),
                ("aws_default_security_group.by_id".into(), Verdict::Fail),
                ("aws_default_security_group.computed".into(), Verdict::Unknown),
            ]
        );
    }

    #[test]
    fn a_rule_whose_group_is_unknown_makes_an_empty_group_unknown() {
        let g = graph(
            vec![
                res("aws_default_security_group.d", json!({"id": "sg-0"})),
                res(
                    "aws_vpc_security_group_ingress_rule.what",
                    json!({"security_group_id": unknown()}),
                ),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &DefaultSgRestrictsAll.check(&g)),
            vec![("aws_default_security_group.d".into(), Verdict::Unknown)]
        );
    }
}

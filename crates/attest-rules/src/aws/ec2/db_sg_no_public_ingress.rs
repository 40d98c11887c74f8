//! `aws-ec2-db-sg-no-public-ingress`: security groups of RDS databases allow no ingress from the internet.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri};

use crate::aws::ec2::sg_ingress::{check_attached, Consumers, Permission, Scope, Sources, GROUPS};

pub struct DbSgNoPublicIngress;

const CONSUMERS: Consumers = Consumers {
    types: &["aws_db_instance", "aws_rds_cluster"],
    attrs: &["vpc_security_group_ids"],
    noun: "databases",
};

static META: RuleMeta = RuleMeta {
    id: "aws-ec2-db-sg-no-public-ingress",
    title: "Security groups of RDS databases allow no ingress from the internet",
    severity: Severity::High,
    kind: RuleKind::Graph,
    resource_types: GROUPS,
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00104",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

For security groups, attest gathers the ingress it allows: its inline `ingress` blocks and the
`aws_security_group_rule` (type `ingress`) and `aws_vpc_security_group_ingress_rule` resources
attached to it. The group fails when a security group used by an RDS database (`vpc_security_group_ids` of `aws_db_instance` or `aws_rds_cluster`, by reference or by id or ARN) has an ingress permission of any protocol and port from `0.0.0.0/0` or `::/0`. Groups no database uses are not reported; groups a database may use (its list is not known before apply) are `unknown` when they would fail. Protocols, ports or sources only known after apply make the result `unknown`.

## Why it matters

A database should only accept connections from the application tier. Internet-facing database ports are brute-forced and exploited within hours, and one weak password then exposes the data itself. Restricting ingress to what is needed, from whom it is needed, is the boundary
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
  from_port                    = 5432
  to_port                      = 5432
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
    FromPort: 5432
    ToPort: 5432
```

Console: EC2 → Security Groups → choose the group → *Inbound rules* → *Edit inbound rules* →
delete the broad rule and add rules for the needed ports from the clients' security group. CLI:

```sh
aws ec2 revoke-security-group-ingress --group-id sg-0123456789abcdef0 \
  --ip-permissions IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]
aws ec2 authorize-security-group-ingress --group-id sg-0123456789abcdef0 \
  --protocol tcp --port 5432 --source-group sg-0fedcba9876543210
```
"#;

impl Rule for DbSgNoPublicIngress {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn looks_through(&self) -> &'static [&'static str] {
        CONSUMERS.types
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        let matcher = |_: &Permission| Tri::True;
        let scope = Scope {
            sources: Sources::Internet,
            matches: &matcher,
            what: "ingress from 0.0.0.0/0 or ::/0",
        };
        check_attached(graph, &scope, &CONSUMERS)
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::ec2::sg_ingress::test_support::{graph, ingress, sg};
    use crate::aws::links::test_support::{edge, res, unknown, verdicts};

    fn run(g: &attest_core::ResourceGraph) -> Vec<(String, Verdict)> {
        verdicts(g, &DbSgNoPublicIngress.check(g))
    }

    #[test]
    fn groups_of_databases_open_to_the_internet_fail() {
        let mut by_id = sg(
            "by_id",
            vec![ingress(json!("tcp"), 5432, 5432, &["10.0.0.0/8"], &[])],
        );
        by_id.attributes = attest_core::Value::from(json!({"id": "sg-2",
            "ingress": [ingress(json!("tcp"), 5432, 5432, &["10.0.0.0/8"], &[])]}));
        let g = graph(
            vec![
                sg("open", vec![ingress(json!("tcp"), 3306, 3306, &[], &["::/0"])]),
                by_id,
                sg("maybe", vec![ingress(json!("tcp"), 5432, 5432, &[], &["::/0"])]),
                sg("web", vec![ingress(json!("tcp"), 443, 443, &["0.0.0.0/0"], &[])]),
                res(
                    "aws_db_instance.db",
                    json!({"vpc_security_group_ids": [unknown()]}),
                ),
                res(
                    "aws_rds_cluster.aurora",
                    json!({"vpc_security_group_ids": ["sg-2"]}),
                ),
                res(
                    "aws_db_instance.other",
                    json!({"vpc_security_group_ids": unknown()}),
                ),
            ],
            &[edge(
                "aws_db_instance.db",
                "vpc_security_group_ids.0",
                "aws_security_group.open",
            )],
        );
        assert_eq!(
            run(&g),
            vec![
                ("aws_security_group.open".into(), Verdict::Fail),
                ("aws_security_group.by_id".into(), Verdict::Pass),
                ("aws_security_group.maybe".into(), Verdict::Unknown),
                ("aws_security_group.web".into(), Verdict::Unknown),
            ]
        );
    }
}

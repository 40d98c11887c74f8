//! `aws-rds-cluster-multi-az`: RDS clusters have instances in more than one Availability Zone.

use attest_core::Tri;
use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::links::{ids, managed, names_resource, refers_to};
use crate::aws::wording::only_known;

pub struct RdsClusterMultiAz;

static META: RuleMeta = RuleMeta {
    id: "aws-rds-cluster-multi-az",
    title: "RDS clusters have instances in more than one Availability Zone",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &["aws_rds_cluster"],
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00209",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_rds_cluster` is judged as follows:

- a Multi-AZ DB cluster (`db_cluster_instance_class` set: one writer and two readable standbys in
  three Availability Zones) passes;
- an Aurora Serverless v1 cluster (`engine_mode = "serverless"`) passes: AWS moves it to another
  Availability Zone on failure;
- otherwise (Aurora provisioned), the rule counts the `aws_rds_cluster_instance` resources whose
  `cluster_identifier` refers to the cluster. With two or more, the cluster passes unless every one
  of them pins the same `availability_zone` (RDS spreads instances across zones unless told
  otherwise); with fewer than two it fails — there is no replica to fail over to. When an instance's
  `cluster_identifier` is only known after apply (and no reference says where it points) and the
  count found is below two, the result is `unknown`.

The cluster's `availability_zones` argument is not used: Aurora storage always spans three zones,
but compute does not.

## Why it matters

An Aurora cluster with a single instance has no standby: when the instance or its zone fails, the
database is down until RDS creates a new one. With a replica in another zone, Aurora promotes it in
about a minute. SOC 2 A1.2 expects recovery infrastructure that supports availability commitments.

## How to fix

Terraform:

```hcl
resource "aws_rds_cluster" "aurora" {
  cluster_identifier = "aurora"
  engine             = "aurora-postgresql"
  storage_encrypted  = true
}

resource "aws_rds_cluster_instance" "aurora" {
  count              = 2
  identifier         = "aurora-${count.index}"
  cluster_identifier = aws_rds_cluster.aurora.id
  engine             = aws_rds_cluster.aurora.engine
  instance_class     = "db.r6g.large"
}
```

CloudFormation:

```yaml
AuroraCluster:
  Type: AWS::RDS::DBCluster
  Properties:
    Engine: aurora-postgresql
Writer:
  Type: AWS::RDS::DBInstance
  Properties:
    DBClusterIdentifier: !Ref AuroraCluster
    Engine: aurora-postgresql
    DBInstanceClass: db.r6g.large
Reader:
  Type: AWS::RDS::DBInstance
  Properties:
    DBClusterIdentifier: !Ref AuroraCluster
    Engine: aurora-postgresql
    DBInstanceClass: db.r6g.large
```

Console: RDS → *Databases* → the cluster → *Actions* → *Add reader* → pick another Availability
Zone. CLI: `aws rds create-db-instance --db-instance-identifier aurora-1 --db-cluster-identifier
aurora --engine aurora-postgresql --db-instance-class db.r6g.large --availability-zone eu-west-1b`.
"#;

impl Rule for RdsClusterMultiAz {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn looks_through(&self) -> &'static [&'static str] {
        &[INSTANCE]
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, META.resource_types)
            .into_iter()
            .map(|i| judge(graph, i))
            .collect()
    }
}

const INSTANCE: &str = "aws_rds_cluster_instance";

fn judge(graph: &ResourceGraph, i: usize) -> Evaluation {
    let cluster = graph.get(i);
    if cluster.attr("db_cluster_instance_class").as_str().is_some() {
        return Evaluation::pass(
            i,
            "a Multi-AZ DB cluster runs a writer and two standbys in three Availability Zones",
        );
    }
    if cluster.attr("engine_mode").as_str() == Some("serverless") {
        return Evaluation::pass(
            i,
            "Aurora Serverless v1 fails over to another Availability Zone automatically",
        );
    }
    let mut members = Vec::new();
    let mut unknown = Vec::new();
    for m in managed(graph, &[INSTANCE]) {
        match refers_to(graph, m, "cluster_identifier", i, |c, v| {
            names_resource(c, v, &["id", "cluster_identifier"])
        }) {
            Tri::True => members.push(m),
            Tri::Unknown => unknown.push(m),
            Tri::False => {}
        }
    }
    if members.len() >= 2 {
        let zones: Option<Vec<&str>> = members
            .iter()
            .map(|&m| graph.get(m).attr("availability_zone").as_str())
            .collect();
        if let Some(zones) = zones {
            if zones.iter().all(|z| *z == zones[0]) {
                return Evaluation::fail(
                    i,
                    format!(
                        "all {} instances ({}) are pinned to {}",
                        members.len(),
                        ids(graph, &members),
                        zones[0]
                    ),
                );
            }
        }
        return Evaluation::pass(
            i,
            format!(
                "{} instances ({}) can run in different Availability Zones",
                members.len(),
                ids(graph, &members)
            ),
        );
    }
    if !unknown.is_empty() {
        return Evaluation::unknown(
            i,
            format!(
                "cannot tell whether {} belong to the cluster: cluster_identifier is {}",
                ids(graph, &unknown),
                only_known(graph.get(unknown[0]))
            ),
        );
    }
    Evaluation::fail(
        i,
        format!("the cluster has {} instance(s) in the scanned configuration: no replica in another Availability Zone to fail over to", members.len()),
    )
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    #[allow(unused_imports)]
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn cluster_shapes() {
        let g = graph(
            vec![
                res("aws_rds_cluster.two", json!({"cluster_identifier": "two"})),
                res("aws_rds_cluster.one", json!({"cluster_identifier": "one"})),
                res("aws_rds_cluster.pinned", json!({"cluster_identifier": "pinned"})),
                res(
                    "aws_rds_cluster.maz",
                    json!({"db_cluster_instance_class": "db.m6gd.large"}),
                ),
                res(
                    "aws_rds_cluster_instance.a",
                    json!({"cluster_identifier": unknown()}),
                ),
                res("aws_rds_cluster_instance.b", json!({"cluster_identifier": "two"})),
                res("aws_rds_cluster_instance.c", json!({"cluster_identifier": "one"})),
                res(
                    "aws_rds_cluster_instance.p1",
                    json!({"cluster_identifier": "pinned", "availability_zone": "eu-west-1a"}),
                ),
                res(
                    "aws_rds_cluster_instance.p2",
                    json!({"cluster_identifier": "pinned", "availability_zone": "eu-west-1a"}),
                ),
            ],
            &[edge(
                "aws_rds_cluster_instance.a",
                "cluster_identifier",
                "aws_rds_cluster.two",
            )],
        );
        assert_eq!(
            verdicts(&g, &RdsClusterMultiAz.check(&g)),
            vec![
                ("aws_rds_cluster.two".into(), Verdict::Pass),
                ("aws_rds_cluster.one".into(), Verdict::Fail),
                ("aws_rds_cluster.pinned".into(), Verdict::Fail),
                ("aws_rds_cluster.maz".into(), Verdict::Pass),
            ]
        );
        let g = graph(
            vec![
                res("aws_rds_cluster.c", json!({})),
                res(
                    "aws_rds_cluster_instance.var",
                    json!({"cluster_identifier": unknown()}),
                ),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &RdsClusterMultiAz.check(&g)),
            vec![("aws_rds_cluster.c".into(), Verdict::Unknown)]
        );
    }
}

//! `aws-redshift-cluster-not-public`: Redshift clusters are not publicly accessible.

use crate::aws::flag::Flag;
use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

pub struct RedshiftClusterNotPublic;

static META: RuleMeta = RuleMeta {
    id: "aws-redshift-cluster-not-public",
    title: "Redshift clusters are not publicly accessible",
    severity: Severity::Critical,
    kind: RuleKind::Resource,
    resource_types: &["aws_redshift_cluster"],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00270",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_87",
        },
        Alias {
            tool: "prowler",
            id: "redshift_cluster_public_access",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_redshift_cluster` passes when `publicly_accessible = false`, fails when it is true, and
gives `unknown` when the value is only known after apply.

When the attribute is not written the cluster **fails**: AWS provider versions before 6.0 declare a
default of `true` and send it to the API, so such a cluster is created with a public endpoint
(provider 6.0 changed the default to false, and AWS made new clusters private by default in 2025,
but the configuration does not say which provider version applies it). Write
`publicly_accessible = false` to make the intent explicit.

## Why it matters

A public Redshift endpoint puts the warehouse — typically the largest concentration of business data
— one security-group rule away from the internet. SOC 2 CC6.1, CC6.6 and C1.1 expect such data
behind the network boundary.

## How to fix

Terraform:

```hcl
resource "aws_redshift_cluster" "warehouse" {
  cluster_identifier        = "warehouse"
  node_type                 = "ra3.xlplus"
  number_of_nodes           = 2
  publicly_accessible       = false
  cluster_subnet_group_name = aws_redshift_subnet_group.private.name
}
```

CloudFormation:

```yaml
Warehouse:
  Type: AWS::Redshift::Cluster
  Properties:
    ClusterType: multi-node
    NodeType: ra3.xlplus
    NumberOfNodes: 2
    PubliclyAccessible: false
```

Console: Redshift → *Clusters* → the cluster → *Actions* → *Modify publicly accessible setting* →
disable. CLI: `aws redshift modify-cluster --cluster-identifier warehouse --no-publicly-accessible`.
"#;

impl Rule for RedshiftClusterNotPublic {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        FLAG.check(graph, META.resource_types)
    }
}

const FLAG: Flag = Flag {
    attr: "publicly_accessible",
    default: true,
    default_by: "AWS provider versions before 6.0 apply",
    want: false,
    good: "the cluster has no public endpoint",
    bad: "the cluster has a public endpoint",
};

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    #[allow(unused_imports)]
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn set_absent_and_unknown() {
        let g = graph(
            vec![
                res("aws_redshift_cluster.good", json!({"publicly_accessible": false})),
                res("aws_redshift_cluster.bad", json!({"publicly_accessible": true})),
                res("aws_redshift_cluster.absent", json!({})),
                res(
                    "aws_redshift_cluster.var",
                    json!({"publicly_accessible": unknown()}),
                ),
            ],
            &[],
        );
        let evals = RedshiftClusterNotPublic.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_redshift_cluster.good".into(), Verdict::Pass),
                ("aws_redshift_cluster.bad".into(), Verdict::Fail),
                ("aws_redshift_cluster.absent".into(), Verdict::Fail),
                ("aws_redshift_cluster.var".into(), Verdict::Unknown),
            ]
        );
    }
}

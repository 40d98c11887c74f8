//! `aws-elasticache-encryption`: ElastiCache replication groups encrypt data at rest and in transit.

use attest_core::Verdict;
use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::flag::Flag;
use crate::aws::links::managed;

pub struct ElastiCacheEncryption;

static META: RuleMeta = RuleMeta {
    id: "aws-elasticache-encryption",
    title: "ElastiCache replication groups encrypt data at rest and in transit",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &["aws_elasticache_replication_group"],
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00105",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_elasticache_replication_group` passes when both `at_rest_encryption_enabled` and
`transit_encryption_enabled` are true. It fails when either is false or not written (the API default
for both is false for Redis OSS replication groups), naming the one that is off, and gives `unknown`
when a value is only known after apply. Both settings can only be chosen at creation for older
engine versions.

## Why it matters

Cache nodes often hold session tokens, personal data and query results copied from the database.
Encryption at rest protects them on disk and in backups; encryption in transit (TLS) protects them
between clients and nodes and between nodes. SOC 2 CC6.1 and C1.1 expect encryption at rest, CC6.7
encryption in transmission.

## How to fix

Terraform:

```hcl
resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id       = "sessions"
  description                = "session store"
  engine                     = "redis"
  node_type                  = "cache.t4g.small"
  num_cache_clusters         = 2
  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
}
```

CloudFormation:

```yaml
Sessions:
  Type: AWS::ElastiCache::ReplicationGroup
  Properties:
    ReplicationGroupDescription: session store
    Engine: redis
    CacheNodeType: cache.t4g.small
    NumCacheClusters: 2
    AtRestEncryptionEnabled: true
    TransitEncryptionEnabled: true
```

Console: ElastiCache → the cluster → *Modify* → *Encryption in transit* (supported engines), or
create a new encrypted replication group from a backup. CLI:
`aws elasticache create-replication-group ... --at-rest-encryption-enabled --transit-encryption-enabled`.
"#;

impl Rule for ElastiCacheEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, META.resource_types)
            .into_iter()
            .map(|i| judge(graph, i))
            .collect()
    }
}

const AT_REST: Flag = Flag {
    attr: "at_rest_encryption_enabled",
    default: false,
    default_by: "AWS applies",
    want: true,
    good: "data is encrypted at rest",
    bad: "data is not encrypted at rest",
};

const IN_TRANSIT: Flag = Flag {
    attr: "transit_encryption_enabled",
    default: false,
    default_by: "AWS applies",
    want: true,
    good: "traffic is encrypted in transit",
    bad: "traffic is not encrypted in transit",
};

fn judge(graph: &ResourceGraph, i: usize) -> Evaluation {
    let evals = [AT_REST.judge(graph, i), IN_TRANSIT.judge(graph, i)];
    for verdict in [Verdict::Fail, Verdict::Unknown] {
        if let Some(e) = evals.iter().find(|e| e.verdict == verdict) {
            return e.clone();
        }
    }
    Evaluation::pass(i, format!("{}; {}", evals[0].message, evals[1].message))
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    #[allow(unused_imports)]
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn both_flags() {
        let g = graph(
            vec![
                res(
                    "aws_elasticache_replication_group.both",
                    json!({"at_rest_encryption_enabled": true,
                    "transit_encryption_enabled": true}),
                ),
                res(
                    "aws_elasticache_replication_group.rest_only",
                    json!({"at_rest_encryption_enabled": true}),
                ),
                res("aws_elasticache_replication_group.none", json!({})),
                res(
                    "aws_elasticache_replication_group.var",
                    json!({"at_rest_encryption_enabled": true,
                    "transit_encryption_enabled": unknown()}),
                ),
            ],
            &[],
        );
        let evals = ElastiCacheEncryption.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_elasticache_replication_group.both".into(), Verdict::Pass),
                (
                    "aws_elasticache_replication_group.rest_only".into(),
                    Verdict::Fail
                ),
                ("aws_elasticache_replication_group.none".into(), Verdict::Fail),
                ("aws_elasticache_replication_group.var".into(), Verdict::Unknown),
            ]
        );
        assert!(evals[1].message.contains("transit"), "{}", evals[1].message);
    }
}

//! `aws-opensearch-node-to-node-encryption`: OpenSearch domains encrypt traffic between nodes.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use super::DOMAIN_TYPES;
use crate::aws::flag::Flag;

pub struct OpenSearchNodeToNodeEncryption;

static META: RuleMeta = RuleMeta {
    id: "aws-opensearch-node-to-node-encryption",
    title: "OpenSearch domains encrypt traffic between nodes",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: DOMAIN_TYPES,
    aliases: &[
        Alias {
            tool: "checkov",
            id: "CKV_AWS_6",
        },
        Alias {
            tool: "prowler",
            id: "opensearch_service_domains_node_to_node_encryption_enabled",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_opensearch_domain` and `aws_elasticsearch_domain` passes when its
`node_to_node_encryption` block has `enabled = true`. It fails when the block is absent or
`enabled = false` (the default is `false`), and gives `unknown` when the value is only known
after apply.

## Why it matters

Nodes of a domain exchange index data, search results and replicas over the VPC network.
Node-to-node encryption wraps that traffic in TLS, so data in transit inside the cluster cannot
be read or altered by anything else on the network path (SOC 2 CC6.7). It is also a
prerequisite for fine-grained access control.

## How to fix

Node-to-node encryption can be turned on for an existing domain (OpenSearch, or Elasticsearch
6.7 and later); it cannot be turned off again.

Terraform:

```hcl
resource "aws_opensearch_domain" "search" {
  domain_name    = "search"
  engine_version = "OpenSearch_2.11"

  node_to_node_encryption {
    enabled = true
  }
}
```

CloudFormation:

```yaml
SearchDomain:
  Type: AWS::OpenSearchService::Domain
  Properties:
    DomainName: search
    EngineVersion: OpenSearch_2.11
    NodeToNodeEncryptionOptions:
      Enabled: true
```

Console: Amazon OpenSearch Service → *Domains* → the domain → *Actions* → *Edit security
configuration* → *Encryption* → *Node-to-node encryption* → *Save changes*. CLI:

```sh
aws opensearch update-domain-config --domain-name search \
  --node-to-node-encryption-options Enabled=true
```
"#;

const FLAG: Flag = Flag {
    attr: "node_to_node_encryption.enabled",
    default: false,
    default_by: "the provider applies",
    want: true,
    good: "traffic between the domain's nodes is encrypted with TLS",
    bad: "traffic between the domain's nodes is not encrypted",
};

impl Rule for OpenSearchNodeToNodeEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        FLAG.check(graph, META.resource_types)
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, unknown, verdicts};

    #[test]
    fn both_domain_types_absent_and_unknown() {
        let g = graph(
            vec![
                res(
                    "aws_opensearch_domain.on",
                    json!({"node_to_node_encryption": [{"enabled": true}]}),
                ),
                res(
                    "aws_elasticsearch_domain.off",
                    json!({"node_to_node_encryption": [{"enabled": false}]}),
                ),
                res("aws_opensearch_domain.absent", json!({})),
                res(
                    "aws_opensearch_domain.var",
                    json!({"node_to_node_encryption": [{"enabled": unknown()}]}),
                ),
                res(
                    "data.aws_opensearch_domain.read",
                    json!({"node_to_node_encryption": [{"enabled": false}]}),
                ),
            ],
            &[],
        );
        let mut got = verdicts(&g, &OpenSearchNodeToNodeEncryption.check(&g));
        got.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            got,
            vec![
                ("aws_elasticsearch_domain.off".into(), Verdict::Fail),
                ("aws_opensearch_domain.absent".into(), Verdict::Fail),
                ("aws_opensearch_domain.on".into(), Verdict::Pass),
                ("aws_opensearch_domain.var".into(), Verdict::Unknown),
            ]
        );
    }
}

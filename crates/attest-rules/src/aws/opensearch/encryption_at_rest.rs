//! `aws-opensearch-encryption-at-rest`: OpenSearch domains encrypt data at rest.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use super::DOMAIN_TYPES;
use crate::aws::flag::Flag;

pub struct OpenSearchEncryptionAtRest;

static META: RuleMeta = RuleMeta {
    id: "aws-opensearch-encryption-at-rest",
    title: "OpenSearch domains encrypt data at rest",
    severity: Severity::High,
    kind: RuleKind::Resource,
    resource_types: DOMAIN_TYPES,
    aliases: &[
        Alias {
            tool: "checkov",
            id: "CKV_AWS_5",
        },
        Alias {
            tool: "prowler",
            id: "opensearch_service_domains_encryption_at_rest_enabled",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_opensearch_domain` and `aws_elasticsearch_domain` passes when its `encrypt_at_rest`
block has `enabled = true`. It fails when the block is absent or `enabled = false` (the
provider's default when the block is not written is `false`), and gives `unknown` when the value
is only known after apply.

## Why it matters

A search domain often holds copies of application data, logs and documents. Encryption at rest
covers the indexes, automated snapshots, logs and swap files with a KMS key, so data on disks,
in backups or in a misplaced snapshot is unreadable without the key (SOC 2 CC6.1, C1.1).

## How to fix

Encryption at rest can be turned on for an existing domain (OpenSearch, or Elasticsearch 6.7
and later); it cannot be turned off again.

Terraform:

```hcl
resource "aws_opensearch_domain" "search" {
  domain_name    = "search"
  engine_version = "OpenSearch_2.11"

  encrypt_at_rest {
    enabled    = true
    kms_key_id = aws_kms_key.search.arn # omit to use the AWS-managed key
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
    EncryptionAtRestOptions:
      Enabled: true
      KmsKeyId: !Ref SearchKey
```

Console: Amazon OpenSearch Service → *Domains* → the domain → *Actions* → *Edit security
configuration* → *Encryption* → *Enable encryption of data at rest* → *Save changes*. CLI:

```sh
aws opensearch update-domain-config --domain-name search \
  --encryption-at-rest-options Enabled=true
```
"#;

const FLAG: Flag = Flag {
    attr: "encrypt_at_rest.enabled",
    default: false,
    default_by: "the provider applies",
    want: true,
    good: "the domain's indexes, snapshots and logs are encrypted at rest",
    bad: "the domain's data is not encrypted at rest",
};

impl Rule for OpenSearchEncryptionAtRest {
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
                    json!({"encrypt_at_rest": [{"enabled": true}]}),
                ),
                res(
                    "aws_elasticsearch_domain.off",
                    json!({"encrypt_at_rest": [{"enabled": false}]}),
                ),
                res("aws_opensearch_domain.absent", json!({})),
                res(
                    "aws_opensearch_domain.var",
                    json!({"encrypt_at_rest": [{"enabled": unknown()}]}),
                ),
                res(
                    "aws_elasticsearch_domain.on",
                    json!({"encrypt_at_rest": {"enabled": true}}),
                ),
            ],
            &[],
        );
        let mut got = verdicts(&g, &OpenSearchEncryptionAtRest.check(&g));
        got.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            got,
            vec![
                ("aws_elasticsearch_domain.off".into(), Verdict::Fail),
                ("aws_elasticsearch_domain.on".into(), Verdict::Pass),
                ("aws_opensearch_domain.absent".into(), Verdict::Fail),
                ("aws_opensearch_domain.on".into(), Verdict::Pass),
                ("aws_opensearch_domain.var".into(), Verdict::Unknown),
            ]
        );
    }
}

//! `aws-eks-secrets-encryption`: EKS clusters envelope-encrypt Kubernetes secrets with a KMS key.

use attest_core::{
    Alias, Evaluation, Resource, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri, Value,
};

use crate::aws::links::managed;
use crate::aws::wording::{attr_not_known, not_known};

pub struct EksSecretsEncryption;

static META: RuleMeta = RuleMeta {
    id: "aws-eks-secrets-encryption",
    title: "EKS clusters encrypt Kubernetes secrets with a KMS key",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &["aws_eks_cluster"],
    aliases: &[Alias {
        tool: "checkov",
        id: "CKV_AWS_58",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_eks_cluster` passes when one of its `encryption_config` blocks lists `"secrets"` in
`resources`: Kubernetes secrets are then envelope-encrypted in etcd with the KMS key named in
the block's `provider.key_arn`. It fails when there is no `encryption_config` block or none
lists `"secrets"`, and gives `unknown` when the blocks or their `resources` are only known after
apply.

## Why it matters

Kubernetes secrets hold database passwords, API tokens and certificates. Envelope encryption
with a KMS key in the account puts every decryption under a key policy and in CloudTrail, and
lets access be revoked by disabling the key, on top of the encryption EKS applies to its own
storage (SOC 2 CC6.1).

## How to fix

Terraform:

```hcl
resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = aws_iam_role.eks.arn

  vpc_config {
    subnet_ids = var.private_subnet_ids
  }

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = aws_kms_key.eks.arn
    }
  }
}
```

CloudFormation:

```yaml
MainCluster:
  Type: AWS::EKS::Cluster
  Properties:
    Name: main
    RoleArn: !GetAtt EksRole.Arn
    ResourcesVpcConfig:
      SubnetIds: !Ref PrivateSubnetIds
    EncryptionConfig:
      - Resources: [secrets]
        Provider:
          KeyArn: !GetAtt EksKey.Arn
```

Console: EKS → *Clusters* → the cluster → *Overview* → *Secrets encryption* → *Enable* → choose
the KMS key. Once enabled it cannot be turned off. CLI:

```sh
aws eks associate-encryption-config --cluster-name main \
  --encryption-config '[{"resources":["secrets"],"provider":{"keyArn":"arn:aws:kms:us-east-1:123456789012:key/abcd-1234"}}]'
```
"#;

impl Rule for EksSecretsEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, META.resource_types)
            .into_iter()
            .map(|i| judge(graph.get(i), graph.get(i).attr("encryption_config"), i).at("encryption_config"))
            .collect()
    }
}

/// Whether one `encryption_config` block covers secrets.
fn covers_secrets(block: &Value) -> Tri {
    let resources = block.get("resources");
    match resources {
        Value::List(items) => Tri::any(items.iter().map(|r| match r.as_str() {
            Some(s) => Tri::from(s == "secrets"),
            None => Tri::Unknown,
        })),
        Value::String(s) => Tri::from(s == "secrets"),
        Value::Null => Tri::False,
        _ => Tri::Unknown,
    }
}

fn judge(r: &Resource, config: &Value, i: usize) -> Evaluation {
    let Some(blocks) = config.blocks() else {
        return Evaluation::unknown(i, attr_not_known(r, "encryption_config"));
    };
    if blocks.is_empty() {
        return Evaluation::fail(
            i,
            "no encryption_config block: Kubernetes secrets are not envelope-encrypted with a KMS key",
        );
    }
    match Tri::any(blocks.iter().map(|b| covers_secrets(b))) {
        Tri::True => Evaluation::pass(
            i,
            "encryption_config covers \"secrets\": Kubernetes secrets are envelope-encrypted with a KMS key",
        ),
        Tri::False => Evaluation::fail(
            i,
            "no encryption_config block lists \"secrets\" in resources: Kubernetes secrets are not \
             envelope-encrypted with a KMS key",
        ),
        Tri::Unknown => Evaluation::unknown(
            i,
            format!(
                "encryption_config resources are {}: cannot tell whether secrets are covered",
                not_known(r)
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, unknown, verdicts};

    #[test]
    fn secrets_listed_absent_other_and_unknown() {
        let g = graph(
            vec![
                res(
                    "aws_eks_cluster.good",
                    json!({"encryption_config": [{"resources": ["secrets"], "provider": [{"key_arn": unknown()}]}]}),
                ),
                res(
                    "aws_eks_cluster.second",
                    json!({"encryption_config": [{"resources": unknown()}, {"resources": ["secrets"]}]}),
                ),
                res("aws_eks_cluster.absent", json!({})),
                res("aws_eks_cluster.empty", json!({"encryption_config": []})),
                res(
                    "aws_eks_cluster.other",
                    json!({"encryption_config": [{"resources": ["configmaps"]}]}),
                ),
                res(
                    "aws_eks_cluster.var",
                    json!({"encryption_config": [{"resources": unknown()}]}),
                ),
                res("aws_eks_cluster.block", json!({"encryption_config": unknown()})),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &EksSecretsEncryption.check(&g)),
            vec![
                ("aws_eks_cluster.good".into(), Verdict::Pass),
                ("aws_eks_cluster.second".into(), Verdict::Pass),
                ("aws_eks_cluster.absent".into(), Verdict::Fail),
                ("aws_eks_cluster.empty".into(), Verdict::Fail),
                ("aws_eks_cluster.other".into(), Verdict::Fail),
                ("aws_eks_cluster.var".into(), Verdict::Unknown),
                ("aws_eks_cluster.block".into(), Verdict::Unknown),
            ]
        );
    }
}

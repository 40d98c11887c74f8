//! `aws-ebs-encryption-by-default`: EBS encryption by default is enabled.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};
use attest_core::{Tri, Verdict};

use crate::aws::links::{ids, managed};

pub struct EbsEncryptionByDefault;

static META: RuleMeta = RuleMeta {
    id: "aws-ebs-encryption-by-default",
    title: "EBS encryption by default is enabled",
    severity: Severity::Medium,
    kind: RuleKind::Account,
    resource_types: &["aws_ebs_encryption_by_default"],
    aliases: &[
        Alias {
            tool: "checkov",
            id: "CKV_AWS_106",
        },
        Alias {
            tool: "prowler",
            id: "ec2_ebs_default_encryption",
        },
        Alias {
            tool: "cis-aws",
            id: "2.2.1",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

An account-level rule. When the scanned configuration declares any `aws_ebs_volume`, `aws_instance`
or `aws_ebs_encryption_by_default`, it passes when some `aws_ebs_encryption_by_default` has `enabled`
true (the resource's default), and fails otherwise, with a message saying the scanned configuration
does not turn it on (it may be turned on outside this configuration). An `enabled` only known after
apply gives `unknown`. When the configuration declares none of these resources, there is nothing to
judge and the rule reports nothing. The setting is per Region: declare it for every Region you use.

## Why it matters

With encryption by default, every new EBS volume and snapshot copy in the Region is encrypted, even
when a template, a script or an Auto Scaling group forgets to ask. CIS AWS Foundations 2.2.1 asks
for it; SOC 2 CC6.1 and C1.1 expect encryption at rest enforced rather than left to each volume.

## How to fix

Terraform:

```hcl
resource "aws_ebs_encryption_by_default" "this" {
  enabled = true
}

resource "aws_ebs_default_kms_key" "this" {
  key_arn = aws_kms_key.ebs.arn # optional: a customer-managed key
}
```

CloudFormation:

```yaml
# CloudFormation has no resource for this account setting; use the CLI or a custom resource.
```

Console: EC2 → *Settings* (under *Account attributes*) → *EBS encryption* → *Manage* → *Enable*.
CLI, in every Region used: `aws ec2 enable-ebs-encryption-by-default --region eu-west-1`.
"#;

impl Rule for EbsEncryptionByDefault {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        let related = managed(graph, &["aws_ebs_volume", "aws_instance", BY_DEFAULT]);
        if related.is_empty() {
            return Vec::new();
        }
        let settings = managed(graph, &[BY_DEFAULT]);
        let verdicts: Vec<(usize, Tri)> = settings
            .iter()
            .map(|&i| (i, graph.get(i).attr("enabled").truthy(true)))
            .collect();
        let on: Vec<usize> = verdicts
            .iter()
            .filter(|(_, t)| *t == Tri::True)
            .map(|(i, _)| *i)
            .collect();
        let unknown: Vec<usize> = verdicts
            .iter()
            .filter(|(_, t)| *t == Tri::Unknown)
            .map(|(i, _)| *i)
            .collect();
        let (verdict, message) = if !on.is_empty() {
            (
                Verdict::Pass,
                format!("{} turns on EBS encryption by default", ids(graph, &on)),
            )
        } else if !unknown.is_empty() {
            (
                Verdict::Unknown,
                format!(
                    "whether {} turns on EBS encryption by default is not known before apply",
                    ids(graph, &unknown)
                ),
            )
        } else if settings.is_empty() {
            (
                Verdict::Fail,
                "the scanned configuration declares EBS volumes or instances but no aws_ebs_encryption_by_default \
                 (it may be enabled outside this configuration)"
                    .to_string(),
            )
        } else {
            (
                Verdict::Fail,
                format!(
                    "the scanned configuration declares {} with enabled = false",
                    ids(graph, &settings)
                ),
            )
        };
        vec![Evaluation {
            resource: None,
            verdict,
            message,
            attribute: None,
        }]
    }
}

const BY_DEFAULT: &str = "aws_ebs_encryption_by_default";

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    #[allow(unused_imports)]
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn account_level() {
        let g = graph(vec![res("aws_s3_bucket.b", json!({}))], &[]);
        assert!(EbsEncryptionByDefault.check(&g).is_empty());
        let g = graph(vec![res("aws_instance.web", json!({}))], &[]);
        let evals = EbsEncryptionByDefault.check(&g);
        assert_eq!(evals.len(), 1);
        assert_eq!(evals[0].verdict, Verdict::Fail);
        assert!(evals[0].resource.is_none());
        assert!(
            evals[0].message.contains("scanned configuration"),
            "{}",
            evals[0].message
        );
        let g = graph(
            vec![
                res("aws_instance.web", json!({})),
                res("aws_ebs_encryption_by_default.on", json!({})),
            ],
            &[],
        );
        assert_eq!(EbsEncryptionByDefault.check(&g)[0].verdict, Verdict::Pass);
        let g = graph(
            vec![res(
                "aws_ebs_encryption_by_default.off",
                json!({"enabled": false}),
            )],
            &[],
        );
        assert_eq!(EbsEncryptionByDefault.check(&g)[0].verdict, Verdict::Fail);
        let g = graph(
            vec![res(
                "aws_ebs_encryption_by_default.var",
                json!({"enabled": unknown()}),
            )],
            &[],
        );
        assert_eq!(EbsEncryptionByDefault.check(&g)[0].verdict, Verdict::Unknown);
        let _ = verdicts(&g, &[]);
    }
}

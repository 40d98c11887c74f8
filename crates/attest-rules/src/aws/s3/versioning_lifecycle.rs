//! `aws-s3-versioning-lifecycle`: S3 buckets have versioning enabled and a lifecycle configuration.

use attest_core::Tri;
use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::links::managed;
use crate::aws::s3::common::BUCKET;
use crate::aws::wording::not_known;

pub struct S3VersioningLifecycle;

static META: RuleMeta = RuleMeta {
    id: "aws-s3-versioning-lifecycle",
    title: "S3 buckets have versioning enabled and a lifecycle configuration",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &["aws_s3_bucket"],
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00101",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_s3_bucket` passes when versioning is enabled (`versioning.enabled`, or a joined
`aws_s3_bucket_versioning` with status `Enabled`) **and** it has at least one lifecycle rule that is
not disabled (inline `lifecycle_rule`, or a joined `aws_s3_bucket_lifecycle_configuration`). It fails
when versioning is off or suspended (the default is off) or when there is no enabled lifecycle rule;
the message says which. Values only known after apply give `unknown`.

## Why it matters

Versioning keeps earlier versions of objects, so an overwrite or delete — accidental or malicious —
can be undone. A lifecycle configuration keeps the cost of those versions bounded (expiring
noncurrent versions) so versioning stays on. SOC 2 A1.2 expects data to be recoverable.

## How to fix

Terraform:

```hcl
resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    id     = "expire-noncurrent"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 90
    }
  }
}
```

CloudFormation:

```yaml
DataBucket:
  Type: AWS::S3::Bucket
  Properties:
    VersioningConfiguration:
      Status: Enabled
    LifecycleConfiguration:
      Rules:
        - Id: expire-noncurrent
          Status: Enabled
          NoncurrentVersionExpiration:
            NoncurrentDays: 90
```

Console: S3 → the bucket → *Properties* → *Bucket Versioning* → *Enable*; *Management* → *Create
lifecycle rule*. CLI: `aws s3api put-bucket-versioning --bucket my-bucket --versioning-configuration
Status=Enabled` and `aws s3api put-bucket-lifecycle-configuration --bucket my-bucket
--lifecycle-configuration file://lifecycle.json`.
"#;

impl Rule for S3VersioningLifecycle {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, &[BUCKET])
            .into_iter()
            .map(|i| judge(graph, i))
            .collect()
    }
}

fn judge(graph: &ResourceGraph, i: usize) -> Evaluation {
    let b = graph.get(i);
    let versioning = b.attr("versioning.enabled").truthy(false);
    let lifecycle = match b.attr("lifecycle_rule").blocks() {
        None => Tri::Unknown,
        Some(rules) => Tri::any(rules.iter().map(|r| r.get("enabled").truthy(true))),
    };
    let mut problems = Vec::new();
    if versioning == Tri::False {
        problems.push("versioning is not enabled");
    }
    if lifecycle == Tri::False {
        problems.push("no enabled lifecycle rule is configured");
    }
    if !problems.is_empty() {
        return Evaluation::fail(i, problems.join(" and "));
    }
    if versioning == Tri::Unknown || lifecycle == Tri::Unknown {
        return Evaluation::unknown(
            i,
            format!(
                "versioning or the lifecycle rules are {}",
                not_known(graph.get(i))
            ),
        );
    }
    Evaluation::pass(
        i,
        "versioning is enabled and an enabled lifecycle rule is configured",
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
    fn versioning_and_lifecycle() {
        let on = json!([{"enabled": true}]);
        let rules = json!([{"id": "r", "enabled": true}]);
        let g = graph(
            vec![
                res(
                    "aws_s3_bucket.both",
                    json!({"versioning": on, "lifecycle_rule": rules}),
                ),
                res("aws_s3_bucket.no_rules", json!({"versioning": on})),
                res(
                    "aws_s3_bucket.disabled_rule",
                    json!({"versioning": on, "lifecycle_rule": [{"enabled": false}]}),
                ),
                res("aws_s3_bucket.no_versioning", json!({"lifecycle_rule": rules})),
                res(
                    "aws_s3_bucket.var",
                    json!({"versioning": [{"enabled": unknown()}], "lifecycle_rule": rules}),
                ),
            ],
            &[],
        );
        let evals = S3VersioningLifecycle.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_s3_bucket.both".into(), Verdict::Pass),
                ("aws_s3_bucket.no_rules".into(), Verdict::Fail),
                ("aws_s3_bucket.disabled_rule".into(), Verdict::Fail),
                ("aws_s3_bucket.no_versioning".into(), Verdict::Fail),
                ("aws_s3_bucket.var".into(), Verdict::Unknown),
            ]
        );
    }
}

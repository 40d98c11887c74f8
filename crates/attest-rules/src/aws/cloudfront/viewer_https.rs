//! `aws-cloudfront-viewer-https`: CloudFront cache behaviors require HTTPS from viewers.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Value};

use crate::aws::links::managed;
use crate::aws::wording::not_known;

pub struct CloudFrontViewerHttps;

const DISTRIBUTION: &str = "aws_cloudfront_distribution";
const SECURE: &[&str] = &["https-only", "redirect-to-https"];

static META: RuleMeta = RuleMeta {
    id: "aws-cloudfront-viewer-https",
    title: "CloudFront distributions require HTTPS between viewers and CloudFront",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &[DISTRIBUTION],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00011",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_34",
        },
        Alias {
            tool: "prowler",
            id: "cloudfront_distributions_https_enabled",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_cloudfront_distribution` passes when the `viewer_protocol_policy` of its
`default_cache_behavior` and of every `ordered_cache_behavior` is `https-only` or
`redirect-to-https`. It fails when any behavior uses `allow-all` (plain HTTP served as such);
the message lists those behaviors by path pattern. A policy only known after apply, with no
failing behavior, gives `unknown`.

## Why it matters

With `allow-all`, viewers can fetch content and send cookies, tokens and form data over
unencrypted HTTP, where anyone on the network path can read or alter them. Redirecting to
HTTPS (or refusing HTTP) protects data in transit, as SOC 2 CC6.7 requires.

## How to fix

Terraform:

```hcl
resource "aws_cloudfront_distribution" "site" {
  # ...
  default_cache_behavior {
    viewer_protocol_policy = "redirect-to-https"
    # ...
  }

  ordered_cache_behavior {
    path_pattern           = "/api/*"
    viewer_protocol_policy = "https-only"
    # ...
  }
}
```

CloudFormation:

```yaml
SiteDistribution:
  Type: AWS::CloudFront::Distribution
  Properties:
    DistributionConfig:
      DefaultCacheBehavior:
        ViewerProtocolPolicy: redirect-to-https
      CacheBehaviors:
        - PathPattern: /api/*
          ViewerProtocolPolicy: https-only
```

Console: CloudFront → the distribution → *Behaviors* → each behavior → *Edit* → *Viewer protocol
policy* → *Redirect HTTP to HTTPS*. CLI: set `ViewerProtocolPolicy` in the configuration from
`aws cloudfront get-distribution-config --id E123` and apply it with
`aws cloudfront update-distribution --id E123 --if-match <ETag> --distribution-config file://config.json`.
"#;

impl Rule for CloudFrontViewerHttps {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, &[DISTRIBUTION])
            .into_iter()
            .map(|i| judge(graph, i))
            .collect()
    }
}

fn judge(graph: &ResourceGraph, i: usize) -> Evaluation {
    let dist = graph.get(i);
    let mut behaviors: Vec<(String, &Value)> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    for (attr, ordered) in [
        ("default_cache_behavior", false),
        ("ordered_cache_behavior", true),
    ] {
        let Some(blocks) = dist.attr(attr).blocks() else {
            unknown.push(format!("the {attr} blocks"));
            continue;
        };
        for (n, block) in blocks.into_iter().enumerate() {
            let name = if ordered {
                match block.get("path_pattern").as_str() {
                    Some(p) => format!("the behavior for {p}"),
                    None => format!("ordered_cache_behavior {n}"),
                }
            } else {
                "the default behavior".to_string()
            };
            behaviors.push((name, block.get("viewer_protocol_policy")));
        }
    }
    let mut insecure = Vec::new();
    for (name, policy) in &behaviors {
        match policy {
            Value::String(p) if SECURE.contains(&p.as_str()) => {}
            Value::String(p) => insecure.push(format!("{name} (`{p}`)")),
            Value::Unknown(_) => unknown.push(name.clone()),
            _ => unknown.push(format!("{name} (no viewer_protocol_policy)")),
        }
    }
    if !insecure.is_empty() {
        return Evaluation::fail(
            i,
            format!("viewers can use plain HTTP on {}", insecure.join(", ")),
        )
        .at("default_cache_behavior.viewer_protocol_policy");
    }
    if !unknown.is_empty() {
        return Evaluation::unknown(
            i,
            format!(
                "the viewer protocol policy of {} is {}",
                unknown.join(", "),
                not_known(graph.get(i))
            ),
        )
        .at("default_cache_behavior.viewer_protocol_policy");
    }
    if behaviors.is_empty() {
        return Evaluation::unknown(i, "the distribution declares no cache behavior")
            .at("default_cache_behavior");
    }
    Evaluation::pass(
        i,
        format!(
            "all {} cache behaviors require HTTPS from viewers",
            behaviors.len()
        ),
    )
    .at("default_cache_behavior.viewer_protocol_policy")
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, unknown, verdicts};

    #[test]
    fn default_and_ordered_behaviors() {
        let g = graph(
            vec![
                res(
                    "aws_cloudfront_distribution.ok",
                    json!({
                        "default_cache_behavior": [{"viewer_protocol_policy": "redirect-to-https"}],
                        "ordered_cache_behavior": [{"path_pattern": "/api/*", "viewer_protocol_policy": "https-only"}]
                    }),
                ),
                res(
                    "aws_cloudfront_distribution.ordered_http",
                    json!({
                        "default_cache_behavior": [{"viewer_protocol_policy": "https-only"}],
                        "ordered_cache_behavior": [{"path_pattern": "/img/*", "viewer_protocol_policy": "allow-all"}]
                    }),
                ),
                res(
                    "aws_cloudfront_distribution.default_http",
                    json!({"default_cache_behavior": [{"viewer_protocol_policy": "allow-all"}]}),
                ),
                res(
                    "aws_cloudfront_distribution.var",
                    json!({"default_cache_behavior": [{"viewer_protocol_policy": unknown()}]}),
                ),
                res("aws_cloudfront_distribution.empty", json!({})),
            ],
            &[],
        );
        let evals = CloudFrontViewerHttps.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_cloudfront_distribution.ok".into(), Verdict::Pass),
                ("aws_cloudfront_distribution.ordered_http".into(), Verdict::Fail),
                ("aws_cloudfront_distribution.default_http".into(), Verdict::Fail),
                ("aws_cloudfront_distribution.var".into(), Verdict::Unknown),
                ("aws_cloudfront_distribution.empty".into(), Verdict::Unknown),
            ]
        );
        assert!(evals[1].message.contains("/img/*"), "{}", evals[1].message);
    }
}

//! `aws-cloudfront-origin-https`: CloudFront reaches custom origins over HTTPS only.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Value};

use crate::aws::links::managed;
use crate::aws::wording::{not_known, not_known_why};

pub struct CloudFrontOriginHttps;

const DISTRIBUTION: &str = "aws_cloudfront_distribution";

static META: RuleMeta = RuleMeta {
    id: "aws-cloudfront-origin-https",
    title: "CloudFront distributions connect to custom origins over HTTPS only",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &[DISTRIBUTION],
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00010",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_cloudfront_distribution` passes when each of its `origin` blocks either is an S3
origin (no `custom_origin_config`: CloudFront reaches S3 over its own authenticated API) or has
a `custom_origin_config` with `origin_protocol_policy = "https-only"`. It fails when a custom
origin uses `http-only` or `match-viewer` (HTTP whenever the viewer used HTTP); the message
names those origins. A protocol policy only known after apply gives `unknown`.

## Why it matters

Viewer-side HTTPS protects only half of the path: with an HTTP origin policy, requests —
cookies, authorization headers, form posts — and responses cross the internet between the
edge and the origin in clear text. SOC 2 CC6.7 expects data to be protected in transmission
over every untrusted network segment.

## How to fix

Terraform:

```hcl
resource "aws_cloudfront_distribution" "site" {
  origin {
    domain_name = aws_lb.app.dns_name
    origin_id   = "app"

    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }
  # ...
}
```

CloudFormation:

```yaml
SiteDistribution:
  Type: AWS::CloudFront::Distribution
  Properties:
    DistributionConfig:
      Origins:
        - Id: app
          DomainName: !GetAtt AppLoadBalancer.DNSName
          CustomOriginConfig:
            OriginProtocolPolicy: https-only
            OriginSSLProtocols: [TLSv1.2]
```

Console: CloudFront → the distribution → *Origins* → the origin → *Edit* → *Protocol* →
*HTTPS only*. CLI: set `CustomOriginConfig.OriginProtocolPolicy` in the configuration from
`aws cloudfront get-distribution-config --id E123` and apply it with
`aws cloudfront update-distribution --id E123 --if-match <ETag> --distribution-config file://config.json`.
"#;

impl Rule for CloudFrontOriginHttps {
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
    let Some(origins) = graph.get(i).attr("origin").blocks() else {
        let r = graph.get(i);
        return Evaluation::unknown(
            i,
            format!("the origin blocks are {}", not_known_why(r, r.attr("origin"))),
        )
        .at("origin");
    };
    let mut insecure = Vec::new();
    let mut unknown = Vec::new();
    let (mut s3, mut custom) = (0, 0);
    for (n, origin) in origins.iter().enumerate() {
        let name = match origin.get("origin_id").as_str() {
            Some(id) => format!("origin `{id}`"),
            None => format!("origin {n}"),
        };
        let Some(configs) = origin.get("custom_origin_config").blocks() else {
            unknown.push(name);
            continue;
        };
        let Some(config) = configs.first() else {
            s3 += 1;
            continue;
        };
        custom += 1;
        match config.get("origin_protocol_policy") {
            Value::String(p) if p == "https-only" => {}
            Value::String(p) => insecure.push(format!("{name} (`{p}`)")),
            Value::Unknown(_) => unknown.push(name),
            _ => unknown.push(format!("{name} (no origin_protocol_policy)")),
        }
    }
    if !insecure.is_empty() {
        return Evaluation::fail(
            i,
            format!("CloudFront may reach {} over plain HTTP", insecure.join(", ")),
        )
        .at("origin.custom_origin_config.origin_protocol_policy");
    }
    if !unknown.is_empty() {
        return Evaluation::unknown(
            i,
            format!(
                "the protocol policy of {} is {}",
                unknown.join(", "),
                not_known(graph.get(i))
            ),
        )
        .at("origin.custom_origin_config.origin_protocol_policy");
    }
    Evaluation::pass(
        i,
        format!("{custom} custom origin(s) use HTTPS only; {s3} S3 origin(s)"),
    )
    .at("origin")
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, unknown, verdicts};

    fn custom(id: &str, policy: serde_json::Value) -> serde_json::Value {
        json!({"origin_id": id, "custom_origin_config": [{"origin_protocol_policy": policy}]})
    }

    #[test]
    fn s3_https_http_and_unknown_origins() {
        let s3 = json!({"origin_id": "s3", "s3_origin_config": [{"origin_access_identity": "x"}]});
        let g = graph(
            vec![
                res(
                    "aws_cloudfront_distribution.ok",
                    json!({"origin": [s3.clone(), custom("app", json!("https-only"))]}),
                ),
                res(
                    "aws_cloudfront_distribution.http",
                    json!({"origin": [s3, custom("legacy", json!("http-only"))]}),
                ),
                res(
                    "aws_cloudfront_distribution.match",
                    json!({"origin": [custom("app", json!("match-viewer"))]}),
                ),
                res(
                    "aws_cloudfront_distribution.var",
                    json!({"origin": [custom("app", unknown())]}),
                ),
            ],
            &[],
        );
        let evals = CloudFrontOriginHttps.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_cloudfront_distribution.ok".into(), Verdict::Pass),
                ("aws_cloudfront_distribution.http".into(), Verdict::Fail),
                ("aws_cloudfront_distribution.match".into(), Verdict::Fail),
                ("aws_cloudfront_distribution.var".into(), Verdict::Unknown),
            ]
        );
        assert!(evals[1].message.contains("legacy"), "{}", evals[1].message);
    }
}

//! `aws-cloudfront-waf`: CloudFront distributions are protected by an AWS WAF web ACL.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Value};

use crate::aws::links::{ids, managed};
use crate::aws::wording::attr_not_known;

pub struct CloudFrontWaf;

const DISTRIBUTION: &str = "aws_cloudfront_distribution";
const ACLS: &[&str] = &["aws_wafv2_web_acl", "aws_waf_web_acl"];

static META: RuleMeta = RuleMeta {
    id: "aws-cloudfront-waf",
    title: "CloudFront distributions are protected by an AWS WAF web ACL",
    severity: Severity::Medium,
    kind: RuleKind::Graph,
    resource_types: &[DISTRIBUTION],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00073",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_68",
        },
        Alias {
            tool: "prowler",
            id: "cloudfront_distributions_using_waf",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_cloudfront_distribution` passes when `web_acl_id` associates a web ACL: a reference
to an `aws_wafv2_web_acl` (its `arn`) or a classic `aws_waf_web_acl` (its `id`) in the scanned
configuration, or a literal ACL ARN or id. It fails when `web_acl_id` is absent or empty. A
value only known after apply that references no web ACL (a variable, say) gives `unknown`.

## Why it matters

A web ACL in front of a distribution filters requests at the edge — injection attempts, known
exploit payloads, bad bots, floods from single addresses — before they reach the origin.
Without one, every request CloudFront accepts is forwarded. Filtering malicious traffic is
the boundary protection of SOC 2 CC6.6 and a guard against unauthorized code (CC6.8).

## How to fix

Terraform (the web ACL must be in `us-east-1` with `scope = "CLOUDFRONT"`):

```hcl
resource "aws_cloudfront_distribution" "site" {
  # ...
  web_acl_id = aws_wafv2_web_acl.edge.arn
}
```

CloudFormation:

```yaml
SiteDistribution:
  Type: AWS::CloudFront::Distribution
  Properties:
    DistributionConfig:
      WebACLId: !GetAtt EdgeWebAcl.Arn
```

Console: CloudFront → the distribution → *Security* → *Web Application Firewall (WAF)* → *Edit*
→ enable protections or choose an existing web ACL. CLI: set `WebACLId` in the configuration
from `aws cloudfront get-distribution-config --id E123` and apply it with
`aws cloudfront update-distribution --id E123 --if-match <ETag> --distribution-config file://config.json`.
"#;

impl Rule for CloudFrontWaf {
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
    let acls: Vec<usize> = graph
        .referenced_by_attr(i, "web_acl_id")
        .into_iter()
        .filter(|&t| ACLS.contains(&graph.get(t).resource_type.as_str()))
        .collect();
    if !acls.is_empty() {
        return Evaluation::pass(i, format!("protected by the web ACL {}", ids(graph, &acls)))
            .at("web_acl_id");
    }
    match graph.get(i).attr("web_acl_id") {
        Value::String(s) if !s.is_empty() => {
            Evaluation::pass(i, format!("protected by the web ACL {s}")).at("web_acl_id")
        }
        v if v.contains_unknown() => Evaluation::unknown(
            i,
            format!(
                "{} and references no web ACL in the scanned configuration",
                attr_not_known(graph.get(i), "web_acl_id")
            ),
        )
        .at("web_acl_id"),
        _ => Evaluation::fail(i, "no web ACL is associated (web_acl_id is not set)").at("web_acl_id"),
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn referenced_literal_absent_and_unknown() {
        let g = graph(
            vec![
                res("aws_cloudfront_distribution.v2", json!({"web_acl_id": unknown()})),
                res(
                    "aws_cloudfront_distribution.literal",
                    json!({"web_acl_id": "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/abc"}),
                ),
                res(
                    "aws_cloudfront_distribution.var",
                    json!({"web_acl_id": unknown()}),
                ),
                res("aws_cloudfront_distribution.none", json!({})),
                res("aws_cloudfront_distribution.empty", json!({"web_acl_id": ""})),
                res("aws_wafv2_web_acl.edge", json!({})),
            ],
            &[edge(
                "aws_cloudfront_distribution.v2",
                "web_acl_id",
                "aws_wafv2_web_acl.edge",
            )],
        );
        assert_eq!(
            verdicts(&g, &CloudFrontWaf.check(&g)),
            vec![
                ("aws_cloudfront_distribution.v2".into(), Verdict::Pass),
                ("aws_cloudfront_distribution.literal".into(), Verdict::Pass),
                ("aws_cloudfront_distribution.var".into(), Verdict::Unknown),
                ("aws_cloudfront_distribution.none".into(), Verdict::Fail),
                ("aws_cloudfront_distribution.empty".into(), Verdict::Fail),
            ]
        );
    }
}

//! `aws-cloudfront-geo-restrictions`: CloudFront distributions restrict access by country.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Value};

use crate::aws::links::managed;
use crate::aws::wording::attr_not_known;

pub struct CloudFrontGeoRestrictions;

const DISTRIBUTION: &str = "aws_cloudfront_distribution";
const ATTR: &str = "restrictions.geo_restriction.restriction_type";

static META: RuleMeta = RuleMeta {
    id: "aws-cloudfront-geo-restrictions",
    title: "CloudFront distributions restrict access by country",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &[DISTRIBUTION],
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00018",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_cloudfront_distribution` passes when
`restrictions.geo_restriction.restriction_type` is `whitelist` or `blacklist` (an allow list
or a deny list of countries), and fails when it is `none`. A restriction type only known after
apply gives `unknown`.

## Why it matters

A distribution that serves every country exposes the application to traffic from places the
business never serves. Allowing only the countries you operate in (or denying those you must
not serve, for sanctions or licensing) narrows the attack surface at the edge, before requests
reach the origin — a boundary protection SOC 2 CC6.6 asks for.

## How to fix

Terraform:

```hcl
resource "aws_cloudfront_distribution" "site" {
  # ...
  restrictions {
    geo_restriction {
      restriction_type = "whitelist"
      locations        = ["US", "CA", "GB", "DE"]
    }
  }
}
```

CloudFormation:

```yaml
SiteDistribution:
  Type: AWS::CloudFront::Distribution
  Properties:
    DistributionConfig:
      Restrictions:
        GeoRestriction:
          RestrictionType: whitelist
          Locations: [US, CA, GB, DE]
```

Console: CloudFront → the distribution → *Security* → *CloudFront geographic restrictions* →
*Edit* → *Allow list* and the countries. CLI: fetch the configuration with
`aws cloudfront get-distribution-config --id E123`, set
`Restrictions.GeoRestriction`, and apply it with
`aws cloudfront update-distribution --id E123 --if-match <ETag> --distribution-config file://config.json`.
"#;

impl Rule for CloudFrontGeoRestrictions {
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
    match graph.get(i).attr(ATTR) {
        Value::String(t) if t.eq_ignore_ascii_case("none") => Evaluation::fail(
            i,
            "restriction_type is `none`: the distribution serves every country",
        )
        .at(ATTR),
        Value::String(t) if !t.is_empty() => {
            Evaluation::pass(i, format!("geo restriction `{t}` limits the countries served")).at(ATTR)
        }
        Value::Null | Value::String(_) => Evaluation::fail(
            i,
            "no geo restriction is set: the distribution serves every country",
        )
        .at(ATTR),
        v if v.contains_unknown() => {
            Evaluation::unknown(i, attr_not_known(graph.get(i), "restriction_type")).at(ATTR)
        }
        other => {
            Evaluation::unknown(i, format!("restriction_type is a {}, not a string", other.kind())).at(ATTR)
        }
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, unknown, verdicts};

    fn dist(id: &str, t: serde_json::Value) -> attest_core::Resource {
        res(
            id,
            json!({"restrictions": [{"geo_restriction": [{"restriction_type": t}]}]}),
        )
    }

    #[test]
    fn allow_list_deny_list_none_and_unknown() {
        let g = graph(
            vec![
                dist("aws_cloudfront_distribution.allow", json!("whitelist")),
                dist("aws_cloudfront_distribution.deny", json!("blacklist")),
                dist("aws_cloudfront_distribution.none", json!("none")),
                dist("aws_cloudfront_distribution.var", unknown()),
                res("aws_cloudfront_distribution.bare", json!({})),
                res("data.aws_cloudfront_distribution.read", json!({})),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &CloudFrontGeoRestrictions.check(&g)),
            vec![
                ("aws_cloudfront_distribution.allow".into(), Verdict::Pass),
                ("aws_cloudfront_distribution.deny".into(), Verdict::Pass),
                ("aws_cloudfront_distribution.none".into(), Verdict::Fail),
                ("aws_cloudfront_distribution.var".into(), Verdict::Unknown),
                ("aws_cloudfront_distribution.bare".into(), Verdict::Fail),
            ]
        );
    }
}

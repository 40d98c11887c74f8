//! `aws-cloudtrail-multi-region`: a multi-region trail records all management events.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri, Verdict};

use crate::aws::cloudtrail::trail::{account, management_events, trails, TRAIL};
use crate::aws::links::ids;

pub struct CloudTrailMultiRegion;

static META: RuleMeta = RuleMeta {
    id: "aws-cloudtrail-multi-region",
    title: "A multi-region CloudTrail trail is logging all management events",
    severity: Severity::High,
    kind: RuleKind::Account,
    resource_types: &[TRAIL],
    aliases: &[
        Alias {
            tool: "cis-aws",
            id: "3.1",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_67",
        },
        Alias {
            tool: "prowler",
            id: "cloudtrail_multi_region_enabled",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

An account-level check over the trails the scanned configuration declares. It passes when at
least one `aws_cloudtrail` has all of:

- `is_multi_region_trail = true` (the provider's default is `false`);
- `enable_logging` not `false` (the default is `true`);
- management events recorded for reads and writes (no event selectors, or selectors with
  `include_management_events = true` and `read_write_type = "All"`).

It fails when the configuration declares trails but none qualifies; the message says what each
trail lacks. Values only known after apply give `unknown` when they decide the outcome. When the
configuration declares no trail at all, the rule has nothing to judge and reports nothing (a trail
may be managed elsewhere, for example by an organization trail).

## Why it matters

A single-region trail does not see what happens in the other regions, which is where an intruder
launching resources in an unused region hopes nobody looks. Global service events (IAM, STS,
CloudFront) are also only recorded by a multi-region trail. SOC 2 CC7.2 asks that the whole
environment be monitored.

## How to fix

Terraform:

```hcl
resource "aws_cloudtrail" "main" {
  name                          = "main"
  s3_bucket_name                = aws_s3_bucket.trail.id
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_logging                = true
}
```

CloudFormation:

```yaml
Trail:
  Type: AWS::CloudTrail::Trail
  Properties:
    IsLogging: true
    IsMultiRegionTrail: true
    IncludeGlobalServiceEvents: true
    S3BucketName: !Ref TrailBucket
```

Console: CloudTrail → *Trails* → *Create trail* (trails created in the console apply to all
regions), or edit a trail and enable *Multi-region trail*. CLI:

```sh
aws cloudtrail update-trail --name main --is-multi-region-trail --include-global-service-events
aws cloudtrail start-logging --name main
```
"#;

impl Rule for CloudTrailMultiRegion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        let all = trails(graph);
        if all.is_empty() {
            return Vec::new();
        }
        let mut good = Vec::new();
        let mut undecided = Vec::new();
        let mut reasons = Vec::new();
        for &t in &all {
            let r = graph.get(t);
            let multi = r.attr("is_multi_region_trail").truthy(false);
            let logging = r.attr("enable_logging").truthy(true);
            let mgmt = match management_events(&r.attributes) {
                Ok(c) => c.both(),
                Err(_) => Tri::Unknown,
            };
            match multi.and(logging).and(mgmt) {
                Tri::True => good.push(t),
                Tri::Unknown => undecided.push(t),
                Tri::False => {
                    let mut lacks = Vec::new();
                    if multi == Tri::False {
                        lacks.push("is not multi-region");
                    }
                    if logging == Tri::False {
                        lacks.push("has logging turned off");
                    }
                    if mgmt == Tri::False {
                        lacks.push("does not record all management events");
                    }
                    reasons.push(format!("{} {}", r.id, lacks.join(" and ")));
                }
            }
        }
        let e = if !good.is_empty() {
            account(
                Verdict::Pass,
                format!(
                    "multi-region trail {} logs all management events",
                    ids(graph, &good)
                ),
            )
        } else if !undecided.is_empty() {
            account(
                Verdict::Unknown,
                format!(
                    "cannot tell whether trail {} is multi-region, logging and recording all management \
                     events: some of its settings are not known before apply",
                    ids(graph, &undecided)
                ),
            )
        } else {
            account(
                Verdict::Fail,
                format!(
                    "the scanned configuration declares no multi-region trail that logs all management \
                     events: {}",
                    reasons.join("; ")
                ),
            )
        };
        vec![e]
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, unknown};

    fn verdict(resources: Vec<attest_core::Resource>) -> Vec<Verdict> {
        let g = graph(resources, &[]);
        CloudTrailMultiRegion
            .check(&g)
            .into_iter()
            .map(|e| e.verdict)
            .collect()
    }

    #[test]
    fn account_outcomes() {
        assert_eq!(verdict(vec![]), vec![]);
        assert_eq!(
            verdict(vec![
                res("aws_cloudtrail.regional", json!({})),
                res("aws_cloudtrail.global", json!({"is_multi_region_trail": true})),
            ]),
            vec![Verdict::Pass]
        );
        assert_eq!(
            verdict(vec![
                res("aws_cloudtrail.regional", json!({})),
                res(
                    "aws_cloudtrail.off",
                    json!({"is_multi_region_trail": true, "enable_logging": false})
                ),
                res(
                    "aws_cloudtrail.writes",
                    json!({"is_multi_region_trail": true, "event_selector": [{"read_write_type": "WriteOnly"}]}),
                ),
            ]),
            vec![Verdict::Fail]
        );
        assert_eq!(
            verdict(vec![res(
                "aws_cloudtrail.var",
                json!({"is_multi_region_trail": unknown()})
            )]),
            vec![Verdict::Unknown]
        );
        let g = graph(vec![res("aws_cloudtrail.regional", json!({}))], &[]);
        let evals = CloudTrailMultiRegion.check(&g);
        assert_eq!(evals[0].resource, None);
        assert!(
            evals[0].message.contains("is not multi-region"),
            "{}",
            evals[0].message
        );
    }
}

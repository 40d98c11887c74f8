//! `aws-cloudtrail-multi-region`: a multi-region trail records all management events.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri, Verdict};

use crate::aws::cloudtrail::trail::{account, management_events, TRAIL};
use crate::aws::links::ids;
use crate::aws::scope::{LiveScopes, Requirement};
use crate::aws::wording::not_known;

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

In a live scan, one result per account read (its `aws_caller_identity`): it passes when some
trail read in the account, in any region, qualifies as below; it fails when none does ("no
multi-region trail logging all management events in account 111122223333", with what each
trail lacks), and is `unknown` when the trails of some region could not be listed or a deciding
setting could not be read.

For code, an account-level check over the trails the scanned configuration declares. It passes
when at least one `aws_cloudtrail` has all of:

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
        let scopes = LiveScopes::of(graph);
        let mut out = scopes.evaluate(scopes.accounts(), &LIVE, |_, t| {
            let (holds, why) = judge(graph, t);
            let id = &graph.get(t).id;
            let says = match holds {
                Tri::True => format!("trail {id}"),
                Tri::Unknown => format!("for trail {id}, {why}"),
                Tri::False => format!("{id} {why}"),
            };
            (holds, says)
        });
        out.extend(check_configuration(graph, &scopes));
        out
    }
}

/// What each account of a live scan must have.
const LIVE: Requirement<'static> = Requirement {
    what: "multi-region trail logging all management events",
    candidates: &[TRAIL],
    needs: &[TRAIL],
};

/// Whether a trail is multi-region, logging and recording all management events; what it lacks,
/// or what is not known.
fn judge(graph: &ResourceGraph, t: usize) -> (Tri, String) {
    let r = graph.get(t);
    let multi = r.attr("is_multi_region_trail").truthy(false);
    let logging = r.attr("enable_logging").truthy(true);
    let mgmt = match management_events(&r.attributes) {
        Ok(c) => c.both(),
        Err(_) => Tri::Unknown,
    };
    let holds = multi.and(logging).and(mgmt);
    let why = match holds {
        Tri::True => String::new(),
        Tri::Unknown => format!("some of its settings are {}", not_known(r)),
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
            lacks.join(" and ")
        }
    };
    (holds, why)
}

/// The judgement of the scanned configuration (every resource of code; in a live scan, the
/// resources not read live).
fn check_configuration(graph: &ResourceGraph, scopes: &LiveScopes<'_>) -> Vec<Evaluation> {
    let all = scopes.configured(&[TRAIL]);
    if all.is_empty() {
        return Vec::new();
    }
    let mut good = Vec::new();
    let mut undecided = Vec::new();
    let mut reasons = Vec::new();
    for &t in &all {
        match judge(graph, t) {
            (Tri::True, _) => good.push(t),
            (Tri::Unknown, _) => undecided.push(t),
            (Tri::False, why) => reasons.push(format!("{} {why}", graph.get(t).id)),
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
                 events: some of its settings are {}",
                ids(graph, &undecided),
                not_known(graph.get(undecided[0]))
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, unknown};
    use crate::aws::scope::test_support::{live_in, scopes, unreadable, ACCOUNT};

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

    #[test]
    fn live_accounts_need_a_multi_region_trail_in_some_region() {
        let trail = |id: &str, region: &str, attrs: serde_json::Value| live_in(id, TRAIL, region, attrs);
        // One account per case, each with two regions.
        let case = |extra: Vec<attest_core::Resource>| {
            let mut resources = scopes(ACCOUNT, &["eu-west-1", "us-east-1"]);
            resources.extend(extra);
            let g = graph(resources, &[]);
            let evals = CloudTrailMultiRegion.check(&g);
            assert_eq!(evals.len(), 1);
            assert_eq!(
                g.get(evals[0].resource.unwrap()).id,
                "aws_caller_identity:111122223333"
            );
            (evals[0].verdict, evals[0].message.clone())
        };
        let (v, m) = case(vec![trail(
            "arn:aws:cloudtrail:us-east-1:111122223333:trail/main",
            "us-east-1",
            json!({"is_multi_region_trail": true, "enable_logging": true}),
        )]);
        assert_eq!(v, Verdict::Pass, "{m}");
        let (v, m) = case(vec![trail(
            "arn:aws:cloudtrail:eu-west-1:111122223333:trail/local",
            "eu-west-1",
            json!({"is_multi_region_trail": false, "enable_logging": true}),
        )]);
        assert_eq!(v, Verdict::Fail);
        assert!(
            m.contains("in account 111122223333") && m.contains("is not multi-region"),
            "{m}"
        );
        let (v, m) = case(vec![]);
        assert_eq!(v, Verdict::Fail);
        assert_eq!(
            m,
            "no multi-region trail logging all management events in account 111122223333"
        );
        // A region whose trails could not be listed might hold the trail.
        let (v, m) = case(vec![unreadable(
            TRAIL,
            Some("us-east-1"),
            &["is_multi_region_trail", "enable_logging"],
            "AccessDeniedException on cloudtrail:DescribeTrails",
        )]);
        assert_eq!(v, Verdict::Unknown);
        assert!(
            m.contains("AccessDeniedException on cloudtrail:DescribeTrails"),
            "{m}"
        );
        // An unreadable logging status is unknown, in live words.
        let (v, m) = case(vec![trail(
            "arn:aws:cloudtrail:us-east-1:111122223333:trail/main",
            "us-east-1",
            json!({"is_multi_region_trail": true,
                   "enable_logging": {"$unknown": "AccessDeniedException on cloudtrail:GetTrailStatus"}}),
        )]);
        assert_eq!(v, Verdict::Unknown);
        assert!(m.contains("unknown in the live scan"), "{m}");
    }
}

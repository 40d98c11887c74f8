//! `aws-cloudtrail-management-events`: CloudTrail trails record all management events.

use attest_core::{Alias, Evaluation, Resource, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri};

use crate::aws::cloudtrail::trail::{management_events, trails, Coverage, TRAIL};
use crate::aws::wording::{attr_not_known, not_known};

pub struct CloudTrailManagementEvents;

static META: RuleMeta = RuleMeta {
    id: "aws-cloudtrail-management-events",
    title: "CloudTrail trails record read and write management events",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &[TRAIL],
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00237",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_cloudtrail` passes when it records management events — the control-plane calls that
create, change and delete resources — for both reads and writes:

- with neither `event_selector` nor `advanced_event_selector` blocks, CloudTrail records all
  management events (the AWS default): pass;
- with `event_selector` blocks, some selector must have `include_management_events` true (the
  default) with `read_write_type = "All"` (the default), or selectors together must cover
  `ReadOnly` and `WriteOnly`;
- with `advanced_event_selector` blocks, some selector must select `eventCategory = Management`
  without a `readOnly` field selector that leaves out reads or writes.

Selectors only known after apply give `unknown`.

## Why it matters

Management events are the record of who changed what in the account: IAM, network, encryption
and logging configuration. A trail that records only data events, or only writes, leaves gaps
that investigations and monitoring (SOC 2 CC7.2, CC7.3) cannot fill afterwards.

## How to fix

Terraform:

```hcl
resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.trail.id

  event_selector {
    read_write_type           = "All"
    include_management_events = true
  }
}
```

CloudFormation:

```yaml
Trail:
  Type: AWS::CloudTrail::Trail
  Properties:
    IsLogging: true
    S3BucketName: !Ref TrailBucket
    EventSelectors:
      - ReadWriteType: All
        IncludeManagementEvents: true
```

Console: CloudTrail → *Trails* → the trail → *Management events* → *Edit* → *API activity*: Read
and Write. CLI:

```sh
aws cloudtrail put-event-selectors --trail-name main \
  --event-selectors '[{"ReadWriteType":"All","IncludeManagementEvents":true}]'
```
"#;

impl Rule for CloudTrailManagementEvents {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        trails(graph)
            .into_iter()
            .map(|t| match management_events(&graph.get(t).attributes) {
                Err(attr) => Evaluation::unknown(t, attr_not_known(graph.get(t), &attr)),
                Ok(c) => judge(graph.get(t), t, c),
            })
            .collect()
    }
}

fn judge(r: &Resource, t: usize, c: Coverage) -> Evaluation {
    match (c.read, c.write) {
        (Tri::True, Tri::True) => Evaluation::pass(t, "records read and write management events"),
        (Tri::False, Tri::False) => {
            Evaluation::fail(t, "the event selectors record no management events").at("event_selector")
        }
        (Tri::False, _) => {
            Evaluation::fail(t, "the event selectors leave out read management events").at("event_selector")
        }
        (_, Tri::False) => {
            Evaluation::fail(t, "the event selectors leave out write management events").at("event_selector")
        }
        _ => Evaluation::unknown(
            t,
            format!(
                "the event selectors are {}: cannot tell which management events are recorded",
                not_known(r)
            ),
        )
        .at("event_selector"),
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, unknown, verdicts};

    #[test]
    fn default_selectors_and_unknowns() {
        let g = graph(
            vec![
                res("aws_cloudtrail.default", json!({})),
                res(
                    "aws_cloudtrail.all",
                    json!({"event_selector": [{"read_write_type": "All"}]}),
                ),
                res(
                    "aws_cloudtrail.write",
                    json!({"event_selector": [{"read_write_type": "WriteOnly"}]}),
                ),
                res(
                    "aws_cloudtrail.read",
                    json!({"event_selector": [{"read_write_type": "ReadOnly"}]}),
                ),
                res(
                    "aws_cloudtrail.data_only",
                    json!({"event_selector": [{"include_management_events": false}]}),
                ),
                res(
                    "aws_cloudtrail.var",
                    json!({"event_selector": [{"include_management_events": unknown()}]}),
                ),
                res("aws_cloudtrail.block", json!({"event_selector": unknown()})),
            ],
            &[],
        );
        let evals = CloudTrailManagementEvents.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_cloudtrail.default".into(), Verdict::Pass),
                ("aws_cloudtrail.all".into(), Verdict::Pass),
                ("aws_cloudtrail.write".into(), Verdict::Fail),
                ("aws_cloudtrail.read".into(), Verdict::Fail),
                ("aws_cloudtrail.data_only".into(), Verdict::Fail),
                ("aws_cloudtrail.var".into(), Verdict::Unknown),
                ("aws_cloudtrail.block".into(), Verdict::Unknown),
            ]
        );
        assert!(evals[2].message.contains("read"), "{}", evals[2].message);
    }
}

//! `aws-cloudtrail-s3-object-write-logging`: a trail records S3 object-level write events.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::cloudtrail::trail::{judge_s3_object_logging, TRAIL};

pub struct CloudTrailS3ObjectWriteLogging;

static META: RuleMeta = RuleMeta {
    id: "aws-cloudtrail-s3-object-write-logging",
    title: "A CloudTrail trail records S3 object-level write events for all buckets",
    severity: Severity::Low,
    kind: RuleKind::Account,
    resource_types: &[TRAIL],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00354",
        },
        Alias {
            tool: "cis-aws",
            id: "3.8",
        },
        Alias {
            tool: "prowler",
            id: "cloudtrail_s3_dataevents_write_enabled",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

In a live scan, one result per account read (its `aws_caller_identity`): it passes when some
trail read in the account, in any region, qualifies as below; it fails when none does ("no
logging trail recording S3 object-level write events for all buckets in account
111122223333"), and is `unknown` when the trails of some region could not be listed or a
trail's event selectors or logging status could not be read.

For code, an account-level check over the trails the scanned configuration declares. It passes
when some `aws_cloudtrail` with `enable_logging` not `false` records S3 data events for object writes (PutObject, DeleteObject, CopyObject…)
of every bucket:

- an `event_selector` with a `data_resource { type = "AWS::S3::Object", values = ["arn:aws:s3"] }`
  (`arn:aws:s3:::` also means every bucket) and `read_write_type` `All` or `WriteOnly`; or
- an `advanced_event_selector` selecting `eventCategory = Data` and
  `resources.type = AWS::S3::Object`, with no `resources.ARN` selector narrowing it to some
  buckets and no `readOnly` selector leaving out writes.

Selectors for named buckets only do not count. Selectors only known after apply give `unknown`.
When the configuration declares no trail, the rule reports nothing.

## Why it matters

Object-level write events record who put, overwrote or deleted which object — the evidence needed to tell what changed in a data store and by whom, beyond the bucket-level management events. SOC 2 CC7.2 asks that access to information assets be monitored, and CC7.3 that security
events can be evaluated.

## How to fix

Data events are billed per event; scope the trail to the buckets that matter if every bucket is
too costly, and record that decision as a waiver.

Terraform:

```hcl
resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.trail.id

  event_selector {
    read_write_type           = "All"
    include_management_events = true

    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3"]
    }
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
        DataResources:
          - Type: AWS::S3::Object
            Values: ["arn:aws:s3"]
```

Console: CloudTrail → *Trails* → the trail → *Data events* → *Edit* → *Data event type* S3, *All
current and future S3 buckets*, with write events selected. CLI:

```sh
aws cloudtrail put-event-selectors --trail-name main --event-selectors \
  '[{"ReadWriteType":"All","IncludeManagementEvents":true,"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3"]}]}]'
```
"#;

impl Rule for CloudTrailS3ObjectWriteLogging {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        judge_s3_object_logging(graph, false)
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, unknown};
    use crate::aws::scope::test_support::{live_in, scopes, unreadable, ACCOUNT};

    fn verdicts(resources: Vec<attest_core::Resource>) -> Vec<Verdict> {
        let g = graph(resources, &[]);
        CloudTrailS3ObjectWriteLogging
            .check(&g)
            .into_iter()
            .map(|e| e.verdict)
            .collect()
    }

    fn selector(rwt: &str, values: serde_json::Value) -> serde_json::Value {
        json!({"event_selector": [{"read_write_type": rwt,
            "data_resource": [{"type": "AWS::S3::Object", "values": values}]}]})
    }

    #[test]
    fn account_outcomes() {
        assert_eq!(verdicts(vec![]), vec![]);
        assert_eq!(
            verdicts(vec![res(
                "aws_cloudtrail.t",
                selector("All", json!(["arn:aws:s3"]))
            )]),
            vec![Verdict::Pass]
        );
        assert_eq!(
            verdicts(vec![res(
                "aws_cloudtrail.t",
                selector("WriteOnly", json!(["arn:aws:s3:::"]))
            )]),
            vec![Verdict::Pass]
        );
        assert_eq!(
            verdicts(vec![res(
                "aws_cloudtrail.t",
                selector("ReadOnly", json!(["arn:aws:s3"]))
            )]),
            vec![Verdict::Fail]
        );
        assert_eq!(
            verdicts(vec![res(
                "aws_cloudtrail.t",
                selector("All", json!(["arn:aws:s3:::one-bucket/"]))
            )]),
            vec![Verdict::Fail]
        );
        assert_eq!(
            verdicts(vec![res("aws_cloudtrail.t", json!({}))]),
            vec![Verdict::Fail]
        );
        assert_eq!(
            verdicts(vec![res("aws_cloudtrail.t", selector("All", unknown()))]),
            vec![Verdict::Unknown]
        );
        let mut off = selector("All", json!(["arn:aws:s3"]));
        off["enable_logging"] = json!(false);
        assert_eq!(verdicts(vec![res("aws_cloudtrail.t", off)]), vec![Verdict::Fail]);
    }

    #[test]
    fn live_accounts_need_a_trail_recording_them() {
        let case = |extra: Vec<attest_core::Resource>| {
            let mut resources = scopes(ACCOUNT, &["eu-west-1", "us-east-1"]);
            resources.extend(extra);
            let g = graph(resources, &[]);
            let evals = CloudTrailS3ObjectWriteLogging.check(&g);
            assert_eq!(evals.len(), 1);
            assert_eq!(
                g.get(evals[0].resource.unwrap()).id,
                "aws_caller_identity:111122223333"
            );
            (evals[0].verdict, evals[0].message.clone())
        };
        let trail = |attrs: serde_json::Value| {
            live_in(
                "arn:aws:cloudtrail:us-east-1:111122223333:trail/main",
                TRAIL,
                "us-east-1",
                attrs,
            )
        };
        let (v, m) = case(vec![trail(selector("All", json!(["arn:aws:s3"])))]);
        assert_eq!(v, Verdict::Pass, "{m}");
        let (v, m) = case(vec![trail(selector("ReadOnly", json!(["arn:aws:s3"])))]);
        assert_eq!(v, Verdict::Fail, "{m}");
        let (v, m) = case(vec![]);
        assert_eq!(v, Verdict::Fail);
        assert!(
            m.starts_with("no logging trail") && m.ends_with("in account 111122223333"),
            "{m}"
        );
        let (v, m) = case(vec![unreadable(
            TRAIL,
            Some("eu-west-1"),
            &["event_selector", "enable_logging"],
            "AccessDeniedException on cloudtrail:DescribeTrails",
        )]);
        assert_eq!(v, Verdict::Unknown, "{m}");
        let (v, m) = case(vec![trail(
            json!({"event_selector": {"$unknown": "AccessDeniedException on cloudtrail:GetEventSelectors"}}),
        )]);
        assert_eq!(v, Verdict::Unknown);
        assert!(m.contains("unknown in the live scan"), "{m}");
    }
}

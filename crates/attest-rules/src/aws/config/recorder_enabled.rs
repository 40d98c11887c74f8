//! `aws-config-recorder-enabled`: an AWS Config recorder records every resource type and is on.

use attest_core::{Alias, Evaluation, Mode, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri, Verdict};

use crate::aws::cloudtrail::trail::{account, TRAIL};
use crate::aws::links::{managed, names_resource, refers_to};

pub struct ConfigRecorderEnabled;

const RECORDER: &str = "aws_config_configuration_recorder";
const STATUS: &str = "aws_config_configuration_recorder_status";

static META: RuleMeta = RuleMeta {
    id: "aws-config-recorder-enabled",
    title: "AWS Config records all resource types, including global ones",
    severity: Severity::Medium,
    kind: RuleKind::Account,
    resource_types: &[RECORDER, STATUS],
    aliases: &[
        Alias {
            tool: "cis-aws",
            id: "3.3",
        },
        Alias {
            tool: "prowler",
            id: "config_recorder_all_regions_enabled",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

An account-level check over what the scanned configuration declares. It passes when an
`aws_config_configuration_recorder`:

- records all supported resource types (`recording_group.all_supported`, default `true`);
- includes global resource types such as IAM (`recording_group.include_global_resource_types =
  true`; the provider's default is `false`);
- is turned on by an `aws_config_configuration_recorder_status` for it (by reference or by the
  same `name`) with `is_enabled = true`.

It fails when none qualifies, saying what each recorder lacks, and reports `unknown` when a
deciding value is only known after apply. The rule judges a configuration that declares AWS
Config resources or a CloudTrail trail (the code that sets up account-wide logging); when it
declares neither, it reports nothing. Declare a recorder in every region you use.

## Why it matters

AWS Config keeps the history of every resource's configuration and of the relations between
resources: the record of what changed, when, and how it looked before. Without it, questions
after an incident ("was this bucket public last week?") have no answer, and Config rules cannot
detect drift. SOC 2 CC7.1 asks that configuration changes be detected, CC8.1 that changes be
tracked.

## How to fix

Terraform:

```hcl
resource "aws_config_configuration_recorder" "main" {
  name     = "default"
  role_arn = aws_iam_role.config.arn

  recording_group {
    all_supported                 = true
    include_global_resource_types = true
  }
}

resource "aws_config_delivery_channel" "main" {
  name           = "default"
  s3_bucket_name = aws_s3_bucket.config.id
  depends_on     = [aws_config_configuration_recorder.main]
}

resource "aws_config_configuration_recorder_status" "main" {
  name       = aws_config_configuration_recorder.main.name
  is_enabled = true
  depends_on = [aws_config_delivery_channel.main]
}
```

CloudFormation:

```yaml
Recorder:
  Type: AWS::Config::ConfigurationRecorder
  Properties:
    RoleARN: !GetAtt ConfigRole.Arn
    RecordingGroup:
      AllSupported: true
      IncludeGlobalResourceTypes: true
DeliveryChannel:
  Type: AWS::Config::DeliveryChannel
  Properties:
    S3BucketName: !Ref ConfigBucket
```

(CloudFormation starts a recorder when its delivery channel exists.) Console: AWS Config → *Get
started* / *Settings* → *Record all resources supported in this region* and *Include global
resources*. CLI:

```sh
aws configservice put-configuration-recorder --configuration-recorder \
  name=default,roleARN=arn:aws:iam::123456789012:role/config \
  --recording-group allSupported=true,includeGlobalResourceTypes=true
aws configservice start-configuration-recorder --configuration-recorder-name default
```
"#;

impl Rule for ConfigRecorderEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        let declared = graph.resources().iter().any(|r| {
            r.mode == Mode::Managed
                && (r.resource_type.starts_with("aws_config_") || r.resource_type == TRAIL)
        });
        if !declared {
            return Vec::new();
        }
        let recorders = managed(graph, &[RECORDER]);
        if recorders.is_empty() {
            return vec![account(
                Verdict::Fail,
                "the scanned configuration declares no aws_config_configuration_recorder",
            )];
        }
        let mut good = Vec::new();
        let mut undecided = Vec::new();
        let mut reasons = Vec::new();
        for r in recorders {
            let (verdict, why) = judge(graph, r);
            let id = graph.get(r).id.clone();
            match verdict {
                Tri::True => good.push(id),
                Tri::Unknown => undecided.push(format!("for {id}, {why}")),
                Tri::False => reasons.push(format!("{id} {why}")),
            }
        }
        let e = if !good.is_empty() {
            account(
                Verdict::Pass,
                format!(
                    "recorder {} records all resource types, global ones included, and is enabled",
                    good.join(", ")
                ),
            )
        } else if !undecided.is_empty() {
            account(
                Verdict::Unknown,
                format!(
                    "cannot tell whether an AWS Config recorder qualifies: {}",
                    undecided.join("; ")
                ),
            )
        } else {
            account(
                Verdict::Fail,
                format!(
                    "the scanned configuration declares no AWS Config recorder that records all resource \
                     types and is enabled: {}",
                    reasons.join("; ")
                ),
            )
        };
        vec![e]
    }
}

/// Whether a recorder qualifies, and what it lacks (or what is not known).
fn judge(graph: &ResourceGraph, r: usize) -> (Tri, String) {
    let recorder = graph.get(r);
    let (all, global) = match recorder.attr("recording_group").blocks() {
        None => (Tri::Unknown, Tri::Unknown),
        Some(groups) => match groups.first() {
            None => (Tri::True, Tri::False),
            Some(g) => (
                g.get("all_supported").truthy(true),
                g.get("include_global_resource_types").truthy(false),
            ),
        },
    };
    let statuses: Vec<usize> = managed(graph, &[STATUS])
        .into_iter()
        .filter(|&s| {
            refers_to(graph, s, "name", r, |rec, v| {
                names_resource(rec, v, &["name", "id"])
            }) != Tri::False
        })
        .collect();
    let enabled = Tri::any(statuses.iter().map(|&s| {
        let linked = refers_to(graph, s, "name", r, |rec, v| {
            names_resource(rec, v, &["name", "id"])
        });
        linked.and(graph.get(s).attr("is_enabled").truthy(false))
    }));
    let verdict = all.and(global).and(enabled);
    let mut parts = Vec::new();
    let word = |t: Tri, lacks: &'static str, unknown: &'static str| match t {
        Tri::False => Some(lacks),
        Tri::Unknown => Some(unknown),
        Tri::True => None,
    };
    let enabled_lacks = if statuses.is_empty() {
        "has no aws_config_configuration_recorder_status turning it on"
    } else {
        "is not enabled (is_enabled is not true)"
    };
    for (t, lacks, unknown) in [
        (
            all,
            "does not record all supported resource types",
            "whether it records all resource types is not known before apply",
        ),
        (
            global,
            "does not include global resource types",
            "whether it includes global resource types is not known before apply",
        ),
        (
            enabled,
            enabled_lacks,
            "whether it is enabled is not known before apply",
        ),
    ] {
        if verdict == Tri::False && t != Tri::False {
            continue;
        }
        if let Some(w) = word(t, lacks, unknown) {
            parts.push(w);
        }
    }
    (verdict, parts.join(" and "))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown};

    fn outcome(
        resources: Vec<attest_core::Resource>,
        edges: &[attest_core::Reference],
    ) -> Vec<(Verdict, String)> {
        let g = graph(resources, edges);
        ConfigRecorderEnabled
            .check(&g)
            .into_iter()
            .map(|e| (e.verdict, e.message))
            .collect()
    }

    fn recorder(group: serde_json::Value) -> attest_core::Resource {
        res(
            "aws_config_configuration_recorder.r",
            json!({"name": "default", "recording_group": group}),
        )
    }

    #[test]
    fn recorder_outcomes() {
        assert!(outcome(vec![], &[]).is_empty());
        let good = json!([{"all_supported": true, "include_global_resource_types": true}]);
        let on = res(
            "aws_config_configuration_recorder_status.s",
            json!({"name": "default", "is_enabled": true}),
        );
        let r = outcome(vec![recorder(good.clone()), on.clone()], &[]);
        assert_eq!(r[0].0, Verdict::Pass, "{}", r[0].1);
        // Without global resource types (the default).
        let r = outcome(vec![recorder(json!([{"all_supported": true}])), on.clone()], &[]);
        assert_eq!(r[0].0, Verdict::Fail);
        assert!(r[0].1.contains("global"), "{}", r[0].1);
        // Without a status.
        let r = outcome(vec![recorder(good.clone())], &[]);
        assert_eq!(r[0].0, Verdict::Fail);
        assert!(r[0].1.contains("recorder_status"), "{}", r[0].1);
        // Disabled status linked by edge.
        let off = res(
            "aws_config_configuration_recorder_status.s",
            json!({"name": unknown(), "is_enabled": false}),
        );
        let r = outcome(
            vec![recorder(good.clone()), off],
            &[edge(
                "aws_config_configuration_recorder_status.s",
                "name",
                "aws_config_configuration_recorder.r",
            )],
        );
        assert_eq!(r[0].0, Verdict::Fail);
        // Unknown enablement.
        let var = res(
            "aws_config_configuration_recorder_status.s",
            json!({"name": "default", "is_enabled": unknown()}),
        );
        assert_eq!(outcome(vec![recorder(good), var], &[])[0].0, Verdict::Unknown);
        // A trail but no recorder.
        let r = outcome(vec![res("aws_cloudtrail.t", json!({}))], &[]);
        assert_eq!(r[0].0, Verdict::Fail);
        assert!(r[0].1.contains("declares no"), "{}", r[0].1);
    }
}

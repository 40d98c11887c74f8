//! `aws-config-recorder-enabled`: an AWS Config recorder records every resource type and is on.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri, Verdict};

use crate::aws::cloudtrail::trail::{account, TRAIL};
use crate::aws::links::{names_resource, refers_to};
use crate::aws::scope::{LiveScopes, Requirement};
use crate::aws::wording::not_known_why;

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

In a live scan, one result per region read (the region's `aws_region`): the region passes when
it has a recorder that qualifies as below, its status (`aws_config_configuration_recorder_status`
of the same name, in the same account and region) saying it is recording. It fails when it has
none ("no AWS Config recorder … in eu-west-1", with what each recorder lacks), and is `unknown`
when the recorders or their statuses could not be read.

For code, an account-level check over what the scanned configuration declares. It passes when
an `aws_config_configuration_recorder`:

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
        let scopes = LiveScopes::of(graph);
        let mut out = scopes.evaluate(scopes.regions(), &LIVE, |scope, r| {
            let statuses = scopes.members(scope, &[STATUS]);
            let (verdict, why) = judge(graph, r, &statuses);
            let recorder = graph.get(r);
            let name = recorder.attr("name").as_str().unwrap_or(&recorder.id);
            let says = match verdict {
                Tri::True => format!("recorder {name} is on"),
                Tri::Unknown => format!("for recorder {name}, {why}"),
                Tri::False => format!("recorder {name} {why}"),
            };
            (verdict, says)
        });
        out.extend(check_configuration(graph, &scopes));
        out
    }
}

/// What each region of a live scan must have.
const LIVE: Requirement<'static> = Requirement {
    what: "AWS Config recorder recording all resource types (global ones included)",
    candidates: &[RECORDER],
    needs: &[RECORDER, STATUS],
};

/// The judgement of the scanned configuration (every resource of code; in a live scan, the
/// resources not read live).
fn check_configuration(graph: &ResourceGraph, scopes: &LiveScopes<'_>) -> Vec<Evaluation> {
    let declared = graph.resources().iter().any(|r| {
        scopes.is_configured(r) && (r.resource_type.starts_with("aws_config_") || r.resource_type == TRAIL)
    });
    if !declared {
        return Vec::new();
    }
    let recorders = scopes.configured(&[RECORDER]);
    let statuses = scopes.configured(&[STATUS]);
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
        let (verdict, why) = judge(graph, r, &statuses);
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

/// Whether a recorder qualifies, turned on by one of `statuses`, and what it lacks (or what is
/// not known).
fn judge(graph: &ResourceGraph, r: usize, statuses: &[usize]) -> (Tri, String) {
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
    let statuses: Vec<usize> = statuses
        .iter()
        .copied()
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
    let word = |t: Tri, lacks: &'static str, unknown: String| match t {
        Tri::False => Some(lacks.to_string()),
        Tri::Unknown => Some(unknown),
        Tri::True => None,
    };
    let group = recorder.attr("recording_group");
    let group_unknown = |what: &str| format!("whether it {what} is {}", not_known_why(recorder, group));
    let enabled_unknown = {
        let status = statuses
            .iter()
            .map(|&s| graph.get(s))
            .find(|s| s.attr("is_enabled").is_unknown());
        match status {
            Some(s) => format!(
                "whether it is enabled is {}",
                not_known_why(s, s.attr("is_enabled"))
            ),
            None => format!(
                "whether it is enabled is {}",
                not_known_why(recorder, &attest_core::Value::Null)
            ),
        }
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
            group_unknown("records all resource types"),
        ),
        (
            global,
            "does not include global resource types",
            group_unknown("includes global resource types"),
        ),
        (enabled, enabled_lacks, enabled_unknown),
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
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};
    use crate::aws::scope::test_support::{live_in, scopes, unreadable, ACCOUNT};

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

    #[test]
    fn live_regions_need_their_own_recorder_on() {
        let group = json!([{"all_supported": true, "include_global_resource_types": true}]);
        let rec = |region: &str| {
            live_in(
                &format!("arn:aws:config:{region}:111122223333:config-recorder/default"),
                RECORDER,
                region,
                json!({"name": "default", "recording_group": group.clone()}),
            )
        };
        let status = |region: &str, on: serde_json::Value| {
            live_in(
                &format!("aws_config_configuration_recorder_status:{region}:default"),
                STATUS,
                region,
                json!({"name": "default", "is_enabled": on}),
            )
        };
        let mut resources = scopes(
            ACCOUNT,
            &[
                "eu-west-1",
                "us-east-1",
                "eu-central-1",
                "ap-south-1",
                "sa-east-1",
            ],
        );
        // eu-west-1: recording. us-east-1: a recorder of the same name, stopped — the status of
        // eu-west-1 does not turn it on. eu-central-1: the recorders could not be listed.
        // ap-south-1: no recorder. sa-east-1: the status could not be read.
        resources.extend([rec("eu-west-1"), status("eu-west-1", json!(true))]);
        resources.extend([rec("us-east-1"), status("us-east-1", json!(false))]);
        resources.push(unreadable(
            RECORDER,
            Some("eu-central-1"),
            &["name", "recording_group"],
            "AccessDeniedException on config:DescribeConfigurationRecorders",
        ));
        resources.push(rec("sa-east-1"));
        resources.push(status(
            "sa-east-1",
            json!({"$unknown": "AccessDeniedException on config:DescribeConfigurationRecorderStatus"}),
        ));
        let g = graph(resources, &[]);
        let evals = ConfigRecorderEnabled.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_region:eu-west-1".to_string(), Verdict::Pass),
                ("aws_region:us-east-1".to_string(), Verdict::Fail),
                ("aws_region:eu-central-1".to_string(), Verdict::Unknown),
                ("aws_region:ap-south-1".to_string(), Verdict::Fail),
                ("aws_region:sa-east-1".to_string(), Verdict::Unknown),
            ]
        );
        assert!(
            evals[1].message.contains("is not enabled"),
            "{}",
            evals[1].message
        );
        assert!(
            evals[3].message.starts_with("no AWS Config recorder")
                && evals[3].message.ends_with("in ap-south-1"),
            "{}",
            evals[3].message
        );
        assert!(
            evals[4]
                .message
                .contains("unknown (AccessDeniedException on config:DescribeConfigurationRecorderStatus)"),
            "{}",
            evals[4].message
        );
        // A placeholder for the statuses also leaves a region without a qualifying recorder unknown.
        let mut resources = scopes(ACCOUNT, &["eu-west-1"]);
        resources.push(rec("eu-west-1"));
        resources.push(unreadable(
            STATUS,
            Some("eu-west-1"),
            &["name", "is_enabled"],
            "Throttling",
        ));
        let g = graph(resources, &[]);
        assert_eq!(ConfigRecorderEnabled.check(&g)[0].verdict, Verdict::Unknown);
    }
}

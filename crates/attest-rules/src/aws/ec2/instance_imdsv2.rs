//! `aws-ec2-imdsv2-required`: EC2 instances and launch templates require IMDSv2 (session tokens) or
//! turn the instance metadata service off.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Value};

use crate::aws::links::managed;
use crate::aws::wording::{attr_not_known, not_known_why};

pub struct Ec2Imdsv2Required;

const INSTANCE: &str = "aws_instance";
const LAUNCH_TEMPLATE: &str = "aws_launch_template";
const BLOCK: &str = "metadata_options";

static META: RuleMeta = RuleMeta {
    id: "aws-ec2-imdsv2-required",
    title: "EC2 instances and launch templates require IMDSv2",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &[INSTANCE, LAUNCH_TEMPLATE],
    aliases: &[
        Alias {
            tool: "cis-aws",
            id: "5.6",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_79",
        },
        Alias {
            tool: "prowler",
            id: "ec2_instance_imdsv2_enabled",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_instance` and `aws_launch_template` is judged on its `metadata_options` block:

- it passes when `http_tokens = "required"` (only IMDSv2, session-token requests, are answered),
  or when `http_endpoint = "disabled"` (the instance has no metadata service at all);
- it fails when `http_tokens = "optional"`, and when the block or `http_tokens` is not set. The
  EC2 API then leaves tokens optional for instances launched from most AMIs, so IMDSv1 stays
  reachable. An AMI registered with `ImdsSupport = v2.0`, or a region-wide account default
  (`aws_ec2_instance_metadata_defaults`, `ModifyInstanceMetadataDefaults`) that requires tokens,
  would make them required at launch; a scan of Terraform code cannot see which AMI or account
  setting applies, so set the value explicitly;
- values only known after apply give `unknown`.

## Why it matters

IMDSv1 answers any HTTP GET to `169.254.169.254`, including one relayed by a server-side request
forgery bug, an open proxy or a misconfigured reverse proxy on the instance. The answer includes
the temporary credentials of the instance's IAM role, which an attacker can then use from
anywhere. IMDSv2 requires a session token obtained with a PUT request and a hop limit, which
these relays cannot forge. Requiring it protects the role credentials behind the instance
(SOC 2 CC6.1, CC6.6; CIS AWS Foundations 5.6).

## How to fix

Terraform:

```hcl
resource "aws_instance" "app" {
  # ...
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }
}

resource "aws_launch_template" "app" {
  # ...
  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }
}
```

CloudFormation:

```yaml
AppInstance:
  Type: AWS::EC2::Instance
  Properties:
    LaunchTemplate:
      LaunchTemplateId: !Ref AppLaunchTemplate
      Version: !GetAtt AppLaunchTemplate.LatestVersionNumber

AppLaunchTemplate:
  Type: AWS::EC2::LaunchTemplate
  Properties:
    LaunchTemplateData:
      MetadataOptions:
        HttpEndpoint: enabled
        HttpTokens: required
```

Before requiring tokens, check that the software on the instance uses IMDSv2 (current AWS SDKs
and the CLI do; the CloudWatch metric `MetadataNoToken` counts IMDSv1 calls). Console: EC2 →
*Instances* → the instance → *Actions* → *Instance settings* → *Modify instance metadata
options* → *IMDSv2* → *Required*. CLI:

```sh
aws ec2 modify-instance-metadata-options --instance-id i-0123456789abcdef0 \
  --http-tokens required --http-endpoint enabled
# New instances in the region by default:
aws ec2 modify-instance-metadata-defaults --http-tokens required
```
"#;

impl Rule for Ec2Imdsv2Required {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, &[INSTANCE, LAUNCH_TEMPLATE])
            .into_iter()
            .map(|i| judge(graph, i))
            .collect()
    }
}

/// How a string option of the block reads: set to a value, left to the default, or unknown.
enum Setting<'a> {
    Set(&'a str),
    Default,
    Unknown,
}

fn setting(value: &Value) -> Setting<'_> {
    match value {
        Value::Null => Setting::Default,
        Value::String(s) if s.is_empty() => Setting::Default,
        Value::String(s) => Setting::Set(s),
        _ => Setting::Unknown,
    }
}

fn judge(graph: &ResourceGraph, i: usize) -> Evaluation {
    let resource = graph.get(i);
    // The subject of the messages, with its verb endings: "answer{s}", "{has}".
    let (what, s, has) = if resource.resource_type == LAUNCH_TEMPLATE {
        ("instances launched from the template", "", "have")
    } else {
        ("the instance", "s", "has")
    };
    let Some(blocks) = resource.attr(BLOCK).blocks() else {
        return Evaluation::unknown(i, attr_not_known(graph.get(i), "metadata_options")).at(BLOCK);
    };
    let Some(block) = blocks.first() else {
        return Evaluation::fail(
            i,
            format!(
                "no metadata_options block: http_tokens defaults to \"optional\", so {what} answer{s} IMDSv1 \
                 requests (unless the AMI or the account default requires tokens)"
            ),
        )
        .at(BLOCK);
    };
    let tokens = setting(block.get("http_tokens"));
    let endpoint = setting(block.get("http_endpoint"));
    if let Setting::Set(e) = endpoint {
        if e.eq_ignore_ascii_case("disabled") {
            return Evaluation::pass(
                i,
                format!("http_endpoint = \"disabled\": {what} {has} no instance metadata service"),
            )
            .at("metadata_options.http_endpoint");
        }
    }
    const TOKENS: &str = "metadata_options.http_tokens";
    match tokens {
        Setting::Set(t) if t.eq_ignore_ascii_case("required") => Evaluation::pass(
            i,
            format!("http_tokens = \"required\": {what} answer{s} only IMDSv2 (token) requests"),
        )
        .at(TOKENS),
        Setting::Unknown => Evaluation::unknown(
            i,
            format!(
                "{}: whether IMDSv1 is answered cannot be told",
                attr_not_known(graph.get(i), "http_tokens")
            ),
        )
        .at(TOKENS),
        _ if matches!(endpoint, Setting::Unknown) => Evaluation::unknown(
            i,
            format!(
                "http_endpoint is {} and tokens are not required: whether IMDSv1 is answered cannot be told",
                not_known_why(graph.get(i), graph.get(i).attr("metadata_options.http_endpoint"))
            ),
        )
        .at("metadata_options.http_endpoint"),
        Setting::Set(t) => Evaluation::fail(
            i,
            format!("http_tokens = {t:?}: {what} also answer{s} IMDSv1 requests without a session token"),
        )
        .at(TOKENS),
        Setting::Default => Evaluation::fail(
            i,
            format!(
                "http_tokens is not set and defaults to \"optional\": {what} answer{s} IMDSv1 requests \
                 (unless the AMI or the account default requires tokens)"
            ),
        )
        .at(TOKENS),
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, unknown, verdicts};

    #[test]
    fn tokens_endpoint_defaults_and_unknowns() {
        let g = graph(
            vec![
                res(
                    "aws_instance.required",
                    json!({"metadata_options": [{"http_tokens": "required", "http_endpoint": "enabled"}]}),
                ),
                res(
                    "aws_instance.disabled",
                    json!({"metadata_options": [{"http_tokens": "optional", "http_endpoint": "disabled"}]}),
                ),
                res(
                    "aws_instance.optional",
                    json!({"metadata_options": [{"http_tokens": "optional"}]}),
                ),
                res("aws_instance.no_block", json!({})),
                res("aws_instance.empty_plan", json!({"metadata_options": []})),
                res(
                    "aws_instance.no_tokens",
                    json!({"metadata_options": [{"http_put_response_hop_limit": 1}]}),
                ),
                res(
                    "aws_instance.var",
                    json!({"metadata_options": [{"http_tokens": unknown()}]}),
                ),
                res(
                    "aws_instance.var_but_off",
                    json!({"metadata_options": [{"http_tokens": unknown(), "http_endpoint": "disabled"}]}),
                ),
                res(
                    "aws_instance.required_endpoint_var",
                    json!({"metadata_options": [{"http_tokens": "required", "http_endpoint": unknown()}]}),
                ),
                res(
                    "aws_instance.optional_endpoint_var",
                    json!({"metadata_options": [{"http_tokens": "optional", "http_endpoint": unknown()}]}),
                ),
                res("aws_instance.block_var", json!({"metadata_options": unknown()})),
                res(
                    "aws_launch_template.required",
                    json!({"metadata_options": [{"http_tokens": "required"}]}),
                ),
                res("aws_launch_template.none", json!({"name": "lt"})),
                res("data.aws_instance.read", json!({})),
                res("aws_launch_configuration.lc", json!({})),
            ],
            &[],
        );
        let evals = Ec2Imdsv2Required.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_instance.required".into(), Verdict::Pass),
                ("aws_instance.disabled".into(), Verdict::Pass),
                ("aws_instance.optional".into(), Verdict::Fail),
                ("aws_instance.no_block".into(), Verdict::Fail),
                ("aws_instance.empty_plan".into(), Verdict::Fail),
                ("aws_instance.no_tokens".into(), Verdict::Fail),
                ("aws_instance.var".into(), Verdict::Unknown),
                ("aws_instance.var_but_off".into(), Verdict::Pass),
                ("aws_instance.required_endpoint_var".into(), Verdict::Pass),
                ("aws_instance.optional_endpoint_var".into(), Verdict::Unknown),
                ("aws_instance.block_var".into(), Verdict::Unknown),
                ("aws_launch_template.required".into(), Verdict::Pass),
                ("aws_launch_template.none".into(), Verdict::Fail),
            ]
        );
        assert!(
            evals[3].message.contains("defaults to \"optional\""),
            "{}",
            evals[3].message
        );
        assert_eq!(
            evals[2].attribute.as_deref(),
            Some("metadata_options.http_tokens")
        );
        assert_eq!(
            evals[1].attribute.as_deref(),
            Some("metadata_options.http_endpoint")
        );
        assert!(
            evals[12].message.contains("launched from the template"),
            "{}",
            evals[12].message
        );
    }
}

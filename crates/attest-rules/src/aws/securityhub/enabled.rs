//! `aws-securityhub-enabled`: Security Hub is enabled in the account.

use attest_core::{Alias, Evaluation, Mode, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Verdict};

use crate::aws::cloudtrail::trail::{account, TRAIL};
use crate::aws::links::{ids, managed};

pub struct SecurityHubEnabled;

const HUB: &str = "aws_securityhub_account";

static META: RuleMeta = RuleMeta {
    id: "aws-securityhub-enabled",
    title: "AWS Security Hub is enabled",
    severity: Severity::Medium,
    kind: RuleKind::Account,
    resource_types: &[HUB],
    aliases: &[
        Alias {
            tool: "cis-aws",
            id: "4.16",
        },
        Alias {
            tool: "prowler",
            id: "securityhub_enabled",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

An account-level check over what the scanned configuration declares. It passes when the
configuration declares an `aws_securityhub_account` (which enables Security Hub in its region).
It fails when the configuration declares account-wide logging and monitoring — a CloudTrail
trail, AWS Config or other Security Hub resources — but no `aws_securityhub_account`; the account
may still have Security Hub enabled outside the scanned code (by an organization administrator,
say). When the configuration declares none of these, the rule reports nothing.

## Why it matters

Security Hub gathers the findings of GuardDuty, Inspector, Macie, IAM Access Analyzer and AWS
Config into one place and checks the account against security standards continuously. Without it,
findings are scattered across services and easy to miss. SOC 2 CC7.2 and CC4.1 ask for ongoing
monitoring of controls and for anomalies to be surfaced for evaluation (CC7.3).

## How to fix

Terraform:

```hcl
resource "aws_securityhub_account" "main" {}

resource "aws_securityhub_standards_subscription" "cis" {
  standards_arn = "arn:aws:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/3.0.0"
  depends_on    = [aws_securityhub_account.main]
}
```

CloudFormation:

```yaml
SecurityHub:
  Type: AWS::SecurityHub::Hub
  Properties:
    EnableDefaultStandards: true
```

Console: Security Hub → *Go to Security Hub* → *Enable Security Hub* (AWS Config must be
recording). CLI:

```sh
aws securityhub enable-security-hub --enable-default-standards
```
"#;

impl Rule for SecurityHubEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        let hubs = managed(graph, &[HUB]);
        if !hubs.is_empty() {
            return vec![account(
                Verdict::Pass,
                format!("Security Hub is enabled by {}", ids(graph, &hubs)),
            )];
        }
        let related = graph.resources().iter().any(|r| {
            r.mode == Mode::Managed
                && (r.resource_type == TRAIL
                    || r.resource_type.starts_with("aws_config_")
                    || r.resource_type.starts_with("aws_securityhub_"))
        });
        if !related {
            return Vec::new();
        }
        vec![account(
            Verdict::Fail,
            "the scanned configuration sets up account logging but declares no aws_securityhub_account",
        )]
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res};

    fn verdicts(resources: Vec<attest_core::Resource>) -> Vec<Verdict> {
        let g = graph(resources, &[]);
        SecurityHubEnabled
            .check(&g)
            .into_iter()
            .map(|e| e.verdict)
            .collect()
    }

    #[test]
    fn hub_present_absent_and_nothing_to_judge() {
        assert_eq!(
            verdicts(vec![res("aws_securityhub_account.main", json!({}))]),
            vec![Verdict::Pass]
        );
        assert_eq!(
            verdicts(vec![res("aws_cloudtrail.t", json!({}))]),
            vec![Verdict::Fail]
        );
        assert_eq!(
            verdicts(vec![res("aws_config_configuration_recorder.r", json!({}))]),
            vec![Verdict::Fail]
        );
        assert_eq!(verdicts(vec![res("aws_s3_bucket.b", json!({}))]), vec![]);
        assert_eq!(
            verdicts(vec![res("data.aws_securityhub_account.x", json!({}))]),
            vec![]
        );
    }
}

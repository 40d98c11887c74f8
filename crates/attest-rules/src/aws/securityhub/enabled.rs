//! `aws-securityhub-enabled`: Security Hub is enabled in the account.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri, Verdict};

use crate::aws::cloudtrail::trail::{account, TRAIL};
use crate::aws::links::ids;
use crate::aws::scope::{LiveScopes, Requirement};

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

In a live scan, one result per region read (the region's `aws_region`): it passes when the region
has an `aws_securityhub_account` of the same account (Security Hub is enabled there), fails when
it has none ("no Security Hub (aws_securityhub_account) in eu-west-1"), and is `unknown` when
whether Security Hub is enabled could not be read.

For code, an account-level check over what the scanned configuration declares. It passes when the
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
        let scopes = LiveScopes::of(graph);
        let mut out = scopes.evaluate(scopes.regions(), &LIVE, |_, h| {
            (Tri::True, format!("enabled ({})", graph.get(h).id))
        });
        out.extend(check_configuration(graph, &scopes));
        out
    }
}

/// What each region of a live scan must have.
const LIVE: Requirement<'static> = Requirement {
    what: "Security Hub (aws_securityhub_account)",
    candidates: &[HUB],
    needs: &[HUB],
};

/// The judgement of the scanned configuration (every resource of code; in a live scan, the
/// resources not read live).
fn check_configuration(graph: &ResourceGraph, scopes: &LiveScopes<'_>) -> Vec<Evaluation> {
    let hubs = scopes.configured(&[HUB]);
    if !hubs.is_empty() {
        return vec![account(
            Verdict::Pass,
            format!("Security Hub is enabled by {}", ids(graph, &hubs)),
        )];
    }
    let related = graph.resources().iter().any(|r| {
        scopes.is_configured(r)
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, verdicts as by_id};
    use crate::aws::scope::test_support::{live_in, scopes, unreadable, ACCOUNT};

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

    #[test]
    fn live_regions_each_need_security_hub() {
        let mut resources = scopes(ACCOUNT, &["eu-west-1", "us-east-1", "eu-central-1"]);
        resources.push(live_in(
            "arn:aws:securityhub:eu-west-1:111122223333:hub/default",
            HUB,
            "eu-west-1",
            json!({}),
        ));
        resources.push(unreadable(
            HUB,
            Some("eu-central-1"),
            &["arn"],
            "AccessDeniedException on securityhub:DescribeHub",
        ));
        let g = graph(resources, &[]);
        let evals = SecurityHubEnabled.check(&g);
        assert_eq!(
            by_id(&g, &evals),
            vec![
                ("aws_region:eu-west-1".to_string(), Verdict::Pass),
                ("aws_region:us-east-1".to_string(), Verdict::Fail),
                ("aws_region:eu-central-1".to_string(), Verdict::Unknown),
            ]
        );
        assert_eq!(
            evals[1].message,
            "no Security Hub (aws_securityhub_account) in us-east-1"
        );
        assert!(
            evals[2]
                .message
                .contains("AccessDeniedException on securityhub:DescribeHub"),
            "{}",
            evals[2].message
        );
    }
}

//! `aws-iam-access-analyzer-enabled`: IAM Access Analyzer is enabled.

use attest_core::{
    Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri, Value, Verdict,
};

use crate::aws::links::ids;
use crate::aws::scope::{LiveScopes, Requirement};
use crate::aws::wording::attr_not_known;

pub struct AccessAnalyzerEnabled;

const ANALYZER: &str = "aws_accessanalyzer_analyzer";

static META: RuleMeta = RuleMeta {
    id: "aws-iam-access-analyzer-enabled",
    title: "IAM Access Analyzer is enabled",
    severity: Severity::Medium,
    kind: RuleKind::Account,
    resource_types: &[ANALYZER],
    aliases: &[
        Alias {
            tool: "prowler",
            id: "accessanalyzer_enabled",
        },
        Alias {
            tool: "cis-aws",
            id: "1.20",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

In a live scan, one result per region read (the region's `aws_region`): it passes when the
region has an `aws_accessanalyzer_analyzer` of the same account whose `status` is `ACTIVE` (or
not reported), fails when it has none ("no IAM Access Analyzer in eu-west-1", or what each
analyzer lacks), and is `unknown` when the analyzers of the region could not be listed or their
status could not be read.

For code, an account-level check of the scanned configuration: it declares an
`aws_accessanalyzer_analyzer` (of type `ACCOUNT`, the default, or `ORGANIZATION`).

- When the configuration declares no IAM resource (no `aws_iam_*` resource) and no analyzer,
  nothing is reported: the account baseline is managed elsewhere.
- When it declares IAM resources but no analyzer, the result fails: the scanned configuration
  declares no IAM Access Analyzer (one may exist outside it).
- When it declares an analyzer, the result passes and names it.

An analyzer works in the region it is created in; CIS asks for one in every region in use.
Which regions a Terraform configuration deploys to is set by its providers, so this rule only
tells that an analyzer is declared; check each region's analyzer in a live scan.

## Why it matters

IAM Access Analyzer reads the resource policies of S3 buckets, KMS keys, IAM role trust
policies, Lambda functions, SQS queues and secrets, and reports every one that grants access to
a principal outside the account or organization. Without it, a bucket policy or trust policy
opened by mistake stays unnoticed until someone uses it. CIS AWS Foundations v3.0
recommendation 1.20 asks for it; it is a detection control for SOC 2 CC7.1 (configurations that
introduce vulnerabilities) and supports the access review of CC6.3.

## How to fix

Terraform:

```hcl
resource "aws_accessanalyzer_analyzer" "account" {
  analyzer_name = "account"
  type          = "ACCOUNT"
}
```

CloudFormation:

```yaml
AccountAnalyzer:
  Type: AWS::AccessAnalyzer::Analyzer
  Properties:
    AnalyzerName: account
    Type: ACCOUNT
```

Console: IAM → *Access analyzer* → *Create analyzer*, in each region in use. CLI:

```sh
aws accessanalyzer list-analyzers --region eu-west-1
aws accessanalyzer create-analyzer --analyzer-name account --type ACCOUNT --region eu-west-1
```
"#;

impl Rule for AccessAnalyzerEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        let scopes = LiveScopes::of(graph);
        let mut out = scopes.evaluate(scopes.regions(), &LIVE, |_, a| judge_live(graph, a));
        out.extend(check_configuration(graph, &scopes));
        out
    }
}

/// What each region of a live scan must have.
const LIVE: Requirement<'static> = Requirement {
    what: "IAM Access Analyzer",
    candidates: &[ANALYZER],
    needs: &[ANALYZER],
};

/// A live analyzer qualifies when it is active (or its status is not reported).
fn judge_live(graph: &ResourceGraph, a: usize) -> (Tri, String) {
    let r = graph.get(a);
    let name = r.attr("analyzer_name").as_str().unwrap_or(&r.id);
    match r.attr("status") {
        Value::Null => (Tri::True, format!("analyzer {name}")),
        Value::String(s) if s == "ACTIVE" => (Tri::True, format!("analyzer {name} is ACTIVE")),
        Value::String(s) => (Tri::False, format!("analyzer {name} is {s}, not ACTIVE")),
        Value::Unknown(_) => (
            Tri::Unknown,
            format!("analyzer {name}: {}", attr_not_known(r, "status")),
        ),
        other => (Tri::Unknown, format!("analyzer {name} has status {other}")),
    }
}

/// The judgement of the scanned configuration (every resource of code; in a live scan, the
/// resources not read live).
fn check_configuration(graph: &ResourceGraph, scopes: &LiveScopes<'_>) -> Vec<Evaluation> {
    let analyzers = scopes.configured(&[ANALYZER]);
    let iam_types: Vec<&str> = graph.types().filter(|t| t.starts_with("aws_iam_")).collect();
    let iam = scopes.configured(&iam_types);
    let (verdict, message) = if !analyzers.is_empty() {
        (
            Verdict::Pass,
            format!("the scanned configuration declares {}", ids(graph, &analyzers)),
        )
    } else if !iam.is_empty() {
        (
            Verdict::Fail,
            format!(
                "the scanned configuration declares {} IAM resource(s) but no aws_accessanalyzer_analyzer",
                iam.len()
            ),
        )
    } else {
        return Vec::new();
    };
    vec![Evaluation {
        resource: None,
        verdict,
        message,
        attribute: None,
    }]
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, verdicts};
    use crate::aws::scope::test_support::{live_global, live_in, scopes, unreadable, ACCOUNT};

    fn verdict(g: &ResourceGraph) -> Vec<Verdict> {
        AccessAnalyzerEnabled
            .check(g)
            .into_iter()
            .map(|e| e.verdict)
            .collect()
    }

    #[test]
    fn analyzer_passes_iam_without_analyzer_fails_nothing_is_silent() {
        let with = graph(
            vec![
                res("aws_iam_role.r", json!({})),
                res("aws_accessanalyzer_analyzer.a", json!({"analyzer_name": "a"})),
            ],
            &[],
        );
        assert_eq!(verdict(&with), vec![Verdict::Pass]);
        let without = graph(vec![res("aws_iam_user.u", json!({}))], &[]);
        assert_eq!(verdict(&without), vec![Verdict::Fail]);
        let data_only = graph(vec![res("data.aws_iam_policy_document.d", json!({}))], &[]);
        assert!(verdict(&data_only).is_empty());
        assert!(verdict(&graph(vec![res("aws_s3_bucket.b", json!({}))], &[])).is_empty());
    }

    #[test]
    fn live_scans_are_judged_per_region() {
        let mut resources = scopes(ACCOUNT, &["eu-west-1", "us-east-1", "eu-central-1", "ap-south-1"]);
        resources.push(live_in(
            "arn:aws:access-analyzer:eu-west-1:111122223333:analyzer/account",
            ANALYZER,
            "eu-west-1",
            json!({"analyzer_name": "account", "type": "ACCOUNT", "status": "ACTIVE"}),
        ));
        resources.push(live_in(
            "arn:aws:access-analyzer:us-east-1:111122223333:analyzer/old",
            ANALYZER,
            "us-east-1",
            json!({"analyzer_name": "old", "type": "ACCOUNT", "status": "DISABLED"}),
        ));
        resources.push(unreadable(
            ANALYZER,
            Some("eu-central-1"),
            &["analyzer_name", "status"],
            "AccessDeniedException on access-analyzer:ListAnalyzers",
        ));
        // IAM resources read live are not "the scanned configuration".
        resources.push(live_global(
            "arn:aws:iam::111122223333:role/app",
            "aws_iam_role",
            json!({}),
        ));
        let g = graph(resources, &[]);
        let evals = AccessAnalyzerEnabled.check(&g);
        let got: Vec<(String, Verdict)> = verdicts(&g, &evals);
        assert_eq!(
            got,
            vec![
                ("aws_region:eu-west-1".to_string(), Verdict::Pass),
                ("aws_region:us-east-1".to_string(), Verdict::Fail),
                ("aws_region:eu-central-1".to_string(), Verdict::Unknown),
                ("aws_region:ap-south-1".to_string(), Verdict::Fail),
            ]
        );
        assert_eq!(evals[3].message, "no IAM Access Analyzer in ap-south-1");
        assert!(evals[1].message.contains("DISABLED"), "{}", evals[1].message);
        assert!(
            evals[2]
                .message
                .contains("AccessDeniedException on access-analyzer:ListAnalyzers"),
            "{}",
            evals[2].message
        );
        // An unreadable status is unknown, with its reason.
        let mut resources = scopes(ACCOUNT, &["eu-west-1"]);
        resources.push(live_in(
            "a",
            ANALYZER,
            "eu-west-1",
            json!({"status": {"$unknown": "not collected by attest's live AWS scan yet"}}),
        ));
        let g = graph(resources, &[]);
        let evals = AccessAnalyzerEnabled.check(&g);
        assert_eq!(evals[0].verdict, Verdict::Unknown);
        assert!(
            evals[0].message.contains("status is unknown (not collected"),
            "{}",
            evals[0].message
        );
    }

    #[test]
    fn code_scanned_beside_a_live_account_is_judged_on_its_own() {
        let mut resources = scopes(ACCOUNT, &["eu-west-1"]);
        resources.push(live_in("a", ANALYZER, "eu-west-1", json!({"status": "ACTIVE"})));
        resources.push(res("aws_iam_role.r", json!({})));
        let g = graph(resources, &[]);
        let evals = AccessAnalyzerEnabled.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_region:eu-west-1".to_string(), Verdict::Pass),
                (String::new(), Verdict::Fail),
            ]
        );
    }
}

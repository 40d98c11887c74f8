//! `aws-iam-access-analyzer-enabled`: IAM Access Analyzer is enabled.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Verdict};

use crate::aws::links::{ids, managed};

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

An account-level check of the scanned configuration: it declares an
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
        let analyzers = managed(graph, &[ANALYZER]);
        let iam_types: Vec<&str> = graph.types().filter(|t| t.starts_with("aws_iam_")).collect();
        let iam = managed(graph, &iam_types);
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
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res};

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
}

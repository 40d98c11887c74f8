//! `aws-cloudwatch-log-retention-365`: CloudWatch log groups keep logs for at least a year.

use attest_core::{Alias, Evaluation, Resource, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Value};

use crate::aws::links::managed;
use crate::aws::wording::attr_not_known;

pub struct LogRetention365;

const ATTR: &str = "retention_in_days";
/// The shortest retention that passes, in days.
const MIN_DAYS: i64 = 365;

static META: RuleMeta = RuleMeta {
    id: "aws-cloudwatch-log-retention-365",
    title: "CloudWatch log groups retain logs for at least 365 days",
    severity: Severity::Low,
    kind: RuleKind::Resource,
    resource_types: &["aws_cloudwatch_log_group"],
    aliases: &[Alias {
        tool: "checkov",
        id: "CKV_AWS_338",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_cloudwatch_log_group` passes when its logs are kept for at least 365 days:

- `retention_in_days` of 365 or more; or
- `retention_in_days = 0` or not written: **0 means the logs never expire** — CloudWatch keeps
  them forever, which is the service's default.

It fails when `retention_in_days` is between 1 and 364, and gives `unknown` when the value is
only known after apply.

## Why it matters

Investigations of incidents and audits look back months: an intrusion is often found long after
it began, and auditors ask for a year of evidence. Logs deleted after a week or a month cannot
answer either (SOC 2 CC7.2 for monitoring, A1.2 for keeping records recoverable). Keeping logs
forever passes; archive or tier them to control cost rather than shortening retention below a
year.

## How to fix

Terraform:

```hcl
resource "aws_cloudwatch_log_group" "app" {
  name              = "/app/production"
  retention_in_days = 365
}
```

CloudFormation:

```yaml
AppLogGroup:
  Type: AWS::Logs::LogGroup
  Properties:
    LogGroupName: /app/production
    RetentionInDays: 365
```

Console: CloudWatch → *Log groups* → the log group → *Actions* → *Edit retention setting* →
*1 year (365 days)* or longer → *Save*. CLI:

```sh
aws logs put-retention-policy --log-group-name /app/production --retention-in-days 365
```
"#;

impl Rule for LogRetention365 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, META.resource_types)
            .into_iter()
            .map(|i| judge(graph.get(i), graph.get(i).attr(ATTR), i).at(ATTR))
            .collect()
    }
}

fn judge(r: &Resource, value: &Value, i: usize) -> Evaluation {
    if value.is_null() {
        return Evaluation::pass(
            i,
            "retention_in_days is not set (CloudWatch applies 0): logs never expire",
        );
    }
    match value.as_i64() {
        Some(0) => Evaluation::pass(i, "retention_in_days = 0: logs never expire"),
        Some(days) if days >= MIN_DAYS => Evaluation::pass(
            i,
            format!("retention_in_days = {days}: logs are kept for at least a year"),
        ),
        Some(days) => Evaluation::fail(
            i,
            format!("retention_in_days = {days}: logs are deleted before a year has passed"),
        ),
        None => Evaluation::unknown(
            i,
            format!(
                "{}: cannot tell how long logs are kept",
                attr_not_known(r, "retention_in_days")
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, unknown, verdicts};

    #[test]
    fn forever_long_short_and_unknown() {
        let g = graph(
            vec![
                res("aws_cloudwatch_log_group.absent", json!({"name": "a"})),
                res("aws_cloudwatch_log_group.zero", json!({"retention_in_days": 0})),
                res("aws_cloudwatch_log_group.year", json!({"retention_in_days": 365})),
                res(
                    "aws_cloudwatch_log_group.long",
                    json!({"retention_in_days": "3653"}),
                ),
                res(
                    "aws_cloudwatch_log_group.short",
                    json!({"retention_in_days": 364}),
                ),
                res("aws_cloudwatch_log_group.week", json!({"retention_in_days": 7})),
                res(
                    "aws_cloudwatch_log_group.var",
                    json!({"retention_in_days": unknown()}),
                ),
            ],
            &[],
        );
        let evals = LogRetention365.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_cloudwatch_log_group.absent".into(), Verdict::Pass),
                ("aws_cloudwatch_log_group.zero".into(), Verdict::Pass),
                ("aws_cloudwatch_log_group.year".into(), Verdict::Pass),
                ("aws_cloudwatch_log_group.long".into(), Verdict::Pass),
                ("aws_cloudwatch_log_group.short".into(), Verdict::Fail),
                ("aws_cloudwatch_log_group.week".into(), Verdict::Fail),
                ("aws_cloudwatch_log_group.var".into(), Verdict::Unknown),
            ]
        );
        assert!(evals[0].message.contains("never expire"), "{}", evals[0].message);
    }
}

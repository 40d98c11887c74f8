//! `aws-sns-no-http-subscription`: SNS subscriptions do not deliver over plain HTTP.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Value};

use crate::aws::links::managed;
use crate::aws::wording::attr_not_known;

pub struct SnsNoHttpSubscription;

const SUBSCRIPTION: &str = "aws_sns_topic_subscription";

static META: RuleMeta = RuleMeta {
    id: "aws-sns-no-http-subscription",
    title: "SNS subscriptions do not deliver messages over plain HTTP",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &[SUBSCRIPTION],
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00052",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_sns_topic_subscription` fails when its `protocol` is `http`, and passes for any other
protocol (`https`, `sqs`, `lambda`, `firehose`, `email`, `sms`, `application`). A protocol only
known after apply gives `unknown`.

## Why it matters

With an `http` endpoint, SNS posts each message — and the subscription confirmation token —
across the internet unencrypted, where it can be read or replayed. HTTPS endpoints keep
notifications confidential in transit (SOC 2 CC6.7).

## How to fix

Terraform:

```hcl
resource "aws_sns_topic_subscription" "webhook" {
  topic_arn = aws_sns_topic.events.arn
  protocol  = "https"
  endpoint  = "https://hooks.example.com/sns"
}
```

CloudFormation:

```yaml
WebhookSubscription:
  Type: AWS::SNS::Subscription
  Properties:
    TopicArn: !Ref EventsTopic
    Protocol: https
    Endpoint: https://hooks.example.com/sns
```

Console: a subscription's protocol cannot be changed: SNS → *Subscriptions* → create an HTTPS
subscription for the endpoint, confirm it, then delete the HTTP one. CLI:

```sh
aws sns subscribe --topic-arn <topic-arn> --protocol https \
  --notification-endpoint https://hooks.example.com/sns
aws sns unsubscribe --subscription-arn <http-subscription-arn>
```
"#;

impl Rule for SnsNoHttpSubscription {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, &[SUBSCRIPTION])
            .into_iter()
            .map(|i| {
                match graph.get(i).attr("protocol") {
                    Value::String(p) if p.eq_ignore_ascii_case("http") => {
                        Evaluation::fail(i, "messages are delivered over plain HTTP")
                    }
                    Value::String(p) => Evaluation::pass(i, format!("messages are delivered over {p}")),
                    Value::Null => Evaluation::unknown(i, "the subscription declares no protocol"),
                    _ => Evaluation::unknown(i, attr_not_known(graph.get(i), "protocol")),
                }
                .at("protocol")
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, unknown, verdicts};

    #[test]
    fn http_https_and_unknown() {
        let g = graph(
            vec![
                res("aws_sns_topic_subscription.https", json!({"protocol": "https"})),
                res("aws_sns_topic_subscription.sqs", json!({"protocol": "sqs"})),
                res("aws_sns_topic_subscription.http", json!({"protocol": "http"})),
                res("aws_sns_topic_subscription.var", json!({"protocol": unknown()})),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &SnsNoHttpSubscription.check(&g)),
            vec![
                ("aws_sns_topic_subscription.https".into(), Verdict::Pass),
                ("aws_sns_topic_subscription.sqs".into(), Verdict::Pass),
                ("aws_sns_topic_subscription.http".into(), Verdict::Fail),
                ("aws_sns_topic_subscription.var".into(), Verdict::Unknown),
            ]
        );
    }
}

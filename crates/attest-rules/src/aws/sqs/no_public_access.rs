//! `aws-sqs-no-public-access`: SQS queue policies do not grant access to everyone.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri, Value};

use crate::aws::iam::policy_document::{policy_of, principal_is_everyone};
use crate::aws::links::{managed, names_resource, refers_to};

pub struct SqsNoPublicAccess;

const QUEUE: &str = "aws_sqs_queue";
const QUEUE_POLICY: &str = "aws_sqs_queue_policy";

static META: RuleMeta = RuleMeta {
    id: "aws-sqs-no-public-access",
    title: "SQS queue policies do not grant access to everyone without conditions",
    severity: Severity::Critical,
    kind: RuleKind::Graph,
    resource_types: &[QUEUE],
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00049",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_sqs_queue` is judged on its access policy: its own `policy` attribute and every
`aws_sqs_queue_policy` whose `queue_url` refers to it. Policies may be JSON strings,
`jsonencode(…)` values or `data.aws_iam_policy_document` sources. The queue fails when a
statement has `Effect = "Allow"`, a principal of everyone (`"*"` or `{"AWS": "*"}`) and no
`Condition` — whatever the actions; the message names the statement and its actions. It passes
when no statement does (including queues without a policy). A policy or statement only known
after apply gives `unknown`.

A public statement restricted by a condition (`aws:SourceArn`, `aws:SourceAccount`,
`aws:PrincipalOrgID`…) passes: that is how SNS topics and S3 buckets are allowed to send.

## Why it matters

A queue that anyone can `SendMessage` to accepts forged work items; one that anyone can
`ReceiveMessage` from or purge leaks or destroys data. Grants should name principals, or be
narrowed by conditions, so only intended parties reach the queue (SOC 2 CC6.1, CC6.3).

## How to fix

Terraform:

```hcl
data "aws_iam_policy_document" "orders" {
  statement {
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.orders.arn]
    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_sns_topic.orders.arn]
    }
  }
}

resource "aws_sqs_queue_policy" "orders" {
  queue_url = aws_sqs_queue.orders.id
  policy    = data.aws_iam_policy_document.orders.json
}
```

CloudFormation:

```yaml
OrdersQueuePolicy:
  Type: AWS::SQS::QueuePolicy
  Properties:
    Queues: [!Ref OrdersQueue]
    PolicyDocument:
      Statement:
        - Effect: Allow
          Principal: {Service: sns.amazonaws.com}
          Action: sqs:SendMessage
          Resource: !GetAtt OrdersQueue.Arn
          Condition:
            ArnEquals: {aws:SourceArn: !Ref OrdersTopic}
```

Console: SQS → the queue → *Access policy* → *Edit* → replace `"Principal": "*"` with specific
principals, or add a condition. CLI:

```sh
aws sqs set-queue-attributes --queue-url <url> --attributes file://policy-attributes.json
```
"#;

impl Rule for SqsNoPublicAccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn looks_through(&self) -> &'static [&'static str] {
        &[QUEUE_POLICY]
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, &[QUEUE])
            .into_iter()
            .map(|i| judge(graph, i))
            .collect()
    }
}

fn actions(v: &Value) -> String {
    match v.string_list() {
        Some(list) if !list.is_empty() => list.join(", "),
        _ => "actions not known".to_string(),
    }
}

fn judge(graph: &ResourceGraph, i: usize) -> Evaluation {
    let mut sources: Vec<usize> = Vec::new();
    let mut unknown = Vec::new();
    if !graph.get(i).attr("policy").is_null() {
        sources.push(i);
    }
    for p in managed(graph, &[QUEUE_POLICY]) {
        match refers_to(graph, p, "queue_url", i, |r, v| {
            names_resource(r, v, &["id", "url", "arn"])
        }) {
            Tri::True => sources.push(p),
            Tri::Unknown => unknown.push(format!("which queue {} applies to", graph.get(p).id)),
            Tri::False => {}
        }
    }
    let mut public = Vec::new();
    let mut statements = 0;
    for &s in &sources {
        let holder = if s == i {
            "the queue policy".to_string()
        } else {
            graph.get(s).id.clone()
        };
        let policy = match policy_of(graph, s, "policy") {
            Ok(p) => p,
            Err(e) => {
                unknown.push(format!("{holder}: {e}"));
                continue;
            }
        };
        for st in &policy.statements {
            statements += 1;
            let open = st
                .is_allow()
                .and(principal_is_everyone(&st.principals))
                .and(st.has_conditions().not());
            match open {
                Tri::True => public.push(format!(
                    "{holder} {} allows everyone ({}) without conditions",
                    st.label,
                    actions(&st.actions)
                )),
                Tri::Unknown => unknown.push(format!("{holder} {}", st.label)),
                Tri::False => {}
            }
        }
    }
    if !public.is_empty() {
        return Evaluation::fail(i, public.join("; ")).at("policy");
    }
    if !unknown.is_empty() {
        return Evaluation::unknown(
            i,
            format!("cannot tell who may access the queue: {}", unknown.join("; ")),
        )
        .at("policy");
    }
    if sources.is_empty() {
        return Evaluation::pass(
            i,
            "no queue policy: only principals of the owning account with IAM permissions",
        );
    }
    Evaluation::pass(
        i,
        format!("none of the {statements} policy statement(s) grants everyone unconditional access"),
    )
    .at("policy")
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    fn doc(statement: serde_json::Value) -> String {
        json!({"Version": "2012-10-17", "Statement": [statement]}).to_string()
    }

    #[test]
    fn inline_separate_and_document_policies() {
        let public = doc(json!({"Effect": "Allow", "Principal": "*", "Action": "sqs:*", "Resource": "*"}));
        let conditioned = doc(json!({
            "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sqs:SendMessage", "Resource": "*",
            "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:t"}}
        }));
        let g = graph(
            vec![
                res("aws_sqs_queue.inline_public", json!({"policy": public})),
                res("aws_sqs_queue.inline_conditioned", json!({"policy": conditioned})),
                res("aws_sqs_queue.separate", json!({})),
                res("aws_sqs_queue.document", json!({})),
                res("aws_sqs_queue.none", json!({})),
                res("aws_sqs_queue.var", json!({"policy": unknown()})),
                res(
                    "aws_sqs_queue_policy.separate",
                    json!({"queue_url": unknown(), "policy": unknown()}),
                ),
                res(
                    "aws_sqs_queue_policy.document",
                    json!({"queue_url": unknown(), "policy": unknown()}),
                ),
                res(
                    "data.aws_iam_policy_document.open",
                    json!({"statement": [{"actions": ["sqs:SendMessage"], "principals": [{"type": "*", "identifiers": ["*"]}]}]}),
                ),
                res(
                    "data.aws_iam_policy_document.account",
                    json!({"statement": [{"actions": ["sqs:*"], "principals": [{"type": "AWS", "identifiers": ["arn:aws:iam::123456789012:root"]}]}]}),
                ),
            ],
            &[
                edge(
                    "aws_sqs_queue_policy.separate",
                    "queue_url",
                    "aws_sqs_queue.separate",
                ),
                edge(
                    "aws_sqs_queue_policy.separate",
                    "policy",
                    "data.aws_iam_policy_document.open",
                ),
                edge(
                    "aws_sqs_queue_policy.document",
                    "queue_url",
                    "aws_sqs_queue.document",
                ),
                edge(
                    "aws_sqs_queue_policy.document",
                    "policy",
                    "data.aws_iam_policy_document.account",
                ),
            ],
        );
        let evals = SqsNoPublicAccess.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_sqs_queue.inline_public".into(), Verdict::Fail),
                ("aws_sqs_queue.inline_conditioned".into(), Verdict::Pass),
                ("aws_sqs_queue.separate".into(), Verdict::Fail),
                ("aws_sqs_queue.document".into(), Verdict::Pass),
                ("aws_sqs_queue.none".into(), Verdict::Pass),
                ("aws_sqs_queue.var".into(), Verdict::Unknown),
            ]
        );
        assert!(
            evals[2].message.contains("aws_sqs_queue_policy.separate"),
            "{}",
            evals[2].message
        );
    }
}

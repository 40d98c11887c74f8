//! `aws-lambda-function-not-public`: Lambda functions cannot be invoked by everyone.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Value};

use super::permissions::{attached, FUNCTION, FUNCTION_URL, PERMISSION};
use crate::aws::links::{ids, managed};
use crate::aws::wording::not_known;

pub struct LambdaFunctionNotPublic;

static META: RuleMeta = RuleMeta {
    id: "aws-lambda-function-not-public",
    title: "Lambda functions cannot be invoked by everyone",
    severity: Severity::High,
    kind: RuleKind::Graph,
    resource_types: &[FUNCTION],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00276",
        },
        Alias {
            tool: "prowler",
            id: "awslambda_function_not_publicly_accessible",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_lambda_function` fails when the scanned configuration grants everyone access to it:

- an `aws_lambda_permission` whose `function_name` refers to the function has
  `principal = "*"`, or
- an `aws_lambda_function_url` of the function has `authorization_type = "NONE"` (anyone who
  knows the URL can invoke it).

It passes otherwise (the message counts the permissions found). A principal or authorization
type only known after apply, or a permission whose function is only known after apply and
references no function, gives `unknown`.

## Why it matters

A function anyone can invoke runs attacker-chosen input with the function's role: it can leak
data, run up cost, or be used to reach resources behind it. Invocation should be limited to
the services and accounts that need it (SOC 2 CC6.1, CC6.6).

## How to fix

Terraform — grant a specific principal, scoped to its source:

```hcl
resource "aws_lambda_permission" "from_bucket" {
  statement_id   = "AllowS3Invoke"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.thumbnail.function_name
  principal      = "s3.amazonaws.com"
  source_arn     = aws_s3_bucket.uploads.arn
  source_account = data.aws_caller_identity.current.account_id
}
```

Use `authorization_type = "AWS_IAM"` for function URLs.

CloudFormation:

```yaml
FromBucketPermission:
  Type: AWS::Lambda::Permission
  Properties:
    Action: lambda:InvokeFunction
    FunctionName: !Ref ThumbnailFunction
    Principal: s3.amazonaws.com
    SourceArn: !GetAtt UploadsBucket.Arn
    SourceAccount: !Ref AWS::AccountId
```

Console: Lambda → the function → *Configuration* → *Permissions* → *Resource-based policy
statements* → delete statements with principal `*`. CLI:

```sh
aws lambda get-policy --function-name thumbnail
aws lambda remove-permission --function-name thumbnail --statement-id <sid>
```
"#;

impl Rule for LambdaFunctionNotPublic {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn looks_through(&self) -> &'static [&'static str] {
        &[PERMISSION, FUNCTION_URL]
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, &[FUNCTION])
            .into_iter()
            .map(|i| judge(graph, i))
            .collect()
    }
}

fn judge(graph: &ResourceGraph, i: usize) -> Evaluation {
    let (permissions, unsure_permissions) = attached(graph, i, PERMISSION);
    let (urls, unsure_urls) = attached(graph, i, FUNCTION_URL);
    let mut public = Vec::new();
    let mut unknown = Vec::new();
    for &p in &permissions {
        match graph.get(p).attr("principal") {
            Value::String(s) if s.trim() == "*" => {
                public.push(format!("{} grants principal `*`", graph.get(p).id))
            }
            Value::String(_) => {}
            _ => unknown.push(format!("the principal of {}", graph.get(p).id)),
        }
    }
    for &u in &urls {
        match graph.get(u).attr("authorization_type") {
            Value::String(s) if s.eq_ignore_ascii_case("NONE") => {
                public.push(format!("{} has authorization_type NONE", graph.get(u).id))
            }
            Value::String(_) => {}
            _ => unknown.push(format!("the authorization type of {}", graph.get(u).id)),
        }
    }
    if !public.is_empty() {
        return Evaluation::fail(
            i,
            format!("anyone can invoke the function: {}", public.join("; ")),
        );
    }
    for &p in unsure_permissions.iter().chain(&unsure_urls) {
        unknown.push(format!("which function {} applies to", graph.get(p).id));
    }
    if !unknown.is_empty() {
        return Evaluation::unknown(
            i,
            format!("{} is {}", unknown.join(", "), not_known(graph.get(i))),
        );
    }
    if permissions.is_empty() && urls.is_empty() {
        return Evaluation::pass(
            i,
            "no permission or function URL in the scanned configuration opens the function",
        );
    }
    let all: Vec<usize> = permissions.iter().chain(&urls).copied().collect();
    Evaluation::pass(i, format!("no grant to everyone among {}", ids(graph, &all)))
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn permissions_and_urls() {
        let g = graph(
            vec![
                res("aws_lambda_function.scoped", json!({"function_name": "scoped"})),
                res("aws_lambda_function.public", json!({"function_name": "public"})),
                res(
                    "aws_lambda_function.open_url",
                    json!({"function_name": "open_url"}),
                ),
                res("aws_lambda_function.var", json!({"function_name": "var"})),
                res("aws_lambda_function.alone", json!({"function_name": "alone"})),
                res(
                    "aws_lambda_permission.s3",
                    json!({"function_name": unknown(), "principal": "s3.amazonaws.com"}),
                ),
                res(
                    "aws_lambda_permission.star",
                    json!({"function_name": "public", "principal": "*"}),
                ),
                res(
                    "aws_lambda_permission.by_arn",
                    json!({"function_name": "arn:aws:lambda:us-east-1:123456789012:function:open_url", "principal": "events.amazonaws.com"}),
                ),
                res(
                    "aws_lambda_function_url.open",
                    json!({"function_name": unknown(), "authorization_type": "NONE"}),
                ),
                res(
                    "aws_lambda_permission.v",
                    json!({"function_name": "var", "principal": unknown()}),
                ),
            ],
            &[
                edge(
                    "aws_lambda_permission.s3",
                    "function_name",
                    "aws_lambda_function.scoped",
                ),
                edge(
                    "aws_lambda_function_url.open",
                    "function_name",
                    "aws_lambda_function.open_url",
                ),
            ],
        );
        let evals = LambdaFunctionNotPublic.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_lambda_function.scoped".into(), Verdict::Pass),
                ("aws_lambda_function.public".into(), Verdict::Fail),
                ("aws_lambda_function.open_url".into(), Verdict::Fail),
                ("aws_lambda_function.var".into(), Verdict::Unknown),
                ("aws_lambda_function.alone".into(), Verdict::Pass),
            ]
        );
        assert!(
            evals[2].message.contains("aws_lambda_function_url.open"),
            "{}",
            evals[2].message
        );
    }
}

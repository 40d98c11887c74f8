//! `aws-lambda-permission-source-conditions`: service-principal Lambda permissions name their
//! source resource and account.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Value};

use super::permissions::{attached, FUNCTION, PERMISSION};
use crate::aws::links::managed;
use crate::aws::wording::not_known;

pub struct LambdaPermissionSourceConditions;

/// Services whose resource ARNs carry no account id, so `source_arn` alone does not pin the
/// account.
const NEEDS_ACCOUNT: &[&str] = &["s3.amazonaws.com", "ses.amazonaws.com"];

static META: RuleMeta = RuleMeta {
    id: "aws-lambda-permission-source-conditions",
    title: "Lambda permissions for AWS services are limited to one source resource and account",
    severity: Severity::Medium,
    kind: RuleKind::Graph,
    resource_types: &[FUNCTION],
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00499",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_lambda_function` is judged on the `aws_lambda_permission` resources whose
`function_name` refers to it. A permission whose `principal` is an AWS service
(`*.amazonaws.com`) must set `source_arn`; when the service is S3 or SES, whose ARNs contain no
account id, it must also set `source_account`. The function fails when a permission lacks them
(the message names each), and passes otherwise — also when no permission applies. Permissions
for account or IAM principals are not judged here. A principal only known after apply gives
`unknown`.

## Why it matters

A permission that lets `sns.amazonaws.com` invoke a function without a source ARN lets *any*
SNS topic — in any AWS account — trigger it: the confused-deputy problem. An S3 bucket ARN does
not include an account, so a bucket with the same name in another account could invoke the
function unless the account is pinned too. Scoping grants to the resources that need them is
least privilege (SOC 2 CC6.1, CC6.3).

## How to fix

Terraform:

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

Console: permissions cannot be edited in place; remove the statement (Lambda → the function →
*Configuration* → *Permissions* → *Resource-based policy statements* → *Delete*) and add it
again with *Source ARN* and *Source account*. CLI:

```sh
aws lambda remove-permission --function-name thumbnail --statement-id AllowS3Invoke
aws lambda add-permission --function-name thumbnail --statement-id AllowS3Invoke \
  --action lambda:InvokeFunction --principal s3.amazonaws.com \
  --source-arn arn:aws:s3:::uploads --source-account 123456789012
```
"#;

impl Rule for LambdaPermissionSourceConditions {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn looks_through(&self) -> &'static [&'static str] {
        &[PERMISSION]
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, &[FUNCTION])
            .into_iter()
            .map(|i| judge(graph, i))
            .collect()
    }
}

fn is_set(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        _ => true,
    }
}

fn judge(graph: &ResourceGraph, i: usize) -> Evaluation {
    let (permissions, unsure) = attached(graph, i, PERMISSION);
    let mut missing = Vec::new();
    let mut unknown = Vec::new();
    let mut scoped = 0;
    for &p in &permissions {
        let perm = graph.get(p);
        let principal = match perm.attr("principal") {
            Value::String(s) => s.trim().to_ascii_lowercase(),
            _ => {
                unknown.push(format!("the principal of {}", perm.id));
                continue;
            }
        };
        if !principal.ends_with(".amazonaws.com") {
            continue;
        }
        let mut lacks = Vec::new();
        if !is_set(perm.attr("source_arn")) {
            lacks.push("source_arn");
        }
        if NEEDS_ACCOUNT.contains(&principal.as_str()) && !is_set(perm.attr("source_account")) {
            lacks.push("source_account");
        }
        if lacks.is_empty() {
            scoped += 1;
        } else {
            missing.push(format!("{} ({principal}) has no {}", perm.id, lacks.join(" or ")));
        }
    }
    if !missing.is_empty() {
        return Evaluation::fail(
            i,
            format!("service permissions are not scoped: {}", missing.join("; ")),
        );
    }
    for &p in &unsure {
        unknown.push(format!("which function {} applies to", graph.get(p).id));
    }
    if !unknown.is_empty() {
        return Evaluation::unknown(
            i,
            format!("{} is {}", unknown.join(", "), not_known(graph.get(i))),
        );
    }
    Evaluation::pass(
        i,
        format!("{scoped} service permission(s), each limited to its source"),
    )
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn service_permissions_need_source_conditions() {
        let g = graph(
            vec![
                res("aws_lambda_function.ok", json!({"function_name": "ok"})),
                res("aws_lambda_function.no_arn", json!({"function_name": "no_arn"})),
                res(
                    "aws_lambda_function.s3_no_account",
                    json!({"function_name": "s3_no_account"}),
                ),
                res("aws_lambda_function.var", json!({"function_name": "var"})),
                res("aws_lambda_function.alone", json!({"function_name": "alone"})),
                res(
                    "aws_lambda_permission.s3",
                    json!({"function_name": "ok", "principal": "s3.amazonaws.com", "source_arn": unknown(), "source_account": "123456789012"}),
                ),
                res(
                    "aws_lambda_permission.account",
                    json!({"function_name": "ok", "principal": "123456789012"}),
                ),
                res(
                    "aws_lambda_permission.sns",
                    json!({"function_name": unknown(), "principal": "sns.amazonaws.com"}),
                ),
                res(
                    "aws_lambda_permission.s3_only_arn",
                    json!({"function_name": "s3_no_account", "principal": "s3.amazonaws.com", "source_arn": "arn:aws:s3:::b"}),
                ),
                res(
                    "aws_lambda_permission.v",
                    json!({"function_name": "var", "principal": unknown()}),
                ),
            ],
            &[edge(
                "aws_lambda_permission.sns",
                "function_name",
                "aws_lambda_function.no_arn",
            )],
        );
        let evals = LambdaPermissionSourceConditions.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_lambda_function.ok".into(), Verdict::Pass),
                ("aws_lambda_function.no_arn".into(), Verdict::Fail),
                ("aws_lambda_function.s3_no_account".into(), Verdict::Fail),
                ("aws_lambda_function.var".into(), Verdict::Unknown),
                ("aws_lambda_function.alone".into(), Verdict::Pass),
            ]
        );
        assert!(
            evals[2].message.contains("source_account"),
            "{}",
            evals[2].message
        );
    }
}

//! `aws-s3-https-only`: S3 bucket policies deny requests that do not use TLS.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};
use attest_core::{Tri, Value};

use crate::aws::iam::policy_document::Statement;
use crate::aws::links::managed;
use crate::aws::s3::common::{bucket_policy, denies_everyone, find, BUCKET};

pub struct S3HttpsOnly;

static META: RuleMeta = RuleMeta {
    id: "aws-s3-https-only",
    title: "S3 bucket policies deny requests that do not use TLS",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &["aws_s3_bucket"],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00100",
        },
        Alias {
            tool: "prowler",
            id: "s3_bucket_secure_transport_policy",
        },
        Alias {
            tool: "cis-aws",
            id: "2.1.1",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_s3_bucket` passes when its bucket policy (inline `policy`, or a joined
`aws_s3_bucket_policy`, written as JSON, `jsonencode(…)` or an `aws_iam_policy_document`) has a
statement that:

- has `Effect` `Deny` and a `Principal` of everyone (`"*"` or `{"AWS": "*"}`),
- covers every S3 action (`s3:*` or `*`), and
- has the condition `Bool` (or `BoolIfExists`) `aws:SecureTransport` = `false`.

The `Resource` of the statement is not checked (it is usually built from the bucket ARN, which is
only known after apply); make it name both the bucket and `/*`. A bucket without a policy, or whose
policy has no such statement, fails. A policy that cannot be read gives `unknown`.

## Why it matters

Without the deny, clients may talk to S3 over plain HTTP, and data and credentials in flight can be
read or altered on the network. CIS AWS Foundations 2.1.1 asks every bucket policy to refuse
non-TLS requests; SOC 2 CC6.7 expects data in transmission to be protected.

## How to fix

Terraform:

```hcl
data "aws_iam_policy_document" "tls_only" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = data.aws_iam_policy_document.tls_only.json
}
```

CloudFormation:

```yaml
DataBucketPolicy:
  Type: AWS::S3::BucketPolicy
  Properties:
    Bucket: !Ref DataBucket
    PolicyDocument:
      Statement:
        - Sid: DenyInsecureTransport
          Effect: Deny
          Principal: "*"
          Action: "s3:*"
          Resource:
            - !GetAtt DataBucket.Arn
            - !Sub "${DataBucket.Arn}/*"
          Condition:
            Bool:
              aws:SecureTransport: "false"
```

Console: S3 → the bucket → *Permissions* → *Bucket policy* → *Edit* → add the deny statement above.
CLI: `aws s3api put-bucket-policy --bucket my-bucket --policy file://policy.json`.
"#;

impl Rule for S3HttpsOnly {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, &[BUCKET])
            .into_iter()
            .map(|i| judge(graph, i))
            .collect()
    }
}

fn judge(graph: &ResourceGraph, i: usize) -> Evaluation {
    let policy = match bucket_policy(graph, i) {
        Ok(Some(policy)) => policy,
        Ok(None) => {
            return Evaluation::fail(
                i,
                "the bucket has no policy, so nothing denies requests without TLS",
            )
            .at("policy")
        }
        Err(why) => return Evaluation::unknown(i, why).at("policy"),
    };
    match find(&policy, denies_plain_http) {
        Ok(Some(st)) => Evaluation::pass(
            i,
            format!(
                "{} in {} denies every request with aws:SecureTransport = false",
                st.label, policy.origin
            ),
        ),
        Ok(None) => Evaluation::fail(
            i,
            format!(
                "no statement in {} denies all S3 actions to everyone when aws:SecureTransport is false",
                policy.origin
            ),
        ),
        Err(unknown) => Evaluation::unknown(
            i,
            format!(
                "cannot tell whether {} in {} denies requests without TLS",
                unknown.join(", "),
                policy.origin
            ),
        ),
    }
    .at("policy")
}

/// Whether a statement denies every S3 action to everyone when the request does not use TLS.
fn denies_plain_http(st: &Statement) -> Tri {
    let all_actions = match &st.actions {
        Value::Unknown(_) => Tri::Unknown,
        v => Tri::from(
            st.not_actions.is_null()
                && v.string_list().is_some_and(|a| {
                    a.iter()
                        .any(|p| p.trim() == "*" || p.trim().eq_ignore_ascii_case("s3:*"))
                }),
        ),
    };
    denies_everyone(st)
        .and(all_actions)
        .and(insecure_transport_condition(&st.conditions))
}

fn insecure_transport_condition(conditions: &Value) -> Tri {
    let Some(map) = conditions.as_object() else {
        return if conditions.is_unknown() {
            Tri::Unknown
        } else {
            Tri::False
        };
    };
    let mut out = Tri::False;
    for (test, vars) in map {
        if !(test.eq_ignore_ascii_case("Bool") || test.eq_ignore_ascii_case("BoolIfExists")) {
            continue;
        }
        let Some(vars) = vars.as_object() else {
            out = out.or(if vars.is_unknown() {
                Tri::Unknown
            } else {
                Tri::False
            });
            continue;
        };
        for (name, values) in vars {
            if !name.eq_ignore_ascii_case("aws:SecureTransport") {
                continue;
            }
            let items: Vec<&Value> = match values {
                Value::List(items) => items.iter().collect(),
                other => vec![other],
            };
            for v in items {
                out = out.or(match v {
                    Value::Unknown(_) => Tri::Unknown,
                    Value::Bool(b) => Tri::from(!b),
                    Value::String(s) => Tri::from(s.eq_ignore_ascii_case("false")),
                    _ => Tri::False,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    #[allow(unused_imports)]
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    fn bucket(id: &str, policy: serde_json::Value) -> attest_core::Resource {
        res(id, json!({"policy": policy.to_string()}))
    }

    #[test]
    fn deny_statements() {
        let deny = |cond: serde_json::Value| {
            json!({"Statement": [{"Effect": "Deny", "Principal": "*",
            "Action": "s3:*", "Resource": "*", "Condition": cond}]})
        };
        let g = graph(
            vec![
                bucket(
                    "aws_s3_bucket.tls",
                    deny(json!({"Bool": {"aws:SecureTransport": "false"}})),
                ),
                bucket(
                    "aws_s3_bucket.list",
                    deny(json!({"Bool": {"aws:SecureTransport": ["false"]}})),
                ),
                bucket(
                    "aws_s3_bucket.other",
                    deny(json!({"StringNotEquals": {"aws:SourceVpce": "vpce-1"}})),
                ),
                bucket(
                    "aws_s3_bucket.get_only",
                    json!({"Statement": [{"Effect": "Deny", "Principal": {"AWS": "*"},
                    "Action": "s3:GetObject", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}),
                ),
                res("aws_s3_bucket.none", json!({})),
                res("aws_s3_bucket.var", json!({"policy": unknown()})),
            ],
            &[],
        );
        let evals = S3HttpsOnly.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_s3_bucket.tls".into(), Verdict::Pass),
                ("aws_s3_bucket.list".into(), Verdict::Pass),
                ("aws_s3_bucket.other".into(), Verdict::Fail),
                ("aws_s3_bucket.get_only".into(), Verdict::Fail),
                ("aws_s3_bucket.none".into(), Verdict::Fail),
                ("aws_s3_bucket.var".into(), Verdict::Unknown),
            ]
        );
    }

    #[test]
    fn policy_document_data_source() {
        let g = graph(
            vec![
                res("aws_s3_bucket.b", json!({"policy": unknown()})),
                res(
                    "data.aws_iam_policy_document.tls",
                    json!({"statement": [{"effect": "Deny", "actions": ["s3:*"],
                    "principals": [{"type": "*", "identifiers": ["*"]}],
                    "condition": [{"test": "Bool", "variable": "aws:SecureTransport", "values": ["false"]}]}]}),
                ),
            ],
            &[edge(
                "aws_s3_bucket.b",
                "policy",
                "data.aws_iam_policy_document.tls",
            )],
        );
        let evals = S3HttpsOnly.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![("aws_s3_bucket.b".into(), Verdict::Pass)]
        );
    }
}

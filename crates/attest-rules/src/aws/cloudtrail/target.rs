//! `aws-cloudtrail-bucket-not-public`: the bucket a trail delivers to is not publicly accessible.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri, Value};

use crate::aws::cloudtrail::trail::{trail_bucket, trails, TrailBucket, BUCKET, TRAIL};
use crate::aws::s3::common::account_flag;
use crate::aws::wording::not_known;

pub struct CloudTrailBucketNotPublic;

const DOCUMENT: &str = "aws_iam_policy_document";

static META: RuleMeta = RuleMeta {
    id: "aws-cloudtrail-bucket-not-public",
    title: "The S3 bucket of each CloudTrail trail is not publicly accessible",
    severity: Severity::Critical,
    kind: RuleKind::Graph,
    resource_types: &[TRAIL, BUCKET],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00028",
        },
        Alias {
            tool: "prowler",
            id: "cloudtrail_logs_s3_bucket_is_not_publicly_accessible",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

For every `aws_cloudtrail`, attest finds the `aws_s3_bucket` named by `s3_bucket_name` and fails
the trail when that bucket is open to the public through either:

- its ACL: a canned `acl` of `public-read`, `public-read-write` or `authenticated-read`, or a
  `grant` to the `AllUsers` or `AuthenticatedUsers` group — unless the bucket's (or the
  account's) public access block sets `ignore_public_acls` or `block_public_acls`;
- its bucket policy: an `Allow` statement whose principal is `*` (or `{"AWS": "*"}`) with no
  condition — unless the public access block sets `restrict_public_buckets` or
  `block_public_policy`.

ACLs, grants and policies from the split `aws_s3_bucket_acl` / `aws_s3_bucket_policy` resources
and `aws_iam_policy_document` data sources are read too. The trail passes when neither path is
open. When the bucket is not declared in the scanned configuration, or a deciding value is only
known after apply, the result is `unknown`. In a live scan, the account's public access block is
the one read in the bucket's own account; when it could not be read and the bucket would otherwise
be public, the result is `unknown`.

## Why it matters

The trail bucket holds the record of every API call in the account: who did what, from where,
with which credentials. Public read access hands an attacker a map of the account; public write
access lets them pollute or erase the evidence. SOC 2 CC6.1 asks that access to information be
restricted, and CC7.2 relies on the integrity of monitoring records.

## How to fix

Terraform:

```hcl
resource "aws_s3_bucket_public_access_block" "trail" {
  bucket                  = aws_s3_bucket.trail.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
```

CloudFormation:

```yaml
TrailBucket:
  Type: AWS::S3::Bucket
  Properties:
    PublicAccessBlockConfiguration:
      BlockPublicAcls: true
      BlockPublicPolicy: true
      IgnorePublicAcls: true
      RestrictPublicBuckets: true
```

Remove public grants and any policy statement allowing `"Principal": "*"` without a condition.
Console: S3 → the trail bucket → *Permissions* → *Block public access* → *Edit* → block all. CLI:

```sh
aws s3api put-public-access-block --bucket my-trail-bucket --public-access-block-configuration \
  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
aws s3api put-bucket-acl --bucket my-trail-bucket --acl private
```
"#;

impl Rule for CloudTrailBucketNotPublic {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        trails(graph).into_iter().map(|t| judge(graph, t)).collect()
    }
}

fn judge(graph: &ResourceGraph, t: usize) -> Evaluation {
    let b = match trail_bucket(graph, t) {
        TrailBucket::Bucket(b) => b,
        TrailBucket::Unjudged(why) => {
            return Evaluation::unknown(
                t,
                format!("cannot tell whether the trail bucket is public: {why}"),
            )
            .at("s3_bucket_name")
        }
    };
    let id = &graph.get(b).id;
    let block = |flag: &str| public_access_flag(graph, b, flag);
    let acls_off = block("ignore_public_acls").or(block("block_public_acls"));
    let policy_off = block("restrict_public_buckets").or(block("block_public_policy"));
    let (acl, acl_why) = acl_public(&graph.get(b).attributes);
    let (policy, policy_why) = policy_public(graph, b);
    let by_acl = acl.and(acls_off.not());
    let by_policy = policy.and(policy_off.not());
    match by_acl.or(by_policy) {
        Tri::False => Evaluation::pass(
            t,
            format!("bucket {id} grants no public access through its ACL or bucket policy"),
        ),
        Tri::True => {
            let why = if by_acl == Tri::True { acl_why } else { policy_why };
            Evaluation::fail(t, format!("bucket {id} is public: {why}")).at("s3_bucket_name")
        }
        Tri::Unknown => {
            let what = if by_acl == Tri::Unknown {
                "its ACL or public access block"
            } else {
                "its bucket policy or public access block"
            };
            Evaluation::unknown(
                t,
                format!(
                    "cannot tell whether bucket {id} is public: {what} is {}",
                    not_known(graph.get(b))
                ),
            )
        }
    }
}

/// A public access block setting of the bucket, or of the account.
fn public_access_flag(graph: &ResourceGraph, b: usize, flag: &str) -> Tri {
    let own = match graph.get(b).attr("public_access_block").blocks() {
        None => Tri::Unknown,
        Some(blocks) => Tri::any(blocks.iter().map(|p| p.get(flag).truthy(false))),
    };
    own.or(account_flag(graph, b, flag))
}

const PUBLIC_ACLS: &[&str] = &["public-read", "public-read-write", "authenticated-read"];

fn acl_public(bucket: &Value) -> (Tri, String) {
    let canned = match bucket.get("acl") {
        Value::String(a) if PUBLIC_ACLS.contains(&a.as_str()) => {
            return (Tri::True, format!("its ACL is {a:?}"))
        }
        Value::Unknown(_) => Tri::Unknown,
        _ => Tri::False,
    };
    let grants = match bucket.get("grant").blocks() {
        None => Tri::Unknown,
        Some(list) => Tri::any(list.iter().map(|g| match g.get("uri") {
            Value::String(u) => Tri::from(u.ends_with("/AllUsers") || u.ends_with("/AuthenticatedUsers")),
            Value::Unknown(_) => Tri::Unknown,
            _ => Tri::False,
        })),
    };
    (
        canned.or(grants),
        "its ACL grants access to all (authenticated) AWS users".to_string(),
    )
}

fn policy_public(graph: &ResourceGraph, b: usize) -> (Tri, String) {
    let why = "its bucket policy allows any principal (\"*\") without a condition".to_string();
    let policy = graph.get(b).attr("policy");
    let verdict = match policy {
        Value::Null => Tri::False,
        Value::String(s) if s.trim().is_empty() => Tri::False,
        Value::String(_) => match policy.parse_json_string() {
            Some(Ok(doc)) => json_public(&doc),
            _ => Tri::Unknown,
        },
        Value::Object(_) => json_public(policy),
        _ => {
            let docs: Vec<usize> = graph
                .referenced_by_attr(b, "policy")
                .into_iter()
                .filter(|&d| graph.get(d).resource_type == DOCUMENT)
                .collect();
            match docs.as_slice() {
                [d] => document_public(&graph.get(*d).attributes),
                _ => Tri::Unknown,
            }
        }
    };
    (verdict, why)
}

fn json_public(doc: &Value) -> Tri {
    let statements = match doc.get("Statement") {
        Value::Object(_) => vec![doc.get("Statement")],
        Value::List(items) => items.iter().collect(),
        Value::Unknown(_) => return Tri::Unknown,
        _ => Vec::new(),
    };
    Tri::any(statements.into_iter().map(|s| {
        let allow = match s.get("Effect") {
            Value::String(e) => Tri::from(e == "Allow"),
            Value::Unknown(_) => Tri::Unknown,
            _ => Tri::False,
        };
        let principal = match s.get("Principal") {
            Value::String(p) => Tri::from(p == "*"),
            Value::Object(_) => match s.get("Principal").get("AWS").string_list() {
                Some(list) => Tri::from(list.contains(&"*")),
                None => Tri::Unknown,
            },
            Value::Unknown(_) => Tri::Unknown,
            _ => Tri::False,
        };
        let unconditional = match s.get("Condition") {
            Value::Null => Tri::True,
            Value::Object(m) => Tri::from(m.is_empty()),
            Value::Unknown(_) => Tri::Unknown,
            _ => Tri::False,
        };
        allow.and(principal).and(unconditional)
    }))
}

/// An `aws_iam_policy_document` data source: its rendered `json` when known, else its blocks.
fn document_public(doc: &Value) -> Tri {
    if let Some(Ok(json)) = doc.get("json").parse_json_string() {
        return json_public(&json);
    }
    if !doc.get("source_policy_documents").is_null() || !doc.get("override_policy_documents").is_null() {
        return Tri::Unknown;
    }
    let Some(statements) = doc.get("statement").blocks() else {
        return Tri::Unknown;
    };
    Tri::any(statements.into_iter().map(|s| {
        let allow = match s.get("effect") {
            Value::Null => Tri::True,
            Value::String(e) => Tri::from(e == "Allow"),
            _ => Tri::Unknown,
        };
        let principal = match s.get("principals").blocks() {
            None => Tri::Unknown,
            Some(ps) => Tri::any(ps.into_iter().map(|p| {
                let ty = p.get("type");
                let anyone = match p.get("identifiers").string_list() {
                    Some(l) => Tri::from(l.contains(&"*")),
                    None => Tri::Unknown,
                };
                match ty {
                    Value::String(t) if t == "*" || t == "AWS" => anyone,
                    Value::String(_) => Tri::False,
                    _ => Tri::Unknown,
                }
            })),
        };
        let unconditional = match s.get("condition").blocks() {
            None => Tri::Unknown,
            Some(c) => Tri::from(c.is_empty()),
        };
        allow.and(principal).and(unconditional)
    }))
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    const PUBLIC_POLICY: &str =
        r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}"#;
    const SERVICE_POLICY: &str = r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"*"}]}"#;

    fn trail_on(bucket: serde_json::Value) -> Verdict {
        let g = graph(
            vec![
                res("aws_cloudtrail.t", json!({"s3_bucket_name": "b"})),
                res("aws_s3_bucket.b", bucket),
            ],
            &[],
        );
        CloudTrailBucketNotPublic.check(&g)[0].verdict
    }

    #[test]
    fn acl_and_policy_paths() {
        assert_eq!(trail_on(json!({"bucket": "b"})), Verdict::Pass);
        assert_eq!(
            trail_on(json!({"bucket": "b", "acl": "private", "policy": SERVICE_POLICY})),
            Verdict::Pass
        );
        assert_eq!(
            trail_on(json!({"bucket": "b", "acl": "public-read"})),
            Verdict::Fail
        );
        assert_eq!(
            trail_on(
                json!({"bucket": "b", "grant": [{"type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AllUsers"}]})
            ),
            Verdict::Fail
        );
        assert_eq!(
            trail_on(json!({"bucket": "b", "policy": PUBLIC_POLICY})),
            Verdict::Fail
        );
        assert_eq!(
            trail_on(json!({"bucket": "b", "policy": PUBLIC_POLICY,
                "public_access_block": [{"restrict_public_buckets": true, "ignore_public_acls": false}]})),
            Verdict::Pass
        );
        assert_eq!(
            trail_on(
                json!({"bucket": "b", "acl": "public-read", "public_access_block": [{"ignore_public_acls": true}]})
            ),
            Verdict::Pass
        );
        assert_eq!(
            trail_on(json!({"bucket": "b", "policy": unknown()})),
            Verdict::Unknown
        );
        assert_eq!(
            trail_on(json!({"bucket": "b", "acl": unknown()})),
            Verdict::Unknown
        );
    }

    #[test]
    fn policy_documents_account_block_and_unjudged_buckets() {
        let g = graph(
            vec![
                res("aws_cloudtrail.t", json!({"s3_bucket_name": unknown()})),
                res("aws_cloudtrail.outside", json!({"s3_bucket_name": "not-here"})),
                res("aws_s3_bucket.b", json!({"bucket": "b", "policy": unknown()})),
                res(
                    "data.aws_iam_policy_document.p",
                    json!({"statement": [{"principals": [{"type": "*", "identifiers": ["*"]}], "actions": ["s3:GetObject"]}]}),
                ),
            ],
            &[
                edge("aws_cloudtrail.t", "s3_bucket_name", "aws_s3_bucket.b"),
                edge("aws_s3_bucket.b", "policy", "data.aws_iam_policy_document.p"),
            ],
        );
        assert_eq!(
            verdicts(&g, &CloudTrailBucketNotPublic.check(&g)),
            vec![
                ("aws_cloudtrail.t".into(), Verdict::Fail),
                ("aws_cloudtrail.outside".into(), Verdict::Unknown),
            ]
        );
        let g = graph(
            vec![
                res("aws_cloudtrail.t", json!({"s3_bucket_name": "b"})),
                res(
                    "aws_s3_bucket.b",
                    json!({"bucket": "b", "acl": "public-read-write"}),
                ),
                res(
                    "aws_s3_account_public_access_block.a",
                    json!({"block_public_acls": true}),
                ),
            ],
            &[],
        );
        assert_eq!(CloudTrailBucketNotPublic.check(&g)[0].verdict, Verdict::Pass);
    }
}

//! `aws-s3-not-public`: S3 buckets are not public.

use attest_core::Tri;
use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::links::managed;
use crate::aws::s3::common::{bucket_policy, find, flag_applies, public_acl, public_allow, BUCKET};

pub struct S3NotPublic;

static META: RuleMeta = RuleMeta {
    id: "aws-s3-not-public",
    title: "S3 buckets are not public",
    severity: Severity::Critical,
    kind: RuleKind::Resource,
    resource_types: &["aws_s3_bucket"],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00277",
        },
        Alias {
            tool: "prowler",
            id: "s3_bucket_public_access",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_s3_bucket` fails when it is public in effect:

- its ACL is `public-read`, `public-read-write` or `authenticated-read`, or grants to the `AllUsers`
  or `AuthenticatedUsers` group, **and** neither `ignore_public_acls` nor `block_public_acls` is on
  for it (in its own public access block or an `aws_s3_account_public_access_block`); or
- its bucket policy has an `Allow` statement for everyone (`"*"` or `{"AWS": "*"}`) with no
  `Condition`, **and** neither `restrict_public_buckets` nor `block_public_policy` is on for it.

It passes otherwise, with a message saying what neutralizes a public setting when there is one.
Conditions are taken as restricting (a statement for everyone limited to a VPC endpoint or an
organization is not public). Anything the verdict hinges on that is only known after apply gives
`unknown`.

In a live scan, the account-level block that counts for a bucket is the one read in the bucket's
own account; when it could not be read, a bucket that would otherwise be public is `unknown`.

## Why it matters

A public bucket exposes its objects to anyone on the internet; it is the most common cause of cloud
data leaks. SOC 2 CC6.1 and C1.1 expect confidential information to be reachable only by authorized
users.

## How to fix

Terraform:

```hcl
resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
```

CloudFormation:

```yaml
DataBucket:
  Type: AWS::S3::Bucket
  Properties:
    PublicAccessBlockConfiguration:
      BlockPublicAcls: true
      BlockPublicPolicy: true
      IgnorePublicAcls: true
      RestrictPublicBuckets: true
```

Remove public ACLs and `Principal: "*"` allow statements, then turn on Block Public Access.
Console: S3 → the bucket → *Permissions* → *Block public access* → *Edit*. CLI:
`aws s3api put-public-access-block --bucket my-bucket --public-access-block-configuration
BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`.
"#;

impl Rule for S3NotPublic {
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
    let acl_blocked =
        flag_applies(graph, i, "ignore_public_acls").or(flag_applies(graph, i, "block_public_acls"));
    let policy_blocked =
        flag_applies(graph, i, "restrict_public_buckets").or(flag_applies(graph, i, "block_public_policy"));
    let mut notes = Vec::new();
    let mut unknown = Vec::new();
    match public_acl(graph, i) {
        Ok(Some(why)) => match acl_blocked {
            Tri::False => {
                return Evaluation::fail(i, format!("{why}, and no public access block ignores it")).at("acl")
            }
            Tri::Unknown => unknown.push(format!(
                "{why}, and whether Block Public Access ignores it is not known"
            )),
            Tri::True => notes.push(format!("{why}, but Block Public Access ignores public ACLs")),
        },
        Ok(None) => {}
        Err(why) => unknown.push(why),
    }
    match bucket_policy(graph, i) {
        Ok(None) => {}
        Err(why) => unknown.push(why),
        Ok(Some(policy)) => match find(&policy, public_allow) {
            Ok(None) => {}
            Ok(Some(st)) => {
                let why = format!(
                    "{} in {} allows access to everyone without a condition",
                    st.label, policy.origin
                );
                match policy_blocked {
                    Tri::False => {
                        return Evaluation::fail(i, format!("{why}, and no public access block restricts it"))
                            .at("policy")
                    }
                    Tri::Unknown => unknown.push(format!(
                        "{why}, and whether Block Public Access restricts it is not known"
                    )),
                    Tri::True => notes.push(format!(
                        "{why}, but Block Public Access restricts public policies"
                    )),
                }
            }
            Err(labels) => unknown.push(format!(
                "cannot tell whether {} in {} is public",
                labels.join(", "),
                policy.origin
            )),
        },
    }
    if !unknown.is_empty() {
        return Evaluation::unknown(i, unknown.join("; "));
    }
    if notes.is_empty() {
        Evaluation::pass(
            i,
            "neither the ACL nor the bucket policy gives access to everyone",
        )
    } else {
        Evaluation::pass(i, notes.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    #[allow(unused_imports)]
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn acl_policy_and_blocks() {
        let public_policy =
            json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": "*"}]})
            .to_string();
        let vpce_policy =
            json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": "*", "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}}]})
            .to_string();
        let g = graph(
            vec![
                res("aws_s3_bucket.private", json!({})),
                res("aws_s3_bucket.acl", json!({"acl": "public-read"})),
                res(
                    "aws_s3_bucket.acl_ignored",
                    json!({"acl": "public-read",
                    "public_access_block": [{"ignore_public_acls": true}]}),
                ),
                res("aws_s3_bucket.policy", json!({"policy": public_policy})),
                res(
                    "aws_s3_bucket.policy_restricted",
                    json!({"policy": public_policy,
                    "public_access_block": [{"restrict_public_buckets": true}]}),
                ),
                res("aws_s3_bucket.vpce", json!({"policy": vpce_policy})),
                res(
                    "aws_s3_bucket.var",
                    json!({"acl": "public-read",
                    "public_access_block": [{"ignore_public_acls": unknown()}]}),
                ),
            ],
            &[],
        );
        let evals = S3NotPublic.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_s3_bucket.private".into(), Verdict::Pass),
                ("aws_s3_bucket.acl".into(), Verdict::Fail),
                ("aws_s3_bucket.acl_ignored".into(), Verdict::Pass),
                ("aws_s3_bucket.policy".into(), Verdict::Fail),
                ("aws_s3_bucket.policy_restricted".into(), Verdict::Pass),
                ("aws_s3_bucket.vpce".into(), Verdict::Pass),
                ("aws_s3_bucket.var".into(), Verdict::Unknown),
            ]
        );
    }

    #[test]
    fn account_block_neutralizes() {
        let g = graph(
            vec![
                res("aws_s3_bucket.acl", json!({"acl": "public-read"})),
                res(
                    "aws_s3_account_public_access_block.a",
                    json!({"ignore_public_acls": true}),
                ),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &S3NotPublic.check(&g)),
            vec![("aws_s3_bucket.acl".into(), Verdict::Pass)]
        );
    }
}

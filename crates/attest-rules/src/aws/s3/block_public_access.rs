//! `aws-s3-block-public-access`: S3 buckets block public access.

use crate::aws::links::{ids, managed};
use crate::aws::s3::common::*;
use crate::aws::wording::not_known;
use attest_core::Tri;
use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

pub struct S3BlockPublicAccess;

static META: RuleMeta = RuleMeta {
    id: "aws-s3-block-public-access",
    title: "S3 buckets block public access",
    severity: Severity::High,
    kind: RuleKind::Resource,
    resource_types: &["aws_s3_bucket"],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00229",
        },
        Alias {
            tool: "checkov",
            id: "CKV2_AWS_6",
        },
        Alias {
            tool: "prowler",
            id: "s3_bucket_level_public_access_block",
        },
        Alias {
            tool: "cis-aws",
            id: "2.1.4",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_s3_bucket` passes when all four settings of S3 Block Public Access are on for it:
`block_public_acls`, `block_public_policy`, `ignore_public_acls` and `restrict_public_buckets`.
The settings are read from the bucket's `aws_s3_bucket_public_access_block` (joined to the bucket
by the loader), or from an `aws_s3_account_public_access_block` in the scanned configuration: when
that account-level block turns on all four settings, **every bucket passes**, and the message names
the account-level block. A setting that is not written is off (the provider and API default).

A bucket fails when it has no public access block and no account-level block covers it, or when a
setting is off; the message lists the settings that are off. A setting only known after apply gives
`unknown`.

In a live scan, a bucket is covered by the account-level block of its own account (the
`aws_s3_account_public_access_block` read in the same account). When that block could not be read,
a bucket whose own settings leave something off is `unknown` rather than failed.

## Why it matters

Block Public Access is the guard rail that keeps a mistaken ACL or bucket policy from publishing
data to the internet: with all four settings on, S3 rejects public ACLs and public policies and
ignores those already present. Publicly readable buckets are among the most common causes of
cloud data leaks. CIS AWS Foundations 2.1.4 asks for the setting on every bucket (or the account);
SOC 2 CC6.1 and C1.1 expect confidential data to be kept behind logical access boundaries.

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

# Or, for every bucket of the account:
resource "aws_s3_account_public_access_block" "account" {
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

Console: S3 → the bucket → *Permissions* → *Block public access (bucket settings)* → *Edit* → turn
on *Block all public access*; for the account, S3 → *Block Public Access settings for this account*.
CLI:

```sh
aws s3api put-public-access-block --bucket my-bucket --public-access-block-configuration \
  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
aws s3control put-public-access-block --account-id 123456789012 --public-access-block-configuration \
  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
```
"#;

impl Rule for S3BlockPublicAccess {
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
    let account = full_account_blocks(graph, i);
    let account_unknown = Tri::all(BLOCK_FLAGS.iter().map(|f| account_flag(graph, i, f))) == Tri::Unknown;
    if !account.is_empty() {
        return Evaluation::pass(
            i,
            format!(
                "the account-level public access block {} turns on all four settings for every bucket",
                ids(graph, &account)
            ),
        );
    }
    let flags: Vec<(&str, Tri)> = BLOCK_FLAGS
        .iter()
        .map(|f| (*f, bucket_flag(graph, i, f)))
        .collect();
    let off: Vec<&str> = flags
        .iter()
        .filter(|(_, t)| *t == Tri::False)
        .map(|(f, _)| *f)
        .collect();
    let unknown: Vec<&str> = flags
        .iter()
        .filter(|(_, t)| *t == Tri::Unknown)
        .map(|(f, _)| *f)
        .collect();
    if unknown.is_empty() && off.is_empty() {
        return Evaluation::pass(i, "the bucket's public access block turns on all four settings")
            .at("public_access_block");
    }
    if account_unknown || !unknown.is_empty() && off.is_empty() {
        let bucket = graph.get(i);
        let why = match unreadable_account_blocks(graph, i).first() {
            Some(&u) if unknown.is_empty() => format!(
                "the account-level public access block could not be read ({})",
                graph
                    .get(u)
                    .attributes
                    .first_unknown_reason()
                    .unwrap_or("no reason given")
            ),
            _ => format!("some are {}", not_known(bucket)),
        };
        return Evaluation::unknown(
            i,
            format!("cannot tell whether all four public access block settings are on: {why}"),
        )
        .at("public_access_block");
    }
    let missing = graph
        .get(i)
        .attr("public_access_block")
        .blocks()
        .is_some_and(|b| b.is_empty());
    let message = if missing {
        "the bucket has no public access block, and no account-level block turns on all four settings"
            .to_string()
    } else {
        format!("the bucket's public access block leaves {} off", off.join(", "))
    };
    Evaluation::fail(i, message).at("public_access_block")
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    #[allow(unused_imports)]
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};
    use crate::aws::scope::test_support::{account_scopes, live, live_global, scopes, ACCOUNT};

    #[test]
    fn bucket_and_account_blocks() {
        let all = json!([{"block_public_acls": true, "block_public_policy": true,
            "ignore_public_acls": true, "restrict_public_buckets": true}]);
        let partial = json!([{"block_public_acls": true, "block_public_policy": false,
            "ignore_public_acls": true, "restrict_public_buckets": true}]);
        let buckets = || {
            vec![
                res("aws_s3_bucket.all", json!({"public_access_block": all})),
                res("aws_s3_bucket.partial", json!({"public_access_block": partial})),
                res("aws_s3_bucket.none", json!({})),
                res(
                    "aws_s3_bucket.var",
                    json!({"public_access_block": [{"block_public_acls": unknown(),
                    "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true}]}),
                ),
            ]
        };
        let g = graph(buckets(), &[]);
        let evals = S3BlockPublicAccess.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_s3_bucket.all".into(), Verdict::Pass),
                ("aws_s3_bucket.partial".into(), Verdict::Fail),
                ("aws_s3_bucket.none".into(), Verdict::Fail),
                ("aws_s3_bucket.var".into(), Verdict::Unknown),
            ]
        );
        assert!(
            evals[1].message.contains("block_public_policy"),
            "{}",
            evals[1].message
        );
        let mut with_account = buckets();
        with_account.push(res(
            "aws_s3_account_public_access_block.acct",
            json!({"block_public_acls": true,
            "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true}),
        ));
        let g = graph(with_account, &[]);
        let evals = S3BlockPublicAccess.check(&g);
        assert!(evals.iter().all(|e| e.verdict == Verdict::Pass));
        assert!(evals[2]
            .message
            .contains("aws_s3_account_public_access_block.acct"));
    }

    #[test]
    fn live_buckets_take_the_block_of_their_own_account() {
        let on = json!({"block_public_acls": true, "block_public_policy": true,
            "ignore_public_acls": true, "restrict_public_buckets": true});
        let bucket = |account: &str| {
            live(
                &format!("arn:aws:s3:::bucket-{account}"),
                BUCKET,
                Some(account),
                Some("eu-west-1"),
                json!({"public_access_block": []}),
            )
        };
        let mut resources = scopes(ACCOUNT, &["eu-west-1"]);
        resources.extend(account_scopes("444455556666", &["eu-west-1"]));
        resources.push(bucket(ACCOUNT));
        resources.push(bucket("444455556666"));
        resources.push(bucket("777788889999"));
        // The block of 111122223333 covers its bucket only; 444455556666's could not be read.
        resources.push(live_global(
            "aws_s3_account_public_access_block:111122223333",
            ACCOUNT_BLOCK,
            on,
        ));
        let mut unreadable = live(
            "aws_s3_account_public_access_block:444455556666/global:unreadable",
            ACCOUNT_BLOCK,
            Some("444455556666"),
            None,
            json!({"block_public_acls": {"$unknown": "AccessDenied on s3:GetPublicAccessBlock"}}),
        );
        unreadable.mode = attest_core::Mode::Data;
        resources.push(unreadable);
        // A block declared in code does not cover live buckets.
        resources.push(res(
            "aws_s3_account_public_access_block.code",
            json!({"block_public_acls": true, "block_public_policy": true,
                "ignore_public_acls": true, "restrict_public_buckets": true}),
        ));
        let g = graph(resources, &[]);
        let evals = S3BlockPublicAccess.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("arn:aws:s3:::bucket-111122223333".into(), Verdict::Pass),
                ("arn:aws:s3:::bucket-444455556666".into(), Verdict::Unknown),
                ("arn:aws:s3:::bucket-777788889999".into(), Verdict::Fail),
            ]
        );
        assert!(
            evals[1]
                .message
                .contains("AccessDenied on s3:GetPublicAccessBlock"),
            "{}",
            evals[1].message
        );
    }
}

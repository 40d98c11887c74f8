//! `aws-s3-policy-no-public-list`: S3 bucket policies do not allow listing to everyone.

use crate::aws::links::managed;
use crate::aws::s3::common::{judge_public_actions, BUCKET};
use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

pub struct S3PolicyNoPublicList;

static META: RuleMeta = RuleMeta {
    id: "aws-s3-policy-no-public-list",
    title: "S3 bucket policies do not allow listing to everyone",
    severity: Severity::High,
    kind: RuleKind::Resource,
    resource_types: &["aws_s3_bucket"],
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00211",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_s3_bucket` with a bucket policy (inline `policy` or a joined `aws_s3_bucket_policy`) fails
when a statement has `Effect` `Allow`, a `Principal` of everyone (`"*"` or `{"AWS": "*"}`), no
`Condition`, and an `Action` that covers a list action (`s3:ListBucket`, `s3:ListBucketVersions`, `s3:ListBucketMultipartUploads`, `s3:ListMultipartUploadParts`, whether named or matched by a wildcard such as `s3:List*`, `s3:*` or `*`) (`NotAction` counts as granting every action it does not name). It
passes otherwise; a bucket without a policy passes (nothing is granted). A policy or statement only
known after apply gives `unknown`. Block Public Access is not taken into account: the rule judges
the policy as written (see `aws-s3-not-public` for the effective exposure).

## Why it matters

Listing lets anyone enumerate every object key in the bucket, which reveals data and makes guessing object names unnecessary. SOC 2 CC6.1 and C1.1 expect access to confidential data to be granted to identified
principals only.

## How to fix

Terraform:

```hcl
data "aws_iam_policy_document" "data" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.data.arn}/*"]
    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.reader.arn]
    }
  }
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
        - Effect: Allow
          Principal:
            AWS: !GetAtt ReaderRole.Arn
          Action: s3:GetObject
          Resource: !Sub "${DataBucket.Arn}/*"
```

Console: S3 → the bucket → *Permissions* → *Bucket policy* → *Edit*. CLI: `aws s3api put-bucket-policy --bucket my-bucket --policy file://policy.json` (or `delete-bucket-policy`).
"#;

impl Rule for S3PolicyNoPublicList {
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

/// The actions whose grant to everyone fails the bucket.
const ACTIONS: &[&str] = &[
    "s3:ListBucket",
    "s3:ListBucketVersions",
    "s3:ListBucketMultipartUploads",
    "s3:ListMultipartUploadParts",
];

fn judge(graph: &ResourceGraph, i: usize) -> Evaluation {
    judge_public_actions(graph, i, ACTIONS, "list actions", "listing")
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    #[allow(unused_imports)]
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    fn bucket(id: &str, statement: serde_json::Value) -> attest_core::Resource {
        res(
            id,
            json!({"policy": json!({"Statement": [statement]}).to_string()}),
        )
    }

    #[test]
    fn statements() {
        let g = graph(
            vec![
                bucket(
                    "aws_s3_bucket.all",
                    json!({"Effect": "Allow", "Principal": "*", "Action": "*"}),
                ),
                bucket(
                    "aws_s3_bucket.s3all",
                    json!({"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": ["s3:*"]}),
                ),
                bucket(
                    "aws_s3_bucket.list",
                    json!({"Effect": "Allow", "Principal": "*", "Action": "s3:ListBucket"}),
                ),
                bucket(
                    "aws_s3_bucket.get",
                    json!({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}),
                ),
                bucket(
                    "aws_s3_bucket.role",
                    json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "*"}),
                ),
                bucket(
                    "aws_s3_bucket.cond",
                    json!({"Effect": "Allow", "Principal": "*", "Action": "*",
                    "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}}),
                ),
                res("aws_s3_bucket.none", json!({})),
                res("aws_s3_bucket.var", json!({"policy": unknown()})),
            ],
            &[],
        );
        let got = verdicts(&g, &S3PolicyNoPublicList.check(&g));
        let want: Vec<(String, Verdict)> = EXPECTED.iter().map(|(id, v)| (id.to_string(), *v)).collect();
        assert_eq!(got, want);
    }

    const EXPECTED: &[(&str, Verdict)] = &[
        ("aws_s3_bucket.all", Verdict::Fail),
        ("aws_s3_bucket.s3all", Verdict::Fail),
        ("aws_s3_bucket.list", Verdict::Fail),
        ("aws_s3_bucket.get", Verdict::Pass),
        ("aws_s3_bucket.role", Verdict::Pass),
        ("aws_s3_bucket.cond", Verdict::Pass),
        ("aws_s3_bucket.none", Verdict::Pass),
        ("aws_s3_bucket.var", Verdict::Unknown),
    ];
}

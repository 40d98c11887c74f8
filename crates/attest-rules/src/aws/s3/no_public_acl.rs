//! `aws-s3-no-public-acl`: S3 bucket ACLs do not grant access to everyone or to all AWS users.

use crate::aws::links::managed;
use crate::aws::s3::common::{public_acl, BUCKET};
use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

pub struct S3NoPublicAcl;

static META: RuleMeta = RuleMeta {
    id: "aws-s3-no-public-acl",
    title: "S3 bucket ACLs do not grant access to everyone or to all AWS users",
    severity: Severity::High,
    kind: RuleKind::Resource,
    resource_types: &["aws_s3_bucket"],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00279",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_20",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_s3_bucket` fails when its ACL (inline `acl`/`grant`, or a joined `aws_s3_bucket_acl`) is
the canned `public-read`, `public-read-write` or `authenticated-read`, or has a grant to the
`AllUsers` or `AuthenticatedUsers` group (`AuthenticatedUsers` means any AWS account, not just
yours). It passes otherwise, including when no ACL is written (the default is `private`). An ACL
or grantee only known after apply gives `unknown`. This rule judges the configuration as written;
`aws-s3-not-public` judges whether the bucket is public once Block Public Access is accounted for.

## Why it matters

ACL grants to everyone are the classic way S3 data ends up on the internet, and they are easy to
miss because they live outside the bucket policy. SOC 2 CC6.1 and C1.1 expect confidential data to
be reachable only by authorized users.

## How to fix

Terraform:

```hcl
resource "aws_s3_bucket_ownership_controls" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    object_ownership = "BucketOwnerEnforced" # disables ACLs
  }
}
```

CloudFormation:

```yaml
DataBucket:
  Type: AWS::S3::Bucket
  Properties:
    OwnershipControls:
      Rules:
        - ObjectOwnership: BucketOwnerEnforced
```

Remove `acl = "public-read"` and public `grant` blocks. Console: S3 → the bucket → *Permissions* →
*Object Ownership* → *ACLs disabled*. CLI: `aws s3api put-bucket-acl --bucket my-bucket --acl private`.
"#;

impl Rule for S3NoPublicAcl {
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
    match public_acl(graph, i) {
        Ok(Some(why)) => Evaluation::fail(i, format!("{why}: the bucket is readable beyond the account")),
        Ok(None) => Evaluation::pass(
            i,
            "neither the ACL nor any grant gives access to everyone or all AWS users",
        ),
        Err(why) => Evaluation::unknown(i, why),
    }
    .at("acl")
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    #[allow(unused_imports)]
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn canned_acls_and_grants() {
        let g = graph(
            vec![
                res("aws_s3_bucket.private", json!({"acl": "private"})),
                res("aws_s3_bucket.default", json!({})),
                res("aws_s3_bucket.read", json!({"acl": "public-read"})),
                res("aws_s3_bucket.auth", json!({"acl": "authenticated-read"})),
                res(
                    "aws_s3_bucket.grant",
                    json!({"grant": [{"type": "Group",
                    "uri": "http://acs.amazonaws.com/groups/global/AllUsers", "permissions": ["READ"]}]}),
                ),
                res("aws_s3_bucket.var", json!({"acl": unknown()})),
            ],
            &[],
        );
        let evals = S3NoPublicAcl.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_s3_bucket.private".into(), Verdict::Pass),
                ("aws_s3_bucket.default".into(), Verdict::Pass),
                ("aws_s3_bucket.read".into(), Verdict::Fail),
                ("aws_s3_bucket.auth".into(), Verdict::Fail),
                ("aws_s3_bucket.grant".into(), Verdict::Fail),
                ("aws_s3_bucket.var".into(), Verdict::Unknown),
            ]
        );
        assert!(evals[4].message.contains("AllUsers"), "{}", evals[4].message);
    }
}

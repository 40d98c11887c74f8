//! `aws-iam-instance-profile-no-s3-list-all-buckets`: the roles of EC2 instance profiles cannot
//! list every S3 bucket.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri, Value};

use crate::aws::iam::managed_policies::{principal_policies, PolicyRef};
use crate::aws::iam::no_s3_list_all_buckets::listing_statements;
use crate::aws::iam::policy_document::policy_of;
use crate::aws::links::{managed, names_resource, resolve, Link};

pub struct InstanceProfileNoS3List;

/// AWS managed policies known to allow `s3:ListAllMyBuckets` on `*`.
const AWS_LISTING: &[&str] = &[
    "AdministratorAccess",
    "PowerUserAccess",
    "ReadOnlyAccess",
    "ViewOnlyAccess",
    "AmazonS3FullAccess",
    "AmazonS3ReadOnlyAccess",
];

/// AWS managed policies commonly attached to instance roles that are known not to grant any S3
/// action.
const AWS_NOT_LISTING: &[&str] = &[
    "AmazonSSMManagedInstanceCore",
    "CloudWatchAgentServerPolicy",
    "AmazonEC2ContainerRegistryReadOnly",
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
];

static META: RuleMeta = RuleMeta {
    id: "aws-iam-instance-profile-no-s3-list-all-buckets",
    title: "Roles of EC2 instance profiles cannot list all S3 buckets",
    severity: Severity::Medium,
    kind: RuleKind::Graph,
    resource_types: &["aws_iam_instance_profile"],
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00220",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

For every `aws_iam_instance_profile`, attest finds its `role` (an `aws_iam_role` of the scanned
configuration) and reads every policy the role holds:

- its inline policies: `inline_policy` blocks of the role and `aws_iam_role_policy` resources;
- its attached managed policies (`managed_policy_arns`, `aws_iam_role_policy_attachment`,
  `aws_iam_policy_attachment`): customer managed `aws_iam_policy` documents of the scanned
  configuration are read; of the AWS managed policies, those known to allow listing every bucket
  (`AdministratorAccess`, `PowerUserAccess`, `ReadOnlyAccess`, `ViewOnlyAccess`,
  `AmazonS3FullAccess`, `AmazonS3ReadOnlyAccess`) fail, and a few common instance policies known
  to grant no S3 action (`AmazonSSMManagedInstanceCore`, `CloudWatchAgentServerPolicy`,
  `AmazonEC2ContainerRegistryReadOnly`, `AmazonEKSWorkerNodePolicy`, `AmazonEKS_CNI_Policy`)
  pass.

The profile fails when one of them allows `s3:ListAllMyBuckets` on `"*"` (named, through a
wildcard such as `s3:*`, `s3:List*` or `*`, or through a `NotAction` that does not exclude it;
see `aws-iam-no-s3-list-all-buckets`). The result is `unknown` when the role or a policy cannot
be read: a role or policy outside the scanned configuration, another AWS managed policy, or a
value only known after apply. A profile without a role passes.

## Why it matters

Every process on an EC2 instance — and anyone who gains code execution on it, for instance
through a server-side request forgery reaching the instance metadata service — holds the
permissions of its instance profile. A role that can list all buckets hands an intruder the
map of the account's data. Instance roles should carry only what the workload needs (SOC 2
CC6.3, least privilege), which is rarely the full list of buckets.

## How to fix

Remove `s3:ListAllMyBuckets` (and `s3:*` / `s3:List*` on `*`, or broad AWS managed policies)
from the instance role; grant the bucket actions it needs on named buckets.

Terraform:

```hcl
resource "aws_iam_role_policy" "app_reports" {
  role = aws_iam_role.app.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = "${aws_s3_bucket.reports.arn}/*"
    }]
  })
}

resource "aws_iam_instance_profile" "app" {
  role = aws_iam_role.app.name
}
```

CloudFormation:

```yaml
AppRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: sts:AssumeRole
          Principal:
            Service: ec2.amazonaws.com
    Policies:
      - PolicyName: reports
        PolicyDocument:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Action: s3:GetObject
              Resource: !Sub "${ReportsBucket.Arn}/*"
AppProfile:
  Type: AWS::IAM::InstanceProfile
  Properties:
    Roles: [!Ref AppRole]
```

Console: IAM → *Roles* → choose the instance role → *Permissions* → detach broad S3 policies and
edit inline policies. CLI:

```sh
aws iam detach-role-policy --role-name app --policy-arn arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
aws iam put-role-policy --role-name app --policy-name reports --policy-document file://reports.json
```
"#;

impl Rule for InstanceProfileNoS3List {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, META.resource_types)
            .into_iter()
            .map(|i| judge(graph, i))
            .collect()
    }
}

fn judge(graph: &ResourceGraph, profile: usize) -> Evaluation {
    let link = resolve(graph, profile, "role", &["aws_iam_role"], |r, s| {
        names_resource(r, s, &["name", "id", "arn"])
    });
    let roles = match link {
        Link::Resources(roles) => roles,
        Link::Absent => return Evaluation::pass(profile, "the instance profile has no role"),
        Link::Literal(name) => {
            return Evaluation::unknown(
                profile,
                format!("the role {name} is not declared in the scanned configuration"),
            )
            .at("role")
        }
        Link::Unknown => {
            return Evaluation::unknown(
                profile,
                "the role is not known before apply and no aws_iam_role of the scanned configuration is referenced",
            )
            .at("role")
        }
    };
    let mut listing = Vec::new();
    let mut undetermined = Vec::new();
    let mut read = 0;
    for &role in &roles {
        let role_id = &graph.get(role).id;
        let inline = match graph.get(role).attr("inline_policy") {
            Value::List(items) => items.len(),
            Value::Null => 0,
            _ => {
                undetermined.push(format!("the inline policies of {role_id}"));
                0
            }
        };
        let mut documents: Vec<(String, Result<_, String>)> = (0..inline)
            .map(|k| {
                let entry = graph.get(role).attr(&format!("inline_policy.{k}"));
                let name = entry
                    .get("_source")
                    .as_str()
                    .map(str::to_string)
                    .or_else(|| {
                        entry
                            .get("name")
                            .as_str()
                            .map(|n| format!("inline policy {n:?} of {role_id}"))
                    })
                    .unwrap_or_else(|| format!("an inline policy of {role_id}"));
                (name, policy_of(graph, role, &format!("inline_policy.{k}.policy")))
            })
            .collect();
        for policy in principal_policies(graph, role) {
            match policy {
                PolicyRef::Customer(p) => {
                    documents.push((graph.get(p).id.clone(), policy_of(graph, p, "policy")))
                }
                PolicyRef::Aws(name) if AWS_LISTING.contains(&name.as_str()) => {
                    listing.push(format!("the AWS managed policy {name} (attached to {role_id})"))
                }
                PolicyRef::Aws(name) if AWS_NOT_LISTING.contains(&name.as_str()) => read += 1,
                other => undetermined.push(format!("{} (attached to {role_id})", other.describe(graph))),
            }
        }
        for (name, document) in documents {
            match document {
                Ok(policy) => match listing_statements(&policy) {
                    (Tri::True, statements) => listing.push(format!("{statements} of {name}")),
                    (Tri::Unknown, statements) => undetermined.push(format!("{statements} of {name}")),
                    (Tri::False, _) => read += 1,
                },
                Err(why) => undetermined.push(format!("{name} ({why})")),
            }
        }
    }
    if !listing.is_empty() {
        return Evaluation::fail(
            profile,
            format!(
                "the instance role can list every S3 bucket (s3:ListAllMyBuckets on \"*\") through {}",
                listing.join("; ")
            ),
        );
    }
    if !undetermined.is_empty() {
        return Evaluation::unknown(
            profile,
            format!(
                "cannot tell whether the instance role can list every S3 bucket: cannot read {}",
                undetermined.join("; ")
            ),
        );
    }
    Evaluation::pass(
        profile,
        format!("none of the {read} policy(ies) of the instance role allows s3:ListAllMyBuckets"),
    )
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    fn doc(statement: serde_json::Value) -> String {
        json!({"Version": "2012-10-17", "Statement": statement}).to_string()
    }

    #[test]
    fn inline_attached_and_aws_managed_policies_are_followed() {
        let list = doc(json!({"Effect": "Allow", "Action": "s3:List*", "Resource": "*"}));
        let read = doc(json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::r/*"}));
        let g = graph(
            vec![
                res("aws_iam_instance_profile.inline", json!({"role": unknown()})),
                res("aws_iam_instance_profile.customer", json!({"role": "customer"})),
                res("aws_iam_instance_profile.aws", json!({"role": "aws"})),
                res("aws_iam_instance_profile.clean", json!({"role": "clean"})),
                res(
                    "aws_iam_instance_profile.outside",
                    json!({"role": "not-declared"}),
                ),
                res("aws_iam_instance_profile.none", json!({})),
                res("aws_iam_instance_profile.unread", json!({"role": "unread"})),
                res(
                    "aws_iam_role.inline",
                    json!({"name": "inline", "inline_policy": [{"name": "l", "policy": list}]}),
                ),
                res(
                    "aws_iam_role.customer",
                    json!({"name": "customer", "managed_policy_arns": [unknown()]}),
                ),
                res(
                    "aws_iam_role.aws",
                    json!({"name": "aws", "managed_policy_arns": ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]}),
                ),
                res(
                    "aws_iam_role.clean",
                    json!({"name": "clean", "inline_policy": [{"name": "r", "policy": read}],
                           "managed_policy_arns": ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]}),
                ),
                res(
                    "aws_iam_role.unread",
                    json!({"name": "unread", "managed_policy_arns": ["arn:aws:iam::aws:policy/AmazonEC2FullAccess"]}),
                ),
                res("aws_iam_policy.list", json!({"policy": list})),
            ],
            &[
                edge("aws_iam_instance_profile.inline", "role", "aws_iam_role.inline"),
                edge(
                    "aws_iam_role.customer",
                    "managed_policy_arns.0",
                    "aws_iam_policy.list",
                ),
            ],
        );
        assert_eq!(
            verdicts(&g, &InstanceProfileNoS3List.check(&g)),
            vec![
                ("aws_iam_instance_profile.inline".into(), Verdict::Fail),
                ("aws_iam_instance_profile.customer".into(), Verdict::Fail),
                ("aws_iam_instance_profile.aws".into(), Verdict::Fail),
                ("aws_iam_instance_profile.clean".into(), Verdict::Pass),
                ("aws_iam_instance_profile.outside".into(), Verdict::Unknown),
                ("aws_iam_instance_profile.none".into(), Verdict::Pass),
                ("aws_iam_instance_profile.unread".into(), Verdict::Unknown),
            ]
        );
    }
}

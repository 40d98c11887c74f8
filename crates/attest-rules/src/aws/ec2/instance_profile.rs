//! `aws-ec2-instance-profile`: EC2 instances run with an IAM instance profile.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Value};

use crate::aws::links::{ids, managed};
use crate::aws::wording::attr_not_known;

pub struct Ec2InstanceProfile;

const INSTANCE: &str = "aws_instance";
const ATTR: &str = "iam_instance_profile";

static META: RuleMeta = RuleMeta {
    id: "aws-ec2-instance-profile",
    title: "EC2 instances have an IAM instance profile",
    severity: Severity::High,
    kind: RuleKind::Resource,
    resource_types: &[INSTANCE],
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00253",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_instance` passes when `iam_instance_profile` is set — to a profile name, or to a
reference to an `aws_iam_instance_profile` (whose value is only known after apply) — and fails
when it is absent or empty. A value from a variable without a value gives `unknown`.

## Why it matters

An instance profile gives software on the instance short-lived, automatically rotated
credentials for a role whose permissions are managed in IAM. Without one, applications that
call AWS APIs end up with long-lived access keys in files, environment variables or images,
where they leak and are rarely rotated. Role-based, least-privilege access is what SOC 2 CC6.1
and CC6.3 ask for.

## How to fix

Terraform:

```hcl
resource "aws_iam_instance_profile" "app" {
  name = "app"
  role = aws_iam_role.app.name
}

resource "aws_instance" "app" {
  # ...
  iam_instance_profile = aws_iam_instance_profile.app.name
}
```

CloudFormation:

```yaml
AppInstance:
  Type: AWS::EC2::Instance
  Properties:
    IamInstanceProfile: !Ref AppInstanceProfile
```

Console: EC2 → *Instances* → the instance → *Actions* → *Security* → *Modify IAM role* → choose
the role. CLI:

```sh
aws ec2 associate-iam-instance-profile --instance-id i-0123456789abcdef0 \
  --iam-instance-profile Name=app
```
"#;

impl Rule for Ec2InstanceProfile {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, &[INSTANCE])
            .into_iter()
            .map(|i| judge(graph, i))
            .collect()
    }
}

fn judge(graph: &ResourceGraph, i: usize) -> Evaluation {
    let referenced = graph.referenced_by_attr(i, ATTR);
    if !referenced.is_empty() {
        return Evaluation::pass(
            i,
            format!("runs with the instance profile {}", ids(graph, &referenced)),
        )
        .at(ATTR);
    }
    match graph.get(i).attr(ATTR) {
        Value::String(p) if !p.is_empty() => {
            Evaluation::pass(i, format!("runs with the instance profile {p}")).at(ATTR)
        }
        v if v.contains_unknown() => {
            Evaluation::unknown(i, attr_not_known(graph.get(i), "iam_instance_profile")).at(ATTR)
        }
        _ => Evaluation::fail(i, "no iam_instance_profile: the instance has no role credentials").at(ATTR),
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn profile_set_referenced_absent_and_unknown() {
        let g = graph(
            vec![
                res("aws_instance.named", json!({"iam_instance_profile": "app"})),
                res(
                    "aws_instance.referenced",
                    json!({"iam_instance_profile": unknown()}),
                ),
                res("aws_instance.var", json!({"iam_instance_profile": unknown()})),
                res("aws_instance.none", json!({})),
                res("aws_instance.empty", json!({"iam_instance_profile": ""})),
                res("aws_iam_instance_profile.app", json!({})),
            ],
            &[edge(
                "aws_instance.referenced",
                "iam_instance_profile",
                "aws_iam_instance_profile.app",
            )],
        );
        assert_eq!(
            verdicts(&g, &Ec2InstanceProfile.check(&g)),
            vec![
                ("aws_instance.named".into(), Verdict::Pass),
                ("aws_instance.referenced".into(), Verdict::Pass),
                ("aws_instance.var".into(), Verdict::Unknown),
                ("aws_instance.none".into(), Verdict::Fail),
                ("aws_instance.empty".into(), Verdict::Fail),
            ]
        );
    }
}

//! `aws-ecr-tag-immutability`: ECR repositories make image tags immutable.

use attest_core::{Alias, Evaluation, Resource, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Value};

use crate::aws::links::managed;
use crate::aws::wording::attr_not_known;

pub struct EcrTagImmutability;

const ATTR: &str = "image_tag_mutability";

static META: RuleMeta = RuleMeta {
    id: "aws-ecr-tag-immutability",
    title: "ECR repositories have immutable image tags",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &["aws_ecr_repository"],
    aliases: &[Alias {
        tool: "checkov",
        id: "CKV_AWS_51",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_ecr_repository` passes when `image_tag_mutability = "IMMUTABLE"`, or
`"IMMUTABLE_WITH_EXCLUSION"` (tags are immutable except those matching the repository's
exclusion filters; the message says so). It fails when the attribute is `"MUTABLE"`,
`"MUTABLE_WITH_EXCLUSION"` or not written (ECR's default is `MUTABLE`), and gives `unknown`
when the value is only known after apply.

## Why it matters

With mutable tags, pushing an image under an existing tag silently replaces what `app:1.4.2`
means: a deployment can run code that was never reviewed or tested under that name, and an
attacker with push rights can swap a trusted image. Immutable tags make every tag point at one
image for good, so what was approved is what runs (SOC 2 CC8.1).

## How to fix

Terraform:

```hcl
resource "aws_ecr_repository" "app" {
  name                 = "app"
  image_tag_mutability = "IMMUTABLE"
}
```

CloudFormation:

```yaml
AppRepository:
  Type: AWS::ECR::Repository
  Properties:
    RepositoryName: app
    ImageTagMutability: IMMUTABLE
```

Console: ECR → *Repositories* → the repository → *Edit* → *Tag immutability* → *Immutable*
→ *Save*. CLI:

```sh
aws ecr put-image-tag-mutability --repository-name app --image-tag-mutability IMMUTABLE
```
"#;

impl Rule for EcrTagImmutability {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, META.resource_types)
            .into_iter()
            .map(|i| judge(graph.get(i), graph.get(i).attr(ATTR), i).at(ATTR))
            .collect()
    }
}

fn judge(r: &Resource, value: &Value, i: usize) -> Evaluation {
    match value {
        Value::Null => Evaluation::fail(
            i,
            "image_tag_mutability is not set (ECR applies MUTABLE): a push can replace the image behind a tag",
        ),
        Value::String(s) => match s.to_ascii_uppercase().as_str() {
            "IMMUTABLE" => Evaluation::pass(i, "image_tag_mutability = IMMUTABLE: tags cannot be overwritten"),
            "IMMUTABLE_WITH_EXCLUSION" => Evaluation::pass(
                i,
                "image_tag_mutability = IMMUTABLE_WITH_EXCLUSION: tags cannot be overwritten, except those \
                 matching the repository's exclusion filters",
            ),
            _ => Evaluation::fail(
                i,
                format!("image_tag_mutability = {s}: a push can replace the image behind a tag"),
            ),
        },
        _ => Evaluation::unknown(i, format!("{}: cannot tell whether tags are immutable", attr_not_known(r, "image_tag_mutability"))),
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, unknown, verdicts};

    #[test]
    fn immutable_mutable_default_and_unknown() {
        let g = graph(
            vec![
                res(
                    "aws_ecr_repository.imm",
                    json!({"image_tag_mutability": "IMMUTABLE"}),
                ),
                res(
                    "aws_ecr_repository.excl",
                    json!({"image_tag_mutability": "IMMUTABLE_WITH_EXCLUSION"}),
                ),
                res(
                    "aws_ecr_repository.mut",
                    json!({"image_tag_mutability": "MUTABLE"}),
                ),
                res(
                    "aws_ecr_repository.mut_excl",
                    json!({"image_tag_mutability": "MUTABLE_WITH_EXCLUSION"}),
                ),
                res("aws_ecr_repository.absent", json!({})),
                res(
                    "aws_ecr_repository.var",
                    json!({"image_tag_mutability": unknown()}),
                ),
            ],
            &[],
        );
        let evals = EcrTagImmutability.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_ecr_repository.imm".into(), Verdict::Pass),
                ("aws_ecr_repository.excl".into(), Verdict::Pass),
                ("aws_ecr_repository.mut".into(), Verdict::Fail),
                ("aws_ecr_repository.mut_excl".into(), Verdict::Fail),
                ("aws_ecr_repository.absent".into(), Verdict::Fail),
                ("aws_ecr_repository.var".into(), Verdict::Unknown),
            ]
        );
        assert!(evals[4].message.contains("MUTABLE"), "{}", evals[4].message);
    }
}

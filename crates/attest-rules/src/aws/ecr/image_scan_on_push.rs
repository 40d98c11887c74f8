//! `aws-ecr-image-scan-on-push`: ECR repositories scan images when they are pushed.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::flag::Flag;

pub struct EcrImageScanOnPush;

static META: RuleMeta = RuleMeta {
    id: "aws-ecr-image-scan-on-push",
    title: "ECR repositories scan images for vulnerabilities on push",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &["aws_ecr_repository"],
    aliases: &[
        Alias {
            tool: "checkov",
            id: "CKV_AWS_163",
        },
        Alias {
            tool: "prowler",
            id: "ecr_repositories_scan_images_on_push_enabled",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_ecr_repository` passes when its `image_scanning_configuration` block has
`scan_on_push = true`. It fails when the block is absent or `scan_on_push = false` (ECR's
default is not to scan), and gives `unknown` when the value is only known after apply.

The rule judges the repository's own setting. Scanning configured for the whole registry
(`aws_ecr_registry_scanning_configuration`, Amazon Inspector enhanced scanning) is not taken
into account yet: a repository covered only by a registry-level rule fails here.

## Why it matters

Images pulled from public bases or built with outdated packages carry known vulnerabilities.
Scanning each image as it is pushed finds them before the image is deployed, and records the
findings as evidence that vulnerabilities are looked for (SOC 2 CC7.1).

## How to fix

Terraform:

```hcl
resource "aws_ecr_repository" "app" {
  name = "app"

  image_scanning_configuration {
    scan_on_push = true
  }
}
```

CloudFormation:

```yaml
AppRepository:
  Type: AWS::ECR::Repository
  Properties:
    RepositoryName: app
    ImageScanningConfiguration:
      ScanOnPush: true
```

Console: ECR → *Repositories* → the repository → *Edit* → *Image scan settings* → turn on
*Scan on push* → *Save*. CLI:

```sh
aws ecr put-image-scanning-configuration --repository-name app \
  --image-scanning-configuration scanOnPush=true
```
"#;

const FLAG: Flag = Flag {
    attr: "image_scanning_configuration.scan_on_push",
    default: false,
    default_by: "ECR applies",
    want: true,
    good: "images are scanned for vulnerabilities when pushed",
    bad: "images are not scanned when pushed",
};

impl Rule for EcrImageScanOnPush {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        FLAG.check(graph, META.resource_types)
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, unknown, verdicts};

    #[test]
    fn on_off_absent_and_unknown() {
        let g = graph(
            vec![
                res(
                    "aws_ecr_repository.on",
                    json!({"image_scanning_configuration": [{"scan_on_push": true}]}),
                ),
                res(
                    "aws_ecr_repository.off",
                    json!({"image_scanning_configuration": [{"scan_on_push": false}]}),
                ),
                res("aws_ecr_repository.absent", json!({})),
                res(
                    "aws_ecr_repository.var",
                    json!({"image_scanning_configuration": [{"scan_on_push": unknown()}]}),
                ),
                res(
                    "aws_ecr_repository.block",
                    json!({"image_scanning_configuration": unknown()}),
                ),
                res(
                    "data.aws_ecr_repository.read",
                    json!({"image_scanning_configuration": [{"scan_on_push": false}]}),
                ),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &EcrImageScanOnPush.check(&g)),
            vec![
                ("aws_ecr_repository.on".into(), Verdict::Pass),
                ("aws_ecr_repository.off".into(), Verdict::Fail),
                ("aws_ecr_repository.absent".into(), Verdict::Fail),
                ("aws_ecr_repository.var".into(), Verdict::Unknown),
                ("aws_ecr_repository.block".into(), Verdict::Unknown),
            ]
        );
    }
}

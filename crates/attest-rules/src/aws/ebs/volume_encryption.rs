//! `aws-ebs-volume-encryption`: EBS volumes are encrypted.

use attest_core::Tri;
use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use crate::aws::links::{ids, managed};
use crate::aws::wording::attr_not_known;

pub struct EbsVolumeEncryption;

static META: RuleMeta = RuleMeta {
    id: "aws-ebs-volume-encryption",
    title: "EBS volumes are encrypted",
    severity: Severity::High,
    kind: RuleKind::Resource,
    resource_types: &["aws_ebs_volume"],
    aliases: &[
        Alias {
            tool: "fugue",
            id: "FG_R00016",
        },
        Alias {
            tool: "checkov",
            id: "CKV_AWS_3",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_ebs_volume` passes when `encrypted = true`. When `encrypted` is not written it passes only
if the scanned configuration turns on EBS encryption by default (`aws_ebs_encryption_by_default`
with `enabled` true, which is its default) — new volumes are then encrypted whatever they say — and
the message names that resource; otherwise it fails (the API default is unencrypted). A volume with
`encrypted = false` fails (it is still encrypted if the Region has encryption by default, but the
configuration says otherwise). Values only known after apply give `unknown`.

## Why it matters

Encrypted volumes protect data at rest, and every snapshot taken from them, under a KMS key whose use
is logged. SOC 2 CC6.1 and C1.1 expect confidential data encrypted at rest.

## How to fix

Terraform:

```hcl
resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 100
  encrypted         = true
  kms_key_id        = aws_kms_key.ebs.arn
}
```

CloudFormation:

```yaml
DataVolume:
  Type: AWS::EC2::Volume
  Properties:
    AvailabilityZone: eu-west-1a
    Size: 100
    Encrypted: true
    KmsKeyId: !Ref EbsKey
```

An existing volume cannot be encrypted in place: snapshot it, copy the snapshot with `--encrypted`,
and create a volume from the copy. CLI: `aws ec2 copy-snapshot --source-snapshot-id snap-... 
--source-region eu-west-1 --encrypted`, then `aws ec2 create-volume --snapshot-id snap-...`.
Turn on encryption by default: `aws ec2 enable-ebs-encryption-by-default`.
"#;

impl Rule for EbsVolumeEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        let by_default = encryption_by_default(graph);
        managed(graph, &[VOLUME])
            .into_iter()
            .map(|i| judge(graph, i, &by_default))
            .collect()
    }
}

const VOLUME: &str = "aws_ebs_volume";
const BY_DEFAULT: &str = "aws_ebs_encryption_by_default";

/// The `aws_ebs_encryption_by_default` resources that turn it on (`enabled` defaults to true).
fn encryption_by_default(graph: &ResourceGraph) -> Vec<usize> {
    managed(graph, &[BY_DEFAULT])
        .into_iter()
        .filter(|&i| graph.get(i).attr("enabled").truthy(true) == Tri::True)
        .collect()
}

fn judge(graph: &ResourceGraph, i: usize, by_default: &[usize]) -> Evaluation {
    let value = graph.get(i).attr("encrypted");
    let eval = match value.truthy(false) {
        Tri::True => Evaluation::pass(i, "encrypted = true: the volume is encrypted at rest"),
        Tri::Unknown => Evaluation::unknown(i, attr_not_known(graph.get(i), "encrypted")),
        Tri::False if value.is_null() && !by_default.is_empty() => Evaluation::pass(
            i,
            format!(
                "encrypted is not set, but {} turns on EBS encryption by default",
                ids(graph, by_default)
            ),
        ),
        Tri::False if value.is_null() => Evaluation::fail(
            i,
            "encrypted is not set (AWS applies false) and the scanned configuration does not turn on \
             EBS encryption by default",
        ),
        Tri::False => Evaluation::fail(i, "encrypted = false: the volume is not encrypted at rest"),
    };
    eval.at("encrypted")
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    #[allow(unused_imports)]
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn volumes_and_default() {
        let volumes = || {
            vec![
                res("aws_ebs_volume.on", json!({"encrypted": true})),
                res("aws_ebs_volume.off", json!({"encrypted": false})),
                res("aws_ebs_volume.absent", json!({})),
                res("aws_ebs_volume.var", json!({"encrypted": unknown()})),
            ]
        };
        let g = graph(volumes(), &[]);
        assert_eq!(
            verdicts(&g, &EbsVolumeEncryption.check(&g)),
            vec![
                ("aws_ebs_volume.on".into(), Verdict::Pass),
                ("aws_ebs_volume.off".into(), Verdict::Fail),
                ("aws_ebs_volume.absent".into(), Verdict::Fail),
                ("aws_ebs_volume.var".into(), Verdict::Unknown),
            ]
        );
        let mut with_default = volumes();
        with_default.push(res("aws_ebs_encryption_by_default.on", json!({})));
        let g = graph(with_default, &[]);
        let evals = EbsVolumeEncryption.check(&g);
        assert_eq!(evals[2].verdict, Verdict::Pass);
        assert_eq!(evals[1].verdict, Verdict::Fail);
    }
}

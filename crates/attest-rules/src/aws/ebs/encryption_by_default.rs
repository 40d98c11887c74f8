//! `aws-ebs-encryption-by-default`: EBS encryption by default is enabled.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};
use attest_core::{Tri, Value, Verdict};

use crate::aws::links::ids;
use crate::aws::scope::{LiveScopes, Requirement};
use crate::aws::wording::{attr_not_known, not_known};

pub struct EbsEncryptionByDefault;

static META: RuleMeta = RuleMeta {
    id: "aws-ebs-encryption-by-default",
    title: "EBS encryption by default is enabled",
    severity: Severity::Medium,
    kind: RuleKind::Account,
    resource_types: &["aws_ebs_encryption_by_default"],
    aliases: &[
        Alias {
            tool: "checkov",
            id: "CKV_AWS_106",
        },
        Alias {
            tool: "prowler",
            id: "ec2_ebs_default_encryption",
        },
        Alias {
            tool: "cis-aws",
            id: "2.2.1",
        },
    ],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

In a live scan, one result per region read (the region's `aws_region`): it passes when the
region's `aws_ebs_encryption_by_default` (of the same account) has `enabled` true, fails when it
is false or the region has no such setting ("no EBS encryption by default in eu-west-1"), and is
`unknown` when the setting could not be read.

For code, an account-level rule. When the scanned configuration declares any `aws_ebs_volume`, `aws_instance`
or `aws_ebs_encryption_by_default`, it passes when some `aws_ebs_encryption_by_default` has `enabled`
true (the resource's default), and fails otherwise, with a message saying the scanned configuration
does not turn it on (it may be turned on outside this configuration). An `enabled` only known after
apply gives `unknown`. When the configuration declares none of these resources, there is nothing to
judge and the rule reports nothing. The setting is per Region: declare it for every Region you use.

## Why it matters

With encryption by default, every new EBS volume and snapshot copy in the Region is encrypted, even
when a template, a script or an Auto Scaling group forgets to ask. CIS AWS Foundations 2.2.1 asks
for it; SOC 2 CC6.1 and C1.1 expect encryption at rest enforced rather than left to each volume.

## How to fix

Terraform:

```hcl
resource "aws_ebs_encryption_by_default" "this" {
  enabled = true
}

resource "aws_ebs_default_kms_key" "this" {
  key_arn = aws_kms_key.ebs.arn # optional: a customer-managed key
}
```

CloudFormation:

```yaml
# CloudFormation has no resource for this account setting; use the CLI or a custom resource.
```

Console: EC2 → *Settings* (under *Account attributes*) → *EBS encryption* → *Manage* → *Enable*.
CLI, in every Region used: `aws ec2 enable-ebs-encryption-by-default --region eu-west-1`.
"#;

impl Rule for EbsEncryptionByDefault {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        let scopes = LiveScopes::of(graph);
        let mut out = scopes.evaluate(scopes.regions(), &LIVE, |_, i| {
            let r = graph.get(i);
            match r.attr("enabled") {
                Value::Null => (
                    Tri::Unknown,
                    format!("{} does not say whether it is enabled", r.id),
                ),
                v => match v.truthy(true) {
                    Tri::True => (Tri::True, format!("{} has enabled = true", r.id)),
                    Tri::False => (Tri::False, format!("{} has enabled = {v}", r.id)),
                    Tri::Unknown => (
                        Tri::Unknown,
                        format!("{}: {}", r.id, attr_not_known(r, "enabled")),
                    ),
                },
            }
        });
        out.extend(check_configuration(graph, &scopes));
        out
    }
}

/// What each region of a live scan must have.
const LIVE: Requirement<'static> = Requirement {
    what: "EBS encryption by default",
    candidates: &[BY_DEFAULT],
    needs: &[BY_DEFAULT],
};

/// The judgement of the scanned configuration (every resource of code; in a live scan, the
/// resources not read live).
fn check_configuration(graph: &ResourceGraph, scopes: &LiveScopes<'_>) -> Vec<Evaluation> {
    let related = scopes.configured(&["aws_ebs_volume", "aws_instance", BY_DEFAULT]);
    if related.is_empty() {
        return Vec::new();
    }
    let settings = scopes.configured(&[BY_DEFAULT]);
    let verdicts: Vec<(usize, Tri)> = settings
        .iter()
        .map(|&i| (i, graph.get(i).attr("enabled").truthy(true)))
        .collect();
    let on: Vec<usize> = verdicts
        .iter()
        .filter(|(_, t)| *t == Tri::True)
        .map(|(i, _)| *i)
        .collect();
    let unknown: Vec<usize> = verdicts
        .iter()
        .filter(|(_, t)| *t == Tri::Unknown)
        .map(|(i, _)| *i)
        .collect();
    let (verdict, message) = if !on.is_empty() {
        (
            Verdict::Pass,
            format!("{} turns on EBS encryption by default", ids(graph, &on)),
        )
    } else if !unknown.is_empty() {
        (
            Verdict::Unknown,
            format!(
                "whether {} turns on EBS encryption by default is {}",
                ids(graph, &unknown),
                not_known(graph.get(unknown[0]))
            ),
        )
    } else if settings.is_empty() {
        (
            Verdict::Fail,
            "the scanned configuration declares EBS volumes or instances but no aws_ebs_encryption_by_default \
             (it may be enabled outside this configuration)"
                .to_string(),
        )
    } else {
        (
            Verdict::Fail,
            format!(
                "the scanned configuration declares {} with enabled = false",
                ids(graph, &settings)
            ),
        )
    };
    vec![Evaluation {
        resource: None,
        verdict,
        message,
        attribute: None,
    }]
}

const BY_DEFAULT: &str = "aws_ebs_encryption_by_default";

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    #[allow(unused_imports)]
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};
    use crate::aws::scope::test_support::{live_in, scopes, unreadable, ACCOUNT};

    #[test]
    fn account_level() {
        let g = graph(vec![res("aws_s3_bucket.b", json!({}))], &[]);
        assert!(EbsEncryptionByDefault.check(&g).is_empty());
        let g = graph(vec![res("aws_instance.web", json!({}))], &[]);
        let evals = EbsEncryptionByDefault.check(&g);
        assert_eq!(evals.len(), 1);
        assert_eq!(evals[0].verdict, Verdict::Fail);
        assert!(evals[0].resource.is_none());
        assert!(
            evals[0].message.contains("scanned configuration"),
            "{}",
            evals[0].message
        );
        let g = graph(
            vec![
                res("aws_instance.web", json!({})),
                res("aws_ebs_encryption_by_default.on", json!({})),
            ],
            &[],
        );
        assert_eq!(EbsEncryptionByDefault.check(&g)[0].verdict, Verdict::Pass);
        let g = graph(
            vec![res(
                "aws_ebs_encryption_by_default.off",
                json!({"enabled": false}),
            )],
            &[],
        );
        assert_eq!(EbsEncryptionByDefault.check(&g)[0].verdict, Verdict::Fail);
        let g = graph(
            vec![res(
                "aws_ebs_encryption_by_default.var",
                json!({"enabled": unknown()}),
            )],
            &[],
        );
        assert_eq!(EbsEncryptionByDefault.check(&g)[0].verdict, Verdict::Unknown);
        let _ = verdicts(&g, &[]);
    }

    #[test]
    fn live_regions_each_need_it_on() {
        let setting = |region: &str, enabled: serde_json::Value| {
            live_in(
                &format!("aws_ebs_encryption_by_default:{region}"),
                BY_DEFAULT,
                region,
                json!({ "enabled": enabled }),
            )
        };
        let mut resources = scopes(
            ACCOUNT,
            &[
                "eu-west-1",
                "us-east-1",
                "eu-central-1",
                "ap-south-1",
                "sa-east-1",
            ],
        );
        resources.push(setting("eu-west-1", json!(true)));
        resources.push(setting("us-east-1", json!(false)));
        resources.push(unreadable(
            BY_DEFAULT,
            Some("eu-central-1"),
            &["enabled"],
            "UnauthorizedOperation on ec2:GetEbsEncryptionByDefault",
        ));
        resources.push(setting(
            "sa-east-1",
            json!({"$unknown": "UnauthorizedOperation on ec2:GetEbsEncryptionByDefault"}),
        ));
        // Live volumes are not "the scanned configuration".
        resources.push(live_in("vol-1", "aws_ebs_volume", "eu-west-1", json!({})));
        let g = graph(resources, &[]);
        let evals = EbsEncryptionByDefault.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_region:eu-west-1".to_string(), Verdict::Pass),
                ("aws_region:us-east-1".to_string(), Verdict::Fail),
                ("aws_region:eu-central-1".to_string(), Verdict::Unknown),
                ("aws_region:ap-south-1".to_string(), Verdict::Fail),
                ("aws_region:sa-east-1".to_string(), Verdict::Unknown),
            ]
        );
        assert_eq!(evals[3].message, "no EBS encryption by default in ap-south-1");
        assert!(
            evals[1].message.contains("enabled = false"),
            "{}",
            evals[1].message
        );
        assert!(
            evals[4]
                .message
                .contains("enabled is unknown (UnauthorizedOperation"),
            "{}",
            evals[4].message
        );
    }
}

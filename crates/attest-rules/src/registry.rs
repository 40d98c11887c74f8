//! The registry: every built-in rule, in one ordered list.
//!
//! Adding a rule is one file under `aws/<service>/`, one line here and one fixture folder.

use attest_core::Rule;

use crate::aws;

static RULES: &[&dyn Rule] = &[
    // The SOC 2 examples.
    &aws::iam::no_admin_policy::NoAdminPolicy,
    &aws::ec2::sg_no_public_http::SgNoPublicHttp,
    &aws::cloudwatch::flow_log_reject_alarm::FlowLogRejectAlarm,
    &aws::cloudwatch::cloudfront_4xx_alarm::CloudFront4xxAlarm,
    &aws::dynamodb::kms_encryption::DynamoDbKmsEncryption,
    // Network: security groups, NACLs, VPC.
    // (end network)
    // Identity: IAM.
    // (end identity)
    // Data stores: S3, RDS, DynamoDB, ElastiCache, Redshift, EBS, EFS, KMS.
    // (end data)
    // Logging and monitoring: CloudTrail, Config, CloudWatch.
    // (end logging)
    // Edge and compute: CloudFront, ELB, EC2, Lambda, API Gateway, SNS, SQS, WAF.
    // (end edge)
];

/// Every built-in rule, in registry order.
pub fn all() -> &'static [&'static dyn Rule] {
    RULES
}

/// The rule whose id or alias (`FG_R00092`, `CKV_AWS_62`…) is `name`, case-insensitive.
pub fn find(name: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.meta().answers_to(name.trim()))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_aliases_do_not_collide() {
        let mut names = HashSet::new();
        for rule in all() {
            let meta = rule.meta();
            assert!(
                meta.id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{} is not kebab-case",
                meta.id
            );
            assert!(
                names.insert(meta.id.to_ascii_lowercase()),
                "duplicate id {}",
                meta.id
            );
            for alias in meta.aliases {
                if alias.tool == "cis-aws" {
                    // Benchmark sections are shared by design; they are not lookup keys.
                    continue;
                }
                assert!(
                    names.insert(alias.id.to_ascii_lowercase()),
                    "alias {} of {} is already taken",
                    alias.id,
                    meta.id
                );
            }
        }
    }

    #[test]
    fn every_rule_is_documented() {
        for rule in all() {
            let meta = rule.meta();
            for section in ["## What it checks", "## Why it matters", "## How to fix"] {
                assert!(meta.doc.contains(section), "{} lacks `{section}`", meta.id);
            }
            for part in ["```hcl", "```yaml", "aws "] {
                assert!(meta.doc.contains(part), "{} fix lacks `{part}`", meta.id);
            }
            assert!(
                !meta.resource_types.is_empty(),
                "{} declares no resource types",
                meta.id
            );
            assert!(meta.alias("fugue").is_some(), "{} has no Fugue alias", meta.id);
        }
    }

    #[test]
    fn find_by_id_or_alias_ignores_case() {
        let by_id = find("AWS-IAM-NO-ADMIN-POLICY").map(|r| r.meta().id);
        assert_eq!(by_id, Some("aws-iam-no-admin-policy"));
        assert_eq!(
            find("fg_r00069").map(|r| r.meta().id),
            Some("aws-dynamodb-kms-encryption")
        );
        assert_eq!(
            find("CKV_AWS_260").map(|r| r.meta().id),
            Some("aws-ec2-sg-no-public-http")
        );
        assert!(find("no-such-rule").is_none());
    }
}

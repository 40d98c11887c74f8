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
    &aws::ec2::sg_no_public_ssh::SgNoPublicSsh,
    &aws::ec2::sg_no_public_rdp::SgNoPublicRdp,
    &aws::ec2::sg_no_public_telnet::SgNoPublicTelnet,
    &aws::ec2::sg_no_public_msrpc::SgNoPublicMsrpc,
    &aws::ec2::sg_no_public_netbios_name::SgNoPublicNetbiosName,
    &aws::ec2::sg_no_public_netbios_datagram::SgNoPublicNetbiosDatagram,
    &aws::ec2::sg_no_public_netbios_session::SgNoPublicNetbiosSession,
    &aws::ec2::sg_no_public_ldaps::SgNoPublicLdaps,
    &aws::ec2::sg_no_public_mssql::SgNoPublicMssql,
    &aws::ec2::sg_no_public_mssql_browser::SgNoPublicMssqlBrowser,
    &aws::ec2::sg_no_public_etcd::SgNoPublicEtcd,
    &aws::ec2::sg_no_public_ssas_browser::SgNoPublicSsasBrowser,
    &aws::ec2::sg_no_public_ssas::SgNoPublicSsas,
    &aws::ec2::sg_no_public_oracle_tcps::SgNoPublicOracleTcps,
    &aws::ec2::sg_no_public_port_3000::SgNoPublicPort3000,
    &aws::ec2::sg_no_public_port_3020::SgNoPublicPort3020,
    &aws::ec2::sg_no_public_mysql::SgNoPublicMysql,
    &aws::ec2::sg_no_public_salt_publish::SgNoPublicSaltPublish,
    &aws::ec2::sg_no_public_salt_request::SgNoPublicSaltRequest,
    &aws::ec2::sg_no_public_postgresql::SgNoPublicPostgresql,
    &aws::ec2::sg_no_public_vnc_listener::SgNoPublicVncListener,
    &aws::ec2::sg_no_public_vnc_http::SgNoPublicVncHttp,
    &aws::ec2::sg_no_public_vnc::SgNoPublicVnc,
    &aws::ec2::sg_no_public_port_7001::SgNoPublicPort7001,
    &aws::ec2::sg_no_public_port_8000::SgNoPublicPort8000,
    &aws::ec2::sg_no_public_elasticsearch::SgNoPublicElasticsearch,
    &aws::ec2::sg_no_public_elasticsearch_transport::SgNoPublicElasticsearchTransport,
    &aws::ec2::sg_no_public_memcached_tls_11214::SgNoPublicMemcachedTls11214,
    &aws::ec2::sg_no_public_memcached_tls_11215::SgNoPublicMemcachedTls11215,
    &aws::ec2::sg_no_public_mongodb::SgNoPublicMongodb,
    &aws::ec2::sg_no_public_mongodb_shard::SgNoPublicMongodbShard,
    &aws::ec2::sg_no_public_mongodb_config::SgNoPublicMongodbConfig,
    &aws::ec2::sg_no_public_cassandra_opscenter::SgNoPublicCassandraOpscenter,
    &aws::ec2::sg_no_public_all_traffic::SgNoPublicAllTraffic,
    &aws::ec2::sg_no_public_all_ports::SgNoPublicAllPorts,
    &aws::ec2::sg_no_all_ports_from_any_range::SgNoAllPortsFromAnyRange,
    &aws::ec2::lb_sg_no_all_ports::LbSgNoAllPorts,
    &aws::ec2::instance_sg_no_public_all_ports::InstanceSgNoPublicAllPorts,
    &aws::ec2::db_sg_no_public_ingress::DbSgNoPublicIngress,
    &aws::ec2::instance_sg_no_public_ldap::InstanceSgNoPublicLdap,
    &aws::ec2::sg_public_ingress_web_only::SgPublicIngressWebOnly,
    &aws::vpc::default_security_group::DefaultSgRestrictsAll,
    &aws::vpc::nacl_no_public_ssh::NaclNoPublicSsh,
    &aws::vpc::nacl_no_public_rdp::NaclNoPublicRdp,
    &aws::vpc::flow_logging::VpcFlowLogging,
    &aws::vpc::peering_routes::VpcPeeringRoutesLeastAccess,
    // (end network)
    // Identity: IAM.
    &aws::iam::password_expiration::PasswordExpiration,
    &aws::iam::password_length::PasswordLength,
    &aws::iam::password_lower_case::PasswordLowerCase,
    &aws::iam::password_upper_case::PasswordUpperCase,
    &aws::iam::password_number::PasswordNumber,
    &aws::iam::password_symbol::PasswordSymbol,
    &aws::iam::password_reuse::PasswordReuse,
    &aws::iam::password_reuse_4::PasswordReuse4,
    &aws::iam::password_pci_compliant::PasswordPciCompliant,
    &aws::iam::user_no_direct_policies::UserNoDirectPolicies,
    &aws::iam::user_in_group::UserInGroup,
    &aws::iam::user_single_access_key::UserSingleActiveAccessKey,
    &aws::iam::role_trust_no_wildcard::RoleTrustNoWildcard,
    &aws::iam::role_cross_account_trust::RoleCrossAccountTrustConditions,
    &aws::iam::no_s3_list_all_buckets::NoS3ListAllBuckets,
    &aws::iam::instance_profile_no_s3_list::InstanceProfileNoS3List,
    &aws::iam::support_role::SupportRole,
    &aws::iam::access_analyzer::AccessAnalyzerEnabled,
    &aws::iam::no_cloudshell_full_access::NoCloudShellFullAccess,
    &aws::iam::root_mfa::RootMfa,
    &aws::iam::root_no_access_keys::RootNoAccessKeys,
    &aws::iam::root_hardware_mfa::RootHardwareMfa,
    // (end identity)
    // Data stores: S3, RDS, DynamoDB, ElastiCache, Redshift, EBS, EFS, KMS.
    &aws::s3::block_public_access::S3BlockPublicAccess,
    &aws::s3::encryption::S3Encryption,
    &aws::s3::https_only::S3HttpsOnly,
    &aws::s3::access_logging::S3AccessLogging,
    &aws::s3::no_public_acl::S3NoPublicAcl,
    &aws::s3::not_public::S3NotPublic,
    &aws::s3::policy_no_public_all_actions::S3PolicyNoPublicAllActions,
    &aws::s3::policy_no_public_list::S3PolicyNoPublicList,
    &aws::s3::replication::S3Replication,
    &aws::s3::versioning_lifecycle::S3VersioningLifecycle,
    &aws::s3::mfa_delete::S3MfaDelete,
    &aws::rds::publicly_accessible::RdsNotPubliclyAccessible,
    &aws::rds::auto_minor_version_upgrade::RdsAutoMinorVersionUpgrade,
    &aws::rds::deletion_protection::RdsDeletionProtection,
    &aws::rds::multi_az::RdsMultiAz,
    &aws::rds::cluster_multi_az::RdsClusterMultiAz,
    &aws::rds::encryption::RdsEncryption,
    &aws::rds::backup_retention::RdsBackupRetention,
    &aws::rds::supported_engine::RdsSupportedEngine,
    &aws::dynamodb::point_in_time_recovery::DynamoDbPointInTimeRecovery,
    &aws::redshift::cluster_not_public::RedshiftClusterNotPublic,
    &aws::efs::encryption::EfsEncryption,
    &aws::elasticache::encryption::ElastiCacheEncryption,
    &aws::ebs::volume_encryption::EbsVolumeEncryption,
    &aws::ebs::encryption_by_default::EbsEncryptionByDefault,
    &aws::kms::key_rotation::KmsKeyRotation,
    &aws::kms::key_not_public::KmsKeyNotPublic,
    &aws::opensearch::encryption_at_rest::OpenSearchEncryptionAtRest,
    &aws::opensearch::node_to_node_encryption::OpenSearchNodeToNodeEncryption,
    &aws::secretsmanager::rotation::SecretsManagerRotation,
    // (end data)
    // Logging and monitoring: CloudTrail, Config, CloudWatch.
    &aws::cloudtrail::multi_region::CloudTrailMultiRegion,
    &aws::cloudtrail::management_events::CloudTrailManagementEvents,
    &aws::cloudtrail::log_validation::CloudTrailLogFileValidation,
    &aws::cloudtrail::encryption::CloudTrailKmsEncryption,
    &aws::cloudtrail::cloudwatch_logs::CloudTrailCloudWatchLogs,
    &aws::cloudtrail::s3_access_logging::CloudTrailBucketAccessLogging,
    &aws::cloudtrail::target::CloudTrailBucketNotPublic,
    &aws::cloudtrail::s3_object_write_logging::CloudTrailS3ObjectWriteLogging,
    &aws::cloudtrail::s3_object_read_logging::CloudTrailS3ObjectReadLogging,
    &aws::config::recorder_enabled::ConfigRecorderEnabled,
    &aws::securityhub::enabled::SecurityHubEnabled,
    &aws::cloudwatch::alarm_actions::AlarmActions,
    &aws::cloudwatch::encrypted_logs::LogGroupEncrypted,
    &aws::cloudwatch::alarm_unauthorized_api_calls::AlarmUnauthorizedApiCalls,
    &aws::cloudwatch::alarm_console_login_without_mfa::AlarmConsoleLoginWithoutMfa,
    &aws::cloudwatch::alarm_root_account_usage::AlarmRootAccountUsage,
    &aws::cloudwatch::alarm_iam_policy_changes::AlarmIamPolicyChanges,
    &aws::cloudwatch::alarm_cloudtrail_changes::AlarmCloudTrailChanges,
    &aws::cloudwatch::alarm_console_auth_failures::AlarmConsoleAuthFailures,
    &aws::cloudwatch::alarm_cmk_disable_deletion::AlarmCmkDisableOrDeletion,
    &aws::cloudwatch::alarm_s3_bucket_policy_changes::AlarmS3BucketPolicyChanges,
    &aws::cloudwatch::alarm_config_changes::AlarmConfigChanges,
    &aws::cloudwatch::alarm_security_group_changes::AlarmSecurityGroupChanges,
    &aws::cloudwatch::alarm_nacl_changes::AlarmNaclChanges,
    &aws::cloudwatch::alarm_network_gateway_changes::AlarmNetworkGatewayChanges,
    &aws::cloudwatch::alarm_route_table_changes::AlarmRouteTableChanges,
    &aws::cloudwatch::alarm_vpc_changes::AlarmVpcChanges,
    &aws::cloudwatch::alarm_organizations_changes::AlarmOrganizationsChanges,
    &aws::cloudwatch::log_retention_365::LogRetention365,
    // (end logging)
    // Edge and compute: CloudFront, ELB, EC2, Lambda, API Gateway, SNS, SQS, WAF.
    &aws::cloudfront::geo_restrictions::CloudFrontGeoRestrictions,
    &aws::cloudfront::waf::CloudFrontWaf,
    &aws::cloudfront::logging::CloudFrontAccessLogging,
    &aws::cloudfront::origin_https::CloudFrontOriginHttps,
    &aws::cloudfront::viewer_https::CloudFrontViewerHttps,
    &aws::elb::access_logs::ElbAccessLogs,
    &aws::elb::cross_zone::ElbCrossZone,
    &aws::elb::https_listener::ElbHttpsListener,
    &aws::autoscaling::multi_az::AutoScalingMultiAz,
    &aws::ec2::instance_no_public_ip::Ec2InstanceNoPublicIp,
    &aws::ec2::instance_profile::Ec2InstanceProfile,
    &aws::lambda::function_not_public::LambdaFunctionNotPublic,
    &aws::lambda::permission_source_conditions::LambdaPermissionSourceConditions,
    &aws::apigateway::classic_domain_tls::ApiGatewayDomainTls12,
    &aws::apigateway::v2_domain_tls::ApiGatewayV2DomainTls12,
    &aws::sns::no_http_subscription::SnsNoHttpSubscription,
    &aws::sqs::no_public_access::SqsNoPublicAccess,
    &aws::sqs::encryption::SqsEncryption,
    &aws::waf::known_bad_inputs::WafKnownBadInputs,
    &aws::ec2::instance_imdsv2::Ec2Imdsv2Required,
    &aws::ecr::image_scan_on_push::EcrImageScanOnPush,
    &aws::ecr::tag_immutability::EcrTagImmutability,
    &aws::eks::endpoint_not_public::EksEndpointNotPublic,
    &aws::eks::secrets_encryption::EksSecretsEncryption,
    &aws::sns::topic_encryption::SnsTopicEncryption,
    &aws::elb::drop_invalid_headers::LbDropInvalidHeaders,
    &aws::elb::deletion_protection::LbDeletionProtection,
    &aws::ecs::task_no_privileged::EcsTaskNoPrivileged,
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
            assert!(
                ["fugue", "cis-aws", "checkov", "prowler"]
                    .iter()
                    .any(|t| meta.alias(t).is_some()),
                "{} has no alias in Fugue, CIS, Checkov or Prowler terms",
                meta.id
            );
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

//! Amazon CloudWatch metric filters and alarms.

pub mod alarm_actions;
pub mod alarm_cloudtrail_changes;
pub mod alarm_cmk_disable_deletion;
pub mod alarm_config_changes;
pub mod alarm_console_auth_failures;
pub mod alarm_console_login_without_mfa;
pub mod alarm_iam_policy_changes;
pub mod alarm_nacl_changes;
pub mod alarm_network_gateway_changes;
pub mod alarm_organizations_changes;
pub mod alarm_root_account_usage;
pub mod alarm_route_table_changes;
pub mod alarm_s3_bucket_policy_changes;
pub mod alarm_security_group_changes;
pub mod alarm_unauthorized_api_calls;
pub mod alarm_vpc_changes;
pub mod alarms;
pub mod cis_monitoring;
pub mod cloudfront_4xx_alarm;
pub mod encrypted_logs;
pub mod flow_log_reject_alarm;
pub mod log_chain;
pub mod log_retention_365;

//! Amazon CloudWatch metric filters and alarms.

pub mod alarms;
pub mod cloudfront_4xx_alarm;
pub mod flow_log_reject_alarm;

//! AWS CloudTrail trails: what they record, where they deliver, and how the logs are protected.

pub mod cloudwatch_logs;
pub mod encryption;
pub mod log_validation;
pub mod management_events;
pub mod multi_region;
pub mod s3_access_logging;
pub mod s3_object_read_logging;
pub mod s3_object_write_logging;
pub mod target;
pub mod trail;

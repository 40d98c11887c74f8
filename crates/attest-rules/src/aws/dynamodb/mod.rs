//! Amazon DynamoDB.

pub mod kms_encryption;
pub mod point_in_time_recovery;

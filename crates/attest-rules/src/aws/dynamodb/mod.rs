//! Amazon DynamoDB.

pub mod kms_encryption;

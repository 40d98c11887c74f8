//! AWS Secrets Manager secrets.

pub mod rotation;

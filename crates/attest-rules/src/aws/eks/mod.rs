//! Amazon EKS clusters.

pub mod endpoint_not_public;
pub mod secrets_encryption;

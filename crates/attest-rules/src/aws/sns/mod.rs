//! Amazon SNS topics and subscriptions.

pub mod no_http_subscription;
pub mod topic_encryption;

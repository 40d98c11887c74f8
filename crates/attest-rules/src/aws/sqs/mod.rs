//! Amazon SQS queues and their access policies.

pub mod encryption;
pub mod no_public_access;

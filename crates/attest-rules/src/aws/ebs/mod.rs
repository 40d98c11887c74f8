//! Amazon EBS.

pub mod encryption_by_default;
pub mod volume_encryption;

//! Amazon S3.

pub mod access_logging;
pub mod block_public_access;
pub mod common;
pub mod encryption;
pub mod https_only;
pub mod mfa_delete;
pub mod no_public_acl;
pub mod not_public;
pub mod policy_no_public_all_actions;
pub mod policy_no_public_list;
pub mod replication;
pub mod versioning_lifecycle;

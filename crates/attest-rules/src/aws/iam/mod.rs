//! AWS Identity and Access Management.

pub mod no_admin_policy;
pub mod policy_document;

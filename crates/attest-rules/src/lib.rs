//! attest-rules: the built-in rules, their registry and the compliance framework catalogs.
//!
//! Each rule lives in one file under [`aws`] (documentation, metadata and check together); the
//! [`registry`] lists them all in one ordered slice.

pub mod aws;
pub mod frameworks;
pub mod registry;

pub use registry::{all, find};

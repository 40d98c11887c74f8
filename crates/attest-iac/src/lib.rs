//! attest-iac: infrastructure-as-code loaders.
//!
//! Every loader turns its input into [`attest_core::LoadOutput`]: resources in the canonical
//! (Terraform provider schema) vocabulary, references between them, and one soft error per input
//! that could not be read in full. [`load_paths`] walks files and directories, detects each
//! input's kind from its content, and calls the right loader.

pub mod cloudformation;
pub mod discover;
pub mod inventory;
pub mod normalize;
pub mod suppress;
pub mod terraform;

pub use discover::{load_paths, LoadOptions};

//! Amazon EFS.

pub mod encryption;

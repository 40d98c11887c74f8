//! Amazon Redshift.

pub mod cluster_not_public;

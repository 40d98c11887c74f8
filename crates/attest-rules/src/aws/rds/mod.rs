//! Amazon RDS.

pub mod auto_minor_version_upgrade;
pub mod backup_retention;
pub mod cluster_multi_az;
pub mod deletion_protection;
pub mod encryption;
pub mod multi_az;
pub mod publicly_accessible;
pub mod supported_engine;

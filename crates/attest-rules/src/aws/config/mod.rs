//! AWS Config: recording of resource configuration.

pub mod recorder_enabled;

//! Amazon ElastiCache.

pub mod encryption;

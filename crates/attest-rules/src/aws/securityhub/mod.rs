//! AWS Security Hub.

pub mod enabled;

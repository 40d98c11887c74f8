//! AWS WAF (v2) web ACLs.

pub mod known_bad_inputs;

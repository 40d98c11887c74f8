//! Terraform: configuration (HCL and JSON syntax), plan JSON and state.

pub mod hcl;
pub mod plan;
pub mod state;

//! Terraform: configuration (HCL and JSON syntax), plan JSON and state.

pub mod hcl;
pub mod locate;
pub mod plan;
pub mod state;

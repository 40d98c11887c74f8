//! AWS Lambda functions and their resource-based permissions.

pub mod function_not_public;
pub mod permission_source_conditions;
pub mod permissions;

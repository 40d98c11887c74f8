//! Rules for Amazon Web Services resources, one module per service.

pub mod cloudwatch;
pub mod dynamodb;
pub mod ec2;
pub mod iam;
pub mod links;

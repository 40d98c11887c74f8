//! Amazon ECR repositories.

pub mod image_scan_on_push;
pub mod tag_immutability;

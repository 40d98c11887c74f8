//! Amazon EC2 networking (security groups).

pub mod sg_no_public_http;

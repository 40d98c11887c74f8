//! Amazon EC2 Auto Scaling groups.

pub mod multi_az;

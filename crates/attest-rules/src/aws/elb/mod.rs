//! Elastic Load Balancing: classic load balancers (`aws_elb`) and application/network load
//! balancers (`aws_lb`, `aws_alb`) with their listeners.

pub mod access_logs;
pub mod cross_zone;
pub mod deletion_protection;
pub mod drop_invalid_headers;
pub mod https_listener;

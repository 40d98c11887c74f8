//! Amazon VPC: default security groups, network ACLs, flow logs.

pub mod default_security_group;
pub mod flow_logging;
pub mod nacl_ingress;
pub mod nacl_no_public_rdp;
pub mod nacl_no_public_ssh;
pub mod peering_routes;

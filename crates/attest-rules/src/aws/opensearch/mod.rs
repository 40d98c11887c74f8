//! Amazon OpenSearch Service domains (`aws_opensearch_domain`, and the older
//! `aws_elasticsearch_domain`).

pub mod encryption_at_rest;
pub mod node_to_node_encryption;

/// The resource types of an OpenSearch Service domain.
pub const DOMAIN_TYPES: &[&str] = &["aws_opensearch_domain", "aws_elasticsearch_domain"];

//! Amazon API Gateway custom domain names (REST APIs and HTTP/WebSocket APIs).

pub mod classic_domain_tls;
pub mod tls_policy;
pub mod v2_domain_tls;

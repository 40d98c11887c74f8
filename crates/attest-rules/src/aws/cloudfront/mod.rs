//! Amazon CloudFront distributions.

pub mod geo_restrictions;
pub mod logging;
pub mod origin_https;
pub mod viewer_https;
pub mod waf;

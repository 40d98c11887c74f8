//! API Gateway custom domain names: `GetDomainNames` (REST APIs) → `aws_api_gateway_domain_name`,
//! and API Gateway v2 `GetDomainNames` (HTTP and WebSocket APIs) → `aws_apigatewayv2_domain_name`.
//!
//! Custom domain names are shared by REST and HTTP APIs, so both calls list every domain name of
//! the region. Each becomes one resource: an `aws_api_gateway_domain_name` when the REST API lists
//! it, else (the REST listing failed, or the domain is only in the v2 listing) an
//! `aws_apigatewayv2_domain_name`. Both carry the same TLS security policy. Both clients use the
//! `apigateway` service key (for `--services` and per-service endpoints).

use serde_json::{json, Map, Value as Json};

use attest_core::{LoadOutput, Reference, Resource};

use super::drain;
use crate::api::ApiError;
use crate::ctx::{client, Ctx};

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let (mut out, mut v2) = tokio::join!(rest(c), http(c));
    let listed: std::collections::HashSet<String> = out
        .resources
        .iter()
        .filter_map(|r| r.physical_id.clone())
        .collect();
    v2.resources
        .retain(|r| !r.physical_id.as_ref().is_some_and(|n| listed.contains(n)));
    out.extend(v2);
    out
}

/// References from domain names: none that rules follow.
pub fn link(out: &LoadOutput) -> Vec<Reference> {
    let _ = out;
    Vec::new()
}

/// The ARN of a custom domain name (API Gateway ARNs have no account).
fn domain_arn(c: &Ctx<'_>, name: &str) -> String {
    format!(
        "arn:{}:apigateway:{}::/domainnames/{name}",
        c.partition(),
        c.region
    )
}

async fn rest(c: &Ctx<'_>) -> LoadOutput {
    let api = client!(c.session, aws_sdk_apigateway, "apigateway");
    let (items, err) = drain(api.get_domain_names().into_paginator().items().send()).await;
    let mut out = LoadOutput::default();
    if let Some(e) = err {
        out.errors
            .push(c.error("apigateway", "GetDomainNames", e.message));
    }
    out.resources
        .extend(items.iter().filter_map(|d| rest_domain(c, d)));
    out
}

/// A REST API custom domain name.
pub fn rest_domain(c: &Ctx<'_>, d: &aws_sdk_apigateway::types::DomainName) -> Option<Resource> {
    let name = d.domain_name()?;
    let arn = d
        .domain_name_arn()
        .map(str::to_string)
        .unwrap_or_else(|| domain_arn(c, name));
    let mut a = Map::new();
    a.insert("id".into(), json!(name));
    a.insert("domain_name".into(), json!(name));
    a.insert("arn".into(), json!(arn));
    // Absent when API Gateway does not say: the rules then apply its default (TLS_1_0).
    a.insert(
        "security_policy".into(),
        json!(d.security_policy().map(|p| p.as_str())),
    );
    a.insert("certificate_arn".into(), json!(d.certificate_arn()));
    a.insert(
        "regional_certificate_arn".into(),
        json!(d.regional_certificate_arn()),
    );
    a.insert("regional_domain_name".into(), json!(d.regional_domain_name()));
    a.insert(
        "cloudfront_domain_name".into(),
        json!(d.distribution_domain_name()),
    );
    a.insert(
        "endpoint_configuration".into(),
        match d.endpoint_configuration() {
            Some(e) => json!([{
                "types": e.types().iter().map(|t| t.as_str()).collect::<Vec<_>>(),
            }]),
            None => json!([]),
        },
    );
    a.insert(
        "mutual_tls_authentication".into(),
        match d.mutual_tls_authentication() {
            Some(m) => json!([{
                "truststore_uri": m.truststore_uri(),
                "truststore_version": m.truststore_version(),
            }]),
            None => json!([]),
        },
    );
    a.insert("tags".into(), json!(d.tags().cloned().unwrap_or_default()));
    Some(c.resource(arn, "aws_api_gateway_domain_name", Some(name), a))
}

async fn http(c: &Ctx<'_>) -> LoadOutput {
    let api = client!(c.session, aws_sdk_apigatewayv2, "apigateway");
    let mut out = LoadOutput::default();
    let mut token: Option<String> = None;
    loop {
        match api.get_domain_names().set_next_token(token.take()).send().await {
            Ok(page) => {
                out.resources
                    .extend(page.items().iter().filter_map(|d| http_domain(c, d)));
                match page.next_token() {
                    Some(t) if !t.is_empty() => token = Some(t.to_string()),
                    _ => break,
                }
            }
            Err(e) => {
                let e = ApiError::from_sdk(&e);
                out.errors
                    .push(c.error("apigatewayv2", "GetDomainNames", e.message));
                break;
            }
        }
    }
    out
}

/// An HTTP or WebSocket API custom domain name; its first configuration is Terraform's
/// `domain_name_configuration` block (which allows one).
pub fn http_domain(c: &Ctx<'_>, d: &aws_sdk_apigatewayv2::types::DomainName) -> Option<Resource> {
    let name = d.domain_name()?;
    let arn = d
        .domain_name_arn()
        .map(str::to_string)
        .unwrap_or_else(|| domain_arn(c, name));
    let mut a = Map::new();
    a.insert("id".into(), json!(name));
    a.insert("domain_name".into(), json!(name));
    a.insert("arn".into(), json!(arn));
    a.insert(
        "api_mapping_selection_expression".into(),
        json!(d.api_mapping_selection_expression()),
    );
    a.insert(
        "domain_name_configuration".into(),
        Json::Array(
            d.domain_name_configurations()
                .first()
                .map(|k| {
                    json!({
                        "certificate_arn": k.certificate_arn(),
                        "endpoint_type": k.endpoint_type().map(|t| t.as_str()),
                        "security_policy": k.security_policy().map(|p| p.as_str()),
                        "hosted_zone_id": k.hosted_zone_id(),
                        "target_domain_name": k.api_gateway_domain_name(),
                        "ownership_verification_certificate_arn": k.ownership_verification_certificate_arn(),
                    })
                })
                .into_iter()
                .collect(),
        ),
    );
    a.insert(
        "mutual_tls_authentication".into(),
        match d.mutual_tls_authentication() {
            Some(m) if m.truststore_uri().is_some() => json!([{
                "truststore_uri": m.truststore_uri(),
                "truststore_version": m.truststore_version(),
            }]),
            _ => json!([]),
        },
    );
    a.insert("tags".into(), json!(d.tags().cloned().unwrap_or_default()));
    Some(c.resource(arn, "aws_apigatewayv2_domain_name", Some(name), a))
}

#[cfg(test)]
mod tests {
    use aws_sdk_apigateway::types::{EndpointConfiguration, EndpointType, SecurityPolicy};
    use aws_sdk_apigatewayv2::types::DomainNameConfiguration;

    use super::*;
    use crate::ctx::Session;

    #[test]
    fn rest_domain_names() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let d = aws_sdk_apigateway::types::DomainName::builder()
            .domain_name("api.example.com")
            .security_policy(SecurityPolicy::Tls12)
            .endpoint_configuration(
                EndpointConfiguration::builder()
                    .types(EndpointType::Regional)
                    .build(),
            )
            .build();
        let r = rest_domain(&c, &d).expect("domain");
        assert_eq!(r.id, "arn:aws:apigateway:us-east-1::/domainnames/api.example.com");
        assert_eq!(r.physical_id.as_deref(), Some("api.example.com"));
        assert_eq!(r.attr("security_policy").as_str(), Some("TLS_1_2"));
        assert_eq!(
            r.attr("endpoint_configuration").to_json(),
            json!([{"types": ["REGIONAL"]}])
        );
        // Not said by the API: absent, so that the rule applies API Gateway's default.
        let bare = aws_sdk_apigateway::types::DomainName::builder()
            .domain_name("old.example.com")
            .build();
        assert!(rest_domain(&c, &bare)
            .expect("domain")
            .attr("security_policy")
            .is_null());
    }

    #[test]
    fn http_domain_names() {
        let s = Session::for_tests("eu-west-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let d = aws_sdk_apigatewayv2::types::DomainName::builder()
            .domain_name("ws.example.com")
            .domain_name_configurations(
                DomainNameConfiguration::builder()
                    .endpoint_type(aws_sdk_apigatewayv2::types::EndpointType::Regional)
                    .security_policy(aws_sdk_apigatewayv2::types::SecurityPolicy::Tls10)
                    .build(),
            )
            .build();
        let r = http_domain(&c, &d).expect("domain");
        assert_eq!(r.id, "arn:aws:apigateway:eu-west-1::/domainnames/ws.example.com");
        assert_eq!(
            r.attr("domain_name_configuration.security_policy").as_str(),
            Some("TLS_1_0")
        );
        assert_eq!(
            r.attr("domain_name_configuration.endpoint_type").as_str(),
            Some("REGIONAL")
        );
    }
}

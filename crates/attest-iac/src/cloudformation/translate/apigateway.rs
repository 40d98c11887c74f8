//! API Gateway custom domain names (REST APIs and HTTP / WebSocket APIs).
//!
//! | CloudFormation | canonical |
//! |---|---|
//! | `AWS::ApiGateway::DomainName` | `aws_api_gateway_domain_name` (`EndpointConfiguration` → `endpoint_configuration`, `SecurityPolicy` → `security_policy`) |
//! | `AWS::ApiGatewayV2::DomainName` | `aws_apigatewayv2_domain_name`; the first entry of `DomainNameConfigurations` becomes the `domain_name_configuration` block (Terraform allows one) |
//!
//! An absent `SecurityPolicy` stays absent: API Gateway's default (`TLS_1_0`) is the provider's too.

use attest_core::Value;

use super::{block, obj, one_or_list, tags, Ctx, Source, Translated};

pub fn domain_name(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    vec![Translated::new(
        s.id,
        "aws_api_gateway_domain_name",
        obj(vec![
            ("domain_name", p.get("DomainName").clone()),
            ("certificate_arn", p.get("CertificateArn").clone()),
            (
                "regional_certificate_arn",
                p.get("RegionalCertificateArn").clone(),
            ),
            ("security_policy", p.get("SecurityPolicy").clone()),
            (
                "endpoint_configuration",
                block(p.get("EndpointConfiguration"), |e| {
                    obj(vec![("types", one_or_list(e.get("Types")))])
                }),
            ),
            (
                "mutual_tls_authentication",
                block(p.get("MutualTlsAuthentication"), |m| {
                    obj(vec![
                        ("truststore_uri", m.get("TruststoreUri").clone()),
                        ("truststore_version", m.get("TruststoreVersion").clone()),
                    ])
                }),
            ),
            ("tags", tags(p.get("Tags"))),
        ]),
    )]
}

pub fn domain_name_v2(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let first = match p.get("DomainNameConfigurations") {
        Value::List(items) => items.first().cloned().unwrap_or(Value::Null),
        other => other.clone(),
    };
    let configuration = block(&first, |c| {
        obj(vec![
            ("certificate_arn", c.get("CertificateArn").clone()),
            ("endpoint_type", c.get("EndpointType").clone()),
            ("security_policy", c.get("SecurityPolicy").clone()),
            (
                "ownership_verification_certificate_arn",
                c.get("OwnershipVerificationCertificateArn").clone(),
            ),
        ])
    });
    vec![Translated::new(
        s.id,
        "aws_apigatewayv2_domain_name",
        obj(vec![
            ("domain_name", p.get("DomainName").clone()),
            ("domain_name_configuration", configuration),
            (
                "mutual_tls_authentication",
                block(p.get("MutualTlsAuthentication"), |m| {
                    obj(vec![
                        ("truststore_uri", m.get("TruststoreUri").clone()),
                        ("truststore_version", m.get("TruststoreVersion").clone()),
                    ])
                }),
            ),
            // Tags of the v2 resources are a map already.
            ("tags", p.get("Tags").clone()),
        ]),
    )]
}

//! CloudFront distributions (`DistributionConfig` flattened into the distribution, as Terraform
//! has it).

use attest_core::Value;

use super::{block, each, obj, one_or_list, tags, Ctx, Source, Translated};

fn cache_behavior(b: &Value) -> Value {
    obj(vec![
        ("path_pattern", b.get("PathPattern").clone()),
        ("target_origin_id", b.get("TargetOriginId").clone()),
        ("viewer_protocol_policy", b.get("ViewerProtocolPolicy").clone()),
        ("allowed_methods", one_or_list(b.get("AllowedMethods"))),
        ("cached_methods", one_or_list(b.get("CachedMethods"))),
        ("cache_policy_id", b.get("CachePolicyId").clone()),
        ("origin_request_policy_id", b.get("OriginRequestPolicyId").clone()),
        (
            "response_headers_policy_id",
            b.get("ResponseHeadersPolicyId").clone(),
        ),
        ("compress", b.get("Compress").clone()),
        (
            "field_level_encryption_id",
            b.get("FieldLevelEncryptionId").clone(),
        ),
    ])
}

fn origin(o: &Value) -> Value {
    obj(vec![
        ("domain_name", o.get("DomainName").clone()),
        ("origin_id", o.get("Id").clone()),
        ("origin_path", o.get("OriginPath").clone()),
        ("origin_access_control_id", o.get("OriginAccessControlId").clone()),
        (
            "custom_origin_config",
            block(o.get("CustomOriginConfig"), |c| {
                obj(vec![
                    ("http_port", c.get("HTTPPort").clone()),
                    ("https_port", c.get("HTTPSPort").clone()),
                    ("origin_protocol_policy", c.get("OriginProtocolPolicy").clone()),
                    ("origin_ssl_protocols", one_or_list(c.get("OriginSSLProtocols"))),
                ])
            }),
        ),
        (
            "s3_origin_config",
            block(o.get("S3OriginConfig"), |c| {
                obj(vec![(
                    "origin_access_identity",
                    c.get("OriginAccessIdentity").clone(),
                )])
            }),
        ),
    ])
}

pub fn distribution(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let c = s.props.get("DistributionConfig");
    let restrictions = block(c.get("Restrictions"), |r| {
        obj(vec![(
            "geo_restriction",
            block(r.get("GeoRestriction"), |g| {
                obj(vec![
                    ("restriction_type", g.get("RestrictionType").clone()),
                    ("locations", one_or_list(g.get("Locations"))),
                ])
            }),
        )])
    });
    let viewer_certificate = block(c.get("ViewerCertificate"), |v| {
        obj(vec![
            ("acm_certificate_arn", v.get("AcmCertificateArn").clone()),
            ("iam_certificate_id", v.get("IamCertificateId").clone()),
            (
                "cloudfront_default_certificate",
                v.get("CloudFrontDefaultCertificate").clone(),
            ),
            (
                "minimum_protocol_version",
                v.get("MinimumProtocolVersion").clone(),
            ),
            ("ssl_support_method", v.get("SslSupportMethod").clone()),
        ])
    });
    let logging = block(c.get("Logging"), |l| {
        obj(vec![
            ("bucket", l.get("Bucket").clone()),
            ("include_cookies", l.get("IncludeCookies").clone()),
            ("prefix", l.get("Prefix").clone()),
        ])
    });
    vec![Translated::new(
        s.id,
        "aws_cloudfront_distribution",
        obj(vec![
            ("enabled", c.get("Enabled").clone()),
            ("aliases", one_or_list(c.get("Aliases"))),
            ("comment", c.get("Comment").clone()),
            ("default_root_object", c.get("DefaultRootObject").clone()),
            ("http_version", c.get("HttpVersion").clone()),
            ("is_ipv6_enabled", c.get("IPV6Enabled").clone()),
            ("price_class", c.get("PriceClass").clone()),
            ("web_acl_id", c.get("WebACLId").clone()),
            ("origin", each(c.get("Origins"), origin)),
            (
                "default_cache_behavior",
                block(c.get("DefaultCacheBehavior"), cache_behavior),
            ),
            (
                "ordered_cache_behavior",
                each(c.get("CacheBehaviors"), cache_behavior),
            ),
            ("logging_config", logging),
            ("restrictions", restrictions),
            ("viewer_certificate", viewer_certificate),
            ("tags", tags(s.props.get("Tags"))),
        ]),
    )]
}

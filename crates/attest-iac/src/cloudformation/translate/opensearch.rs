//! OpenSearch Service and (legacy) Elasticsearch Service domains.
//!
//! `AWS::OpenSearchService::Domain` becomes `aws_opensearch_domain`, `AWS::Elasticsearch::Domain`
//! becomes `aws_elasticsearch_domain`. The option structures become the provider's blocks:
//! `EncryptionAtRestOptions` → `encrypt_at_rest`, `NodeToNodeEncryptionOptions` →
//! `node_to_node_encryption`, `DomainEndpointOptions` → `domain_endpoint_options`, `VPCOptions`
//! → `vpc_options`, `EBSOptions` → `ebs_options`, `AdvancedSecurityOptions` →
//! `advanced_security_options`; the `LogPublishingOptions` map (by log type) becomes the list of
//! `log_publishing_options` blocks; `AccessPolicies` becomes the JSON string `access_policies`.

use attest_core::Value;

use super::{block, json_string, obj, one_or_list, tags, Ctx, Source, Translated};

fn log_publishing(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::List(
            map.iter()
                .map(|(log_type, o)| {
                    obj(vec![
                        ("log_type", Value::from(log_type.as_str())),
                        (
                            "cloudwatch_log_group_arn",
                            o.get("CloudWatchLogsLogGroupArn").clone(),
                        ),
                        ("enabled", o.get("Enabled").clone()),
                    ])
                })
                .collect(),
        ),
        Value::Unknown(_) => v.clone(),
        _ => Value::Null,
    }
}

fn domain(s: &Source, ty: &str, version: (&str, &str), cluster: &str) -> Vec<Translated> {
    let p = s.props;
    let access = p.get("AccessPolicies");
    vec![Translated::new(
        s.id,
        ty,
        obj(vec![
            ("domain_name", p.get("DomainName").clone()),
            (version.1, p.get(version.0).clone()),
            (
                "cluster_config",
                block(p.get(cluster), |c| {
                    obj(vec![
                        ("instance_type", c.get("InstanceType").clone()),
                        ("instance_count", c.get("InstanceCount").clone()),
                        (
                            "dedicated_master_enabled",
                            c.get("DedicatedMasterEnabled").clone(),
                        ),
                        ("zone_awareness_enabled", c.get("ZoneAwarenessEnabled").clone()),
                    ])
                }),
            ),
            (
                "encrypt_at_rest",
                block(p.get("EncryptionAtRestOptions"), |e| {
                    obj(vec![
                        ("enabled", e.get("Enabled").clone()),
                        ("kms_key_id", e.get("KmsKeyId").clone()),
                    ])
                }),
            ),
            (
                "node_to_node_encryption",
                block(p.get("NodeToNodeEncryptionOptions"), |e| {
                    obj(vec![("enabled", e.get("Enabled").clone())])
                }),
            ),
            (
                "domain_endpoint_options",
                block(p.get("DomainEndpointOptions"), |d| {
                    obj(vec![
                        ("enforce_https", d.get("EnforceHTTPS").clone()),
                        ("tls_security_policy", d.get("TLSSecurityPolicy").clone()),
                        ("custom_endpoint_enabled", d.get("CustomEndpointEnabled").clone()),
                        ("custom_endpoint", d.get("CustomEndpoint").clone()),
                    ])
                }),
            ),
            (
                "ebs_options",
                block(p.get("EBSOptions"), |e| {
                    obj(vec![
                        ("ebs_enabled", e.get("EBSEnabled").clone()),
                        ("volume_size", e.get("VolumeSize").clone()),
                        ("volume_type", e.get("VolumeType").clone()),
                    ])
                }),
            ),
            (
                "vpc_options",
                block(p.get("VPCOptions"), |v| {
                    obj(vec![
                        ("subnet_ids", one_or_list(v.get("SubnetIds"))),
                        ("security_group_ids", one_or_list(v.get("SecurityGroupIds"))),
                    ])
                }),
            ),
            (
                "advanced_security_options",
                block(p.get("AdvancedSecurityOptions"), |a| {
                    obj(vec![
                        ("enabled", a.get("Enabled").clone()),
                        (
                            "internal_user_database_enabled",
                            a.get("InternalUserDatabaseEnabled").clone(),
                        ),
                    ])
                }),
            ),
            (
                "log_publishing_options",
                log_publishing(p.get("LogPublishingOptions")),
            ),
            ("access_policies", json_string(access)),
            ("tags", tags(p.get("Tags"))),
        ]),
    )
    .holding("access_policies", access)]
}

pub fn opensearch_domain(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    domain(
        s,
        "aws_opensearch_domain",
        ("EngineVersion", "engine_version"),
        "ClusterConfig",
    )
}

pub fn elasticsearch_domain(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    domain(
        s,
        "aws_elasticsearch_domain",
        ("ElasticsearchVersion", "elasticsearch_version"),
        "ElasticsearchClusterConfig",
    )
}

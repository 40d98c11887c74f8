//! EKS `ListClusters` and `DescribeCluster` → `aws_eks_cluster` (`vpc_config` with the endpoint
//! access settings, `encryption_config`, `enabled_cluster_log_types`).

use aws_sdk_eks::types::Cluster;
use futures::StreamExt;
use serde_json::{json, Map, Value as Json};

use attest_core::{LoadOutput, Reference, Resource};

use super::{drain, unknown};
use crate::api::ApiError;
use crate::ctx::{client, Ctx};

/// `DescribeCluster` calls in flight at once.
const CONCURRENCY: usize = 8;

/// The attributes only `DescribeCluster` tells.
const DESCRIBED: &[&str] = &[
    "vpc_config",
    "encryption_config",
    "enabled_cluster_log_types",
    "role_arn",
    "version",
    "endpoint",
    "status",
    "tags",
];

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let eks = client!(c.session, aws_sdk_eks, "eks");
    let (names, err) = drain(eks.list_clusters().into_paginator().items().send()).await;
    let mut out = LoadOutput::default();
    if let Some(e) = err {
        out.errors.push(c.error("eks", "ListClusters", e.message));
    }
    let eks = &eks;
    let described: Vec<(String, Result<Cluster, ApiError>)> = futures::stream::iter(names)
        .map(|name| async move {
            let r = eks
                .describe_cluster()
                .name(&name)
                .send()
                .await
                .map_err(|e| ApiError::from_sdk(&e))
                .and_then(|o| {
                    o.cluster.ok_or_else(|| ApiError {
                        code: "EmptyAnswer".into(),
                        message: "DescribeCluster answered without a cluster".into(),
                    })
                });
            (name, r)
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    for (name, r) in described {
        if let Err(e) = &r {
            out.errors
                .push(c.error("eks", "DescribeCluster", format!("cluster {name}: {}", e.message)));
        }
        out.resources.push(cluster(c, &name, r.as_ref()));
    }
    out
}

/// References from clusters: none that rules follow.
pub fn link(out: &LoadOutput) -> Vec<Reference> {
    let _ = out;
    Vec::new()
}

/// A cluster from its `DescribeCluster` answer, or with the attributes only that call tells
/// unknown.
pub fn cluster(c: &Ctx<'_>, name: &str, described: Result<&Cluster, &ApiError>) -> Resource {
    let mut a = Map::new();
    a.insert("id".into(), json!(name));
    a.insert("name".into(), json!(name));
    let arn = described
        .ok()
        .and_then(|k| k.arn().map(str::to_string))
        .or_else(|| c.arn("eks", &format!("cluster/{name}")));
    a.insert("arn".into(), json!(arn));
    match described {
        Ok(k) => {
            a.insert("role_arn".into(), json!(k.role_arn()));
            a.insert("version".into(), json!(k.version()));
            a.insert("endpoint".into(), json!(k.endpoint()));
            a.insert("status".into(), json!(k.status().map(|s| s.as_str())));
            a.insert("vpc_config".into(), vpc_config(k));
            a.insert(
                "encryption_config".into(),
                Json::Array(k.encryption_config().iter().map(encryption).collect()),
            );
            let log_types: Vec<&str> = k
                .logging()
                .map(|l| l.cluster_logging())
                .unwrap_or_default()
                .iter()
                .filter(|s| s.enabled() == Some(true))
                .flat_map(|s| s.types().iter().map(|t| t.as_str()))
                .collect();
            a.insert("enabled_cluster_log_types".into(), json!(log_types));
            a.insert("tags".into(), json!(k.tags().cloned().unwrap_or_default()));
        }
        Err(e) => {
            let reason = e.unknown_reason("eks", "DescribeCluster");
            for key in DESCRIBED {
                a.insert((*key).into(), unknown(&reason));
            }
        }
    }
    let rid = arn.unwrap_or_else(|| c.local_id("aws_eks_cluster", name));
    c.resource(rid, "aws_eks_cluster", Some(name), a)
}

/// One `encryptionConfig` entry as an `encryption_config` block. EKS has deprecated
/// `resources`: with a KMS key it now envelope-encrypts all Kubernetes API data, secrets
/// included. An entry with a key but no resources therefore covers `secrets`.
#[allow(deprecated)]
fn encryption(e: &aws_sdk_eks::types::EncryptionConfig) -> Json {
    let key = e.provider().and_then(|p| p.key_arn()).unwrap_or_default();
    let resources: Vec<&str> = if e.resources().is_empty() && !key.is_empty() {
        vec!["secrets"]
    } else {
        e.resources().iter().map(String::as_str).collect()
    };
    json!({ "resources": resources, "provider": [{ "key_arn": key }] })
}

/// `resourcesVpcConfig` as the `vpc_config` block. `publicAccessCidrs` stays absent when the
/// answer leaves it out, so that the rules apply EKS's default (`0.0.0.0/0`).
fn vpc_config(k: &Cluster) -> Json {
    let Some(v) = k.resources_vpc_config() else {
        return json!([]);
    };
    let mut b = Map::new();
    b.insert("subnet_ids".into(), json!(v.subnet_ids()));
    b.insert("security_group_ids".into(), json!(v.security_group_ids()));
    b.insert(
        "cluster_security_group_id".into(),
        json!(v.cluster_security_group_id()),
    );
    b.insert("vpc_id".into(), json!(v.vpc_id()));
    b.insert("endpoint_public_access".into(), json!(v.endpoint_public_access()));
    b.insert(
        "endpoint_private_access".into(),
        json!(v.endpoint_private_access()),
    );
    if let Some(cidrs) = &v.public_access_cidrs {
        b.insert("public_access_cidrs".into(), json!(cidrs));
    }
    Json::Array(vec![Json::Object(b)])
}

#[cfg(test)]
mod tests {
    use aws_sdk_eks::types::{EncryptionConfig, LogSetup, LogType, Logging, Provider, VpcConfigResponse};

    use super::*;
    use crate::ctx::Session;

    #[test]
    #[allow(deprecated)]
    fn describe_cluster_maps_to_the_terraform_shape() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let k = Cluster::builder()
            .name("prod")
            .arn("arn:aws:eks:us-east-1:123456789012:cluster/prod")
            .resources_vpc_config(
                VpcConfigResponse::builder()
                    .subnet_ids("subnet-1")
                    .endpoint_public_access(true)
                    .endpoint_private_access(true)
                    .public_access_cidrs("203.0.113.0/24")
                    .build(),
            )
            .encryption_config(
                EncryptionConfig::builder()
                    .resources("secrets")
                    .provider(
                        Provider::builder()
                            .key_arn("arn:aws:kms:us-east-1:1:key/k")
                            .build(),
                    )
                    .build(),
            )
            .logging(
                Logging::builder()
                    .cluster_logging(
                        LogSetup::builder()
                            .types(LogType::Api)
                            .types(LogType::Audit)
                            .enabled(true)
                            .build(),
                    )
                    .cluster_logging(
                        LogSetup::builder()
                            .types(LogType::Scheduler)
                            .enabled(false)
                            .build(),
                    )
                    .build(),
            )
            .build();
        let r = cluster(&c, "prod", Ok(&k));
        assert_eq!(r.id, "arn:aws:eks:us-east-1:123456789012:cluster/prod");
        assert_eq!(
            r.attr("vpc_config.public_access_cidrs").to_json(),
            json!(["203.0.113.0/24"])
        );
        assert_eq!(r.attr("vpc_config.endpoint_public_access").as_bool(), Some(true));
        assert_eq!(
            r.attr("encryption_config").to_json(),
            json!([{"resources": ["secrets"], "provider": [{"key_arn": "arn:aws:kms:us-east-1:1:key/k"}]}])
        );
        assert_eq!(
            r.attr("enabled_cluster_log_types").to_json(),
            json!(["api", "audit"])
        );
        // CIDRs the answer leaves out stay absent (the rules apply EKS's default).
        let keyed = Cluster::builder()
            .name("keyed")
            .encryption_config(
                EncryptionConfig::builder()
                    .provider(Provider::builder().key_arn("k").build())
                    .build(),
            )
            .build();
        assert_eq!(
            cluster(&c, "keyed", Ok(&keyed))
                .attr("encryption_config.resources")
                .to_json(),
            json!(["secrets"])
        );
        let bare = Cluster::builder()
            .name("bare")
            .resources_vpc_config(VpcConfigResponse::builder().build())
            .build();
        let b = cluster(&c, "bare", Ok(&bare));
        assert!(b.attr("vpc_config.public_access_cidrs").is_null());
        assert_eq!(b.attr("encryption_config").to_json(), json!([]));
    }

    #[test]
    fn denied_describe_cluster_leaves_settings_unknown() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let denied = ApiError {
            code: "AccessDeniedException".into(),
            message: "not allowed".into(),
        };
        let r = cluster(&c, "prod", Err(&denied));
        assert_eq!(r.id, "arn:aws:eks:us-east-1:123456789012:cluster/prod");
        assert_eq!(
            r.attr("vpc_config"),
            &attest_core::Value::Unknown("AccessDeniedException on eks:DescribeCluster".into())
        );
        assert!(r.attr("encryption_config").is_unknown());
    }
}

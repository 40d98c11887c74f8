//! EKS clusters.
//!
//! `AWS::EKS::Cluster` becomes `aws_eks_cluster`: `ResourcesVpcConfig` → `vpc_config`,
//! `EncryptionConfig` → `encryption_config` (with its `provider` block), `Logging` →
//! `enabled_cluster_log_types`. Absent endpoint settings stay absent: EKS's defaults (public
//! endpoint open to `0.0.0.0/0`, no private endpoint) are the provider's too.

use attest_core::Value;

use super::{block, each, obj, one_or_list, tags, Ctx, Source, Translated};

/// `Logging.ClusterLogging.EnabledTypes: [{Type}]` as the list of enabled types.
fn log_types(p: &Value) -> Value {
    match p.path("Logging.ClusterLogging.EnabledTypes") {
        Value::Null => Value::Null,
        Value::Unknown(reason) => Value::Unknown(reason.clone()),
        types => each(types, |t| t.get("Type").clone()),
    }
}

pub fn cluster(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let vpc_config = block(p.get("ResourcesVpcConfig"), |v| {
        obj(vec![
            ("subnet_ids", one_or_list(v.get("SubnetIds"))),
            ("security_group_ids", one_or_list(v.get("SecurityGroupIds"))),
            ("endpoint_public_access", v.get("EndpointPublicAccess").clone()),
            ("endpoint_private_access", v.get("EndpointPrivateAccess").clone()),
            ("public_access_cidrs", one_or_list(v.get("PublicAccessCidrs"))),
        ])
    });
    let encryption = each(p.get("EncryptionConfig"), |e| {
        obj(vec![
            ("resources", one_or_list(e.get("Resources"))),
            (
                "provider",
                block(e.get("Provider"), |k| {
                    obj(vec![("key_arn", k.get("KeyArn").clone())])
                }),
            ),
        ])
    });
    vec![Translated::new(
        s.id,
        "aws_eks_cluster",
        obj(vec![
            ("name", p.get("Name").clone()),
            ("role_arn", p.get("RoleArn").clone()),
            ("version", p.get("Version").clone()),
            ("vpc_config", vpc_config),
            ("encryption_config", encryption),
            ("enabled_cluster_log_types", log_types(p)),
            ("tags", tags(p.get("Tags"))),
        ]),
    )]
}

//! EFS `DescribeFileSystems` → `aws_efs_file_system` (`encrypted`, `kms_key_id`, performance and
//! throughput modes). Lifecycle policies (`DescribeLifecycleConfiguration`) are not read:
//! `lifecycle_policy` is unknown.

use aws_sdk_efs::types::FileSystemDescription;
use serde_json::{json, Map};

use attest_core::{LoadOutput, Reference, Resource};

use super::targets::{managed, Targets, KMS, KMS_TYPES};
use super::{drain, unknown};
use crate::ctx::{client, Ctx};

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let efs = client!(c.session, aws_sdk_efs, "efs");
    let (file_systems, err) = drain(efs.describe_file_systems().into_paginator().items().send()).await;
    let mut out = LoadOutput::default();
    if let Some(e) = err {
        out.errors.push(c.error("efs", "DescribeFileSystems", e.message));
    }
    out.resources
        .extend(file_systems.iter().map(|f| file_system(c, f)));
    out
}

pub fn file_system(c: &Ctx<'_>, f: &FileSystemDescription) -> Resource {
    let id = f.file_system_id();
    let arn = f
        .file_system_arn()
        .map(str::to_string)
        .or_else(|| c.arn("elasticfilesystem", &format!("file-system/{id}")));
    let mut a = Map::new();
    a.insert("id".into(), json!(id));
    a.insert("arn".into(), json!(arn));
    a.insert("creation_token".into(), json!(f.creation_token()));
    a.insert("name".into(), json!(f.name()));
    a.insert(
        "encrypted".into(),
        match f.encrypted() {
            Some(e) => json!(e),
            None => unknown("efs:DescribeFileSystems answered without Encrypted"),
        },
    );
    a.insert("kms_key_id".into(), json!(f.kms_key_id().unwrap_or_default()));
    a.insert("performance_mode".into(), json!(f.performance_mode().as_str()));
    a.insert(
        "throughput_mode".into(),
        json!(f.throughput_mode().map(|t| t.as_str())),
    );
    a.insert(
        "provisioned_throughput_in_mibps".into(),
        json!(f.provisioned_throughput_in_mibps()),
    );
    a.insert("availability_zone_name".into(), json!(f.availability_zone_name()));
    a.insert(
        "number_of_mount_targets".into(),
        json!(f.number_of_mount_targets()),
    );
    a.insert(
        "tags".into(),
        super::tags(f.tags().iter().map(|t| (Some(t.key()), Some(t.value())))),
    );
    super::not_collected(&mut a, &["lifecycle_policy"]);
    let rid = arn.unwrap_or_else(|| c.local_id("aws_efs_file_system", id));
    c.resource(rid, "aws_efs_file_system", Some(id), a)
}

/// File system → KMS key (`kms_key_id`).
pub fn link(out: &LoadOutput) -> Vec<Reference> {
    let t = Targets::build(out, KMS);
    let mut refs = Vec::new();
    for r in managed(out, &["aws_efs_file_system"]) {
        t.edges(r, "kms_key_id", KMS_TYPES, None, &mut refs);
    }
    refs
}

#[cfg(test)]
mod tests {
    use aws_sdk_efs::types::{LifeCycleState, PerformanceMode};

    use super::*;
    use crate::ctx::Session;

    fn fs(encrypted: Option<bool>) -> FileSystemDescription {
        FileSystemDescription::builder()
            .owner_id("123456789012")
            .creation_token("t")
            .file_system_id("fs-1")
            .creation_time(aws_smithy_types::DateTime::from_secs(0))
            .life_cycle_state(LifeCycleState::Available)
            .number_of_mount_targets(0)
            .size_in_bytes(aws_sdk_efs::types::FileSystemSize::builder().value(0).build())
            .performance_mode(PerformanceMode::GeneralPurpose)
            .set_encrypted(encrypted)
            .set_tags(Some(Vec::new()))
            .build()
            .expect("file system")
    }

    #[test]
    fn encryption_flag() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::new(&s, Some("123456789012".into()));
        let r = file_system(&c, &fs(Some(true)));
        assert_eq!(
            r.id,
            "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-1"
        );
        assert_eq!(r.physical_id.as_deref(), Some("fs-1"));
        assert_eq!(r.attr("encrypted").as_bool(), Some(true));
        assert_eq!(r.attr("performance_mode").as_str(), Some("generalPurpose"));
        assert!(r.attr("lifecycle_policy").is_unknown());
        assert!(file_system(&c, &fs(None)).attr("encrypted").is_unknown());
    }
}

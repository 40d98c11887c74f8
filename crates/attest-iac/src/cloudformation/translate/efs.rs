//! EFS file systems.
//!
//! What CloudFormation writes inline and Terraform declares separately becomes the split
//! resource: `BackupPolicy` an `aws_efs_backup_policy` with id `<FileSystem>.BackupPolicy`,
//! `FileSystemPolicy` an `aws_efs_file_system_policy` with id `<FileSystem>.FileSystemPolicy`
//! (the policy document serialized as the JSON string Terraform holds), each with
//! `file_system_id` referring to the file system.

use super::{block, each, json_string, obj, tags, Ctx, Source, Translated};

pub fn file_system(ctx: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let lifecycle = each(p.get("LifecyclePolicies"), |l| {
        obj(vec![
            ("transition_to_ia", l.get("TransitionToIA").clone()),
            (
                "transition_to_primary_storage_class",
                l.get("TransitionToPrimaryStorageClass").clone(),
            ),
            ("transition_to_archive", l.get("TransitionToArchive").clone()),
        ])
    });
    let mut out = vec![Translated::new(
        s.id,
        "aws_efs_file_system",
        obj(vec![
            ("encrypted", p.get("Encrypted").clone()),
            ("kms_key_id", p.get("KmsKeyId").clone()),
            ("performance_mode", p.get("PerformanceMode").clone()),
            ("throughput_mode", p.get("ThroughputMode").clone()),
            (
                "provisioned_throughput_in_mibps",
                p.get("ProvisionedThroughputInMibps").clone(),
            ),
            ("availability_zone_name", p.get("AvailabilityZoneName").clone()),
            ("lifecycle_policy", lifecycle),
            ("tags", tags(p.get("FileSystemTags"))),
        ]),
    )];
    let backup = p.get("BackupPolicy");
    if !backup.is_null() {
        let id = ctx.reference(s.id, "FileSystemId");
        out.push(Translated::new(
            format!("{}.BackupPolicy", s.id),
            "aws_efs_backup_policy",
            obj(vec![
                ("file_system_id", id),
                (
                    "backup_policy",
                    block(backup, |b| obj(vec![("status", b.get("Status").clone())])),
                ),
            ]),
        ));
    }
    let policy = p.get("FileSystemPolicy");
    if !policy.is_null() {
        let id = ctx.reference(s.id, "FileSystemId");
        out.push(
            Translated::new(
                format!("{}.FileSystemPolicy", s.id),
                "aws_efs_file_system_policy",
                obj(vec![
                    ("file_system_id", id),
                    ("policy", json_string(policy)),
                    (
                        "bypass_policy_lockout_safety_check",
                        p.get("BypassPolicyLockoutSafetyCheck").clone(),
                    ),
                ]),
            )
            .holding("policy", policy),
        );
    }
    out
}

//! AWS Config: configuration recorders and delivery channels.
//!
//! CloudFormation has no resource for the recorder's status: a recorder created by a stack is
//! started by CloudFormation once the stack's delivery channel exists, and stopped only by deleting
//! it. So `AWS::Config::ConfigurationRecorder` becomes an `aws_config_configuration_recorder` plus
//! the `aws_config_configuration_recorder_status` Terraform would need for the same effect, id
//! `<LogicalId>.Status`, with `name` referring to the recorder and `is_enabled = true`.
//! `AWS::Config::DeliveryChannel` becomes `aws_config_delivery_channel`.

use attest_core::Value;

use super::{block, obj, one_or_list, Ctx, Source, Translated};

pub fn recorder(ctx: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let recording_group = block(p.get("RecordingGroup"), |g| {
        obj(vec![
            ("all_supported", g.get("AllSupported").clone()),
            (
                "include_global_resource_types",
                g.get("IncludeGlobalResourceTypes").clone(),
            ),
            ("resource_types", one_or_list(g.get("ResourceTypes"))),
            (
                "exclusion_by_resource_types",
                block(g.get("ExclusionByResourceTypes"), |e| {
                    obj(vec![("resource_types", one_or_list(e.get("ResourceTypes")))])
                }),
            ),
            (
                "recording_strategy",
                block(g.get("RecordingStrategy"), |r| {
                    obj(vec![("use_only", r.get("UseOnly").clone())])
                }),
            ),
        ])
    });
    let recording_mode = block(p.get("RecordingMode"), |m| {
        obj(vec![("recording_frequency", m.get("RecordingFrequency").clone())])
    });
    let name = ctx.reference(s.id, "Ref");
    vec![
        Translated::new(
            s.id,
            "aws_config_configuration_recorder",
            obj(vec![
                ("name", p.get("Name").clone()),
                ("role_arn", p.get("RoleARN").clone()),
                ("recording_group", recording_group),
                ("recording_mode", recording_mode),
            ]),
        ),
        Translated::new(
            format!("{}.Status", s.id),
            "aws_config_configuration_recorder_status",
            obj(vec![("name", name), ("is_enabled", Value::Bool(true))]),
        ),
    ]
}

pub fn delivery_channel(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    vec![Translated::new(
        s.id,
        "aws_config_delivery_channel",
        obj(vec![
            ("name", p.get("Name").clone()),
            ("s3_bucket_name", p.get("S3BucketName").clone()),
            ("s3_key_prefix", p.get("S3KeyPrefix").clone()),
            ("s3_kms_key_arn", p.get("S3KmsKeyArn").clone()),
            ("sns_topic_arn", p.get("SnsTopicARN").clone()),
            (
                "snapshot_delivery_properties",
                block(p.get("ConfigSnapshotDeliveryProperties"), |d| {
                    obj(vec![("delivery_frequency", d.get("DeliveryFrequency").clone())])
                }),
            ),
        ]),
    )]
}

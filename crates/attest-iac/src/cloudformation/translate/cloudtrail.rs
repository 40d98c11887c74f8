//! CloudTrail trails.
//!
//! `AWS::CloudTrail::Trail` becomes `aws_cloudtrail`. `IsLogging` (required by CloudFormation)
//! is `enable_logging`; `EventSelectors` and `AdvancedEventSelectors` become the
//! `event_selector` / `advanced_event_selector` blocks with their `data_resource` /
//! `field_selector` blocks. Settings the template does not write stay absent, so the rules apply
//! the defaults they document (which are CloudFormation's too: not multi-region, no log file
//! validation, global service events included).

use super::{each, obj, one_or_list, tags, Ctx, Source, Translated};

pub fn trail(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let event_selector = each(p.get("EventSelectors"), |e| {
        let data_resource = each(e.get("DataResources"), |d| {
            obj(vec![
                ("type", d.get("Type").clone()),
                ("values", one_or_list(d.get("Values"))),
            ])
        });
        obj(vec![
            ("read_write_type", e.get("ReadWriteType").clone()),
            (
                "include_management_events",
                e.get("IncludeManagementEvents").clone(),
            ),
            (
                "exclude_management_event_sources",
                one_or_list(e.get("ExcludeManagementEventSources")),
            ),
            ("data_resource", data_resource),
        ])
    });
    let advanced_event_selector = each(p.get("AdvancedEventSelectors"), |a| {
        let field_selector = each(a.get("FieldSelectors"), |f| {
            obj(vec![
                ("field", f.get("Field").clone()),
                ("equals", one_or_list(f.get("Equals"))),
                ("not_equals", one_or_list(f.get("NotEquals"))),
                ("starts_with", one_or_list(f.get("StartsWith"))),
                ("not_starts_with", one_or_list(f.get("NotStartsWith"))),
                ("ends_with", one_or_list(f.get("EndsWith"))),
                ("not_ends_with", one_or_list(f.get("NotEndsWith"))),
            ])
        });
        obj(vec![
            ("name", a.get("Name").clone()),
            ("field_selector", field_selector),
        ])
    });
    let insight_selector = each(p.get("InsightSelectors"), |i| {
        obj(vec![("insight_type", i.get("InsightType").clone())])
    });
    vec![Translated::new(
        s.id,
        "aws_cloudtrail",
        obj(vec![
            ("name", p.get("TrailName").clone()),
            ("s3_bucket_name", p.get("S3BucketName").clone()),
            ("s3_key_prefix", p.get("S3KeyPrefix").clone()),
            ("enable_logging", p.get("IsLogging").clone()),
            ("is_multi_region_trail", p.get("IsMultiRegionTrail").clone()),
            ("is_organization_trail", p.get("IsOrganizationTrail").clone()),
            (
                "include_global_service_events",
                p.get("IncludeGlobalServiceEvents").clone(),
            ),
            (
                "enable_log_file_validation",
                p.get("EnableLogFileValidation").clone(),
            ),
            ("kms_key_id", p.get("KMSKeyId").clone()),
            (
                "cloud_watch_logs_group_arn",
                p.get("CloudWatchLogsLogGroupArn").clone(),
            ),
            (
                "cloud_watch_logs_role_arn",
                p.get("CloudWatchLogsRoleArn").clone(),
            ),
            ("sns_topic_name", p.get("SnsTopicName").clone()),
            ("event_selector", event_selector),
            ("advanced_event_selector", advanced_event_selector),
            ("insight_selector", insight_selector),
            ("tags", tags(p.get("Tags"))),
        ]),
    )]
}

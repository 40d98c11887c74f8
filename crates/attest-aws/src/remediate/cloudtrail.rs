//! cloudtrail calls of remediation plans: `StartLogging`, `UpdateTrail`, `PutEventSelectors`,
//! `CreateTrail` and `DeleteTrail`.

use aws_sdk_cloudtrail::types::{
    AdvancedEventSelector, AdvancedFieldSelector, DataResource, EventSelector, ReadWriteType,
};
use serde_json::Value;

use super::params::{self, strings};
use super::sdk_error;
use crate::ctx::{client, Session};

pub(super) async fn run(s: &Session, op: &str, p: &Value) -> Result<String, String> {
    let ct = client!(s, aws_sdk_cloudtrail, "cloudtrail");
    match op {
        "StartLogging" => {
            let name = params::str(p, "Name")?;
            ct.start_logging()
                .name(name)
                .send()
                .await
                .map_err(|e| sdk_error(&e))?;
            Ok(format!("trail {name}: logging started"))
        }
        "UpdateTrail" => {
            let name = params::str(p, "Name")?;
            let s = Settings::read(p)?;
            if s.is_empty() {
                return Err("the plan's UpdateTrail call changes nothing attest knows".into());
            }
            ct.update_trail()
                .name(name)
                .set_s3_bucket_name(s.s3_bucket_name)
                .set_s3_key_prefix(s.s3_key_prefix)
                .set_sns_topic_name(s.sns_topic_name)
                .set_include_global_service_events(s.include_global_service_events)
                .set_is_multi_region_trail(s.is_multi_region_trail)
                .set_enable_log_file_validation(s.enable_log_file_validation)
                .set_kms_key_id(s.kms_key_id)
                .set_cloud_watch_logs_log_group_arn(s.cloud_watch_logs_log_group_arn)
                .set_cloud_watch_logs_role_arn(s.cloud_watch_logs_role_arn)
                .send()
                .await
                .map_err(|e| sdk_error(&e))?;
            Ok(format!("trail {name}: settings restored"))
        }
        "PutEventSelectors" => {
            let name = params::str(p, "TrailName")?;
            let mut req = ct.put_event_selectors().trail_name(name);
            let count = if let Some(list) = p.get("AdvancedEventSelectors") {
                let list = advanced_selectors(list)?;
                let n = list.len();
                req = req.set_advanced_event_selectors(Some(list));
                n
            } else {
                let list = event_selectors(params::list(p, "EventSelectors"))?;
                if list.is_empty() {
                    return Err("the plan's PutEventSelectors call has no selectors".into());
                }
                let n = list.len();
                req = req.set_event_selectors(Some(list));
                n
            };
            req.send().await.map_err(|e| sdk_error(&e))?;
            Ok(format!("trail {name}: {count} event selector(s) put"))
        }
        "CreateTrail" => {
            let name = params::str(p, "Name")?;
            let bucket = params::str(p, "S3BucketName")?;
            let s = Settings::read(p)?;
            ct.create_trail()
                .name(name)
                .s3_bucket_name(bucket)
                .set_s3_key_prefix(s.s3_key_prefix)
                .set_sns_topic_name(s.sns_topic_name)
                .set_include_global_service_events(s.include_global_service_events)
                .set_is_multi_region_trail(s.is_multi_region_trail)
                .set_enable_log_file_validation(s.enable_log_file_validation)
                .set_kms_key_id(s.kms_key_id)
                .set_cloud_watch_logs_log_group_arn(s.cloud_watch_logs_log_group_arn)
                .set_cloud_watch_logs_role_arn(s.cloud_watch_logs_role_arn)
                .send()
                .await
                .map_err(|e| sdk_error(&e))?;
            Ok(format!("trail {name} created, delivering to {bucket}"))
        }
        "DeleteTrail" => {
            let name = params::str(p, "Name")?;
            ct.delete_trail()
                .name(name)
                .send()
                .await
                .map_err(|e| sdk_error(&e))?;
            Ok(format!("trail {name} deleted"))
        }
        _ => Err(params::unsupported("cloudtrail", op)),
    }
}

/// The trail settings `UpdateTrail` and `CreateTrail` share, each absent when the plan leaves it.
#[derive(Debug, Default, PartialEq)]
struct Settings {
    s3_bucket_name: Option<String>,
    s3_key_prefix: Option<String>,
    sns_topic_name: Option<String>,
    include_global_service_events: Option<bool>,
    is_multi_region_trail: Option<bool>,
    enable_log_file_validation: Option<bool>,
    kms_key_id: Option<String>,
    cloud_watch_logs_log_group_arn: Option<String>,
    cloud_watch_logs_role_arn: Option<String>,
}

impl Settings {
    fn read(p: &Value) -> Result<Settings, String> {
        let text = |key: &str| -> Result<Option<String>, String> {
            match p.get(key) {
                None => Ok(None),
                Some(Value::String(v)) => Ok(Some(v.clone())),
                Some(_) => Err(format!("the plan's `{key}` parameter is not a string")),
            }
        };
        let flag = |key: &str| -> Result<Option<bool>, String> {
            match p.get(key) {
                None => Ok(None),
                Some(v) => v
                    .as_bool()
                    .map(Some)
                    .ok_or_else(|| format!("the plan's `{key}` parameter is not a boolean")),
            }
        };
        Ok(Settings {
            s3_bucket_name: text("S3BucketName")?,
            s3_key_prefix: text("S3KeyPrefix")?,
            sns_topic_name: text("SnsTopicName")?,
            include_global_service_events: flag("IncludeGlobalServiceEvents")?,
            is_multi_region_trail: flag("IsMultiRegionTrail")?,
            enable_log_file_validation: flag("EnableLogFileValidation")?,
            kms_key_id: text("KmsKeyId")?,
            cloud_watch_logs_log_group_arn: text("CloudWatchLogsLogGroupArn")?,
            cloud_watch_logs_role_arn: text("CloudWatchLogsRoleArn")?,
        })
    }

    fn is_empty(&self) -> bool {
        *self == Settings::default()
    }
}

fn event_selectors(list: &[Value]) -> Result<Vec<EventSelector>, String> {
    list.iter()
        .map(|v| {
            let mut b = EventSelector::builder()
                .read_write_type(ReadWriteType::from(params::str(v, "ReadWriteType")?))
                .include_management_events(params::bool(v, "IncludeManagementEvents")?)
                .set_exclude_management_event_sources(strings(v, "ExcludeManagementEventSources")?);
            for d in params::list(v, "DataResources") {
                b = b.data_resources(
                    DataResource::builder()
                        .r#type(params::str(d, "Type")?)
                        .set_values(strings(d, "Values")?)
                        .build(),
                );
            }
            Ok(b.build())
        })
        .collect()
}

fn advanced_selectors(list: &Value) -> Result<Vec<AdvancedEventSelector>, String> {
    let list = list
        .as_array()
        .ok_or("the plan's `AdvancedEventSelectors` parameter is not a list")?;
    if list.is_empty() {
        return Err("the plan's PutEventSelectors call has no selectors".into());
    }
    list.iter()
        .map(|v| {
            let mut b =
                AdvancedEventSelector::builder().set_name(params::opt_str(v, "Name").map(str::to_string));
            for f in params::list(v, "FieldSelectors") {
                let field = AdvancedFieldSelector::builder()
                    .field(params::str(f, "Field")?)
                    .set_equals(strings(f, "Equals")?)
                    .set_not_equals(strings(f, "NotEquals")?)
                    .set_starts_with(strings(f, "StartsWith")?)
                    .set_not_starts_with(strings(f, "NotStartsWith")?)
                    .set_ends_with(strings(f, "EndsWith")?)
                    .set_not_ends_with(strings(f, "NotEndsWith")?)
                    .build()
                    .map_err(|e| e.to_string())?;
                b = b.field_selectors(field);
            }
            b.build().map_err(|e| e.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn selectors_from_the_plan() {
        let basic = event_selectors(&[json!({
            "ReadWriteType": "WriteOnly",
            "IncludeManagementEvents": false,
            "ExcludeManagementEventSources": ["kms.amazonaws.com"],
            "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}],
        })])
        .expect("selectors");
        assert_eq!(basic[0].read_write_type(), Some(&ReadWriteType::WriteOnly));
        assert_eq!(basic[0].include_management_events(), Some(false));
        assert_eq!(basic[0].exclude_management_event_sources(), ["kms.amazonaws.com"]);
        assert_eq!(basic[0].data_resources()[0].r#type(), Some("AWS::S3::Object"));
        assert_eq!(basic[0].data_resources()[0].values(), ["arn:aws:s3"]);
        let err = event_selectors(&[json!({"ReadWriteType": "All"})]).unwrap_err();
        assert!(err.contains("`IncludeManagementEvents`"), "{err}");

        let adv = advanced_selectors(&json!([{"Name": "s3", "FieldSelectors": [
            {"Field": "eventCategory", "Equals": ["Data"]},
            {"Field": "resources.ARN", "StartsWith": ["arn:aws:s3:::b/"]}]}]))
        .expect("advanced");
        assert_eq!(adv[0].name(), Some("s3"));
        assert_eq!(adv[0].field_selectors()[1].starts_with(), ["arn:aws:s3:::b/"]);
        assert!(adv[0].field_selectors()[0].not_equals.is_none());
        assert!(advanced_selectors(&json!([])).is_err());
    }

    #[test]
    fn settings_keep_empty_strings_and_reject_bad_types() {
        let s = Settings::read(&json!({"KmsKeyId": "", "IsMultiRegionTrail": true})).expect("settings");
        assert_eq!(s.kms_key_id.as_deref(), Some(""));
        assert_eq!(s.is_multi_region_trail, Some(true));
        assert!(s.s3_bucket_name.is_none());
        assert!(!s.is_empty());
        assert!(Settings::read(&json!({})).expect("settings").is_empty());
        let err = Settings::read(&json!({"IsMultiRegionTrail": "yes"})).unwrap_err();
        assert!(err.contains("`IsMultiRegionTrail`"), "{err}");
    }

    #[tokio::test]
    async fn bad_plans_fail_before_calling_aws() {
        let s = Session::for_tests("us-east-1");
        let err = run(&s, "UpdateTrail", &json!({"Name": "t"})).await.unwrap_err();
        assert!(err.contains("changes nothing"), "{err}");
        let err = run(&s, "CreateTrail", &json!({"Name": "t"})).await.unwrap_err();
        assert!(err.contains("`S3BucketName`"), "{err}");
        let err = run(&s, "PutEventSelectors", &json!({"TrailName": "t"}))
            .await
            .unwrap_err();
        assert!(err.contains("no selectors"), "{err}");
        let err = run(&s, "StopLogging", &json!({"Name": "t"})).await.unwrap_err();
        assert_eq!(err, "attest does not call cloudtrail.StopLogging");
    }
}

//! CloudWatch Logs: log groups and metric filters.

use attest_core::Value;

use super::{each, name_value_map, obj, tags, Ctx, Source, Translated};

pub fn log_group(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    // Without LogGroupName, CloudFormation generates the name at deployment.
    let name = match p.get("LogGroupName") {
        Value::Null => Value::unknown(format!("the name of {} is generated at deployment", s.id)),
        other => other.clone(),
    };
    vec![Translated::new(
        s.id,
        "aws_cloudwatch_log_group",
        obj(vec![
            ("name", name),
            ("kms_key_id", p.get("KmsKeyId").clone()),
            ("retention_in_days", p.get("RetentionInDays").clone()),
            ("log_group_class", p.get("LogGroupClass").clone()),
            ("tags", tags(p.get("Tags"))),
        ]),
    )]
}

pub fn metric_filter(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let transformation = each(p.get("MetricTransformations"), |t| {
        obj(vec![
            ("name", t.get("MetricName").clone()),
            ("namespace", t.get("MetricNamespace").clone()),
            ("value", t.get("MetricValue").clone()),
            ("default_value", t.get("DefaultValue").clone()),
            ("unit", t.get("Unit").clone()),
            ("dimensions", name_value_map(t.get("Dimensions"), "Key", "Value")),
        ])
    });
    vec![Translated::new(
        s.id,
        "aws_cloudwatch_log_metric_filter",
        obj(vec![
            ("name", p.get("FilterName").clone()),
            ("log_group_name", p.get("LogGroupName").clone()),
            ("pattern", p.get("FilterPattern").clone()),
            ("metric_transformation", transformation),
        ]),
    )]
}

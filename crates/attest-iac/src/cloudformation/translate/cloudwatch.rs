//! CloudWatch alarms.

use attest_core::Value;

use super::{block, each, name_value_map, obj, one_or_list, Ctx, Source, Translated};

fn dimensions(v: &Value) -> Value {
    name_value_map(v, "Name", "Value")
}

pub fn alarm(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let metric_query = each(p.get("Metrics"), |m| {
        let metric = block(m.get("MetricStat"), |stat| {
            let metric = stat.get("Metric");
            obj(vec![
                ("metric_name", metric.get("MetricName").clone()),
                ("namespace", metric.get("Namespace").clone()),
                ("dimensions", dimensions(metric.get("Dimensions"))),
                ("period", stat.get("Period").clone()),
                ("stat", stat.get("Stat").clone()),
                ("unit", stat.get("Unit").clone()),
            ])
        });
        obj(vec![
            ("id", m.get("Id").clone()),
            ("expression", m.get("Expression").clone()),
            ("label", m.get("Label").clone()),
            ("return_data", m.get("ReturnData").clone()),
            ("period", m.get("Period").clone()),
            ("account_id", m.get("AccountId").clone()),
            ("metric", metric),
        ])
    });
    vec![Translated::new(
        s.id,
        "aws_cloudwatch_metric_alarm",
        obj(vec![
            ("alarm_name", p.get("AlarmName").clone()),
            ("alarm_description", p.get("AlarmDescription").clone()),
            ("metric_name", p.get("MetricName").clone()),
            ("namespace", p.get("Namespace").clone()),
            ("dimensions", dimensions(p.get("Dimensions"))),
            ("statistic", p.get("Statistic").clone()),
            ("extended_statistic", p.get("ExtendedStatistic").clone()),
            ("period", p.get("Period").clone()),
            ("evaluation_periods", p.get("EvaluationPeriods").clone()),
            ("datapoints_to_alarm", p.get("DatapointsToAlarm").clone()),
            ("threshold", p.get("Threshold").clone()),
            ("comparison_operator", p.get("ComparisonOperator").clone()),
            ("treat_missing_data", p.get("TreatMissingData").clone()),
            ("unit", p.get("Unit").clone()),
            ("actions_enabled", p.get("ActionsEnabled").clone()),
            ("alarm_actions", one_or_list(p.get("AlarmActions"))),
            ("ok_actions", one_or_list(p.get("OKActions"))),
            (
                "insufficient_data_actions",
                one_or_list(p.get("InsufficientDataActions")),
            ),
            ("metric_query", metric_query),
        ]),
    )]
}

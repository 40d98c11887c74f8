//! `aws-cloudwatch-alarm-config-changes`: CIS AWS 4.9 — a metric filter and alarm for AWS Config configuration changes.

use crate::aws::cloudwatch::cis_monitoring::{cis_alarm_rule, EventClass};

static CLASS: EventClass = EventClass {
    name: "AWS Config configuration changes",
    terms: &["$.eventSource=config.amazonaws.com"],
    events: &[
        "StopConfigurationRecorder",
        "DeleteDeliveryChannel",
        "PutDeliveryChannel",
        "PutConfigurationRecorder",
    ],
};

cis_alarm_rule!(
    AlarmConfigChanges,
    class: CLASS,
    id: "aws-cloudwatch-alarm-config-changes",
    title: "AWS Config configuration changes raise a CloudWatch alarm that notifies someone",
    cis: "4.9",
    aliases: [],
    activity: "AWS Config recorders and delivery channels being stopped, changed or deleted",
    why: "AWS Config is the record of how resources were configured over time. Stopping the recorder or redirecting its delivery channel blinds change detection; it should never happen unnoticed.",
    metric: "AWSConfigChanges",
    pattern: "{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }",
    hcl_pattern: "{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }",
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::cloudwatch::cis_monitoring::test_support::check_rule;

    #[test]
    fn pattern_with_every_term_passes_and_one_missing_fails() {
        check_rule(
            &AlarmConfigChanges,
            "{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }",
            "{ ($.eventSource = \"config.amazonaws.com\") && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel)) }",
            "PutConfigurationRecorder",
        );
    }
}

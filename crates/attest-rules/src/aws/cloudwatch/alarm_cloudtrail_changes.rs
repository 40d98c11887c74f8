//! `aws-cloudwatch-alarm-cloudtrail-changes`: CIS AWS 4.5 — a metric filter and alarm for CloudTrail configuration changes.

use crate::aws::cloudwatch::cis_monitoring::{cis_alarm_rule, EventClass};

static CLASS: EventClass = EventClass {
    name: "CloudTrail configuration changes",
    terms: &[],
    events: &[
        "CreateTrail",
        "UpdateTrail",
        "DeleteTrail",
        "StartLogging",
        "StopLogging",
    ],
};

cis_alarm_rule!(
    AlarmCloudTrailChanges,
    class: CLASS,
    id: "aws-cloudwatch-alarm-cloudtrail-changes",
    title: "CloudTrail configuration changes raise a CloudWatch alarm that notifies someone",
    cis: "4.5",
    aliases: [],
    activity: "changes to CloudTrail trails (created, updated, deleted, started or stopped)",
    why: "Stopping or redirecting a trail is what an intruder does to work unseen. Knowing at once that the audit record was changed is the condition for trusting it.",
    metric: "CloudTrailChanges",
    pattern: "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }",
    hcl_pattern: "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }",
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::cloudwatch::cis_monitoring::test_support::check_rule;

    #[test]
    fn pattern_with_every_term_passes_and_one_missing_fails() {
        check_rule(
            &AlarmCloudTrailChanges,
            "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }",
            "{ (($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging)) }",
            "StopLogging",
        );
    }
}

//! `aws-cloudwatch-alarm-cmk-disable-deletion`: CIS AWS 4.7 — a metric filter and alarm for disabling or scheduled deletion of KMS keys.

use crate::aws::cloudwatch::cis_monitoring::{cis_alarm_rule, EventClass};

static CLASS: EventClass = EventClass {
    name: "disabling or scheduled deletion of KMS keys",
    terms: &["$.eventSource=kms.amazonaws.com"],
    events: &["DisableKey", "ScheduleKeyDeletion"],
};

cis_alarm_rule!(
    AlarmCmkDisableOrDeletion,
    class: CLASS,
    id: "aws-cloudwatch-alarm-cmk-disable-deletion",
    title: "Disabling or scheduling deletion of KMS keys raises a CloudWatch alarm that notifies someone",
    cis: "4.7",
    aliases: [],
    activity: "customer-managed KMS keys being disabled or scheduled for deletion",
    why: "Data encrypted under a deleted key is lost for good, and a disabled key stops every service that depends on it. Whether by mistake or by an attacker holding data to ransom, the waiting period before deletion is only useful if someone knows it started.",
    metric: "KmsKeyDisableOrDeletion",
    pattern: "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }",
    hcl_pattern: "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }",
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::cloudwatch::cis_monitoring::test_support::check_rule;

    #[test]
    fn pattern_with_every_term_passes_and_one_missing_fails() {
        check_rule(
            &AlarmCmkDisableOrDeletion,
            "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }",
            "{ ($.eventSource = \"kms.amazonaws.com\") && (($.eventName = DisableKey)) }",
            "ScheduleKeyDeletion",
        );
    }
}

//! `aws-cloudwatch-alarm-root-account-usage`: CIS AWS 4.3 — a metric filter and alarm for uses of the root user.

use crate::aws::cloudwatch::cis_monitoring::{cis_alarm_rule, EventClass};

static CLASS: EventClass = EventClass {
    name: "uses of the root user",
    terms: &[
        "$.userIdentity.type=Root",
        "$.userIdentity.invokedBy NOT EXISTS",
        "$.eventType!=AwsServiceEvent",
    ],
    events: &[],
};

cis_alarm_rule!(
    AlarmRootAccountUsage,
    class: CLASS,
    id: "aws-cloudwatch-alarm-root-account-usage",
    title: "Uses of the root user raise a CloudWatch alarm that notifies someone",
    cis: "4.3",
    aliases: [],
    activity: "actions taken with the root user's credentials (not by AWS services on its behalf)",
    why: "The root user can do anything, bypasses IAM policies and should almost never be used. Any activity under it is either a rare, planned task or a compromise, and deserves an immediate look.",
    metric: "RootAccountUsage",
    pattern: "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }",
    hcl_pattern: "{ $.userIdentity.type = \\\"Root\\\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \\\"AwsServiceEvent\\\" }",
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::cloudwatch::cis_monitoring::test_support::check_rule;

    #[test]
    fn pattern_with_every_term_passes_and_one_missing_fails() {
        check_rule(
            &AlarmRootAccountUsage,
            "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }",
            "{ ($.userIdentity.type = \"Root\") && ($.userIdentity.invokedBy NOT EXISTS) }",
            "$.eventType!=AwsServiceEvent",
        );
    }
}

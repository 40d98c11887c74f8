//! `aws-cloudwatch-alarm-console-auth-failures`: CIS AWS 4.6 — a metric filter and alarm for console authentication failures.

use crate::aws::cloudwatch::cis_monitoring::{cis_alarm_rule, EventClass};

static CLASS: EventClass = EventClass {
    name: "console authentication failures",
    terms: &["$.errorMessage=Failed authentication"],
    events: &["ConsoleLogin"],
};

cis_alarm_rule!(
    AlarmConsoleAuthFailures,
    class: CLASS,
    id: "aws-cloudwatch-alarm-console-auth-failures",
    title: "Console authentication failures raise a CloudWatch alarm that notifies someone",
    cis: "4.6",
    aliases: [],
    activity: "failed console sign-ins",
    why: "Repeated failed sign-ins are the signature of password guessing and credential stuffing against console users. An alarm shortens the time before the source is blocked and the targeted users are protected.",
    metric: "ConsoleAuthenticationFailures",
    pattern: "{ ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failed authentication\") }",
    hcl_pattern: "{ ($.eventName = ConsoleLogin) && ($.errorMessage = \\\"Failed authentication\\\") }",
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::cloudwatch::cis_monitoring::test_support::check_rule;

    #[test]
    fn pattern_with_every_term_passes_and_one_missing_fails() {
        check_rule(
            &AlarmConsoleAuthFailures,
            "{ ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failed authentication\") }",
            "{ ($.eventName = ConsoleLogin) }",
            "$.errorMessage=Failed authentication",
        );
    }
}

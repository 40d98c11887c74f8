//! `aws-cloudwatch-alarm-unauthorized-api-calls`: CIS AWS 4.1 — a metric filter and alarm for unauthorized API calls.

use crate::aws::cloudwatch::cis_monitoring::{cis_alarm_rule, EventClass};

static CLASS: EventClass = EventClass {
    name: "unauthorized API calls",
    terms: &["$.errorCode=*UnauthorizedOperation", "$.errorCode=AccessDenied*"],
    events: &[],
};

cis_alarm_rule!(
    AlarmUnauthorizedApiCalls,
    class: CLASS,
    id: "aws-cloudwatch-alarm-unauthorized-api-calls",
    title: "Unauthorized API calls raise a CloudWatch alarm that notifies someone",
    cis: "4.1",
    aliases: [attest_core::Alias { tool: "fugue", id: "FG_R00055" }],
    activity: "calls refused for lack of permission (`*UnauthorizedOperation`, `AccessDenied*` error codes)",
    why: "A burst of refused calls is how stolen credentials probing for what they may do, a misbehaving application, or an insider testing limits shows up. Each refusal is recorded by CloudTrail; only a filter and an alarm make someone look at them.",
    metric: "UnauthorizedAPICalls",
    pattern: "{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") }",
    hcl_pattern: "{ ($.errorCode = \\\"*UnauthorizedOperation\\\") || ($.errorCode = \\\"AccessDenied*\\\") }",
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::cloudwatch::cis_monitoring::test_support::check_rule;

    #[test]
    fn pattern_with_every_term_passes_and_one_missing_fails() {
        check_rule(
            &AlarmUnauthorizedApiCalls,
            "{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") }",
            "{ ($.errorCode = \"*UnauthorizedOperation\") }",
            "$.errorCode=AccessDenied*",
        );
    }
}

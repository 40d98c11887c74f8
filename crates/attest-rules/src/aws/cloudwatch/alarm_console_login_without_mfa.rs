//! `aws-cloudwatch-alarm-console-login-without-mfa`: CIS AWS 4.2 — a metric filter and alarm for console sign-ins without MFA.

use crate::aws::cloudwatch::cis_monitoring::{cis_alarm_rule, EventClass};

static CLASS: EventClass = EventClass {
    name: "console sign-ins without MFA",
    terms: &["$.additionalEventData.MFAUsed!=Yes"],
    events: &["ConsoleLogin"],
};

cis_alarm_rule!(
    AlarmConsoleLoginWithoutMfa,
    class: CLASS,
    id: "aws-cloudwatch-alarm-console-login-without-mfa",
    title: "Console sign-ins without MFA raise a CloudWatch alarm that notifies someone",
    cis: "4.2",
    aliases: [],
    activity: "console sign-ins made without multi-factor authentication",
    why: "A password alone is the credential phishing and reuse attacks obtain. Sign-ins without MFA show which users are exposed and can reveal a stolen password being used.",
    metric: "ConsoleSignInWithoutMfa",
    pattern: "{ ($.eventName = \"ConsoleLogin\") && ($.additionalEventData.MFAUsed != \"Yes\") }",
    hcl_pattern: "{ ($.eventName = \\\"ConsoleLogin\\\") && ($.additionalEventData.MFAUsed != \\\"Yes\\\") }",
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::cloudwatch::cis_monitoring::test_support::check_rule;

    #[test]
    fn pattern_with_every_term_passes_and_one_missing_fails() {
        check_rule(
            &AlarmConsoleLoginWithoutMfa,
            "{ ($.eventName = \"ConsoleLogin\") && ($.additionalEventData.MFAUsed != \"Yes\") }",
            "{ ($.eventName = ConsoleLogin) }",
            "$.additionalEventData.MFAUsed!=Yes",
        );
    }
}

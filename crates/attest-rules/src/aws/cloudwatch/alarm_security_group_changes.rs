//! `aws-cloudwatch-alarm-security-group-changes`: CIS AWS 4.10 — a metric filter and alarm for security group changes.

use crate::aws::cloudwatch::cis_monitoring::{cis_alarm_rule, EventClass};

static CLASS: EventClass = EventClass {
    name: "security group changes",
    terms: &[],
    events: &[
        "AuthorizeSecurityGroupIngress",
        "AuthorizeSecurityGroupEgress",
        "RevokeSecurityGroupIngress",
        "RevokeSecurityGroupEgress",
        "CreateSecurityGroup",
        "DeleteSecurityGroup",
    ],
};

cis_alarm_rule!(
    AlarmSecurityGroupChanges,
    class: CLASS,
    id: "aws-cloudwatch-alarm-security-group-changes",
    title: "Security group changes raise a CloudWatch alarm that notifies someone",
    cis: "4.10",
    aliases: [],
    activity: "security groups being created, deleted or having their rules changed",
    why: "Security groups are the firewall of every instance, database and load balancer. A rule opened to the internet, even briefly, is an attack surface; an alarm makes sure every change is reviewed.",
    metric: "SecurityGroupChanges",
    pattern: "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }",
    hcl_pattern: "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }",
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::cloudwatch::cis_monitoring::test_support::check_rule;

    #[test]
    fn pattern_with_every_term_passes_and_one_missing_fails() {
        check_rule(
            &AlarmSecurityGroupChanges,
            "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }",
            "{ (($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup)) }",
            "DeleteSecurityGroup",
        );
    }
}

//! `aws-cloudwatch-alarm-network-gateway-changes`: CIS AWS 4.12 — a metric filter and alarm for network gateway changes.

use crate::aws::cloudwatch::cis_monitoring::{cis_alarm_rule, EventClass};

static CLASS: EventClass = EventClass {
    name: "network gateway changes",
    terms: &[],
    events: &[
        "CreateCustomerGateway",
        "DeleteCustomerGateway",
        "AttachInternetGateway",
        "CreateInternetGateway",
        "DeleteInternetGateway",
        "DetachInternetGateway",
    ],
};

cis_alarm_rule!(
    AlarmNetworkGatewayChanges,
    class: CLASS,
    id: "aws-cloudwatch-alarm-network-gateway-changes",
    title: "Network gateway changes raise a CloudWatch alarm that notifies someone",
    cis: "4.12",
    aliases: [],
    activity: "internet and customer gateways being created, attached, detached or deleted",
    why: "Gateways decide whether a network can reach the internet or another network at all. Attaching an internet gateway to a private VPC is a path for data to leave; it must be a deliberate, reviewed change.",
    metric: "NetworkGatewayChanges",
    pattern: "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }",
    hcl_pattern: "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }",
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::cloudwatch::cis_monitoring::test_support::check_rule;

    #[test]
    fn pattern_with_every_term_passes_and_one_missing_fails() {
        check_rule(
            &AlarmNetworkGatewayChanges,
            "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }",
            "{ (($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway)) }",
            "DetachInternetGateway",
        );
    }
}

//! `aws-cloudwatch-alarm-vpc-changes`: CIS AWS 4.14 — a metric filter and alarm for VPC changes.

use crate::aws::cloudwatch::cis_monitoring::{cis_alarm_rule, EventClass};

static CLASS: EventClass = EventClass {
    name: "VPC changes",
    terms: &[],
    events: &[
        "CreateVpc",
        "DeleteVpc",
        "ModifyVpcAttribute",
        "AcceptVpcPeeringConnection",
        "CreateVpcPeeringConnection",
        "DeleteVpcPeeringConnection",
        "RejectVpcPeeringConnection",
    ],
};

cis_alarm_rule!(
    AlarmVpcChanges,
    class: CLASS,
    id: "aws-cloudwatch-alarm-vpc-changes",
    title: "VPC changes raise a CloudWatch alarm that notifies someone",
    cis: "4.14",
    aliases: [],
    activity: "VPCs being created, modified or deleted, and VPC peering connections being requested, accepted, rejected or deleted",
    why: "A new peering connection joins two networks that were meant to be separate; a VPC attribute change alters DNS and addressing. These are structural changes to the network boundary.",
    metric: "VpcChanges",
    pattern: "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) }",
    hcl_pattern: "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) }",
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::cloudwatch::cis_monitoring::test_support::check_rule;

    #[test]
    fn pattern_with_every_term_passes_and_one_missing_fails() {
        check_rule(
            &AlarmVpcChanges,
            "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) }",
            "{ (($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection)) }",
            "RejectVpcPeeringConnection",
        );
    }
}

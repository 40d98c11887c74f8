//! `aws-cloudwatch-alarm-nacl-changes`: CIS AWS 4.11 — a metric filter and alarm for network ACL changes.

use crate::aws::cloudwatch::cis_monitoring::{cis_alarm_rule, EventClass};

static CLASS: EventClass = EventClass {
    name: "network ACL changes",
    terms: &[],
    events: &[
        "CreateNetworkAcl",
        "CreateNetworkAclEntry",
        "DeleteNetworkAcl",
        "DeleteNetworkAclEntry",
        "ReplaceNetworkAclEntry",
        "ReplaceNetworkAclAssociation",
    ],
};

cis_alarm_rule!(
    AlarmNaclChanges,
    class: CLASS,
    id: "aws-cloudwatch-alarm-nacl-changes",
    title: "Network ACL changes raise a CloudWatch alarm that notifies someone",
    cis: "4.11",
    aliases: [],
    activity: "network ACLs and their entries being created, replaced or deleted",
    why: "Network ACLs filter traffic for whole subnets. A changed entry can open a subnet to the internet or cut off a service; either should be noticed when it happens.",
    metric: "NetworkAclChanges",
    pattern: "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }",
    hcl_pattern: "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }",
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::cloudwatch::cis_monitoring::test_support::check_rule;

    #[test]
    fn pattern_with_every_term_passes_and_one_missing_fails() {
        check_rule(
            &AlarmNaclChanges,
            "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }",
            "{ (($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry)) }",
            "ReplaceNetworkAclAssociation",
        );
    }
}

//! Security group rule resources joined to `aws_security_group` as `ingress` / `egress` entries.

use super::{block, loosely_equal, one, Change, Entry, Index, Join};

const GROUP: &str = "aws_security_group";
const GROUP_NAMES: &[&str] = &["id", "arn"];

pub(super) fn plan(index: &Index, child: usize, joins: &mut Vec<Join>) {
    let c = index.get(child);
    let attr = |name: &str| c.attr(name).clone();
    let (direction, value, edges) = match c.resource_type.as_str() {
        "aws_security_group_rule" => {
            let direction = match c.attr("type").as_str() {
                Some("ingress") => "ingress",
                Some("egress") => "egress",
                // Unknown or invalid: which list it belongs to cannot be told.
                _ => return,
            };
            let value = block(
                &c.id,
                vec![
                    ("from_port", attr("from_port")),
                    ("to_port", attr("to_port")),
                    ("protocol", attr("protocol")),
                    ("cidr_blocks", attr("cidr_blocks")),
                    ("ipv6_cidr_blocks", attr("ipv6_cidr_blocks")),
                    ("prefix_list_ids", attr("prefix_list_ids")),
                    ("security_groups", one(c.attr("source_security_group_id"))),
                    ("self", attr("self")),
                    ("description", attr("description")),
                ],
            );
            let edges = index.moved_edges(
                child,
                &[
                    ("source_security_group_id", "security_groups.0"),
                    ("cidr_blocks", "cidr_blocks"),
                    ("ipv6_cidr_blocks", "ipv6_cidr_blocks"),
                    ("prefix_list_ids", "prefix_list_ids"),
                ],
            );
            (direction, value, edges)
        }
        "aws_vpc_security_group_ingress_rule" | "aws_vpc_security_group_egress_rule" => {
            let direction = if c.resource_type.ends_with("_ingress_rule") {
                "ingress"
            } else {
                "egress"
            };
            let value = block(
                &c.id,
                vec![
                    ("from_port", attr("from_port")),
                    ("to_port", attr("to_port")),
                    ("protocol", attr("ip_protocol")),
                    ("cidr_blocks", one(c.attr("cidr_ipv4"))),
                    ("ipv6_cidr_blocks", one(c.attr("cidr_ipv6"))),
                    ("prefix_list_ids", one(c.attr("prefix_list_id"))),
                    ("security_groups", one(c.attr("referenced_security_group_id"))),
                    ("description", attr("description")),
                ],
            );
            let edges = index.moved_edges(
                child,
                &[
                    ("referenced_security_group_id", "security_groups.0"),
                    ("cidr_ipv4", "cidr_blocks.0"),
                    ("cidr_ipv6", "ipv6_cidr_blocks.0"),
                    ("prefix_list_id", "prefix_list_ids.0"),
                ],
            );
            (direction, value, edges)
        }
        _ => return,
    };
    let Some(parent) = index.parent(child, "security_group_id", GROUP, GROUP_NAMES) else {
        return;
    };
    joins.push(Join {
        parent,
        child: c.id.clone(),
        attr: direction,
        change: Change::Append {
            entries: vec![Entry { value, edges }],
            same: loosely_equal,
        },
    });
}

//! `aws-vpc-peering-routes-least-access`: no route table sends its default route (`0.0.0.0/0`,
//! `::/0`) over a VPC peering connection.

use attest_core::{Alias, Evaluation, Mode, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri, Value};

use crate::aws::ec2::sg_ingress::is_whole_internet;
use crate::aws::links::{managed, names_resource, resolve, Link};

pub struct VpcPeeringRoutesLeastAccess;

const ROUTE_TABLE: &str = "aws_route_table";
const DEFAULT_ROUTE_TABLE: &str = "aws_default_route_table";
const ROUTE: &str = "aws_route";
const VPC: &str = "aws_vpc";
const TABLES: &[&str] = &[ROUTE_TABLE, DEFAULT_ROUTE_TABLE];
const PEERING: &str = "vpc_peering_connection_id";

static META: RuleMeta = RuleMeta {
    id: "aws-vpc-peering-routes-least-access",
    title: "Routes over VPC peering connections do not send the default route to the peer",
    severity: Severity::Medium,
    kind: RuleKind::Graph,
    resource_types: &[ROUTE_TABLE, DEFAULT_ROUTE_TABLE, ROUTE],
    aliases: &[Alias {
        tool: "cis-aws",
        id: "5.5",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

A route *over a peering connection* is one with `vpc_peering_connection_id` set: an `aws_route`
resource, or an inline `route` entry of an `aws_route_table` or `aws_default_route_table`. Such a
route fails when it is a default route: `destination_cidr_block = "0.0.0.0/0"` or
`destination_ipv6_cidr_block = "::/0"` on `aws_route`, `cidr_block = "0.0.0.0/0"` or
`ipv6_cidr_block = "::/0"` on an inline entry (any `/0` prefix counts).

Subjects:

- every `aws_route_table` and `aws_default_route_table`: it fails when one of its routes — inline,
  or an `aws_route` whose `route_table_id` references the table (or names its id; for a default
  table, references the `aws_vpc` whose default table it manages) — is a default route over a
  peering connection, and passes otherwise, with the peering routes it has in the message;
- every `aws_route` over a peering connection whose route table is not in the scanned
  configuration is judged on its own.

A destination, a peering connection id or a `route` list only known after apply gives `unknown`
when it could make the difference. A destination given as a managed prefix list
(`destination_prefix_list_id`) is not judged as a default route.

CIS asks for peering routes to be "least access": routes only to the peer subnets that need to
talk to each other. Beyond the default route, whether a destination is wider than needed (the
whole peer VPC rather than one subnet, say) depends on the application and only people can
judge it; this rule flags the case that is never least access.

## Why it matters

A peering connection joins two networks that are meant to stay separate except for the traffic
the routes allow. A default route over the peering connection sends everything without a more
specific route — including traffic meant for the internet — to the peer VPC, and together with
broad security groups exposes far more of each network to the other than intended. Narrow
routes keep the blast radius of a compromise in either VPC small (SOC 2 CC6.1, CC6.6; CIS AWS
Foundations 5.5).

## How to fix

Route only the peer CIDR ranges that must be reached.

Terraform:

```hcl
resource "aws_route" "to_shared_services" {
  route_table_id            = aws_route_table.app_private.id
  destination_cidr_block    = "10.20.1.0/24" # the peer subnet, not 0.0.0.0/0
  vpc_peering_connection_id = aws_vpc_peering_connection.shared.id
}
```

CloudFormation:

```yaml
ToSharedServices:
  Type: AWS::EC2::Route
  Properties:
    RouteTableId: !Ref AppPrivateRouteTable
    DestinationCidrBlock: 10.20.1.0/24
    VpcPeeringConnectionId: !Ref SharedPeering
```

Console: VPC → *Route tables* → the table → *Routes* → *Edit routes*: remove the `0.0.0.0/0`
(or `::/0`) route whose target is a `pcx-…` connection and add routes for the peer's subnets
instead. CLI:

```sh
aws ec2 delete-route --route-table-id rtb-0123456789abcdef0 --destination-cidr-block 0.0.0.0/0
aws ec2 create-route --route-table-id rtb-0123456789abcdef0 \
  --destination-cidr-block 10.20.1.0/24 --vpc-peering-connection-id pcx-0123456789abcdef0
```
"#;

impl Rule for VpcPeeringRoutesLeastAccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        let tables = managed(graph, TABLES);
        let routes = managed(graph, &[ROUTE]);
        let owners: Vec<(usize, Vec<usize>)> = routes.iter().map(|&r| (r, owning_tables(graph, r))).collect();
        let mut out: Vec<Evaluation> = tables
            .iter()
            .map(|&t| {
                let attached: Vec<usize> = owners
                    .iter()
                    .filter(|(_, owned_by)| owned_by.contains(&t))
                    .map(|(r, _)| *r)
                    .collect();
                judge_table(graph, t, &attached)
            })
            .collect();
        for (r, owned_by) in &owners {
            if owned_by.is_empty() {
                if let Some(eval) = judge_lone_route(graph, *r) {
                    out.push(eval);
                }
            }
        }
        out
    }
}

/// One route over a peering connection (possibly), as found.
struct PeeringRoute {
    /// `route.0`, `aws_route.to_peer`.
    label: String,
    /// Whether the route goes over a peering connection.
    peering: Tri,
    /// Whether it is a default route (`0.0.0.0/0` or `::/0`).
    default: Tri,
    /// The destination, for messages.
    destination: String,
}

impl PeeringRoute {
    fn offends(&self) -> Tri {
        self.peering.and(self.default)
    }
}

/// Whether a destination attribute is a default route; `Tri::False` when absent.
fn is_default(value: &Value) -> Tri {
    match value {
        Value::Null => Tri::False,
        Value::String(s) => is_whole_internet(s).into(),
        _ => Tri::Unknown,
    }
}

/// Whether `vpc_peering_connection_id` (at `path` of resource `i`) is set.
fn peering_set(graph: &ResourceGraph, i: usize, path: &str, value: &Value) -> Tri {
    if !graph.referenced_by_attr(i, path).is_empty() {
        return Tri::True;
    }
    match value {
        Value::Null => Tri::False,
        Value::String(s) => (!s.trim().is_empty()).into(),
        _ => Tri::Unknown,
    }
}

fn destination(ipv4: &Value, ipv6: &Value, prefix_list: &Value) -> String {
    let shown: Vec<String> = [ipv4, ipv6, prefix_list]
        .iter()
        .filter(|v| !v.is_null())
        .map(|v| v.to_string())
        .collect();
    if shown.is_empty() {
        "no destination".to_string()
    } else {
        shown.join(", ")
    }
}

fn route_resource(graph: &ResourceGraph, r: usize) -> PeeringRoute {
    let route = graph.get(r);
    let (v4, v6) = (
        route.attr("destination_cidr_block"),
        route.attr("destination_ipv6_cidr_block"),
    );
    PeeringRoute {
        label: route.id.clone(),
        peering: peering_set(graph, r, PEERING, route.attr(PEERING)),
        default: is_default(v4).or(is_default(v6)),
        destination: destination(v4, v6, route.attr("destination_prefix_list_id")),
    }
}

/// The routes of a table's inline `route` list; `None` when the list is only known after apply.
fn inline_routes(graph: &ResourceGraph, t: usize) -> Option<Vec<PeeringRoute>> {
    let blocks = graph.get(t).attr("route").blocks()?;
    Some(
        blocks
            .into_iter()
            .enumerate()
            .map(|(k, entry)| {
                let (v4, v6) = (entry.get("cidr_block"), entry.get("ipv6_cidr_block"));
                PeeringRoute {
                    label: format!("route.{k}"),
                    peering: peering_set(graph, t, &format!("route.{k}.{PEERING}"), entry.get(PEERING)),
                    default: is_default(v4).or(is_default(v6)),
                    destination: destination(v4, v6, entry.get("destination_prefix_list_id")),
                }
            })
            .collect(),
    )
}

/// The route tables of the graph an `aws_route` belongs to: by its `route_table_id`, or for a
/// default route table, through the `aws_vpc` whose `default_route_table_id` it references.
fn owning_tables(graph: &ResourceGraph, r: usize) -> Vec<usize> {
    let by_table = resolve(graph, r, "route_table_id", TABLES, |t, v| {
        names_resource(t, v, &["id", "default_route_table_id"])
    });
    let mut found = match by_table {
        Link::Resources(found) => found,
        _ => Vec::new(),
    };
    found.retain(|&t| graph.get(t).mode == Mode::Managed);
    if !found.is_empty() {
        return found;
    }
    let vpcs: Vec<usize> = graph
        .referenced_by_attr(r, "route_table_id")
        .into_iter()
        .filter(|&v| graph.get(v).resource_type == VPC)
        .collect();
    let mut defaults: Vec<usize> = vpcs
        .iter()
        .flat_map(|&v| graph.referrers(v, DEFAULT_ROUTE_TABLE, "default_route_table_id"))
        .filter(|&t| graph.get(t).mode == Mode::Managed)
        .collect();
    defaults.sort_unstable();
    defaults.dedup();
    defaults
}

fn describe(routes: &[&PeeringRoute]) -> String {
    routes
        .iter()
        .map(|p| format!("{} to {}", p.label, p.destination))
        .collect::<Vec<_>>()
        .join(", ")
}

fn judge_table(graph: &ResourceGraph, t: usize, attached: &[usize]) -> Evaluation {
    let inline = inline_routes(graph, t);
    let inline_known = inline.is_some();
    let mut routes = inline.unwrap_or_default();
    routes.extend(attached.iter().map(|&r| route_resource(graph, r)));

    let offending: Vec<&PeeringRoute> = routes.iter().filter(|p| p.offends() == Tri::True).collect();
    if !offending.is_empty() {
        let eval = Evaluation::fail(
            t,
            format!(
                "the default route goes over a VPC peering connection: {}",
                describe(&offending)
            ),
        );
        return if offending[0].label.starts_with("route.") {
            eval.at(offending[0].label.clone())
        } else {
            eval
        };
    }
    if !inline_known {
        return Evaluation::unknown(
            t,
            "the table's route list is not known before apply: whether it sends the default route over \
             a VPC peering connection cannot be told",
        )
        .at("route");
    }
    let unsure: Vec<&PeeringRoute> = routes.iter().filter(|p| p.offends() == Tri::Unknown).collect();
    if !unsure.is_empty() {
        return Evaluation::unknown(
            t,
            format!(
                "a destination or peering connection is not known before apply: whether these routes \
                 send the default route over a VPC peering connection cannot be told: {}",
                describe(&unsure)
            ),
        );
    }
    let peering: Vec<&PeeringRoute> = routes.iter().filter(|p| p.peering == Tri::True).collect();
    if peering.is_empty() {
        Evaluation::pass(t, "no route of the table goes over a VPC peering connection")
    } else {
        Evaluation::pass(
            t,
            format!(
                "no default route over a VPC peering connection; peering routes: {}",
                describe(&peering)
            ),
        )
    }
}

/// An `aws_route` whose table is not in the graph: judged when it goes (or may go) over a
/// peering connection.
fn judge_lone_route(graph: &ResourceGraph, r: usize) -> Option<Evaluation> {
    let route = route_resource(graph, r);
    if route.peering == Tri::False {
        return None;
    }
    let v4_default = is_default(graph.get(r).attr("destination_cidr_block")) == Tri::True;
    Some(match route.offends() {
        Tri::True => Evaluation::fail(
            r,
            format!(
                "the default route to {} goes over a VPC peering connection",
                route.destination
            ),
        )
        .at(if v4_default {
            "destination_cidr_block"
        } else {
            "destination_ipv6_cidr_block"
        }),
        Tri::Unknown => Evaluation::unknown(
            r,
            format!(
                "the destination {} or the peering connection is not known before apply: whether the \
                 default route goes over a VPC peering connection cannot be told",
                route.destination
            ),
        ),
        Tri::False => Evaluation::pass(
            r,
            format!(
                "the route over a VPC peering connection is not a default route: it goes to {}",
                route.destination
            ),
        ),
    })
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn inline_routes_of_tables() {
        let g = graph(
            vec![
                res(
                    "aws_route_table.narrow",
                    json!({"route": [
                        {"cidr_block": "10.20.0.0/16", "vpc_peering_connection_id": unknown()},
                        {"cidr_block": "0.0.0.0/0", "gateway_id": "igw-1"}
                    ]}),
                ),
                res(
                    "aws_route_table.wide",
                    json!({"route": [{"cidr_block": "0.0.0.0/0", "vpc_peering_connection_id": "pcx-1"}]}),
                ),
                res(
                    "aws_default_route_table.v6",
                    json!({"route": [{"ipv6_cidr_block": "::/0", "vpc_peering_connection_id": unknown()}]}),
                ),
                res("aws_route_table.empty", json!({})),
                res("aws_route_table.computed", json!({"route": unknown()})),
                res(
                    "aws_route_table.dest_var",
                    json!({"route": [{"cidr_block": unknown(), "vpc_peering_connection_id": "pcx-1"}]}),
                ),
                res(
                    "aws_route_table.pcx_var",
                    json!({"route": [{"cidr_block": "0.0.0.0/0", "vpc_peering_connection_id": unknown()}]}),
                ),
                res(
                    "aws_route_table.empty_pcx",
                    json!({"route": [{"cidr_block": "0.0.0.0/0", "vpc_peering_connection_id": "", "nat_gateway_id": "nat-1"}]}),
                ),
                res("aws_vpc_peering_connection.p", json!({})),
                res(
                    "data.aws_route_table.read",
                    json!({"route": [{"cidr_block": "0.0.0.0/0", "vpc_peering_connection_id": "pcx-1"}]}),
                ),
            ],
            &[
                edge(
                    "aws_route_table.narrow",
                    "route.0.vpc_peering_connection_id",
                    "aws_vpc_peering_connection.p",
                ),
                edge(
                    "aws_default_route_table.v6",
                    "route.0.vpc_peering_connection_id",
                    "aws_vpc_peering_connection.p",
                ),
            ],
        );
        let evals = VpcPeeringRoutesLeastAccess.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_route_table.narrow".into(), Verdict::Pass),
                ("aws_route_table.wide".into(), Verdict::Fail),
                ("aws_default_route_table.v6".into(), Verdict::Fail),
                ("aws_route_table.empty".into(), Verdict::Pass),
                ("aws_route_table.computed".into(), Verdict::Unknown),
                ("aws_route_table.dest_var".into(), Verdict::Unknown),
                ("aws_route_table.pcx_var".into(), Verdict::Unknown),
                ("aws_route_table.empty_pcx".into(), Verdict::Pass),
            ]
        );
        assert!(
            evals[0].message.contains("route.0 to \"10.20.0.0/16\""),
            "{}",
            evals[0].message
        );
        assert_eq!(evals[1].attribute.as_deref(), Some("route.0"));
        assert!(evals[3].message.contains("no route"), "{}", evals[3].message);
    }

    #[test]
    fn route_resources_join_their_table_or_stand_alone() {
        let g = graph(
            vec![
                res("aws_route_table.by_edge", json!({})),
                res("aws_route_table.by_id", json!({"id": "rtb-1"})),
                res(
                    "aws_default_route_table.main",
                    json!({"default_route_table_id": unknown()}),
                ),
                res("aws_vpc.main", json!({})),
                res(
                    "aws_route.wide_edge",
                    json!({"route_table_id": unknown(), "destination_cidr_block": "0.0.0.0/0",
                           "vpc_peering_connection_id": unknown()}),
                ),
                res(
                    "aws_route.narrow_id",
                    json!({"route_table_id": "rtb-1", "destination_cidr_block": "10.1.0.0/16",
                           "vpc_peering_connection_id": "pcx-1"}),
                ),
                res(
                    "aws_route.v6_via_vpc",
                    json!({"route_table_id": unknown(), "destination_ipv6_cidr_block": "::/0",
                           "vpc_peering_connection_id": "pcx-2"}),
                ),
                res(
                    "aws_route.outside_wide",
                    json!({"route_table_id": "rtb-elsewhere", "destination_cidr_block": "0.0.0.0/0",
                           "vpc_peering_connection_id": "pcx-3"}),
                ),
                res(
                    "aws_route.outside_narrow",
                    json!({"route_table_id": unknown(), "destination_cidr_block": "10.9.0.0/16",
                           "vpc_peering_connection_id": "pcx-3"}),
                ),
                res(
                    "aws_route.outside_var",
                    json!({"route_table_id": "rtb-elsewhere", "destination_cidr_block": unknown(),
                           "vpc_peering_connection_id": "pcx-3"}),
                ),
                res(
                    "aws_route.outside_igw",
                    json!({"route_table_id": "rtb-elsewhere", "destination_cidr_block": "0.0.0.0/0",
                           "gateway_id": "igw-1"}),
                ),
                res("aws_vpc_peering_connection.p", json!({})),
            ],
            &[
                edge("aws_route.wide_edge", "route_table_id", "aws_route_table.by_edge"),
                edge(
                    "aws_route.wide_edge",
                    "vpc_peering_connection_id",
                    "aws_vpc_peering_connection.p",
                ),
                edge(
                    "aws_default_route_table.main",
                    "default_route_table_id",
                    "aws_vpc.main",
                ),
                edge("aws_route.v6_via_vpc", "route_table_id", "aws_vpc.main"),
            ],
        );
        let evals = VpcPeeringRoutesLeastAccess.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_route_table.by_edge".into(), Verdict::Fail),
                ("aws_route_table.by_id".into(), Verdict::Pass),
                ("aws_default_route_table.main".into(), Verdict::Fail),
                ("aws_route.outside_wide".into(), Verdict::Fail),
                ("aws_route.outside_narrow".into(), Verdict::Pass),
                ("aws_route.outside_var".into(), Verdict::Unknown),
            ]
        );
        assert!(
            evals[0].message.contains("aws_route.wide_edge"),
            "{}",
            evals[0].message
        );
        assert!(
            evals[1].message.contains("aws_route.narrow_id"),
            "{}",
            evals[1].message
        );
        assert!(
            evals[2].message.contains("aws_route.v6_via_vpc"),
            "{}",
            evals[2].message
        );
        assert_eq!(evals[3].attribute.as_deref(), Some("destination_cidr_block"));
    }
}

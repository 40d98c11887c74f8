//! EC2 `DescribeVpcs` → `aws_vpc` and `DescribeFlowLogs` → `aws_flow_log`.

use aws_sdk_ec2::types::{FlowLog, Vpc};
use serde_json::{json, Map};

use attest_core::{LoadOutput, Resource};

use super::{drain, placeholder, tags};
use crate::ctx::{client, Ctx};

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let ec2 = client!(c.session, aws_sdk_ec2, "ec2");
    let ((vpcs, vpc_err), (logs, log_err)) = tokio::join!(
        drain(ec2.describe_vpcs().into_paginator().items().send()),
        drain(ec2.describe_flow_logs().into_paginator().items().send()),
    );
    let mut out = LoadOutput::default();
    if let Some(e) = vpc_err {
        out.errors.push(c.error("ec2", "DescribeVpcs", e.message));
    }
    if let Some(e) = log_err {
        out.errors.push(c.error("ec2", "DescribeFlowLogs", &e.message));
        out.resources.push(placeholder(
            c,
            "aws_flow_log",
            &[
                "vpc_id",
                "subnet_id",
                "eni_id",
                "log_destination_type",
                "log_group_name",
                "log_destination",
                "traffic_type",
            ],
            &e.unknown_reason("ec2", "DescribeFlowLogs"),
        ));
    }
    out.resources.extend(vpcs.iter().filter_map(|v| vpc(c, v)));
    out.resources.extend(logs.iter().filter_map(|f| flow_log(c, f)));
    out
}

fn vpc(c: &Ctx<'_>, v: &Vpc) -> Option<Resource> {
    let id = v.vpc_id()?;
    let arn = c.arn("ec2", &format!("vpc/{id}"));
    let mut a = Map::new();
    a.insert("id".into(), json!(id));
    a.insert("arn".into(), json!(arn));
    a.insert("cidr_block".into(), json!(v.cidr_block()));
    a.insert(
        "instance_tenancy".into(),
        json!(v.instance_tenancy().map(|t| t.as_str())),
    );
    a.insert("owner_id".into(), json!(v.owner_id()));
    a.insert("default".into(), json!(v.is_default().unwrap_or(false)));
    a.insert("tags".into(), tags(v.tags().iter().map(|t| (t.key(), t.value()))));
    let rid = arn.unwrap_or_else(|| c.local_id("aws_vpc", id));
    Some(c.resource(rid, "aws_vpc", Some(id), a))
}

fn flow_log(c: &Ctx<'_>, f: &FlowLog) -> Option<Resource> {
    let id = f.flow_log_id()?;
    let arn = c.arn("ec2", &format!("vpc-flow-log/{id}"));
    let mut a = Map::new();
    a.insert("id".into(), json!(id));
    a.insert("arn".into(), json!(arn));
    // The resource it watches, by the prefix of its id.
    let target = f.resource_id().unwrap_or_default();
    let key = if target.starts_with("vpc-") {
        Some("vpc_id")
    } else if target.starts_with("subnet-") {
        Some("subnet_id")
    } else if target.starts_with("eni-") {
        Some("eni_id")
    } else if target.starts_with("tgw-attach-") {
        Some("transit_gateway_attachment_id")
    } else if target.starts_with("tgw-") {
        Some("transit_gateway_id")
    } else {
        None
    };
    if let Some(key) = key {
        a.insert(key.into(), json!(target));
    }
    a.insert("traffic_type".into(), json!(f.traffic_type().map(|t| t.as_str())));
    a.insert(
        "log_destination_type".into(),
        json!(f
            .log_destination_type()
            .map(|t| t.as_str())
            .unwrap_or("cloud-watch-logs")),
    );
    a.insert("log_destination".into(), json!(f.log_destination()));
    a.insert("log_group_name".into(), json!(f.log_group_name()));
    a.insert("iam_role_arn".into(), json!(f.deliver_logs_permission_arn()));
    a.insert("log_format".into(), json!(f.log_format()));
    a.insert(
        "max_aggregation_interval".into(),
        json!(f.max_aggregation_interval()),
    );
    a.insert("tags".into(), tags(f.tags().iter().map(|t| (t.key(), t.value()))));
    let rid = arn.unwrap_or_else(|| c.local_id("aws_flow_log", id));
    Some(c.resource(rid, "aws_flow_log", Some(id), a))
}

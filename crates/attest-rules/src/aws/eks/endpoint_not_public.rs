//! `aws-eks-endpoint-not-public`: the EKS API endpoint is not open to the whole internet.

use attest_core::{
    Alias, Evaluation, Resource, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Tri, Value,
};

use crate::aws::links::managed;
use crate::aws::wording::{attr_not_known, not_known};

pub struct EksEndpointNotPublic;

static META: RuleMeta = RuleMeta {
    id: "aws-eks-endpoint-not-public",
    title: "EKS cluster API endpoints are not reachable from the whole internet",
    severity: Severity::High,
    kind: RuleKind::Resource,
    resource_types: &["aws_eks_cluster"],
    aliases: &[Alias {
        tool: "checkov",
        id: "CKV_AWS_38",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_eks_cluster` passes when its Kubernetes API endpoint cannot be reached from any
address on the internet, read from the `vpc_config` block:

- `endpoint_public_access = false` (the endpoint is private to the VPC); or
- `endpoint_public_access = true` with `public_access_cidrs` listing only specific ranges, none
  of them `0.0.0.0/0` (or another `/0`).

It fails when the public endpoint is on (EKS's default is `true`) and `public_access_cidrs` is
not written, empty (EKS then applies `0.0.0.0/0`) or contains `0.0.0.0/0`. Values only known
after apply give `unknown`, unless a known range is already `0.0.0.0/0`.

## Why it matters

The API endpoint is the control plane of the cluster. Open to the internet, it is exposed to
credential stuffing, to leaked kubeconfig tokens used from anywhere, and to any vulnerability in
the API server or its authenticators. Keeping it private, or limited to the ranges operators
use, is boundary protection (SOC 2 CC6.6).

## How to fix

Terraform:

```hcl
resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = aws_iam_role.eks.arn

  vpc_config {
    subnet_ids              = var.private_subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = false
    # or keep it public for specific ranges only:
    # endpoint_public_access = true
    # public_access_cidrs    = ["203.0.113.0/24"]
  }
}
```

CloudFormation:

```yaml
MainCluster:
  Type: AWS::EKS::Cluster
  Properties:
    Name: main
    RoleArn: !GetAtt EksRole.Arn
    ResourcesVpcConfig:
      SubnetIds: !Ref PrivateSubnetIds
      EndpointPrivateAccess: true
      EndpointPublicAccess: false
```

Console: EKS → *Clusters* → the cluster → *Networking* → *Manage endpoint access* → *Private*,
or *Public and private* with specific *Public access source allowlist* ranges. CLI:

```sh
aws eks update-cluster-config --name main \
  --resources-vpc-config endpointPublicAccess=false,endpointPrivateAccess=true
```
"#;

impl Rule for EksEndpointNotPublic {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, META.resource_types)
            .into_iter()
            .map(|i| judge(graph.get(i), graph.get(i).attr("vpc_config"), i))
            .collect()
    }
}

/// Whether a CIDR admits every address (`0.0.0.0/0`, `::/0`).
fn is_open(cidr: &str) -> bool {
    cidr.trim().ends_with("/0")
}

fn judge(r: &Resource, vpc_config: &Value, i: usize) -> Evaluation {
    let Some(blocks) = vpc_config.blocks() else {
        return Evaluation::unknown(i, attr_not_known(r, "vpc_config")).at("vpc_config");
    };
    let block = blocks.first().copied().unwrap_or(&Value::Null);
    let public = block.get("endpoint_public_access");
    match public.truthy(true) {
        Tri::False => {
            return Evaluation::pass(
                i,
                "endpoint_public_access = false: the API endpoint is reachable only from the VPC",
            )
            .at("vpc_config.endpoint_public_access")
        }
        Tri::Unknown => {
            return Evaluation::unknown(
                i,
                format!(
                    "{}: cannot tell whether the API endpoint is public",
                    attr_not_known(r, "endpoint_public_access")
                ),
            )
            .at("vpc_config.endpoint_public_access")
        }
        Tri::True => {}
    }
    let public_found = if public.is_null() {
        "endpoint_public_access is not set (EKS applies true)"
    } else {
        "endpoint_public_access = true"
    };
    let cidrs = block.get("public_access_cidrs");
    let at = "vpc_config.public_access_cidrs";
    let items: Vec<&Value> = match cidrs {
        Value::Null => Vec::new(),
        Value::List(items) => items.iter().collect(),
        Value::String(_) => vec![cidrs],
        _ => {
            return Evaluation::unknown(
                i,
                format!("{public_found} and public_access_cidrs is {}", not_known(r)),
            )
            .at(at)
        }
    };
    if items.is_empty() {
        return Evaluation::fail(
            i,
            format!(
                "{public_found} and public_access_cidrs is not set (EKS applies 0.0.0.0/0): \
                 the API endpoint is reachable from the whole internet"
            ),
        )
        .at(at);
    }
    if let Some(open) = items.iter().filter_map(|v| v.as_str()).find(|c| is_open(c)) {
        return Evaluation::fail(
            i,
            format!("{public_found} and public_access_cidrs contains {open}: the API endpoint is reachable from the whole internet"),
        )
        .at(at);
    }
    if items.iter().any(|v| v.as_str().is_none()) {
        return Evaluation::unknown(
            i,
            format!(
                "{public_found} and some of public_access_cidrs are {}",
                not_known(r)
            ),
        )
        .at(at);
    }
    let known: Vec<&str> = items.iter().filter_map(|v| v.as_str()).collect();
    Evaluation::pass(
        i,
        format!(
            "{public_found} but public_access_cidrs is limited to {}",
            known.join(", ")
        ),
    )
    .at(at)
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, unknown, verdicts};

    #[test]
    fn private_restricted_open_default_and_unknown() {
        let g = graph(
            vec![
                res(
                    "aws_eks_cluster.private",
                    json!({"vpc_config": [{"endpoint_public_access": false}]}),
                ),
                res(
                    "aws_eks_cluster.restricted",
                    json!({"vpc_config": [{"endpoint_public_access": true, "public_access_cidrs": ["203.0.113.0/24"]}]}),
                ),
                res(
                    "aws_eks_cluster.default",
                    json!({"vpc_config": [{"subnet_ids": ["subnet-1"]}]}),
                ),
                res(
                    "aws_eks_cluster.empty",
                    json!({"vpc_config": [{"endpoint_public_access": true, "public_access_cidrs": []}]}),
                ),
                res(
                    "aws_eks_cluster.open",
                    json!({"vpc_config": [{"public_access_cidrs": ["10.0.0.0/8", "0.0.0.0/0"]}]}),
                ),
                res(
                    "aws_eks_cluster.open_and_var",
                    json!({"vpc_config": [{"public_access_cidrs": [unknown(), "0.0.0.0/0"]}]}),
                ),
                res(
                    "aws_eks_cluster.cidr_var",
                    json!({"vpc_config": [{"public_access_cidrs": ["10.0.0.0/8", unknown()]}]}),
                ),
                res(
                    "aws_eks_cluster.cidrs_var",
                    json!({"vpc_config": [{"public_access_cidrs": unknown()}]}),
                ),
                res(
                    "aws_eks_cluster.public_var",
                    json!({"vpc_config": [{"endpoint_public_access": unknown()}]}),
                ),
                res("aws_eks_cluster.block_var", json!({"vpc_config": unknown()})),
            ],
            &[],
        );
        let evals = EksEndpointNotPublic.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_eks_cluster.private".into(), Verdict::Pass),
                ("aws_eks_cluster.restricted".into(), Verdict::Pass),
                ("aws_eks_cluster.default".into(), Verdict::Fail),
                ("aws_eks_cluster.empty".into(), Verdict::Fail),
                ("aws_eks_cluster.open".into(), Verdict::Fail),
                ("aws_eks_cluster.open_and_var".into(), Verdict::Fail),
                ("aws_eks_cluster.cidr_var".into(), Verdict::Unknown),
                ("aws_eks_cluster.cidrs_var".into(), Verdict::Unknown),
                ("aws_eks_cluster.public_var".into(), Verdict::Unknown),
                ("aws_eks_cluster.block_var".into(), Verdict::Unknown),
            ]
        );
        assert!(
            evals[2].message.contains("EKS applies true"),
            "{}",
            evals[2].message
        );
        assert!(
            evals[1].message.contains("203.0.113.0/24"),
            "{}",
            evals[1].message
        );
    }
}

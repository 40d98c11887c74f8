//! `aws-apigateway-domain-tls12`: REST API custom domain names require TLS 1.2.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use super::tls_policy::judge;
use crate::aws::links::managed;

pub struct ApiGatewayDomainTls12;

const DOMAIN: &str = "aws_api_gateway_domain_name";

static META: RuleMeta = RuleMeta {
    id: "aws-apigateway-domain-tls12",
    title: "API Gateway REST API custom domain names require TLS 1.2 or later",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &[DOMAIN],
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00375",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_api_gateway_domain_name` passes when `security_policy` is `TLS_1_2` (or one of the
enhanced `SecurityPolicy_TLS12_…` / `SecurityPolicy_TLS13_…` policies), and fails when it is
`TLS_1_0` or not set — API Gateway then applies its default, `TLS_1_0`. A policy only known after
apply gives `unknown`.

## Why it matters

TLS 1.0 and 1.1 have known weaknesses and are deprecated (RFC 8996); PCI DSS and most security
baselines forbid them. Accepting them lets a network attacker downgrade clients to weaker
protection of the API traffic. Requiring TLS 1.2 protects data in transmission (SOC 2 CC6.7).

## How to fix

Terraform:

```hcl
resource "aws_api_gateway_domain_name" "api" {
  domain_name              = "api.example.com"
  regional_certificate_arn = aws_acm_certificate.api.arn
  security_policy          = "TLS_1_2"

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}
```

CloudFormation:

```yaml
ApiDomain:
  Type: AWS::ApiGateway::DomainName
  Properties:
    DomainName: api.example.com
    RegionalCertificateArn: !Ref ApiCertificate
    SecurityPolicy: TLS_1_2
    EndpointConfiguration:
      Types: [REGIONAL]
```

Console: API Gateway → *Custom domain names* → the domain → *Domain details* → *Edit* →
*Minimum TLS version* → *TLS 1.2*. CLI:

```sh
aws apigateway update-domain-name --domain-name api.example.com \
  --patch-operations op=replace,path=/securityPolicy,value=TLS_1_2
```
"#;

impl Rule for ApiGatewayDomainTls12 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, &[DOMAIN])
            .into_iter()
            .map(|i| {
                judge(
                    graph,
                    i,
                    "security_policy",
                    "security_policy is not set: API Gateway applies TLS_1_0, which accepts TLS 1.0 and 1.1",
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{graph, res, unknown, verdicts};

    #[test]
    fn tls12_tls10_default_and_unknown() {
        let g = graph(
            vec![
                res(
                    "aws_api_gateway_domain_name.tls12",
                    json!({"security_policy": "TLS_1_2"}),
                ),
                res(
                    "aws_api_gateway_domain_name.tls10",
                    json!({"security_policy": "TLS_1_0"}),
                ),
                res("aws_api_gateway_domain_name.default", json!({})),
                res(
                    "aws_api_gateway_domain_name.var",
                    json!({"security_policy": unknown()}),
                ),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &ApiGatewayDomainTls12.check(&g)),
            vec![
                ("aws_api_gateway_domain_name.tls12".into(), Verdict::Pass),
                ("aws_api_gateway_domain_name.tls10".into(), Verdict::Fail),
                ("aws_api_gateway_domain_name.default".into(), Verdict::Fail),
                ("aws_api_gateway_domain_name.var".into(), Verdict::Unknown),
            ]
        );
    }
}

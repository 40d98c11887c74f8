//! `aws-apigatewayv2-domain-tls12`: HTTP and WebSocket API custom domain names require TLS 1.2.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity};

use super::tls_policy::judge;
use crate::aws::links::managed;

pub struct ApiGatewayV2DomainTls12;

const DOMAIN: &str = "aws_apigatewayv2_domain_name";
const ATTR: &str = "domain_name_configuration.security_policy";

static META: RuleMeta = RuleMeta {
    id: "aws-apigatewayv2-domain-tls12",
    title: "API Gateway HTTP and WebSocket API custom domain names require TLS 1.2 or later",
    severity: Severity::Medium,
    kind: RuleKind::Resource,
    resource_types: &[DOMAIN],
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00376",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

Every `aws_apigatewayv2_domain_name` passes when
`domain_name_configuration.security_policy` is `TLS_1_2` (or an enhanced
`SecurityPolicy_TLS12_…` / `SecurityPolicy_TLS13_…` policy), and fails when it names an older
policy or is missing. A policy only known after apply gives `unknown`.

## Why it matters

TLS 1.0 and 1.1 are deprecated (RFC 8996) and allow downgrade attacks on the API traffic.
Requiring TLS 1.2 or later protects data in transmission (SOC 2 CC6.7).

## How to fix

Terraform:

```hcl
resource "aws_apigatewayv2_domain_name" "api" {
  domain_name = "ws.example.com"

  domain_name_configuration {
    certificate_arn = aws_acm_certificate.api.arn
    endpoint_type   = "REGIONAL"
    security_policy = "TLS_1_2"
  }
}
```

CloudFormation:

```yaml
ApiDomain:
  Type: AWS::ApiGatewayV2::DomainName
  Properties:
    DomainName: ws.example.com
    DomainNameConfigurations:
      - CertificateArn: !Ref ApiCertificate
        EndpointType: REGIONAL
        SecurityPolicy: TLS_1_2
```

Console: API Gateway → *Custom domain names* → the domain → *Configurations* → *Edit* →
*Minimum TLS version* → *TLS 1.2*. CLI:

```sh
aws apigatewayv2 update-domain-name --domain-name ws.example.com \
  --domain-name-configurations CertificateArn=<arn>,EndpointType=REGIONAL,SecurityPolicy=TLS_1_2
```
"#;

impl Rule for ApiGatewayV2DomainTls12 {
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
                    ATTR,
                    "no security policy is set in domain_name_configuration",
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
    fn tls12_other_and_unknown() {
        let g = graph(
            vec![
                res(
                    "aws_apigatewayv2_domain_name.tls12",
                    json!({"domain_name_configuration": [{"security_policy": "TLS_1_2"}]}),
                ),
                res(
                    "aws_apigatewayv2_domain_name.old",
                    json!({"domain_name_configuration": [{"security_policy": "TLS_1_0"}]}),
                ),
                res(
                    "aws_apigatewayv2_domain_name.var",
                    json!({"domain_name_configuration": [{"security_policy": unknown()}]}),
                ),
            ],
            &[],
        );
        assert_eq!(
            verdicts(&g, &ApiGatewayV2DomainTls12.check(&g)),
            vec![
                ("aws_apigatewayv2_domain_name.tls12".into(), Verdict::Pass),
                ("aws_apigatewayv2_domain_name.old".into(), Verdict::Fail),
                ("aws_apigatewayv2_domain_name.var".into(), Verdict::Unknown),
            ]
        );
    }
}

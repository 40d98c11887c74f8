//! `aws-elb-https-listener`: load balancer listeners do not serve plain HTTP.

use attest_core::{Alias, Evaluation, ResourceGraph, Rule, RuleKind, RuleMeta, Severity, Value};

use crate::aws::links::{ids, managed};
use crate::aws::wording::{attr_not_known, not_known, not_known_why};

pub struct ElbHttpsListener;

const CLASSIC: &str = "aws_elb";
const LISTENER_RULES: &[&str] = &["aws_lb_listener_rule", "aws_alb_listener_rule"];
const TYPES: &[&str] = &["aws_elb", "aws_lb_listener", "aws_alb_listener"];

static META: RuleMeta = RuleMeta {
    id: "aws-elb-https-listener",
    title: "Load balancer listeners do not serve plain HTTP",
    severity: Severity::High,
    kind: RuleKind::Graph,
    resource_types: TYPES,
    aliases: &[Alias {
        tool: "fugue",
        id: "FG_R00013",
    }],
    doc: DOC,
};

const DOC: &str = r#"## What it checks

- Every classic `aws_elb` fails when one of its `listener` blocks has `lb_protocol = "http"`,
  and passes when all listeners use `https`, `ssl` or `tcp` (TCP passes the bytes through
  unchanged, so TLS may be terminated on the instances).
- Every `aws_lb_listener` (or `aws_alb_listener`) whose `protocol` is `HTTP` — the default for
  application load balancers — passes only when each of its `default_action` blocks is a
  `redirect` with `protocol = "HTTPS"` and no `aws_lb_listener_rule` (or
  `aws_alb_listener_rule`) of the listener does anything but redirect to HTTPS. Listeners on
  other protocols (`HTTPS`, `TLS`, `TCP`, `UDP`) pass. Listeners of gateway load balancers have no protocol and are not judged.

Values only known after apply give `unknown`.

## Why it matters

An HTTP listener carries credentials, session cookies and data in clear text between clients
and the load balancer, where anyone on the path can read or change them. Redirecting HTTP to
HTTPS keeps old links working while every exchange of data is encrypted, as SOC 2 CC6.7 asks.

## How to fix

Terraform:

```hcl
resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.app.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}
```

CloudFormation:

```yaml
HttpListener:
  Type: AWS::ElasticLoadBalancingV2::Listener
  Properties:
    LoadBalancerArn: !Ref AppLoadBalancer
    Port: 80
    Protocol: HTTP
    DefaultActions:
      - Type: redirect
        RedirectConfig:
          Protocol: HTTPS
          Port: "443"
          StatusCode: HTTP_301
```

For a classic load balancer, replace `lb_protocol = "http"` listeners with `https` listeners
and an `ssl_certificate_id`.

Console: EC2 → *Load Balancers* → the load balancer → *Listeners* → the HTTP listener → *Edit*
→ default action *Redirect to URL*, protocol HTTPS, port 443. CLI:

```sh
aws elbv2 modify-listener --listener-arn <arn> \
  --default-actions 'Type=redirect,RedirectConfig={Protocol=HTTPS,Port=443,StatusCode=HTTP_301}'
```
"#;

impl Rule for ElbHttpsListener {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn looks_through(&self) -> &'static [&'static str] {
        LISTENER_RULES
    }

    fn check(&self, graph: &ResourceGraph) -> Vec<Evaluation> {
        managed(graph, TYPES)
            .into_iter()
            .filter_map(|i| {
                if graph.get(i).resource_type == CLASSIC {
                    Some(classic(graph, i))
                } else {
                    listener(graph, i)
                }
            })
            .collect()
    }
}

fn classic(graph: &ResourceGraph, i: usize) -> Evaluation {
    let Some(listeners) = graph.get(i).attr("listener").blocks() else {
        let r = graph.get(i);
        return Evaluation::unknown(
            i,
            format!("the listener blocks are {}", not_known_why(r, r.attr("listener"))),
        )
        .at("listener");
    };
    let mut http = Vec::new();
    let mut unknown = Vec::new();
    let mut protocols = Vec::new();
    for (n, l) in listeners.iter().enumerate() {
        let port = l
            .get("lb_port")
            .as_i64()
            .map(|p| p.to_string())
            .unwrap_or_else(|| format!("#{n}"));
        match l.get("lb_protocol") {
            Value::String(p) if p.eq_ignore_ascii_case("http") => http.push(format!("port {port}")),
            Value::String(p) => protocols.push(p.to_ascii_uppercase()),
            _ => unknown.push(format!("port {port}")),
        }
    }
    if !http.is_empty() {
        return Evaluation::fail(i, format!("plain HTTP listener on {}", http.join(", ")))
            .at("listener.lb_protocol");
    }
    if !unknown.is_empty() {
        return Evaluation::unknown(
            i,
            format!(
                "the protocol of the listener on {} is {}",
                unknown.join(", "),
                not_known(graph.get(i))
            ),
        )
        .at("listener.lb_protocol");
    }
    protocols.sort();
    protocols.dedup();
    Evaluation::pass(
        i,
        format!("no HTTP listener (protocols: {})", protocols.join(", ")),
    )
    .at("listener")
}

/// Whether an action block redirects to HTTPS: `Some(true)`, `Some(false)`, or `None` unknown.
fn redirects_to_https(action: &Value) -> Option<bool> {
    match action.get("type") {
        Value::String(t) if t == "redirect" => match action.path("redirect.protocol") {
            Value::String(p) => Some(p.eq_ignore_ascii_case("HTTPS")),
            // The provider's default `#{protocol}` keeps the request's protocol.
            Value::Null => Some(false),
            _ => None,
        },
        Value::String(_) => Some(false),
        _ => None,
    }
}

fn listener(graph: &ResourceGraph, i: usize) -> Option<Evaluation> {
    let l = graph.get(i);
    let protocol = match l.attr("protocol") {
        Value::String(p) => p.to_ascii_uppercase(),
        Value::Null => {
            let lbs = graph.referenced_by_attr(i, "load_balancer_arn");
            if lbs
                .iter()
                .any(|&lb| graph.get(lb).attr("load_balancer_type").as_str() == Some("gateway"))
            {
                return None;
            }
            "HTTP".to_string()
        }
        _ => {
            return Some(Evaluation::unknown(i, attr_not_known(graph.get(i), "protocol")).at("protocol"));
        }
    };
    if protocol != "HTTP" {
        return Some(Evaluation::pass(i, format!("the listener uses {protocol}")).at("protocol"));
    }
    let Some(actions) = l.attr("default_action").blocks() else {
        return Some(
            Evaluation::unknown(i, attr_not_known(graph.get(i), "default_action")).at("default_action"),
        );
    };
    let mut serves = Vec::new();
    let mut unknown = Vec::new();
    for (n, a) in actions.iter().enumerate() {
        match redirects_to_https(a) {
            Some(true) => {}
            Some(false) => serves.push(format!("default_action {n}")),
            None => unknown.push(format!("default_action {n}")),
        }
    }
    if actions.is_empty() {
        unknown.push("default_action (none declared)".to_string());
    }
    let rules: Vec<usize> = graph
        .edges_to(i)
        .filter(|e| {
            let from = graph.get(e.from);
            LISTENER_RULES.contains(&from.resource_type.as_str()) && e.path.starts_with("listener_arn")
        })
        .map(|e| e.from)
        .collect();
    for r in rules {
        let rule = graph.get(r);
        match rule.attr("action").blocks() {
            Some(blocks) => {
                for a in blocks {
                    match redirects_to_https(a) {
                        Some(true) => {}
                        Some(false) => serves.push(rule.id.clone()),
                        None => unknown.push(rule.id.clone()),
                    }
                }
            }
            None => unknown.push(rule.id.clone()),
        }
    }
    serves.dedup();
    unknown.dedup();
    if !serves.is_empty() {
        return Some(
            Evaluation::fail(
                i,
                format!(
                    "HTTP listener serves requests without redirecting to HTTPS ({})",
                    serves.join(", ")
                ),
            )
            .at("default_action"),
        );
    }
    if !unknown.is_empty() {
        return Some(
            Evaluation::unknown(
                i,
                format!(
                    "whether {} redirects to HTTPS is {}",
                    unknown.join(", "),
                    not_known(graph.get(i))
                ),
            )
            .at("default_action"),
        );
    }
    let lbs = graph.referenced_by_attr(i, "load_balancer_arn");
    let of = if lbs.is_empty() {
        String::new()
    } else {
        format!(" of {}", ids(graph, &lbs))
    };
    Some(Evaluation::pass(i, format!("the HTTP listener{of} only redirects to HTTPS")).at("default_action"))
}

#[cfg(test)]
mod tests {
    use attest_core::Verdict;
    use serde_json::json;

    use super::*;
    use crate::aws::links::test_support::{edge, graph, res, unknown, verdicts};

    #[test]
    fn classic_listeners() {
        let g = graph(
            vec![
                res(
                    "aws_elb.https",
                    json!({"listener": [{"lb_port": 443, "lb_protocol": "https"}, {"lb_port": 22, "lb_protocol": "tcp"}]}),
                ),
                res(
                    "aws_elb.http",
                    json!({"listener": [{"lb_port": 443, "lb_protocol": "https"}, {"lb_port": 80, "lb_protocol": "HTTP"}]}),
                ),
                res(
                    "aws_elb.var",
                    json!({"listener": [{"lb_port": 80, "lb_protocol": unknown()}]}),
                ),
            ],
            &[],
        );
        let evals = ElbHttpsListener.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_elb.https".into(), Verdict::Pass),
                ("aws_elb.http".into(), Verdict::Fail),
                ("aws_elb.var".into(), Verdict::Unknown),
            ]
        );
        assert!(evals[1].message.contains("port 80"), "{}", evals[1].message);
    }

    #[test]
    fn v2_listeners_redirects_and_rules() {
        let redirect = json!([{"type": "redirect", "redirect": [{"protocol": "HTTPS", "port": "443"}]}]);
        let g = graph(
            vec![
                res("aws_lb.app", json!({"load_balancer_type": "application"})),
                res("aws_lb.gw", json!({"load_balancer_type": "gateway"})),
                res(
                    "aws_lb_listener.tls",
                    json!({"protocol": "HTTPS", "default_action": [{"type": "forward"}]}),
                ),
                res(
                    "aws_lb_listener.redirect",
                    json!({"protocol": "HTTP", "default_action": redirect.clone()}),
                ),
                res(
                    "aws_lb_listener.forward",
                    json!({"default_action": [{"type": "forward"}]}),
                ),
                res(
                    "aws_lb_listener.same_protocol",
                    json!({"protocol": "HTTP", "default_action": [{"type": "redirect", "redirect": [{"port": "8080"}]}]}),
                ),
                res(
                    "aws_lb_listener.with_rule",
                    json!({"protocol": "HTTP", "default_action": redirect}),
                ),
                res(
                    "aws_lb_listener_rule.api",
                    json!({"action": [{"type": "forward"}]}),
                ),
                res("aws_lb_listener.var", json!({"protocol": unknown()})),
                res(
                    "aws_lb_listener.gateway",
                    json!({"default_action": [{"type": "forward"}]}),
                ),
            ],
            &[
                edge("aws_lb_listener.redirect", "load_balancer_arn", "aws_lb.app"),
                edge(
                    "aws_lb_listener_rule.api",
                    "listener_arn",
                    "aws_lb_listener.with_rule",
                ),
                edge("aws_lb_listener.gateway", "load_balancer_arn", "aws_lb.gw"),
            ],
        );
        let evals = ElbHttpsListener.check(&g);
        assert_eq!(
            verdicts(&g, &evals),
            vec![
                ("aws_lb_listener.tls".into(), Verdict::Pass),
                ("aws_lb_listener.redirect".into(), Verdict::Pass),
                ("aws_lb_listener.forward".into(), Verdict::Fail),
                ("aws_lb_listener.same_protocol".into(), Verdict::Fail),
                ("aws_lb_listener.with_rule".into(), Verdict::Fail),
                ("aws_lb_listener.var".into(), Verdict::Unknown),
            ]
        );
        assert!(
            evals[4].message.contains("aws_lb_listener_rule.api"),
            "{}",
            evals[4].message
        );
    }
}

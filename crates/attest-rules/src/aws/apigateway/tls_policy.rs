//! The TLS security policy of an API Gateway custom domain name, shared by the REST (v1) and
//! HTTP/WebSocket (v2) domain name rules.

use crate::aws::wording::attr_not_known;
use attest_core::{Evaluation, ResourceGraph, Value};

/// Whether a security policy name requires TLS 1.2 or later: `TLS_1_2`, or one of the enhanced
/// policies named `SecurityPolicy_TLS12_…` / `SecurityPolicy_TLS13_…`.
pub fn requires_tls12(policy: &str) -> bool {
    let p = policy.trim();
    p.eq_ignore_ascii_case("TLS_1_2")
        || p.starts_with("SecurityPolicy_TLS12")
        || p.starts_with("SecurityPolicy_TLS13")
}

/// Judges the security policy at `path` of domain name `i`; `absent` is the message when the
/// attribute is not set (the API default is TLS 1.0 for REST domain names).
pub fn judge(graph: &ResourceGraph, i: usize, path: &str, absent: &str) -> Evaluation {
    match graph.get(i).attr(path) {
        Value::String(p) if requires_tls12(p) => {
            Evaluation::pass(i, format!("security policy {p} requires TLS 1.2 or later")).at(path)
        }
        Value::String(p) if !p.is_empty() => Evaluation::fail(
            i,
            format!("security policy {p} accepts TLS versions older than 1.2"),
        )
        .at(path),
        v if v.contains_unknown() => Evaluation::unknown(i, attr_not_known(graph.get(i), path)).at(path),
        _ => Evaluation::fail(i, absent.to_string()).at(path),
    }
}

#[cfg(test)]
mod tests {
    use super::requires_tls12;

    #[test]
    fn policy_names() {
        assert!(requires_tls12("TLS_1_2"));
        assert!(requires_tls12("SecurityPolicy_TLS13_1_3_2025_09"));
        assert!(requires_tls12("SecurityPolicy_TLS12_PFS_2025_EDGE"));
        assert!(!requires_tls12("TLS_1_0"));
        assert!(!requires_tls12(""));
    }
}

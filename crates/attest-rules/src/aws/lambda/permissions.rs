//! Which `aws_lambda_permission` resources (and function URLs) apply to a function.

use attest_core::{Resource, ResourceGraph};

use crate::aws::links::{managed, refers_to};

pub const FUNCTION: &str = "aws_lambda_function";
pub const PERMISSION: &str = "aws_lambda_permission";
pub const FUNCTION_URL: &str = "aws_lambda_function_url";

/// True when `value` (a function name, or a function ARN, possibly qualified) names `function`.
pub fn names_function(function: &Resource, value: &str) -> bool {
    if value.is_empty() {
        return false;
    }
    let own = |attr: &str| function.attr(attr).as_str().filter(|s| !s.is_empty());
    if function.physical_id.as_deref() == Some(value) {
        return true;
    }
    if let Some(name) = own("function_name") {
        if value == name || value.strip_prefix("function:") == Some(name) {
            return true;
        }
        // arn:aws:lambda:region:account:function:name[:qualifier]
        let parts: Vec<&str> = value.split(':').collect();
        if parts.len() >= 7 && parts[5] == "function" && parts[6] == name {
            return true;
        }
    }
    ["arn", "qualified_arn", "id"]
        .iter()
        .any(|a| own(a) == Some(value))
}

/// The managed resources of `resource_type` whose `function_name` refers to `function`; the
/// second list holds those whose function cannot be told (unknown, no reference edge).
pub fn attached(graph: &ResourceGraph, function: usize, resource_type: &str) -> (Vec<usize>, Vec<usize>) {
    let mut found = Vec::new();
    let mut unknown = Vec::new();
    for p in managed(graph, &[resource_type]) {
        match refers_to(graph, p, "function_name", function, names_function) {
            attest_core::Tri::True => found.push(p),
            attest_core::Tri::Unknown => unknown.push(p),
            attest_core::Tri::False => {}
        }
    }
    (found, unknown)
}

//! Redaction of secret-looking attributes before resources leave the process (inventories,
//! stored snapshots, baselines).
//!
//! Database passwords in Terraform, tokens in environments… Every string attribute, at any depth,
//! whose key looks like a secret is replaced by [`REDACTED`]. Unknown values are kept: they carry
//! only the reason they are unknown.

use crate::{Resource, Value};

/// What a redacted string becomes.
pub const REDACTED: &str = "(redacted)";

/// Parts of an attribute key that mark it as a secret (compared without case).
const SECRET_KEYS: &[&str] = &["password", "secret", "private_key", "token"];

/// Endings of keys that tell about a secret without holding it: when a password was last used or
/// changed (the IAM credential report), whether a token is enabled.
const METADATA_SUFFIXES: &[&str] = &[
    "_enabled",
    "_last_used",
    "_last_changed",
    "_last_rotated",
    "_next_rotation",
];

/// Whether an attribute key looks like it holds a secret.
pub fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    SECRET_KEYS.iter().any(|s| key.contains(s)) && !METADATA_SUFFIXES.iter().any(|s| key.ends_with(s))
}

/// Redacts the secret-looking string attributes of a value, in place.
pub fn redact_value(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if is_secret_key(key) {
                    redact_strings(v);
                } else {
                    redact_value(v);
                }
            }
        }
        Value::List(items) => items.iter_mut().for_each(redact_value),
        _ => {}
    }
}

/// Replaces every string in a value with [`REDACTED`].
fn redact_strings(value: &mut Value) {
    match value {
        Value::String(s) => *s = REDACTED.to_string(),
        Value::List(items) => items.iter_mut().for_each(redact_strings),
        Value::Object(map) => map.values_mut().for_each(redact_strings),
        _ => {}
    }
}

/// Redacts the attributes of every resource.
pub fn redact_resources(resources: &mut [Resource]) {
    for r in resources {
        redact_value(&mut r.attributes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secret_looking_strings_are_redacted_at_any_depth() {
        let mut v = Value::from(json!({
            "name": "db",
            "master_password": "hunter2",
            "environment": [{"variables": {"API_TOKEN": "abc", "REGION": "eu-west-1"}}],
            "Client_Secret": ["s1", "s2"],
            "private_key_pem": {"$unknown": "not read"},
            "token_enabled": true,
        }));
        redact_value(&mut v);
        assert_eq!(
            v.to_json(),
            json!({
                "name": "db",
                "master_password": REDACTED,
                "environment": [{"variables": {"API_TOKEN": REDACTED, "REGION": "eu-west-1"}}],
                "Client_Secret": [REDACTED, REDACTED],
                "private_key_pem": {"$unknown": "not read"},
                "token_enabled": true,
            })
        );
    }

    #[test]
    fn secret_keys() {
        assert!(is_secret_key("password") && is_secret_key("SecretString") && is_secret_key("private_key"));
        assert!(!is_secret_key("password_last_changed") && !is_secret_key("password_last_used"));
        assert!(!is_secret_key("name") && !is_secret_key("kms_key_arn"));
    }
}

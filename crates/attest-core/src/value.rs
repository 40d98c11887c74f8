//! Attribute values: a JSON-like tree in which any node may be **unknown**.
//!
//! A value is unknown when the scanned input cannot tell it: a computed attribute in a Terraform
//! plan (`after_unknown`), a reference to an attribute that only exists after apply
//! (`aws_kms_key.k.arn`), a variable without a value, a function attest does not implement.
//! Rules that need an unknown value report `unknown`; they never guess.
//!
//! A live scan reads values that exist, so its unknowns are values it could not read (a denied
//! call, an attribute not collected yet). Only a value whose reason says it is computed at apply
//! is shown as `(known after apply)`; see [`Value::is_known_after_apply`].

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{Deserialize, Deserializer};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// The JSON key that marks an unknown value when a [`Value`] is serialized.
pub const UNKNOWN_MARKER: &str = "$unknown";

/// What the reason of an unknown value says when the value only exists once Terraform applies
/// the configuration (a computed attribute of a plan, a reference to `aws_kms_key.k.arn`): the
/// Terraform loaders write it as the whole reason (`known after apply`) or at its end
/// (`` `aws_kms_key.k.arn` is known after apply ``). See [`Value::is_known_after_apply`].
pub const KNOWN_AFTER_APPLY: &str = "known after apply";

/// An attribute value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    List(Vec<Value>),
    Object(BTreeMap<String, Value>),
    /// A value the input cannot tell; the string says why (for messages, never for logic).
    Unknown(String),
}

/// Three-valued logic for checks over values that may be unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    True,
    False,
    Unknown,
}

impl Tri {
    /// Kleene OR: true wins over unknown, unknown over false.
    pub fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::True, _) | (_, Tri::True) => Tri::True,
            (Tri::Unknown, _) | (_, Tri::Unknown) => Tri::Unknown,
            _ => Tri::False,
        }
    }

    /// Kleene AND: false wins over unknown, unknown over true.
    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::Unknown, _) | (_, Tri::Unknown) => Tri::Unknown,
            _ => Tri::True,
        }
    }

    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }

    /// `any` over an iterator with Kleene semantics.
    pub fn any<I: IntoIterator<Item = Tri>>(items: I) -> Tri {
        items.into_iter().fold(Tri::False, Tri::or)
    }

    /// `all` over an iterator with Kleene semantics.
    pub fn all<I: IntoIterator<Item = Tri>>(items: I) -> Tri {
        items.into_iter().fold(Tri::True, Tri::and)
    }
}

impl From<bool> for Tri {
    fn from(b: bool) -> Self {
        if b {
            Tri::True
        } else {
            Tri::False
        }
    }
}

impl Value {
    pub fn unknown(reason: impl Into<String>) -> Value {
        Value::Unknown(reason.into())
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown(_))
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The reason of an unknown value; `None` when the value is known (even if something nested
    /// in it is not: see [`Value::first_unknown_reason`]).
    pub fn unknown_reason(&self) -> Option<&str> {
        match self {
            Value::Unknown(reason) => Some(reason),
            _ => None,
        }
    }

    /// The reason of this value if it is unknown, else of the first unknown value nested in it
    /// (lists in order, objects in key order); `None` when everything in it is known.
    pub fn first_unknown_reason(&self) -> Option<&str> {
        match self {
            Value::Unknown(reason) => Some(reason),
            Value::List(items) => items.iter().find_map(Value::first_unknown_reason),
            Value::Object(map) => map.values().find_map(Value::first_unknown_reason),
            _ => None,
        }
    }

    /// True for an unknown value whose reason says it is known after apply (the reason is, or
    /// ends with, [`KNOWN_AFTER_APPLY`]): a value Terraform computes when it applies the
    /// configuration. Other unknowns — a call a live scan could not make, an attribute it does
    /// not collect, a variable without a value, a value CloudFormation resolves at deployment —
    /// are not, and are shown with their reason.
    pub fn is_known_after_apply(&self) -> bool {
        match self {
            Value::Unknown(reason) => reason.trim_end().ends_with(KNOWN_AFTER_APPLY),
            _ => false,
        }
    }

    /// True when this value or any value nested in it is unknown.
    pub fn contains_unknown(&self) -> bool {
        match self {
            Value::Unknown(_) => true,
            Value::List(items) => items.iter().any(Value::contains_unknown),
            Value::Object(map) => map.values().any(Value::contains_unknown),
            _ => false,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s == "true" => Some(true),
            Value::String(s) if s == "false" => Some(false),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.as_i64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                    .map(|f| f as i64)
            }),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    /// The attribute `key` of an object; `Null` when absent or when `self` is not an object.
    /// Looking into an unknown value gives an unknown value.
    pub fn get(&self, key: &str) -> &Value {
        static NULL: Value = Value::Null;
        match self {
            Value::Object(map) => map.get(key).unwrap_or(&NULL),
            Value::Unknown(_) => self,
            _ => &NULL,
        }
    }

    /// Follows a dotted path (`server_side_encryption.enabled`); list indexes are numbers
    /// (`ingress.0.from_port`). A single-element list is looked through when the next segment
    /// is a name, because Terraform represents nested blocks as lists.
    pub fn path(&self, path: &str) -> &Value {
        static NULL: Value = Value::Null;
        let mut cur = self;
        for seg in path.split('.').filter(|s| !s.is_empty()) {
            cur = match cur {
                Value::Unknown(_) => return cur,
                Value::List(items) => match seg.parse::<usize>() {
                    Ok(i) => items.get(i).unwrap_or(&NULL),
                    Err(_) if items.len() == 1 => items[0].get(seg),
                    Err(_) => &NULL,
                },
                other => other.get(seg),
            };
        }
        cur
    }

    /// Views a nested block as a list of blocks: a list stays a list, an object is a list of one,
    /// null is empty. Unknown stays unknown (`None`).
    pub fn blocks(&self) -> Option<Vec<&Value>> {
        match self {
            Value::Null => Some(Vec::new()),
            Value::List(items) => Some(items.iter().collect()),
            Value::Object(_) => Some(vec![self]),
            Value::Unknown(_) => None,
            _ => Some(Vec::new()),
        }
    }

    /// A list of strings (a single string counts as a list of one). `None` when the value or an
    /// element is unknown or not a string.
    pub fn string_list(&self) -> Option<Vec<&str>> {
        match self {
            Value::String(s) => Some(vec![s.as_str()]),
            Value::List(items) => items.iter().map(Value::as_str).collect(),
            Value::Null => Some(Vec::new()),
            _ => None,
        }
    }

    /// Truthiness of a boolean attribute: absent is `default`, unknown is unknown.
    pub fn truthy(&self, default: bool) -> Tri {
        match self {
            Value::Null => default.into(),
            Value::Unknown(_) => Tri::Unknown,
            other => match other.as_bool() {
                Some(b) => b.into(),
                None => Tri::Unknown,
            },
        }
    }

    /// Short description of the kind of value, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Object(_) => "object",
            Value::Unknown(_) => "unknown",
        }
    }

    /// Converts to plain JSON; unknown values become `{"$unknown": reason}`.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Value::Number(n.clone()),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(items) => serde_json::Value::Array(items.iter().map(Value::to_json).collect()),
            Value::Object(map) => {
                serde_json::Value::Object(map.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
            Value::Unknown(reason) => {
                let mut m = serde_json::Map::new();
                m.insert(
                    UNKNOWN_MARKER.to_string(),
                    serde_json::Value::String(reason.clone()),
                );
                serde_json::Value::Object(m)
            }
        }
    }

    /// Converts from plain JSON; `{"$unknown": …}` objects become unknown values.
    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.clone()),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(items) => Value::List(items.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(map) => {
                if map.len() == 1 {
                    if let Some(reason) = map.get(UNKNOWN_MARKER) {
                        return Value::Unknown(reason.as_str().unwrap_or_default().to_string());
                    }
                }
                Value::Object(
                    map.iter()
                        .map(|(k, v)| (k.clone(), Value::from_json(v)))
                        .collect(),
                )
            }
        }
    }

    /// Parses a JSON document held in a string attribute (a policy, say). Unknown stays unknown.
    pub fn parse_json_string(&self) -> Option<Result<Value, String>> {
        match self {
            Value::String(s) => Some(
                serde_json::from_str::<serde_json::Value>(s)
                    .map(|j| Value::from_json(&j))
                    .map_err(|e| e.to_string()),
            ),
            _ => None,
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Number(n.into())
    }
}

impl From<serde_json::Value> for Value {
    fn from(json: serde_json::Value) -> Self {
        Value::from_json(&json)
    }
}

/// Known values show as JSON (strings quoted). An unknown value shows as `(known after apply)`
/// only when its reason says so ([`Value::is_known_after_apply`]: a Terraform value computed at
/// apply); every other unknown — in particular every unknown of a live scan, whose reasons never
/// say it — shows as `(unknown: <reason>)`, or `(unknown)` without a reason.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::String(s) => write!(f, "{s:?}"),
            Value::Unknown(_) if self.is_known_after_apply() => write!(f, "(known after apply)"),
            Value::Unknown(reason) if reason.trim().is_empty() => write!(f, "(unknown)"),
            Value::Unknown(reason) => write!(f, "(unknown: {})", reason.trim()),
            other => write!(f, "{}", other.to_json()),
        }
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => n.serialize(s),
            Value::String(v) => s.serialize_str(v),
            Value::List(items) => items.serialize(s),
            Value::Object(map) => map.serialize(s),
            Value::Unknown(reason) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry(UNKNOWN_MARKER, reason)?;
                m.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde_json::Value::deserialize(d).map(|j| Value::from_json(&j))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_looks_through_single_block_lists() {
        let v = Value::from(serde_json::json!({
            "server_side_encryption": [{"enabled": true}],
            "ingress": [{"from_port": 80}, {"from_port": 443}]
        }));
        assert_eq!(v.path("server_side_encryption.enabled"), &Value::Bool(true));
        assert_eq!(v.path("ingress.1.from_port").as_i64(), Some(443));
        assert_eq!(v.path("ingress.from_port"), &Value::Null);
    }

    #[test]
    fn unknown_propagates_through_paths_and_round_trips() {
        let v = Value::from(serde_json::json!({"a": {"$unknown": "computed"}}));
        assert!(v.path("a.b.c").is_unknown());
        assert!(v.contains_unknown());
        assert_eq!(Value::from_json(&v.to_json()), v);
        assert_eq!(v.get("a").truthy(false), Tri::Unknown);
    }

    #[test]
    fn unknowns_show_after_apply_only_when_their_reason_says_so() {
        assert_eq!(
            Value::unknown("known after apply").to_string(),
            "(known after apply)"
        );
        assert_eq!(
            Value::unknown("`aws_kms_key.k.arn` is known after apply").to_string(),
            "(known after apply)"
        );
        assert_eq!(
            Value::unknown("AccessDenied on dynamodb:DescribeTable").to_string(),
            "(unknown: AccessDenied on dynamodb:DescribeTable)"
        );
        assert_eq!(
            Value::unknown("not collected by attest's live AWS scan yet").to_string(),
            "(unknown: not collected by attest's live AWS scan yet)"
        );
        assert_eq!(
            Value::unknown("a bucket name is not known before deployment").to_string(),
            "(unknown: a bucket name is not known before deployment)"
        );
        assert_eq!(Value::unknown("").to_string(), "(unknown)");
        assert_eq!(Value::from("x").to_string(), "\"x\"");
    }

    #[test]
    fn unknown_reasons_are_found_where_they_are_nested() {
        let v = Value::from(serde_json::json!({
            "a": 1,
            "b": [true, {"$unknown": "AccessDenied on iam:GetPolicyVersion"}],
            "c": {"$unknown": "later"}
        }));
        assert_eq!(v.unknown_reason(), None);
        assert_eq!(
            v.first_unknown_reason(),
            Some("AccessDenied on iam:GetPolicyVersion")
        );
        assert_eq!(v.get("c").unknown_reason(), Some("later"));
        assert!(!v.get("c").is_known_after_apply());
        assert_eq!(Value::from(1).first_unknown_reason(), None);
    }

    #[test]
    fn kleene_logic() {
        assert_eq!(Tri::any([Tri::False, Tri::Unknown]), Tri::Unknown);
        assert_eq!(Tri::any([Tri::Unknown, Tri::True]), Tri::True);
        assert_eq!(Tri::all([Tri::True, Tri::Unknown]), Tri::Unknown);
        assert_eq!(Tri::all([Tri::False, Tri::Unknown]), Tri::False);
    }
}

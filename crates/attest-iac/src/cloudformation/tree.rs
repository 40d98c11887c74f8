//! One spanned tree for templates written in YAML or JSON.
//!
//! YAML short-form tags are turned into their long (JSON) form while parsing: `!Ref X` becomes the
//! map `{Ref: X}`, `!GetAtt A.B` becomes `{Fn::GetAtt: "A.B"}`, `!Condition C` becomes
//! `{Condition: C}`, and every other tag `!Name` becomes `{Fn::Name: …}`. The evaluator therefore
//! sees a single shape whatever the syntax. Every node and every map key carries its line and
//! column (both 1-based).

use std::borrow::Cow;

use attest_core::InputError;
use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

/// A node of a template.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: Kind,
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    List(Vec<Node>),
    Map(Vec<Entry>),
}

/// A key of a map and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub line: u32,
    pub column: u32,
    pub value: Node,
}

impl Node {
    fn new(kind: Kind, line: u32, column: u32) -> Self {
        Node { kind, line, column }
    }

    /// The entries of a map; empty for any other node.
    pub fn entries(&self) -> &[Entry] {
        match &self.kind {
            Kind::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The entry `key` of a map.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries().iter().find(|e| e.key == key)
    }

    /// The value of the entry `key` of a map.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }

    /// The single entry of a one-entry map (the shape of an intrinsic function).
    pub fn single(&self) -> Option<&Entry> {
        match self.entries() {
            [only] => Some(only),
            _ => None,
        }
    }

    /// The node as plain JSON (intrinsic functions in their long form), for content detection.
    pub fn to_json(&self) -> serde_json::Value {
        match &self.kind {
            Kind::Null => serde_json::Value::Null,
            Kind::Bool(b) => serde_json::Value::Bool(*b),
            Kind::Number(n) => serde_json::Value::Number(n.clone()),
            Kind::String(s) => serde_json::Value::String(s.clone()),
            Kind::List(items) => serde_json::Value::Array(items.iter().map(Node::to_json).collect()),
            Kind::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.to_json()))
                    .collect(),
            ),
        }
    }
}

/// The long-form key of a YAML short-form tag (`Ref`, `Condition`, `Fn::<Name>`).
fn intrinsic_key(suffix: &str) -> String {
    match suffix {
        "Ref" | "Condition" => suffix.to_string(),
        other => format!("Fn::{other}"),
    }
}

/// Parses a YAML template. A syntax error gives its line and column.
pub fn parse_yaml(file: &str, text: &str) -> Result<Node, InputError> {
    let docs = MarkedYaml::load_from_str(text).map_err(|e| {
        let m = e.marker();
        InputError::at(
            file,
            u32::try_from(m.line()).unwrap_or(u32::MAX),
            u32::try_from(m.col() + 1).unwrap_or(u32::MAX),
            format!("invalid YAML: {}", e.info()),
        )
    })?;
    Ok(match docs.first() {
        Some(doc) => from_yaml(doc),
        None => Node::new(Kind::Null, 1, 1),
    })
}

fn from_yaml(y: &MarkedYaml) -> Node {
    let line = u32::try_from(y.span.start.line()).unwrap_or(u32::MAX);
    let column = u32::try_from(y.span.start.col() + 1).unwrap_or(u32::MAX);
    let kind = match &y.data {
        YamlData::Value(scalar) => scalar_kind(scalar),
        YamlData::Representation(text, _, tag) => {
            let inner = Kind::String(text.to_string());
            match tag {
                Some(tag) if tag.handle == "!" => tagged(&tag.suffix, Node::new(inner, line, column)),
                _ => inner,
            }
        }
        YamlData::Sequence(items) => Kind::List(items.iter().map(from_yaml).collect()),
        YamlData::Mapping(map) => Kind::Map(
            map.iter()
                .map(|(k, v)| {
                    let key = from_yaml(k);
                    Entry {
                        key: key_text(&key),
                        line: key.line,
                        column: key.column,
                        value: from_yaml(v),
                    }
                })
                .collect(),
        ),
        YamlData::Tagged(tag, inner) => {
            let inner = from_yaml(inner);
            if tag.handle == "!" {
                tagged(&tag.suffix, inner)
            } else {
                // Standard tags (`!!str`, `!!int`) change nothing CloudFormation reads.
                inner.kind
            }
        }
        YamlData::Alias(_) | YamlData::BadValue => Kind::Null,
    };
    Node::new(kind, line, column)
}

fn tagged(suffix: &str, inner: Node) -> Kind {
    let (line, column) = (inner.line, inner.column);
    Kind::Map(vec![Entry {
        key: intrinsic_key(suffix),
        line,
        column,
        value: inner,
    }])
}

fn scalar_kind(scalar: &Scalar) -> Kind {
    match scalar {
        Scalar::Null => Kind::Null,
        Scalar::Boolean(b) => Kind::Bool(*b),
        Scalar::Integer(i) => Kind::Number((*i).into()),
        Scalar::FloatingPoint(f) => match serde_json::Number::from_f64(f.into_inner()) {
            Some(n) => Kind::Number(n),
            None => Kind::String(f.into_inner().to_string()),
        },
        Scalar::String(s) => Kind::String(s.to_string()),
    }
}

/// A map key as text (YAML allows keys that are numbers or booleans).
fn key_text(key: &Node) -> String {
    match &key.kind {
        Kind::String(s) => s.clone(),
        Kind::Null => String::new(),
        Kind::Bool(b) => b.to_string(),
        Kind::Number(n) => n.to_string(),
        _ => key.to_json().to_string(),
    }
}

/// Parses a JSON template (comments and trailing commas allowed). A syntax error gives its line
/// and column.
pub fn parse_json(file: &str, text: &str) -> Result<Node, InputError> {
    let options = jsonc_parser::ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        allow_loose_object_property_names: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        ..jsonc_parser::ParseOptions::default()
    };
    let parsed = jsonc_parser::parse_to_ast(text, &Default::default(), &options).map_err(|e| {
        InputError::at(
            file,
            u32::try_from(e.line_display()).unwrap_or(u32::MAX),
            u32::try_from(e.column_display()).unwrap_or(u32::MAX),
            format!("invalid JSON: {}", e.kind()),
        )
    })?;
    let lines = LineIndex::new(text);
    Ok(match &parsed.value {
        Some(v) => from_json_ast(v, &lines),
        None => Node::new(Kind::Null, 1, 1),
    })
}

fn from_json_ast(v: &jsonc_parser::ast::Value, lines: &LineIndex) -> Node {
    use jsonc_parser::ast::Value as J;
    let at = |start: usize| lines.position(start);
    let (kind, start) = match v {
        J::StringLit(s) => (Kind::String(s.value.to_string()), s.range.start),
        J::NumberLit(n) => {
            let kind = match serde_json::from_str::<serde_json::Number>(n.value) {
                Ok(num) => Kind::Number(num),
                Err(_) => Kind::String(n.value.to_string()),
            };
            (kind, n.range.start)
        }
        J::BooleanLit(b) => (Kind::Bool(b.value), b.range.start),
        J::NullKeyword(n) => (Kind::Null, n.range.start),
        J::Array(a) => (
            Kind::List(a.elements.iter().map(|e| from_json_ast(e, lines)).collect()),
            a.range.start,
        ),
        J::Object(o) => (
            Kind::Map(
                o.properties
                    .iter()
                    .map(|p| {
                        let (key, start) = match &p.name {
                            jsonc_parser::ast::ObjectPropName::String(s) => (s.value.clone(), s.range.start),
                            jsonc_parser::ast::ObjectPropName::Word(w) => {
                                (Cow::Borrowed(w.value), w.range.start)
                            }
                        };
                        let (line, column) = at(start);
                        Entry {
                            key: key.into_owned(),
                            line,
                            column,
                            value: from_json_ast(&p.value, lines),
                        }
                    })
                    .collect(),
            ),
            o.range.start,
        ),
    };
    let (line, column) = at(start);
    Node::new(kind, line, column)
}

/// Byte offsets to 1-based lines and columns (columns count characters).
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    fn position(&self, offset: usize) -> (u32, u32) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let column = self
            .text
            .get(start..offset.min(self.text.len()))
            .map(|s| s.chars().count())
            .unwrap_or(0)
            + 1;
        (
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column).unwrap_or(u32::MAX),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_tags_become_long_form_with_lines() {
        let text = "Resources:\n  A:\n    Type: AWS::X::Y\n    Properties:\n      P: !If [c, !Ref a, !Ref \"AWS::NoValue\"]\n      Q: !GetAtt B.Arn\n";
        let node = parse_yaml("t.yaml", text).unwrap_or_else(|e| panic!("{e:?}"));
        let a = node.get("Resources").and_then(|r| r.entry("A"));
        assert_eq!(a.map(|e| (e.line, e.column)), Some((2, 3)));
        let props = a.and_then(|e| e.value.get("Properties"));
        let p = props.and_then(|p| p.get("P")).map(Node::to_json);
        assert_eq!(
            p,
            Some(serde_json::json!({"Fn::If": ["c", {"Ref": "a"}, {"Ref": "AWS::NoValue"}]}))
        );
        let q = props.and_then(|p| p.get("Q")).map(Node::to_json);
        assert_eq!(q, Some(serde_json::json!({"Fn::GetAtt": "B.Arn"})));
    }

    #[test]
    fn json_keys_have_lines() {
        let text = "{\n  \"Resources\": {\n    \"A\": {\"Type\": \"AWS::X::Y\"}\n  }\n}\n";
        let node = parse_json("t.json", text).unwrap_or_else(|e| panic!("{e:?}"));
        let a = node.get("Resources").and_then(|r| r.entry("A"));
        assert_eq!(a.map(|e| (e.line, e.column)), Some((3, 5)));
    }
}

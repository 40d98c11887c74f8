//! Evaluation of a template: parameters, pseudo parameters, mappings, conditions and the
//! intrinsic functions, the way CloudFormation would see them when creating the stack.
//!
//! What only exists after deployment (`Ref` to a resource, `Fn::GetAtt`, `Fn::ImportValue`,
//! `Fn::GetAZs`, dynamic references `{{resolve:…}}`, parameters without a value) is an unknown
//! value. An unknown value that depends on resources of the template is registered in
//! [`Refs`] under its reason, with the logical ids it depends on; wherever that value ends up after
//! translation, the loader turns it into reference edges at the attribute path it sits at.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use attest_core::{Reference, Tri, Value};
use base64::Engine as _;

use super::tree::{Kind, Node};

/// Unknown values that stand for resources of the template, by their reason.
#[derive(Debug, Default)]
pub struct Refs {
    by_reason: HashMap<String, BTreeSet<String>>,
}

impl Refs {
    /// An unknown value that depends on `targets` (logical ids).
    pub fn unknown(&mut self, reason: String, targets: impl IntoIterator<Item = String>) -> Value {
        let targets: BTreeSet<String> = targets.into_iter().collect();
        if !targets.is_empty() {
            self.by_reason.entry(reason.clone()).or_default().extend(targets);
        }
        Value::Unknown(reason)
    }

    /// The logical ids the unknown values in `v` depend on.
    pub fn targets(&self, v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Unknown(reason) => {
                if let Some(t) = self.by_reason.get(reason) {
                    out.extend(t.iter().cloned());
                }
            }
            Value::List(items) => items.iter().for_each(|i| self.targets(i, out)),
            Value::Object(map) => map.values().for_each(|i| self.targets(i, out)),
            _ => {}
        }
    }

    /// The reference edges of `v`, found at `path` in resource `from`.
    pub fn edges(&self, from: &str, path: &str, v: &Value, out: &mut Vec<Reference>) {
        match v {
            Value::Unknown(reason) => {
                for to in self.by_reason.get(reason).into_iter().flatten() {
                    out.push(Reference {
                        from: from.to_string(),
                        path: path.to_string(),
                        to: to.clone(),
                    });
                }
            }
            Value::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.edges(from, &join_path(path, &i.to_string()), item, out);
                }
            }
            Value::Object(map) => {
                for (k, item) in map {
                    self.edges(from, &join_path(path, k), item, out);
                }
            }
            _ => {}
        }
    }
}

fn join_path(base: &str, seg: &str) -> String {
    if base.is_empty() {
        seg.to_string()
    } else {
        format!("{base}.{seg}")
    }
}

/// Values given to the template's parameters from outside (`--cfn-param`, parameter files).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub values: BTreeMap<String, String>,
}

/// Pseudo parameters CloudFormation always knows, whatever the account and region.
const KNOWN_PSEUDO: &[(&str, &str)] = &[("AWS::Partition", "aws"), ("AWS::URLSuffix", "amazonaws.com")];
/// Pseudo parameters that depend on where the stack is deployed.
const DEPLOYMENT_PSEUDO: &[&str] = &[
    "AWS::Region",
    "AWS::AccountId",
    "AWS::StackName",
    "AWS::StackId",
    "AWS::NotificationARNs",
];

pub struct Eval<'t> {
    params: HashMap<String, Value>,
    mappings: Option<&'t Node>,
    conditions: HashMap<&'t str, &'t Node>,
    condition_values: HashMap<String, Tri>,
    resources: HashSet<&'t str>,
    /// Outputs of nested stacks loaded by attest, by (stack logical id, output name).
    stack_outputs: HashMap<(String, String), Value>,
    pub refs: Refs,
}

impl<'t> Eval<'t> {
    pub fn new(root: &'t Node, overrides: &Overrides) -> Self {
        let mut params = HashMap::new();
        for (name, value) in KNOWN_PSEUDO {
            params.insert(name.to_string(), Value::from(*value));
        }
        for name in DEPLOYMENT_PSEUDO {
            params.insert(
                name.to_string(),
                Value::unknown(format!(
                    "{name} is known at deployment (give it with --cfn-param {name}=…)"
                )),
            );
        }
        for (name, value) in &overrides.values {
            if name.starts_with("AWS::") && name != "AWS::NoValue" {
                params.insert(name.clone(), Value::from(value.as_str()));
            }
        }
        for entry in root.get("Parameters").map(Node::entries).unwrap_or_default() {
            let decl = &entry.value;
            let ty = decl.get("Type").and_then(Node::as_str).unwrap_or("String");
            let given = overrides.values.get(&entry.key).cloned().or_else(|| {
                decl.get("Default").and_then(|d| match &d.kind {
                    Kind::String(s) => Some(s.clone()),
                    Kind::Number(n) => Some(n.to_string()),
                    Kind::Bool(b) => Some(b.to_string()),
                    Kind::List(items) => Some(
                        items
                            .iter()
                            .filter_map(|i| match &i.kind {
                                Kind::String(s) => Some(s.clone()),
                                Kind::Number(n) => Some(n.to_string()),
                                _ => None,
                            })
                            .collect::<Vec<_>>()
                            .join(","),
                    ),
                    _ => None,
                })
            });
            let value = if ty.starts_with("AWS::SSM::Parameter::Value") {
                Value::unknown(format!(
                    "parameter {} is read from SSM Parameter Store at deployment",
                    entry.key
                ))
            } else {
                match given {
                    None => Value::unknown(format!(
                        "parameter {0} has no value (give it with --cfn-param {0}=…)",
                        entry.key
                    )),
                    Some(s) if ty == "CommaDelimitedList" || ty.starts_with("List<") => {
                        Value::List(s.split(',').map(|p| Value::from(p.trim())).collect())
                    }
                    Some(s) => Value::String(s),
                }
            };
            params.insert(entry.key.clone(), value);
        }
        let conditions = root
            .get("Conditions")
            .map(Node::entries)
            .unwrap_or_default()
            .iter()
            .map(|e| (e.key.as_str(), &e.value))
            .collect();
        let resources = root
            .get("Resources")
            .map(Node::entries)
            .unwrap_or_default()
            .iter()
            .map(|e| e.key.as_str())
            .collect();
        Eval {
            params,
            mappings: root.get("Mappings"),
            conditions,
            condition_values: HashMap::new(),
            resources,
            stack_outputs: HashMap::new(),
            refs: Refs::default(),
        }
    }

    /// Gives a parameter the value a parent stack passes it (known or not); it replaces the
    /// default and any value from the scan's options.
    pub fn set_parameter(&mut self, name: &str, value: Value) {
        self.params.insert(name.to_string(), value);
    }

    /// Makes `Fn::GetAtt [stack, Outputs.<name>]` (and `${stack.Outputs.<name>}`) evaluate to the
    /// value of a nested stack's output.
    pub fn set_stack_output(&mut self, stack: &str, name: &str, value: Value) {
        self.stack_outputs
            .insert((stack.to_string(), name.to_string()), value);
    }

    /// The value of a named condition; unknown when it cannot be decided before deployment.
    pub fn condition(&mut self, name: &str) -> Tri {
        if let Some(t) = self.condition_values.get(name) {
            return *t;
        }
        let Some(node) = self.conditions.get(name).copied() else {
            return Tri::Unknown;
        };
        // A cycle of conditions decides nothing.
        self.condition_values.insert(name.to_string(), Tri::Unknown);
        let t = self.condition_node(node);
        self.condition_values.insert(name.to_string(), t);
        t
    }

    fn condition_node(&mut self, node: &Node) -> Tri {
        if let Kind::Bool(b) = node.kind {
            return b.into();
        }
        let Some(f) = node.single() else {
            return Tri::Unknown;
        };
        let args = || match &f.value.kind {
            Kind::List(items) => items.as_slice(),
            _ => std::slice::from_ref(&f.value),
        };
        match f.key.as_str() {
            "Condition" => match f.value.as_str() {
                Some(name) => self.condition(name),
                None => Tri::Unknown,
            },
            "Fn::Equals" => match args() {
                [a, b] => {
                    let (a, b) = (self.value(a), self.value(b));
                    match (a, b) {
                        (Some(a), Some(b)) if !a.contains_unknown() && !b.contains_unknown() => {
                            (text_of(&a) == text_of(&b)).into()
                        }
                        _ => Tri::Unknown,
                    }
                }
                _ => Tri::Unknown,
            },
            "Fn::And" => {
                let items: Vec<Tri> = args().iter().map(|c| self.condition_node(c)).collect();
                Tri::all(items)
            }
            "Fn::Or" => {
                let items: Vec<Tri> = args().iter().map(|c| self.condition_node(c)).collect();
                Tri::any(items)
            }
            "Fn::Not" => match args() {
                [c] => self.condition_node(c).not(),
                _ => Tri::Unknown,
            },
            _ => Tri::Unknown,
        }
    }

    /// Evaluates a node. `None` is `AWS::NoValue`: the key or element is removed.
    pub fn value(&mut self, node: &Node) -> Option<Value> {
        match &node.kind {
            Kind::Null => Some(Value::Null),
            Kind::Bool(b) => Some(Value::Bool(*b)),
            Kind::Number(n) => Some(Value::Number(n.clone())),
            Kind::String(s) => Some(literal(s)),
            Kind::List(items) => Some(Value::List(items.iter().filter_map(|i| self.value(i)).collect())),
            Kind::Map(entries) => {
                if let Some(f) = node.single().filter(|f| is_function(&f.key)) {
                    return self.function(&f.key, &f.value);
                }
                let mut map = BTreeMap::new();
                for e in entries {
                    if let Some(v) = self.value(&e.value) {
                        map.insert(e.key.clone(), v);
                    }
                }
                Some(Value::Object(map))
            }
        }
    }

    fn value_or_null(&mut self, node: &Node) -> Value {
        self.value(node).unwrap_or(Value::Null)
    }

    /// An unknown value made of `parts`: it depends on every resource they depend on.
    fn combine(&mut self, reason: String, parts: &[&Value]) -> Value {
        let mut targets = BTreeSet::new();
        for p in parts {
            self.refs.targets(p, &mut targets);
        }
        self.refs.unknown(reason, targets)
    }

    fn function(&mut self, name: &str, arg: &Node) -> Option<Value> {
        let args: &[Node] = match &arg.kind {
            Kind::List(items) => items,
            _ => std::slice::from_ref(arg),
        };
        let v = match name {
            "Ref" => return self.reference(arg),
            "Fn::GetAtt" => self.get_att(arg),
            "Fn::Sub" => self.sub(arg),
            "Fn::Join" => match args {
                [delim, list] => {
                    let delim = self.value_or_null(delim);
                    let list = self.value_or_null(list);
                    self.join(&delim, &list)
                }
                _ => Value::unknown("Fn::Join takes [delimiter, list]"),
            },
            "Fn::Select" => match args {
                [index, list] => {
                    let index = self.value_or_null(index);
                    let list = self.value_or_null(list);
                    match (index.as_i64(), &list) {
                        (Some(i), Value::List(items)) => usize::try_from(i)
                            .ok()
                            .and_then(|i| items.get(i).cloned())
                            .unwrap_or_else(|| {
                                Value::unknown(format!("Fn::Select index {i} is out of range"))
                            }),
                        _ => self.combine(
                            "Fn::Select of a value known after deployment".into(),
                            &[&index, &list],
                        ),
                    }
                }
                _ => Value::unknown("Fn::Select takes [index, list]"),
            },
            "Fn::Split" => match args {
                [delim, source] => {
                    let delim = self.value_or_null(delim);
                    let source = self.value_or_null(source);
                    match (delim.as_str(), source.as_str()) {
                        (Some(d), Some(s)) if !d.is_empty() => {
                            Value::List(s.split(d).map(Value::from).collect())
                        }
                        _ => self.combine("Fn::Split of a value known after deployment".into(), &[&source]),
                    }
                }
                _ => Value::unknown("Fn::Split takes [delimiter, string]"),
            },
            "Fn::If" => return self.if_(args),
            "Fn::FindInMap" => self.find_in_map(args),
            "Fn::Base64" => {
                let v = self.value_or_null(arg);
                match v.as_str() {
                    Some(s) => Value::from(base64::engine::general_purpose::STANDARD.encode(s)),
                    None => self.combine("Fn::Base64 of a value known after deployment".into(), &[&v]),
                }
            }
            "Fn::GetAZs" => {
                Value::unknown("Fn::GetAZs: the region's availability zones are known at deployment")
            }
            "Fn::ImportValue" => {
                let v = self.value_or_null(arg);
                match v.as_str() {
                    Some(s) => Value::unknown(format!("Fn::ImportValue {s}: exported by another stack")),
                    None => Value::unknown("Fn::ImportValue: exported by another stack"),
                }
            }
            "Fn::Cidr" => self.cidr(args),
            "Fn::Length" => match self.value_or_null(arg) {
                Value::List(items) => Value::from(i64::try_from(items.len()).unwrap_or(i64::MAX)),
                other => self.combine("Fn::Length of a list known after deployment".into(), &[&other]),
            },
            "Fn::ToJsonString" => {
                let v = self.value_or_null(arg);
                if v.contains_unknown() {
                    self.combine("Fn::ToJsonString of a value known after deployment".into(), &[&v])
                } else {
                    Value::from(v.to_json().to_string())
                }
            }
            other => Value::unknown(format!("{other} is not evaluated by attest")),
        };
        Some(v)
    }

    fn reference(&mut self, arg: &Node) -> Option<Value> {
        let Some(name) = arg.as_str() else {
            return Some(Value::unknown("Ref takes a name"));
        };
        if name == "AWS::NoValue" {
            return None;
        }
        if let Some(v) = self.params.get(name) {
            return Some(v.clone());
        }
        if self.resources.contains(name) {
            return Some(self.refs.unknown(
                format!("Ref {name} is known after deployment"),
                [name.to_string()],
            ));
        }
        Some(Value::unknown(format!(
            "Ref {name}: no parameter or resource of that name"
        )))
    }

    fn get_att(&mut self, arg: &Node) -> Value {
        let (resource, attribute) = match &arg.kind {
            Kind::String(s) => match s.split_once('.') {
                Some((r, a)) => (r.to_string(), Value::from(a)),
                None => return Value::unknown("Fn::GetAtt takes Resource.Attribute"),
            },
            Kind::List(items) => match items.as_slice() {
                [r, a] => match r.as_str() {
                    Some(r) => (r.to_string(), self.value_or_null(a)),
                    None => return Value::unknown("Fn::GetAtt takes [Resource, Attribute]"),
                },
                _ => return Value::unknown("Fn::GetAtt takes [Resource, Attribute]"),
            },
            _ => return Value::unknown("Fn::GetAtt takes [Resource, Attribute]"),
        };
        self.attribute_of(&resource, attribute.as_str().unwrap_or("<attribute>"))
    }

    fn attribute_of(&mut self, resource: &str, attribute: &str) -> Value {
        let output = attribute
            .strip_prefix("Outputs.")
            .and_then(|name| self.stack_outputs.get(&(resource.to_string(), name.to_string())));
        if let Some(v) = output {
            return v.clone();
        }
        if self.resources.contains(resource) {
            self.refs.unknown(
                format!("{resource}.{attribute} is known after deployment"),
                [resource.to_string()],
            )
        } else {
            Value::unknown(format!(
                "Fn::GetAtt {resource}.{attribute}: no resource of that name"
            ))
        }
    }

    fn if_(&mut self, args: &[Node]) -> Option<Value> {
        let [cond, yes, no] = args else {
            return Some(Value::unknown(
                "Fn::If takes [condition, value if true, value if false]",
            ));
        };
        let Some(name) = cond.as_str() else {
            return Some(Value::unknown("Fn::If takes a condition name"));
        };
        match self.condition(name) {
            Tri::True => self.value(yes),
            Tri::False => self.value(no),
            Tri::Unknown => {
                let (a, b) = (self.value(yes), self.value(no));
                if a == b {
                    return a;
                }
                let (a, b) = (a.unwrap_or(Value::Null), b.unwrap_or(Value::Null));
                Some(self.combine(
                    format!("Fn::If on condition {name}, which is not known before deployment"),
                    &[&a, &b],
                ))
            }
        }
    }

    fn find_in_map(&mut self, args: &[Node]) -> Value {
        let [map, top, second, ..] = args else {
            return Value::unknown("Fn::FindInMap takes [map, top-level key, second-level key]");
        };
        let keys: Vec<Value> = [map, top, second].iter().map(|n| self.value_or_null(n)).collect();
        let names: Option<Vec<String>> = keys.iter().map(text_of).collect();
        let Some(names) = names.filter(|_| !keys.iter().any(Value::contains_unknown)) else {
            let parts: Vec<&Value> = keys.iter().collect();
            return self.combine("Fn::FindInMap with a key known after deployment".into(), &parts);
        };
        let found = self
            .mappings
            .and_then(|m| m.get(&names[0]))
            .and_then(|m| m.get(&names[1]))
            .and_then(|m| m.get(&names[2]));
        match found {
            Some(node) => self.value_or_null(node),
            None => match args.get(3).and_then(|d| d.get("DefaultValue")) {
                Some(default) => self.value_or_null(default),
                None => Value::unknown(format!(
                    "Fn::FindInMap: no entry {}/{}/{} in Mappings",
                    names[0], names[1], names[2]
                )),
            },
        }
    }

    fn sub(&mut self, arg: &Node) -> Value {
        let (template, vars) = match &arg.kind {
            Kind::String(s) => (s.clone(), BTreeMap::new()),
            Kind::List(items) => match items.as_slice() {
                [t, vars] | [t, vars, ..] if t.as_str().is_some() => {
                    let mut map = BTreeMap::new();
                    for e in vars.entries() {
                        let v = self.value_or_null(&e.value);
                        map.insert(e.key.clone(), v);
                    }
                    (t.as_str().unwrap_or_default().to_string(), map)
                }
                [t] if t.as_str().is_some() => (t.as_str().unwrap_or_default().to_string(), BTreeMap::new()),
                _ => return Value::unknown("Fn::Sub takes a string or [string, variables]"),
            },
            _ => return Value::unknown("Fn::Sub takes a string or [string, variables]"),
        };
        let mut out = String::new();
        let mut parts: Vec<Value> = Vec::new();
        let mut rest = template.as_str();
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
                continue;
            }
            let name = name.trim();
            let v = match vars.get(name) {
                Some(v) => v.clone(),
                None if self.params.contains_key(name) || self.resources.contains(name) => {
                    let node = Node {
                        kind: Kind::String(name.to_string()),
                        line: 0,
                        column: 0,
                    };
                    self.reference(&node).unwrap_or(Value::Null)
                }
                None => match name.split_once('.') {
                    Some((r, a)) => self.attribute_of(r, a),
                    None => Value::unknown(format!(
                        "Fn::Sub ${{{name}}}: no parameter or resource of that name"
                    )),
                },
            };
            match text_of(&v) {
                Some(s) if !v.contains_unknown() => out.push_str(&s),
                _ => parts.push(v),
            }
        }
        out.push_str(rest);
        if parts.is_empty() {
            literal(&out)
        } else {
            let refs: Vec<&Value> = parts.iter().collect();
            self.combine(format!("Fn::Sub {template:?} is known after deployment"), &refs)
        }
    }

    fn join(&mut self, delim: &Value, list: &Value) -> Value {
        let (Some(d), Value::List(items)) = (delim.as_str(), list) else {
            return self.combine("Fn::Join of a list known after deployment".into(), &[list]);
        };
        let texts: Option<Vec<String>> = items
            .iter()
            .map(|i| if i.contains_unknown() { None } else { text_of(i) })
            .collect();
        match texts {
            Some(texts) => literal(&texts.join(d)),
            None => self.combine(
                format!("Fn::Join of {} is known after deployment", list.to_json()),
                &[list],
            ),
        }
    }

    fn cidr(&mut self, args: &[Node]) -> Value {
        let [block, count, bits] = args else {
            return Value::unknown("Fn::Cidr takes [ipBlock, count, cidrBits]");
        };
        let (block, count, bits) = (
            self.value_or_null(block),
            self.value_or_null(count),
            self.value_or_null(bits),
        );
        let (Some(b), Some(n), Some(k)) = (block.as_str(), count.as_i64(), bits.as_i64()) else {
            return self.combine("Fn::Cidr of a value known after deployment".into(), &[&block]);
        };
        match cidr_subnets(b, n, k) {
            Some(list) => Value::List(list.into_iter().map(Value::from).collect()),
            None => Value::unknown(format!(
                "Fn::Cidr cannot split {b} into {n} blocks of {k} host bits"
            )),
        }
    }
}

/// The first `count` subnets of `block` with `bits` host bits each.
fn cidr_subnets(block: &str, count: i64, bits: i64) -> Option<Vec<String>> {
    let net: ipnet::IpNet = block.trim().parse().ok()?;
    let max = net.max_prefix_len();
    let bits = u8::try_from(bits).ok()?;
    let prefix = max.checked_sub(bits)?;
    if prefix < net.prefix_len() {
        return None;
    }
    let count = usize::try_from(count).ok().filter(|c| (1..=256).contains(c))?;
    let subnets: Vec<String> = net
        .subnets(prefix)
        .ok()?
        .take(count)
        .map(|s| s.to_string())
        .collect();
    (subnets.len() == count).then_some(subnets)
}

/// Intrinsic function keys evaluated in property values.
fn is_function(key: &str) -> bool {
    key == "Ref" || key.starts_with("Fn::")
}

/// A string from the template; a dynamic reference is resolved at deployment.
fn literal(s: &str) -> Value {
    if s.contains("{{resolve:") {
        Value::unknown(format!("dynamic reference {s:?} is resolved at deployment"))
    } else {
        Value::from(s)
    }
}

/// A scalar as CloudFormation turns it into text (in `Fn::Sub`, `Fn::Join`, `Fn::Equals`).
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::List(items) => items
            .iter()
            .map(text_of)
            .collect::<Option<Vec<_>>>()
            .map(|t| t.join(",")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_blocks_are_computed() {
        assert_eq!(
            cidr_subnets("10.0.0.0/16", 3, 8),
            Some(vec![
                "10.0.0.0/24".into(),
                "10.0.1.0/24".into(),
                "10.0.2.0/24".into()
            ])
        );
        assert_eq!(cidr_subnets("10.0.0.0/24", 2, 12), None);
    }
}

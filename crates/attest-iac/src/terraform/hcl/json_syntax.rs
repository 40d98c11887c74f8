//! Terraform's JSON configuration syntax (`.tf.json`).
//!
//! Strings holding `${` or `%{` are templates; every other JSON value is a literal. Without the
//! provider schema a JSON object cannot be told from a nested block, so nested blocks written in
//! JSON stay objects (or lists of objects, when written as arrays); `dynamic` blocks are
//! recognised.

use attest_core::{InputError, Location, Mode};
use serde_json::Value as Json;

use super::config::{
    block_address, BlockDecl, LineIndex, ModuleCallDecl, ModuleConfig, OutputDecl, VariableDecl,
};

/// Parses one `.tf.json` file into `cfg`.
pub fn parse_json_file(file: &str, text: &str, cfg: &mut ModuleConfig, errors: &mut Vec<InputError>) {
    let doc: Json = match serde_json::from_str(text) {
        Ok(doc) => doc,
        Err(e) => {
            errors.push(InputError::at(
                file,
                e.line() as u32,
                e.column() as u32,
                e.to_string(),
            ));
            return;
        }
    };
    let Json::Object(top) = &doc else {
        errors.push(InputError::at(
            file,
            1,
            1,
            "a Terraform JSON file must hold an object",
        ));
        return;
    };
    let lines = LineIndex::new(text);
    let finder = Finder { text };
    for (key, section) in top {
        match key.as_str() {
            "resource" | "data" => {
                let mode = if key == "data" { Mode::Data } else { Mode::Managed };
                let section_at = finder.find(&format!("\"{key}\""), 0);
                for types in objects(section) {
                    for (rtype, named) in types {
                        let type_at = finder.find(&format!("\"{rtype}\""), section_at);
                        for names in objects(named) {
                            for (name, body) in names {
                                let at = finder.find(&format!("\"{name}\""), type_at);
                                let (line, column) = lines.position(at);
                                for body in objects(body) {
                                    cfg.add_block(
                                        BlockDecl {
                                            mode,
                                            resource_type: rtype.clone(),
                                            name: name.clone(),
                                            address: block_address(mode, rtype, name),
                                            body: json_body(body),
                                            location: Location {
                                                file: file.to_string(),
                                                line,
                                                column,
                                                end_line: None,
                                            },
                                        },
                                        errors,
                                    );
                                }
                            }
                        }
                    }
                }
            }
            "variable" => {
                for vars in objects(section) {
                    for (name, decl) in vars {
                        let decl_obj = decl.as_object();
                        cfg.add_variable(VariableDecl {
                            name: name.clone(),
                            default: decl_obj.and_then(|d| d.get("default")).map(literal_expr),
                            type_name: decl_obj
                                .and_then(|d| d.get("type"))
                                .and_then(Json::as_str)
                                .map(|t| t.split('(').next().unwrap_or(t).trim().to_string()),
                            type_expr: decl_obj
                                .and_then(|d| d.get("type"))
                                .and_then(Json::as_str)
                                .and_then(|t| hcl::edit::parser::parse_expr(t).ok())
                                .map(Into::into),
                            sensitive: decl_obj
                                .and_then(|d| d.get("sensitive"))
                                .and_then(Json::as_bool)
                                .unwrap_or(false),
                            location: None,
                        });
                    }
                }
            }
            "module" => {
                let section_at = finder.find("\"module\"", 0);
                for calls in objects(section) {
                    for (name, body) in calls {
                        let at = finder.find(&format!("\"{name}\""), section_at);
                        let (line, column) = lines.position(at);
                        for body in objects(body) {
                            cfg.add_module_call(
                                ModuleCallDecl {
                                    name: name.clone(),
                                    source: body.get("source").and_then(Json::as_str).map(str::to_string),
                                    body: json_body(body),
                                    location: Location {
                                        file: file.to_string(),
                                        line,
                                        column,
                                        end_line: None,
                                    },
                                },
                                errors,
                            );
                        }
                    }
                }
            }
            "output" => {
                for outputs in objects(section) {
                    for (name, body) in outputs {
                        for body in objects(body) {
                            cfg.add_output(OutputDecl {
                                name: name.clone(),
                                value: body.get("value").map(json_expr),
                            });
                        }
                    }
                }
            }
            "locals" => {
                for locals in objects(section) {
                    for (name, v) in locals {
                        if name != "//" {
                            cfg.add_local(name.clone(), json_expr(v));
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

struct Finder<'a> {
    text: &'a str,
}

impl Finder<'_> {
    /// Byte offset of `needle` at or after `from` (or `from` when absent).
    fn find(&self, needle: &str, from: usize) -> usize {
        self.text
            .get(from..)
            .and_then(|rest| rest.find(needle))
            .map(|i| from + i)
            .unwrap_or(from)
    }
}

/// The objects of a section written as an object or an array of objects.
fn objects(v: &Json) -> Vec<&serde_json::Map<String, Json>> {
    match v {
        Json::Object(m) => vec![m],
        Json::Array(items) => items.iter().filter_map(Json::as_object).collect(),
        _ => Vec::new(),
    }
}

/// A block body: attributes, with `dynamic` blocks turned into blocks.
fn json_body(obj: &serde_json::Map<String, Json>) -> hcl::Body {
    let mut structures: Vec<hcl::Structure> = Vec::new();
    for (key, v) in obj {
        match key.as_str() {
            "//" => {}
            "dynamic" => {
                for dynamics in objects(v) {
                    for (label, spec) in dynamics {
                        for spec in objects(spec) {
                            structures.push(hcl::Structure::Block(dynamic_block(label, spec)));
                        }
                    }
                }
            }
            "lifecycle" | "provisioner" | "connection" => {}
            _ => structures.push(hcl::Structure::Attribute(hcl::Attribute::new(
                key.as_str(),
                json_expr(v),
            ))),
        }
    }
    hcl::Body::from(structures)
}

fn dynamic_block(label: &str, spec: &serde_json::Map<String, Json>) -> hcl::Block {
    let mut builder = hcl::Block::builder("dynamic").add_label(label);
    for (key, v) in spec {
        match key.as_str() {
            "content" => {
                for content in objects(v) {
                    let body = json_body(content);
                    builder = builder.add_block(hcl::Block::builder("content").add_structures(body).build());
                }
            }
            "iterator" => {
                if let Some(name) = v.as_str() {
                    builder = builder.add_attribute(hcl::Attribute::new(
                        "iterator",
                        hcl::Expression::String(name.to_string()),
                    ));
                }
            }
            _ => builder = builder.add_attribute(hcl::Attribute::new(key.as_str(), json_expr(v))),
        }
    }
    builder.build()
}

/// A JSON value as an expression: strings with template markers are templates.
pub fn json_expr(v: &Json) -> hcl::Expression {
    match v {
        Json::String(s) if s.contains("${") || s.contains("%{") => {
            hcl::Expression::TemplateExpr(Box::new(hcl::TemplateExpr::QuotedString(s.clone())))
        }
        Json::Array(items) => hcl::Expression::Array(items.iter().map(json_expr).collect()),
        Json::Object(map) => hcl::Expression::Object(
            map.iter()
                .filter(|(k, _)| k.as_str() != "//")
                .map(|(k, v)| {
                    (
                        hcl::ObjectKey::Expression(hcl::Expression::String(k.clone())),
                        json_expr(v),
                    )
                })
                .collect(),
        ),
        other => literal_expr(other),
    }
}

/// A JSON value as a literal expression (no templates).
pub fn literal_expr(v: &Json) -> hcl::Expression {
    match v {
        Json::Null => hcl::Expression::Null,
        Json::Bool(b) => hcl::Expression::Bool(*b),
        Json::Number(n) => n
            .as_i64()
            .map(hcl::Number::from)
            .or_else(|| n.as_u64().map(hcl::Number::from))
            .or_else(|| n.as_f64().and_then(hcl::Number::from_f64))
            .map(hcl::Expression::Number)
            .unwrap_or(hcl::Expression::Null),
        Json::String(s) => hcl::Expression::String(s.clone()),
        Json::Array(items) => hcl::Expression::Array(items.iter().map(literal_expr).collect()),
        Json::Object(map) => hcl::Expression::Object(
            map.iter()
                .map(|(k, v)| {
                    (
                        hcl::ObjectKey::Expression(hcl::Expression::String(k.clone())),
                        literal_expr(v),
                    )
                })
                .collect(),
        ),
    }
}

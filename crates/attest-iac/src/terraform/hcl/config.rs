//! The parsed configuration of one module: variables, locals, resource and data blocks, each
//! with the expression trees still to evaluate.

use std::collections::HashMap;

use attest_core::{InputError, Location, Mode};
use hcl::edit::Span as _;

/// A `variable` block.
#[derive(Debug, Clone)]
pub struct VariableDecl {
    pub name: String,
    pub default: Option<hcl::Expression>,
    /// The declared type constraint, as written (`string`, `list(string)`), when there is one.
    pub type_name: Option<String>,
    /// The type constraint expression.
    pub type_expr: Option<hcl::Expression>,
    /// `sensitive = true`.
    pub sensitive: bool,
    /// The `variable` block.
    pub location: Option<Location>,
}

/// A `resource` or `data` block.
#[derive(Debug, Clone)]
pub struct BlockDecl {
    pub mode: Mode,
    pub resource_type: String,
    pub name: String,
    /// `aws_x.name` or `data.aws_x.name`.
    pub address: String,
    pub body: hcl::Body,
    pub location: Location,
}

/// A `module` block (a call of a child module).
#[derive(Debug, Clone)]
pub struct ModuleCallDecl {
    pub name: String,
    /// The `source` argument when it is a literal string.
    pub source: Option<String>,
    pub body: hcl::Body,
    pub location: Location,
}

/// An `output` block.
#[derive(Debug, Clone)]
pub struct OutputDecl {
    pub name: String,
    pub value: Option<hcl::Expression>,
}

/// Everything of a module that evaluation needs.
#[derive(Debug, Default)]
pub struct ModuleConfig {
    pub variables: Vec<VariableDecl>,
    pub locals: HashMap<String, hcl::Expression>,
    pub blocks: Vec<BlockDecl>,
    /// Block address -> index into `blocks`.
    pub block_index: HashMap<String, usize>,
    pub module_calls: Vec<ModuleCallDecl>,
    pub outputs: Vec<OutputDecl>,
    /// `var.x` / `local.y` names whose values are sensitive (computed on first use).
    pub sensitive_names: std::sync::OnceLock<Vec<String>>,
}

impl ModuleConfig {
    pub fn add_variable(&mut self, v: VariableDecl) {
        if !self.variables.iter().any(|d| d.name == v.name) {
            self.variables.push(v);
        }
    }

    pub fn add_local(&mut self, name: String, expr: hcl::Expression) {
        self.locals.entry(name).or_insert(expr);
    }

    /// Adds a module call; a second call with the same name is reported and dropped.
    pub fn add_module_call(&mut self, m: ModuleCallDecl, errors: &mut Vec<InputError>) {
        if self.module_calls.iter().any(|c| c.name == m.name) {
            errors.push(InputError::at(
                m.location.file.clone(),
                m.location.line,
                m.location.column,
                format!("duplicate module call `module.{}`", m.name),
            ));
            return;
        }
        self.module_calls.push(m);
    }

    pub fn add_output(&mut self, o: OutputDecl) {
        if !self.outputs.iter().any(|d| d.name == o.name) {
            self.outputs.push(o);
        }
    }

    /// Adds a block; a second block with the same address is reported and dropped.
    pub fn add_block(&mut self, b: BlockDecl, errors: &mut Vec<InputError>) {
        if self.block_index.contains_key(&b.address) {
            errors.push(InputError::at(
                b.location.file.clone(),
                b.location.line,
                b.location.column,
                format!("duplicate {} block `{}`", kind_word(b.mode), b.address),
            ));
            return;
        }
        self.block_index.insert(b.address.clone(), self.blocks.len());
        self.blocks.push(b);
    }
}

fn kind_word(mode: Mode) -> &'static str {
    match mode {
        Mode::Managed => "resource",
        Mode::Data => "data",
    }
}

/// The address of a block.
pub fn block_address(mode: Mode, resource_type: &str, name: &str) -> String {
    match mode {
        Mode::Managed => format!("{resource_type}.{name}"),
        Mode::Data => format!("data.{resource_type}.{name}"),
    }
}

/// Byte offsets of line starts, to turn spans into 1-based lines and columns.
pub struct LineIndex<'s> {
    text: &'s str,
    starts: Vec<usize>,
}

impl<'s> LineIndex<'s> {
    pub fn new(text: &'s str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { text, starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts[line];
        let column = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start);
        (line as u32 + 1, column as u32 + 1)
    }
}

fn label_text(label: &hcl::edit::structure::BlockLabel) -> String {
    match label {
        hcl::edit::structure::BlockLabel::Ident(i) => i.as_str().to_string(),
        hcl::edit::structure::BlockLabel::String(s) => s.as_str().to_string(),
    }
}

/// The type constraint of a variable as text (`string`, `list(string)`).
pub fn type_text(expr: &hcl::Expression) -> String {
    match expr {
        hcl::Expression::Variable(v) => v.as_str().to_string(),
        hcl::Expression::FuncCall(f) => f.name.name.as_str().to_string(),
        hcl::Expression::String(s) => s.clone(),
        _ => "any".to_string(),
    }
}

/// Parses one `.tf` file into `cfg`. A syntax error is one input error; nothing of the file is
/// kept then.
pub fn parse_hcl_file(file: &str, text: &str, cfg: &mut ModuleConfig, errors: &mut Vec<InputError>) {
    let body = match hcl::edit::parser::parse_body(text) {
        Ok(body) => body,
        Err(e) => {
            let loc = e.location();
            errors.push(InputError::at(
                file,
                loc.line() as u32,
                loc.column() as u32,
                e.message().to_string(),
            ));
            return;
        }
    };
    let lines = LineIndex::new(text);
    for structure in body.into_iter() {
        let hcl::edit::structure::Structure::Block(block) = structure else {
            continue;
        };
        let span = block.span().unwrap_or(0..0);
        let (line, column) = lines.position(span.start);
        let (end_line, _) = lines.position(span.end.saturating_sub(1).max(span.start));
        let location = Location {
            file: file.to_string(),
            line,
            column,
            end_line: Some(end_line),
        };
        let labels: Vec<String> = block.labels.iter().map(label_text).collect();
        let ident = block.ident.as_str().to_string();
        let body: hcl::Body = block.body.into();
        match (ident.as_str(), labels.as_slice()) {
            ("resource", [t, n]) | ("data", [t, n]) => {
                let mode = if ident == "data" {
                    Mode::Data
                } else {
                    Mode::Managed
                };
                cfg.add_block(
                    BlockDecl {
                        mode,
                        resource_type: t.clone(),
                        name: n.clone(),
                        address: block_address(mode, t, n),
                        body,
                        location,
                    },
                    errors,
                );
            }
            ("variable", [name]) => {
                let mut decl = VariableDecl {
                    name: name.clone(),
                    default: None,
                    type_name: None,
                    type_expr: None,
                    sensitive: false,
                    location: Some(location),
                };
                for attr in body.attributes() {
                    match attr.key() {
                        "default" => decl.default = Some(attr.expr().clone()),
                        "type" => {
                            decl.type_name = Some(type_text(attr.expr()));
                            decl.type_expr = Some(attr.expr().clone());
                        }
                        "sensitive" => decl.sensitive = matches!(attr.expr(), hcl::Expression::Bool(true)),
                        _ => {}
                    }
                }
                cfg.add_variable(decl);
            }
            ("locals", []) => {
                for attr in body.into_attributes() {
                    cfg.add_local(attr.key.to_string(), attr.expr);
                }
            }
            ("module", [name]) => {
                let source = body
                    .attributes()
                    .find(|a| a.key() == "source")
                    .and_then(|a| match a.expr() {
                        hcl::Expression::String(s) => Some(s.clone()),
                        _ => None,
                    });
                cfg.add_module_call(
                    ModuleCallDecl {
                        name: name.clone(),
                        source,
                        body,
                        location,
                    },
                    errors,
                );
            }
            ("output", [name]) => {
                let value = body
                    .attributes()
                    .find(|a| a.key() == "value")
                    .map(|a| a.expr().clone());
                cfg.add_output(OutputDecl {
                    name: name.clone(),
                    value,
                });
            }
            _ => {}
        }
    }
}

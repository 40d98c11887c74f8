//! attest-dev: developer tasks for the attest workspace.
//!
//! `generate-all` renders the documentation that is derived from code and data — one page per
//! built-in rule, the rule index, and one matrix per built-in framework catalog — and either
//! writes it under `docs/` or, with `--check`, reports which files on disk are stale, missing or
//! extra. The generated folders (`docs/rules/`, `docs/frameworks/`) belong to the generator: any
//! other Markdown file in them is extra.

pub mod render;

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use attest_core::{Framework, Rule};

/// Folders under the docs root that the generator owns entirely.
pub const GENERATED_DIRS: &[&str] = &["rules", "frameworks"];

/// A file-system operation on the docs folder that failed.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct DocsError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

impl DocsError {
    fn at(path: &Path) -> impl FnOnce(io::Error) -> DocsError + '_ {
        move |source| DocsError {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Why a generated file cannot be produced.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// A rule or framework id would not make a plain file name.
    #[error("{what} id {id:?} cannot be used as a file name")]
    BadId { what: &'static str, id: String },
    /// Two rules or two frameworks would write the same file.
    #[error("two sources would both generate {path}")]
    Duplicate { path: String },
}

/// The generated documentation: relative path (`rules/aws-x.md`, with `/` separators) → content.
pub type Docs = BTreeMap<String, String>;

/// True when `id` is a plain file stem: ASCII letters, digits, `-`, `_` and `.`, not starting with `.`.
fn is_file_stem(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn insert_once(docs: &mut Docs, path: String, text: String) -> Result<(), GenerateError> {
    if docs.contains_key(&path) {
        return Err(GenerateError::Duplicate { path });
    }
    docs.insert(path, text);
    Ok(())
}

/// Renders every generated file for these rules and framework catalogs.
pub fn render_all(rules: &[&dyn Rule], frameworks: &[Framework]) -> Result<Docs, GenerateError> {
    let mut docs = Docs::new();
    for rule in rules {
        let meta = rule.meta();
        if !is_file_stem(meta.id) || meta.id.eq_ignore_ascii_case("readme") {
            return Err(GenerateError::BadId {
                what: "rule",
                id: meta.id.to_string(),
            });
        }
        insert_once(
            &mut docs,
            format!("rules/{}.md", meta.id),
            render::rule_page(meta, frameworks),
        )?;
    }
    insert_once(
        &mut docs,
        "rules/README.md".to_string(),
        render::rule_index(rules, frameworks),
    )?;
    for framework in frameworks {
        if !is_file_stem(&framework.id) {
            return Err(GenerateError::BadId {
                what: "framework",
                id: framework.id.clone(),
            });
        }
        insert_once(
            &mut docs,
            format!("frameworks/{}.md", framework.id),
            render::framework_page(framework, rules),
        )?;
    }
    Ok(docs)
}

/// Renders the documentation of the built-in rules and catalogs.
pub fn render_builtin() -> Result<Docs, GenerateError> {
    render_all(attest_rules::all(), attest_rules::frameworks::builtin())
}

/// How one file on disk differs from what the generator produces.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Difference {
    /// The file exists with other content.
    Stale(String),
    /// The generator produces the file, but it is not on disk.
    Missing(String),
    /// A Markdown file in a generated folder that the generator no longer produces.
    Extra(String),
}

impl Difference {
    pub fn path(&self) -> &str {
        match self {
            Difference::Stale(p) | Difference::Missing(p) | Difference::Extra(p) => p,
        }
    }
}

impl Difference {
    /// `stale`, `missing` or `extra`.
    pub fn kind(&self) -> &'static str {
        match self {
            Difference::Stale(_) => "stale",
            Difference::Missing(_) => "missing",
            Difference::Extra(_) => "extra",
        }
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind(), self.path())
    }
}

/// Markdown files currently in the generated folders under `root`, as relative paths.
fn existing_files(root: &Path) -> Result<Vec<String>, DocsError> {
    let mut found = Vec::new();
    for dir in GENERATED_DIRS {
        let path = root.join(dir);
        let entries = match std::fs::read_dir(&path) {
            Ok(entries) => entries,
            Err(err) if err.kind() == io::ErrorKind::NotFound => continue,
            Err(err) => return Err(DocsError::at(&path)(err)),
        };
        for entry in entries {
            let entry = entry.map_err(DocsError::at(&path))?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let is_file = entry.file_type().map_err(DocsError::at(&entry.path()))?.is_file();
            if is_file && name.ends_with(".md") {
                found.push(format!("{dir}/{name}"));
            }
        }
    }
    found.sort();
    Ok(found)
}

fn on_disk(root: &Path, relative: &str) -> PathBuf {
    relative
        .split('/')
        .fold(root.to_path_buf(), |p, part| p.join(part))
}

/// Compares the generated `docs` with the files under `root`; empty when everything is current.
pub fn check(root: &Path, docs: &Docs) -> Result<Vec<Difference>, DocsError> {
    let mut differences = Vec::new();
    for (relative, text) in docs {
        let path = on_disk(root, relative);
        match std::fs::read(&path) {
            Ok(bytes) if bytes == text.as_bytes() => {}
            Ok(_) => differences.push(Difference::Stale(relative.clone())),
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                differences.push(Difference::Missing(relative.clone()))
            }
            Err(err) => return Err(DocsError::at(&path)(err)),
        }
    }
    for relative in existing_files(root)? {
        if !docs.contains_key(&relative) {
            differences.push(Difference::Extra(relative));
        }
    }
    differences.sort();
    Ok(differences)
}

/// Brings the files under `root` in line with `docs`: writes stale and missing files, deletes
/// extra ones, and leaves current files untouched. Returns what it changed.
pub fn write(root: &Path, docs: &Docs) -> Result<Vec<Difference>, DocsError> {
    let differences = check(root, docs)?;
    for difference in &differences {
        let path = on_disk(root, difference.path());
        match difference {
            Difference::Stale(relative) | Difference::Missing(relative) => {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).map_err(DocsError::at(parent))?;
                }
                let text = docs.get(relative).map(String::as_str).unwrap_or_default();
                std::fs::write(&path, text).map_err(DocsError::at(&path))?;
            }
            Difference::Extra(_) => std::fs::remove_file(&path).map_err(DocsError::at(&path))?,
        }
    }
    Ok(differences)
}

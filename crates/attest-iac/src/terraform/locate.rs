//! Terraform addresses, and where the blocks behind them are written.
//!
//! Plan and state files carry no source positions. When the configuration sits beside them,
//! [`block_locations`] finds the top-level `resource`, `data` and `module` blocks of a directory
//! (parsed, not evaluated) so that resources from a plan or a state still point at their block.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use attest_core::{Location, Mode, ModuleCall};
use hcl_edit::structure::Structure;
use hcl_edit::Span;

/// Maps `aws_x.name`, `data.aws_x.name` and `module.name` to the block's position in the `.tf`
/// files of `dir` (the first definition wins; files are read in name order). Files that cannot be
/// read or parsed are skipped: locations are a convenience, the configuration loader reports
/// syntax errors.
pub fn block_locations(dir: &Path) -> HashMap<String, Location> {
    let mut out = HashMap::new();
    let read_dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(entries) = std::fs::read_dir(read_dir) else {
        return out;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().map(|t| t.is_file()).unwrap_or(false))
        .map(|e| e.file_name())
        .filter(|name| name.to_string_lossy().ends_with(".tf"))
        .map(|name| dir.join(name))
        .collect();
    files.sort();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let Ok(body) = hcl_edit::parser::parse_body(&text) else {
            continue;
        };
        let lines = LineIndex::new(&text);
        let file_name = file.display().to_string();
        for structure in body.iter() {
            let Structure::Block(block) = structure else {
                continue;
            };
            let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
            let key = match (block.ident.as_str(), labels.as_slice()) {
                ("resource", [ty, name]) => format!("{ty}.{name}"),
                ("data", [ty, name]) => format!("data.{ty}.{name}"),
                ("module", [name]) => format!("module.{name}"),
                _ => continue,
            };
            let Some(span) = block.span().or_else(|| block.ident.span()) else {
                continue;
            };
            let (line, column) = lines.position(&text, span.start);
            let (end_line, _) = lines.position(&text, span.end.saturating_sub(1).max(span.start));
            let mut location = Location::new(file_name.clone(), line, column);
            location.end_line = Some(end_line);
            out.entry(key).or_insert(location);
        }
    }
    out
}

/// Byte offset → 1-based line and column (columns count characters).
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    fn position(&self, text: &str, offset: usize) -> (u32, u32) {
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let column = text
            .get(start..offset.min(text.len()))
            .map(|s| s.chars().count())
            .unwrap_or(0);
        (
            u32::try_from(line + 1).unwrap_or(u32::MAX),
            u32::try_from(column + 1).unwrap_or(u32::MAX),
        )
    }
}

/// Block locations per directory, read once each.
#[derive(Debug, Default)]
pub(crate) struct LocationCache {
    dirs: HashMap<PathBuf, HashMap<String, Location>>,
}

impl LocationCache {
    pub(crate) fn get(&mut self, dir: &Path, key: &str) -> Option<Location> {
        self.dirs
            .entry(dir.to_path_buf())
            .or_insert_with(|| block_locations(dir))
            .get(key)
            .cloned()
    }
}

/// Module directories recorded by `terraform init` in `.terraform/modules/modules.json`, by
/// dotted module key (`net`, `net.subnets`), relative to `root`.
pub(crate) fn installed_module_dirs(root: &Path) -> HashMap<String, PathBuf> {
    let mut out = HashMap::new();
    let manifest = root.join(".terraform").join("modules").join("modules.json");
    let Ok(text) = std::fs::read_to_string(manifest) else {
        return out;
    };
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(&text) else {
        return out;
    };
    for module in doc
        .get("Modules")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
    {
        if let (Some(key), Some(dir)) = (
            module.get("Key").and_then(serde_json::Value::as_str),
            module.get("Dir").and_then(serde_json::Value::as_str),
        ) {
            if !key.is_empty() {
                out.insert(key.to_string(), lexical_join(root, dir));
            }
        }
    }
    out
}

/// `base` joined with `rel`, with `.` dropped and `..` folded where possible (no file system
/// access, so paths stay as the user gave them).
pub(crate) fn lexical_join(base: &Path, rel: &str) -> PathBuf {
    let mut parts: Vec<Component<'_>> = Vec::new();
    for component in base.components().chain(Path::new(rel).components()) {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match parts.last() {
                Some(Component::Normal(_)) => {
                    parts.pop();
                }
                Some(Component::RootDir) | Some(Component::Prefix(_)) => {}
                _ => parts.push(component),
            },
            Component::RootDir | Component::Prefix(_) => {
                parts.clear();
                parts.push(component);
            }
            Component::Normal(_) => parts.push(component),
        }
    }
    parts.iter().collect()
}

/// True for a module source that is a local directory (`./net`, `../shared`).
pub(crate) fn is_local_source(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../") || source == "." || source == ".."
}

/// One `module.NAME[KEY]` step of an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ModuleStep {
    pub name: String,
    /// The instance key with its brackets (`[0]`, `["a"]`), if any.
    pub key: Option<String>,
}

/// A parsed resource address, possibly followed by an attribute path (in a reference).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Address {
    pub module: Vec<ModuleStep>,
    pub mode: Mode,
    pub resource_type: String,
    pub name: String,
    pub key: Option<String>,
    /// What follows the resource (`id`, `ingress.0`), as segments.
    pub rest: Vec<String>,
}

impl Address {
    /// Parses `module.m["a"].aws_x.y[0].attr`. `None` when it is not a resource address
    /// (`var.x`, `local.y`, `module.m.output`).
    pub(crate) fn parse(text: &str) -> Option<Address> {
        let segments = segments(text)?;
        let mut i = 0;
        let mut module = Vec::new();
        while segments.get(i).map(|s| s.0.as_str()) == Some("module") && segments[i].1.is_none() {
            let (name, key) = segments.get(i + 1)?;
            module.push(ModuleStep {
                name: name.clone(),
                key: key.clone(),
            });
            i += 2;
        }
        let mode = if segments.get(i).map(|s| s.0.as_str()) == Some("data") {
            i += 1;
            Mode::Data
        } else {
            Mode::Managed
        };
        let (resource_type, type_key) = segments.get(i)?;
        let (name, key) = segments.get(i + 1)?;
        if type_key.is_some() || !is_identifier(resource_type) || !is_identifier(name) {
            return None;
        }
        let rest = segments[i + 2..]
            .iter()
            .flat_map(|(n, k)| {
                let mut v = vec![n.clone()];
                if let Some(k) = k {
                    v.push(
                        k.trim_matches(|c| c == '[' || c == ']')
                            .trim_matches('"')
                            .to_string(),
                    );
                }
                v
            })
            .collect();
        Some(Address {
            module,
            mode,
            resource_type: resource_type.clone(),
            name: name.clone(),
            key: key.clone(),
            rest,
        })
    }

    /// `data.aws_x.y` or `aws_x.y` (no module, no key).
    pub(crate) fn resource_part(&self) -> String {
        match self.mode {
            Mode::Data => format!("data.{}.{}", self.resource_type, self.name),
            Mode::Managed => format!("{}.{}", self.resource_type, self.name),
        }
    }

    /// The resource part with its instance key (`aws_x.y[0]`).
    pub(crate) fn local_instance(&self) -> String {
        format!("{}{}", self.resource_part(), self.key.as_deref().unwrap_or(""))
    }

    /// The module names from the root (`["net", "subnets"]`).
    pub(crate) fn module_path(&self) -> Vec<String> {
        self.module.iter().map(|s| s.name.clone()).collect()
    }

    /// The module instance prefix with its trailing dot (`module.net["a"].`), or empty.
    pub(crate) fn module_prefix(&self) -> String {
        module_prefix(&self.module)
    }

    /// The full instance address.
    pub(crate) fn instance(&self) -> String {
        format!("{}{}", self.module_prefix(), self.local_instance())
    }
}

/// Renders module steps as `module.a["x"].module.b.` (empty for the root module).
pub(crate) fn module_prefix(steps: &[ModuleStep]) -> String {
    let mut out = String::new();
    for step in steps {
        out.push_str("module.");
        out.push_str(&step.name);
        if let Some(key) = &step.key {
            out.push_str(key);
        }
        out.push('.');
    }
    out
}

/// The module calls leading to a resource in module `steps`, outermost first, each with the
/// location of its `module` block when `dir_of` can tell the calling module's directory.
pub(crate) fn module_stack(
    steps: &[ModuleStep],
    mut location_of: impl FnMut(&[String], &str) -> Option<Location>,
) -> Vec<ModuleCall> {
    let mut out = Vec::with_capacity(steps.len());
    let mut path: Vec<String> = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let prefix = module_prefix(&steps[..=i]);
        let address = prefix.trim_end_matches('.').to_string();
        let location = location_of(&path, &format!("module.{}", step.name));
        out.push(ModuleCall { address, location });
        path.push(step.name.clone());
    }
    out
}

/// Renders an instance key from state or plan JSON (`0` → `[0]`, `"a"` → `["a"]`).
pub(crate) fn render_key(key: &serde_json::Value) -> Option<String> {
    match key {
        serde_json::Value::Number(n) => Some(format!("[{n}]")),
        serde_json::Value::String(s) => Some(format!("[{}]", serde_json::Value::String(s.clone()))),
        _ => None,
    }
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !s.starts_with(|c: char| c.is_ascii_digit())
}

/// Splits `a.b["x.y"].c[0]` into `[("a", None), ("b", Some("[\"x.y\"]")), ("c", Some("[0]"))]`.
pub(crate) fn segments(text: &str) -> Option<Vec<(String, Option<String>)>> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while i < chars.len() && chars[i] != '.' && chars[i] != '[' {
            i += 1;
        }
        let name: String = chars[start..i].iter().collect();
        let mut key = None;
        if i < chars.len() && chars[i] == '[' {
            let key_start = i;
            i += 1;
            let mut in_string = false;
            while i < chars.len() {
                match chars[i] {
                    '\\' if in_string => i += 1,
                    '"' => in_string = !in_string,
                    ']' if !in_string => break,
                    _ => {}
                }
                i += 1;
            }
            if i >= chars.len() {
                return None;
            }
            i += 1;
            key = Some(chars[key_start..i].iter().collect::<String>());
        }
        out.push((name, key));
        if i < chars.len() {
            if chars[i] != '.' {
                return None;
            }
            i += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_addresses_with_modules_keys_and_attributes() {
        let a = Address::parse(r#"module.net["a.b"].module.x.data.aws_iam_policy_document.p[0].json"#);
        let Some(a) = a else {
            panic!("address did not parse");
        };
        assert_eq!(a.module_prefix(), r#"module.net["a.b"].module.x."#);
        assert_eq!(a.mode, Mode::Data);
        assert_eq!(a.local_instance(), "data.aws_iam_policy_document.p[0]");
        assert_eq!(a.rest, vec!["json".to_string()]);
        assert_eq!(a.module_path(), vec!["net".to_string(), "x".to_string()]);
        assert!(Address::parse("var.x").is_some_and(|a| a.resource_type == "var"));
        assert!(Address::parse("aws_x").is_none());
    }

    #[test]
    fn lexical_join_folds_dots() {
        assert_eq!(lexical_join(Path::new("a/b"), "./m/../n"), PathBuf::from("a/b/n"));
        assert_eq!(lexical_join(Path::new(""), "../x"), PathBuf::from("../x"));
        assert_eq!(lexical_join(Path::new("a"), ".."), PathBuf::from(""));
    }
}

/// Finds the block (and module calls) behind resource addresses of a plan or state file, from
/// the configuration in the file's directory and the local modules it calls.
#[derive(Debug)]
pub(crate) struct Placement {
    root: PathBuf,
    /// Module directories by module path (names from the root).
    module_dirs: HashMap<Vec<String>, PathBuf>,
    cache: LocationCache,
}

impl Placement {
    /// `root` is the directory of the root module (the plan or state file's directory).
    /// Module directories come from `terraform init`'s manifest when present.
    pub(crate) fn new(root: &Path) -> Self {
        let module_dirs = installed_module_dirs(root)
            .into_iter()
            .map(|(key, dir)| (key.split('.').map(str::to_string).collect(), dir))
            .collect();
        Placement {
            root: root.to_path_buf(),
            module_dirs,
            cache: LocationCache::default(),
        }
    }

    /// Records the directory of a module from a local `source` (relative to its caller).
    pub(crate) fn add_module_source(&mut self, path: &[String], source: &str) {
        if !is_local_source(source) || path.is_empty() {
            return;
        }
        if let Some(parent) = self.dir_of(&path[..path.len() - 1]) {
            let dir = lexical_join(&parent, source);
            self.module_dirs.insert(path.to_vec(), dir);
        }
    }

    fn dir_of(&self, path: &[String]) -> Option<PathBuf> {
        if path.is_empty() {
            Some(self.root.clone())
        } else {
            self.module_dirs.get(path).cloned()
        }
    }

    /// The location of the resource's block and its module stack.
    pub(crate) fn place(&mut self, address: &Address) -> (Option<Location>, Vec<ModuleCall>) {
        let path = address.module_path();
        let location = self
            .dir_of(&path)
            .and_then(|dir| self.cache.get(&dir, &address.resource_part()));
        let stack = module_stack(&address.module, |caller, key| {
            let dir = self.dir_of(caller)?;
            self.cache.get(&dir, key)
        });
        (location, stack)
    }
}

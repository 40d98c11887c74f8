//! Finding inputs: walking directories, detecting each file's kind from its content.
//!
//! [`discover`] turns the paths of a scan into a list of [`Candidate`]s — Terraform module
//! directories (with the configuration files to load) and documents whose kind is decided from
//! their content — plus an error for each path that cannot be scanned. [`load_paths`] reads the
//! candidates and hands each one to its loader.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use attest_core::{InputError, LoadOutput};
use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;

use crate::cloudformation;
use crate::terraform;

/// Files larger than this are reported, not loaded.
pub const MAX_FILE_SIZE: u64 = 200 * 1024 * 1024;

/// Options shared by all loaders.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Globs (matched against paths relative to the scanned root) of files to include; empty
    /// means everything.
    pub include: Vec<String>,
    /// Globs of files to skip.
    pub exclude: Vec<String>,
    /// `--var NAME=VALUE` (Terraform variables given on the command line).
    pub tf_vars: Vec<(String, String)>,
    /// `--var-file FILE`.
    pub tf_var_files: Vec<PathBuf>,
    /// `terraform.workspace`; when not set, the workspace recorded in `.terraform/environment`.
    pub workspace: Option<String>,
    /// Environment variables that override the process environment for `TF_VAR_*` lookups.
    pub env_vars: Vec<(String, String)>,
    /// `--cfn-param NAME=VALUE` (CloudFormation parameters and pseudo parameters such as
    /// `AWS::Region`, for every template of the scan). They win over parameter files.
    pub cfn_params: Vec<(String, String)>,
    /// `--cfn-param-file FILE`: CloudFormation parameters in the AWS CLI's format,
    /// `[{"ParameterKey": "K", "ParameterValue": "V"}]`.
    pub cfn_param_files: Vec<PathBuf>,
}

/// Something found under the scanned paths, not read yet.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Candidate {
    /// A directory of Terraform configuration, with the files of it to load (sorted).
    Module { dir: PathBuf, files: Vec<PathBuf> },
    /// A file whose kind is decided from its content when it is read (plan or state JSON, a
    /// binary plan, or something attest does not load).
    Document(PathBuf),
}

impl Candidate {
    fn path(&self) -> &Path {
        match self {
            Candidate::Module { dir, .. } => dir,
            Candidate::Document(path) => path,
        }
    }
}

/// The result of [`discover`].
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    /// Sorted by path.
    pub candidates: Vec<Candidate>,
    pub errors: Vec<InputError>,
}

/// What a JSON document is, decided from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// `terraform show -json` of a plan.
    TfPlan,
    /// A state file, format version 4.
    TfState,
    /// `terraform show -json` of a state.
    TfShowState,
    /// An attest inventory (a normalized snapshot, e.g. of a live account).
    Inventory,
    /// A CloudFormation template (JSON or YAML).
    Cfn,
}

/// Decides what a JSON document is; `None` for documents attest does not load.
///
/// This is where other JSON inputs (ARM templates) are recognized when their loaders exist: add a
/// variant to [`DocumentKind`], a test here, and a branch in [`load_document`]. CloudFormation
/// templates are recognized here in JSON, and by [`cloudformation::is_template_tree`] in YAML.
pub fn detect(doc: &serde_json::Value) -> Option<DocumentKind> {
    let obj = doc.as_object()?;
    let has = |key: &str| obj.contains_key(key);
    if has(crate::inventory::INVENTORY_KEY) {
        return Some(DocumentKind::Inventory);
    }
    if has("format_version") && (has("planned_values") || has("resource_changes")) {
        return Some(DocumentKind::TfPlan);
    }
    if has("format_version") && has("values") {
        return Some(DocumentKind::TfShowState);
    }
    // State files: `version` 4 is what attest reads; older versions with Terraform's own
    // fields are detected too, so that the state loader can say they are not supported.
    let version = obj.get("version").and_then(serde_json::Value::as_u64);
    let resources = obj.get("resources").is_some_and(serde_json::Value::is_array);
    if resources
        && (version == Some(4) || (version.is_some() && (has("lineage") || has("terraform_version"))))
    {
        return Some(DocumentKind::TfState);
    }
    if cloudformation::is_template(doc) {
        return Some(DocumentKind::Cfn);
    }
    None
}

/// Loads every input found under `paths` (files or directories).
///
/// Every directory with Terraform configuration is loaded as a root module, except directories
/// that another scanned directory calls as a local module: those are evaluated through the calls.
pub fn load_paths(paths: &[PathBuf], opts: &LoadOptions) -> LoadOutput {
    let discovery = discover(paths, opts);
    let mut out = LoadOutput {
        errors: discovery.errors,
        ..LoadOutput::default()
    };
    let (cfn, cfn_errors) = cloudformation::overrides(&opts.cfn_params, &opts.cfn_param_files);
    out.errors.extend(cfn_errors);
    let called = called_module_dirs(&discovery.candidates);
    // Inputs are independent: load them in parallel, keep their order.
    let loaded: Vec<(Option<(String, LoadOutput)>, LoadOutput)> = discovery
        .candidates
        .par_iter()
        .map(|candidate| match candidate {
            Candidate::Module { dir, files } => {
                let module = (!called.contains(dir)).then(|| {
                    (
                        dir.display().to_string(),
                        terraform::hcl::load_module(dir, files, opts),
                    )
                });
                (module, crate::suppress::load_files(files))
            }
            Candidate::Document(path) => (
                Some((path.display().to_string(), load_document_with(path, &cfn))),
                LoadOutput::default(),
            ),
        })
        .collect();
    let mut parts: Vec<(String, LoadOutput)> = Vec::new();
    for (part, suppressions) in loaded {
        parts.extend(part);
        out.extend(suppressions);
    }
    cloudformation::nested::drop_nested_templates(&mut parts);
    qualify_colliding_ids(&mut parts);
    for (_, part) in parts {
        out.extend(part);
    }
    crate::normalize::join_split_resources(&mut out);
    out
}

/// Terraform addresses are unique within one root module (or plan, or state), not across them: two
/// environments of a monorepo both have `aws_s3_bucket.logs`. When the inputs of a scan share an
/// address, every resource id (and reference end) is qualified with its input's path,
/// `envs/dev:aws_s3_bucket.logs`, so no resource hides another and references stay within their
/// input. Scans whose inputs do not collide keep plain addresses.
fn qualify_colliding_ids(parts: &mut [(String, LoadOutput)]) {
    let mut seen: HashSet<&str> = HashSet::new();
    let collides = parts.iter().any(|(_, part)| {
        let ids: HashSet<&str> = part.resources.iter().map(|r| r.id.as_str()).collect();
        let hit = ids.iter().any(|id| seen.contains(id));
        seen.extend(ids);
        hit
    });
    if !collides {
        return;
    }
    for (input, part) in parts.iter_mut() {
        let q = |id: &str| format!("{input}:{id}");
        for r in &mut part.resources {
            r.id = q(&r.id);
        }
        for reference in &mut part.references {
            reference.from = q(&reference.from);
            reference.to = q(&reference.to);
        }
    }
}

/// The module directories among `candidates` that another candidate calls by a local path
/// (directly or through other called directories); they are evaluated through those calls, with
/// their arguments. Directories called only from outside the scanned paths, or only within a
/// cycle of calls, stay root modules.
fn called_module_dirs(candidates: &[Candidate]) -> BTreeSet<PathBuf> {
    let norm = |p: &Path| terraform::locate::lexical_join(p, "");
    let dirs: BTreeMap<PathBuf, &Path> = candidates
        .iter()
        .filter_map(|c| match c {
            Candidate::Module { dir, .. } => Some((norm(dir), dir.as_path())),
            Candidate::Document(_) => None,
        })
        .collect();
    let mut calls: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for c in candidates {
        if let Candidate::Module { dir, files } = c {
            let me = norm(dir);
            let callees = terraform::hcl::local_module_dirs(dir, files)
                .iter()
                .map(|d| norm(d))
                .filter(|d| *d != me && dirs.contains_key(d))
                .collect();
            calls.insert(me, callees);
        }
    }
    let callees: BTreeSet<&PathBuf> = calls.values().flatten().collect();
    let mut todo: Vec<&PathBuf> = dirs.keys().filter(|d| !callees.contains(d)).collect();
    let mut reached: BTreeSet<&PathBuf> = BTreeSet::new();
    while let Some(d) = todo.pop() {
        for callee in calls.get(d).into_iter().flatten() {
            if reached.insert(callee) {
                todo.push(callee);
            }
        }
    }
    reached
        .into_iter()
        .filter_map(|d| dirs.get(d).map(|p| p.to_path_buf()))
        .collect()
}

/// Reads one file and loads it with the loader its content calls for. Files attest does not
/// load give an empty output.
pub fn load_document(path: &Path) -> LoadOutput {
    load_document_with(path, &cloudformation::Overrides::default())
}

/// [`load_document`] with the CloudFormation parameter values of the scan.
pub fn load_document_with(path: &Path, cfn: &cloudformation::Overrides) -> LoadOutput {
    let mut out = LoadOutput::default();
    match read_input(path) {
        Ok(Some(Input::Json(kind, doc))) => match kind {
            DocumentKind::TfPlan => out.extend(terraform::plan::load_plan(path, &doc)),
            DocumentKind::TfState | DocumentKind::TfShowState => {
                out.extend(terraform::state::load_state(path, &doc))
            }
            DocumentKind::Inventory => out.extend(crate::inventory::load_inventory(path, &doc)),
            // Templates are read as `Input::Template`.
            DocumentKind::Cfn => {}
        },
        Ok(Some(Input::Template(root))) => out.extend(cloudformation::load_template(path, &root, cfn)),
        Ok(None) => {}
        Err(e) => out.errors.push(e),
    }
    out
}

/// A file read and parsed.
enum Input {
    Json(DocumentKind, serde_json::Value),
    /// A CloudFormation template, with the positions of its nodes.
    Template(cloudformation::tree::Node),
}

/// Reads and parses a file and detects its kind. `Ok(None)` for content attest does not load.
pub fn read_document(path: &Path) -> Result<Option<(DocumentKind, serde_json::Value)>, InputError> {
    Ok(read_input(path)?.map(|input| match input {
        Input::Json(kind, doc) => (kind, doc),
        Input::Template(root) => (DocumentKind::Cfn, root.to_json()),
    }))
}

fn read_input(path: &Path) -> Result<Option<Input>, InputError> {
    let name = path.display().to_string();
    check_size(path)?;
    let bytes = std::fs::read(path).map_err(|e| InputError::new(name.clone(), io_message(&e)))?;
    if is_binary_plan(&bytes) {
        return Err(InputError::new(
            name.clone(),
            format!(
                "this is a binary Terraform plan; attest reads plans as JSON: run \
                 `terraform show -json {name} > plan.json` and scan plan.json"
            ),
        ));
    }
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Ok(None);
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !looks_like_json(text) {
        if !(is_yaml_name(path) || cloudformation::looks_like_template(text)) {
            return Ok(None);
        }
        return match cloudformation::tree::parse_yaml(&name, text) {
            Ok(root) if cloudformation::is_template_tree(&root) => Ok(Some(Input::Template(root))),
            Ok(_) => Ok(None),
            // Other YAML (Kubernetes manifests, CI files, chart templates) is not ours to judge.
            Err(e) if cloudformation::looks_like_template(text) => Err(e),
            Err(_) => Ok(None),
        };
    }
    let doc = parse_json(&name, text)?;
    match detect(&doc) {
        Some(DocumentKind::Cfn) => {
            let root = cloudformation::tree::parse_json(&name, text)?;
            Ok(Some(Input::Template(root)))
        }
        Some(kind) => Ok(Some(Input::Json(kind, doc))),
        None => Ok(None),
    }
}

/// Files read as YAML when they do not hold JSON.
fn is_yaml_name(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".template")
}

/// Parses JSON, allowing comments and trailing commas. Errors carry the line and column.
fn parse_json(name: &str, text: &str) -> Result<serde_json::Value, InputError> {
    if let Ok(doc) = serde_json::from_str::<serde_json::Value>(text) {
        return Ok(doc);
    }
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
    jsonc_parser::parse_to_serde_value::<serde_json::Value>(text, &options).map_err(|e| {
        InputError::at(
            name,
            u32::try_from(e.line_display()).unwrap_or(u32::MAX),
            u32::try_from(e.column_display()).unwrap_or(u32::MAX),
            format!("invalid JSON: {}", e.kind()),
        )
    })
}

/// The first meaningful character opens an object or array (or a comment before one).
fn looks_like_json(text: &str) -> bool {
    matches!(text.trim_start().chars().next(), Some('{' | '[' | '/'))
}

/// A saved `terraform plan -out` file: a zip archive holding a `tfplan` entry.
fn is_binary_plan(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") && bytes.windows(6).take(64 * 1024).any(|w| w == b"tfplan")
}

fn check_size(path: &Path) -> Result<(), InputError> {
    let meta =
        std::fs::metadata(path).map_err(|e| InputError::new(path.display().to_string(), io_message(&e)))?;
    if meta.len() > MAX_FILE_SIZE {
        return Err(InputError::new(
            path.display().to_string(),
            format!(
                "file is {} MiB, larger than the {} MiB attest loads; skipped",
                meta.len() / (1024 * 1024),
                MAX_FILE_SIZE / (1024 * 1024)
            ),
        ));
    }
    Ok(())
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// How a file found in a directory walk is treated, by its name.
enum Walked {
    Config,
    Document,
    Skip,
}

fn classify(path: &Path) -> Walked {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if name.ends_with(".tf") || name.ends_with(".tf.json") {
        Walked::Config
    } else if name.ends_with(".tfvars.json") {
        Walked::Skip
    } else if name.ends_with(".json")
        || name.ends_with(".tfstate")
        || name.ends_with(".tfplan")
        || is_yaml_name(path)
    {
        Walked::Document
    } else {
        Walked::Skip
    }
}

/// Include and exclude globs, matched against a path relative to the scanned root and against
/// each of its parent directories (so `vendor` or `modules/*` exclude whole trees).
struct Filter {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl Filter {
    fn new(opts: &LoadOptions, errors: &mut Vec<InputError>) -> Self {
        Filter {
            include: build_globs(&opts.include, "--include", errors),
            exclude: build_globs(&opts.exclude, "--exclude", errors),
        }
    }

    fn allows(&self, rel: &Path) -> bool {
        let matches = |set: &GlobSet| {
            rel.ancestors()
                .filter(|a| !a.as_os_str().is_empty())
                .any(|a| set.is_match(a))
        };
        if self.exclude.as_ref().is_some_and(matches) {
            return false;
        }
        self.include.as_ref().is_none_or(matches)
    }
}

fn build_globs(globs: &[String], option: &str, errors: &mut Vec<InputError>) -> Option<GlobSet> {
    if globs.is_empty() {
        return None;
    }
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        match Glob::new(glob) {
            Ok(g) => {
                builder.add(g);
            }
            Err(e) => errors.push(InputError::new(
                glob.clone(),
                format!("invalid {option} glob: {e}"),
            )),
        }
    }
    match builder.build() {
        Ok(set) => Some(set),
        Err(e) => {
            errors.push(InputError::new(option, format!("invalid glob: {e}")));
            None
        }
    }
}

/// Finds the inputs under `paths` without reading them.
///
/// A directory is walked honouring `.gitignore` (also outside a git repository), without hidden
/// files and directories (`.terraform/`, `.git/`, `.terragrunt-cache/`), filtered by `opts.include` / `opts.exclude`. Its `.tf` and `.tf.json`
/// files are grouped by directory (each directory is one module); `.json`, `.tfstate`,
/// `.tfplan`, `.yaml`, `.yml` and `.template` files become documents. A file given directly is always taken: a `.tf` file is its
/// directory's module restricted to that file, anything else is a document.
pub fn discover(paths: &[PathBuf], opts: &LoadOptions) -> Discovery {
    let mut errors = Vec::new();
    let filter = Filter::new(opts, &mut errors);
    let mut modules: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    let mut documents: BTreeSet<PathBuf> = BTreeSet::new();

    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(meta) => meta,
            Err(e) => {
                errors.push(InputError::new(root.display().to_string(), io_message(&e)));
                continue;
            }
        };
        if meta.is_dir() {
            walk(root, &filter, &mut modules, &mut documents, &mut errors);
        } else {
            match classify(root) {
                Walked::Config => {
                    modules.entry(module_dir(root)).or_default().insert(root.clone());
                }
                _ => {
                    documents.insert(root.clone());
                }
            }
        }
    }

    let mut candidates: Vec<Candidate> = modules
        .into_iter()
        .map(|(dir, files)| Candidate::Module {
            dir,
            files: files.into_iter().collect(),
        })
        .chain(documents.into_iter().map(Candidate::Document))
        .collect();
    candidates.sort_by(|a, b| a.path().cmp(b.path()).then_with(|| a.cmp(b)));
    Discovery { candidates, errors }
}

/// The directory of a configuration file (`.` for a bare file name).
fn module_dir(file: &Path) -> PathBuf {
    match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn walk(
    root: &Path,
    filter: &Filter,
    modules: &mut BTreeMap<PathBuf, BTreeSet<PathBuf>>,
    documents: &mut BTreeSet<PathBuf>,
    errors: &mut Vec<InputError>,
) {
    let walker = ignore::WalkBuilder::new(root)
        .require_git(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(|entry| {
            let skipped = entry.depth() > 0
                && entry.file_type().is_some_and(|t| t.is_dir())
                && matches!(entry.file_name().to_str(), Some(".terraform" | ".git"));
            !skipped
        })
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                errors.push(walk_error(root, &e));
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        let rel = path.strip_prefix(root).unwrap_or(path);
        if !filter.allows(rel) {
            continue;
        }
        match classify(path) {
            Walked::Config => {
                if let Err(e) = check_size(path) {
                    errors.push(e);
                    continue;
                }
                modules
                    .entry(module_dir(path))
                    .or_default()
                    .insert(path.to_path_buf());
            }
            Walked::Document => {
                documents.insert(path.to_path_buf());
            }
            Walked::Skip => {}
        }
    }
}

fn walk_error(root: &Path, e: &ignore::Error) -> InputError {
    let mut e = e;
    let mut file = root.display().to_string();
    loop {
        match e {
            ignore::Error::WithPath { path, err } => {
                file = path.display().to_string();
                e = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => e = err,
            ignore::Error::Io(io) => return InputError::new(file, io_message(io)),
            other => return InputError::new(file, other.to_string()),
        }
    }
}

//! Loads a generated corpus (`gen_tf_corpus.py N DIR`) module by module and compares it with the
//! generator's manifest (`DIR/.gen_tf_corpus.manifest`: resource blocks per type, instances).
//!
//! - `ATTEST_TF_CORPUS=DIR` loads an existing corpus and prints the counts, the time taken and
//!   every difference from the manifest.
//! - Otherwise a 1,000-resource corpus is generated into a temporary directory (with `python3`
//!   and the generator at `ATTEST_TF_CORPUS_GEN`, by default `/work/shared/bench/gen_tf_corpus.py`)
//!   and every resource block the generator declares must be loaded; without python3 or the
//!   generator the test prints a notice and passes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use attest_core::Mode;
use attest_iac::terraform::hcl::load_module;
use attest_iac::LoadOptions;

const DEFAULT_GENERATOR: &str = "/work/shared/bench/gen_tf_corpus.py";

fn walk(dir: &Path, modules: &mut BTreeMap<PathBuf, Vec<PathBuf>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(&p, modules);
        } else if p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with(".tf") || n.ends_with(".tf.json"))
        {
            modules.entry(dir.to_path_buf()).or_default().push(p);
        }
    }
}

#[derive(Default)]
struct Counts {
    modules: usize,
    managed: usize,
    data: usize,
    refs: usize,
    errors: usize,
    unknown_attrs: usize,
    /// Managed resource blocks (instances folded to their block) per type.
    blocks: BTreeMap<String, usize>,
    /// Managed resource instances per type.
    instances: BTreeMap<String, usize>,
}

fn load_corpus(root: &Path, print_errors: bool) -> Counts {
    let mut modules = BTreeMap::new();
    walk(root, &mut modules);
    let opts = LoadOptions::default();
    let mut c = Counts {
        modules: modules.len(),
        ..Counts::default()
    };
    let mut blocks: BTreeSet<(String, String)> = BTreeSet::new();
    for (dir, files) in &modules {
        let out = load_module(dir, files, &opts);
        for r in &out.resources {
            match r.mode {
                Mode::Managed => {
                    c.managed += 1;
                    *c.instances.entry(r.resource_type.clone()).or_default() += 1;
                    let block = r.id.split('[').next().unwrap_or(&r.id);
                    if blocks.insert((dir.display().to_string(), block.to_string())) {
                        *c.blocks.entry(r.resource_type.clone()).or_default() += 1;
                    }
                }
                Mode::Data => c.data += 1,
            }
            if let Some(map) = r.attributes.as_object() {
                c.unknown_attrs += map.values().filter(|v| v.is_unknown()).count();
            }
        }
        c.refs += out.references.len();
        if print_errors {
            for e in &out.errors {
                eprintln!("error: {e}");
            }
        }
        c.errors += out.errors.len();
    }
    c
}

/// The differences between the loaded blocks and the manifest, one line each; and the manifest's
/// instance count.
fn compare_with_manifest(root: &Path, c: &Counts) -> (Vec<String>, Option<u64>) {
    let Ok(text) = std::fs::read_to_string(root.join(".gen_tf_corpus.manifest")) else {
        return (vec!["no .gen_tf_corpus.manifest".to_string()], None);
    };
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
    let mut diffs = Vec::new();
    let empty = serde_json::Map::new();
    let types = doc["types"].as_object().unwrap_or(&empty);
    let names: BTreeSet<&str> = types
        .keys()
        .map(String::as_str)
        .chain(c.blocks.keys().map(String::as_str))
        .collect();
    for t in names {
        let declared = types.get(t).and_then(serde_json::Value::as_u64).unwrap_or(0);
        let loaded = c.blocks.get(t).copied().unwrap_or(0) as u64;
        if declared != loaded {
            diffs.push(format!("{t}: {declared} blocks declared, {loaded} loaded"));
        }
    }
    (diffs, doc["resource_instances"].as_u64())
}

fn report(root: &Path, c: &Counts, elapsed: std::time::Duration) -> Vec<String> {
    eprintln!(
        "{} modules: {} managed + {} data resource instances, {} references, {} unknown top-level \
         attributes, {} errors in {elapsed:?}",
        c.modules, c.managed, c.data, c.refs, c.unknown_attrs, c.errors
    );
    let (diffs, instances) = compare_with_manifest(root, c);
    for d in &diffs {
        eprintln!("manifest difference: {d}");
    }
    for (t, n) in &c.instances {
        let blocks = c.blocks.get(t).copied().unwrap_or(0);
        if *n != blocks {
            eprintln!("expanded: {t}: {blocks} blocks, {n} instances");
        }
    }
    if let Some(n) = instances {
        eprintln!(
            "manifest: {n} resource instances declared, {} managed instances loaded",
            c.managed
        );
    }
    diffs
}

#[test]
fn generated_corpus_loads_without_panics() {
    let Some(root) = std::env::var_os("ATTEST_TF_CORPUS") else {
        return;
    };
    let root = PathBuf::from(root);
    let start = Instant::now();
    let counts = load_corpus(&root, true);
    report(&root, &counts, start.elapsed());
}

#[test]
fn every_generated_resource_block_is_loaded() {
    let generator = std::env::var_os("ATTEST_TF_CORPUS_GEN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_GENERATOR));
    if !generator.is_file() {
        eprintln!(
            "skipped: corpus generator {} not found (set ATTEST_TF_CORPUS_GEN)",
            generator.display()
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let root = dir.path().join("corpus");
    let status = Command::new("python3")
        .arg(&generator)
        .arg("1000")
        .arg(&root)
        .output();
    match status {
        Ok(out) if out.status.success() => {}
        Ok(out) => panic!(
            "{} failed: {}",
            generator.display(),
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => {
            eprintln!("skipped: cannot run python3: {e}");
            return;
        }
    }
    let start = Instant::now();
    let counts = load_corpus(&root, false);
    let diffs = report(&root, &counts, start.elapsed());
    assert!(
        diffs.is_empty(),
        "resource blocks differ from the manifest: {diffs:#?}"
    );
}

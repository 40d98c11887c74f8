//! Loads a generated corpus (`/work/shared/bench/gen_tf_corpus.py N DIR`) module by module when
//! `ATTEST_TF_CORPUS=DIR` is set, and prints the counts and the time taken. Without the variable
//! there is nothing to load and the test passes at once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use attest_core::Mode;
use attest_iac::terraform::hcl::load_module;
use attest_iac::LoadOptions;

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

#[test]
fn generated_corpus_loads_without_panics() {
    let Some(root) = std::env::var_os("ATTEST_TF_CORPUS") else {
        return;
    };
    let mut modules = BTreeMap::new();
    walk(Path::new(&root), &mut modules);
    let opts = LoadOptions::default();
    let start = Instant::now();
    let (mut managed, mut data, mut refs, mut errors, mut unknown_attrs) = (0, 0, 0, 0, 0);
    for (dir, files) in &modules {
        let out = load_module(dir, files, &opts);
        for r in &out.resources {
            match r.mode {
                Mode::Managed => managed += 1,
                Mode::Data => data += 1,
            }
            if let Some(map) = r.attributes.as_object() {
                unknown_attrs += map.values().filter(|v| v.is_unknown()).count();
            }
        }
        refs += out.references.len();
        for e in &out.errors {
            eprintln!("error: {e}");
        }
        errors += out.errors.len();
    }
    eprintln!(
        "{} modules: {managed} managed + {data} data resource instances, {refs} references, \
         {unknown_attrs} unknown top-level attributes, {errors} errors in {:?}",
        modules.len(),
        start.elapsed()
    );
}

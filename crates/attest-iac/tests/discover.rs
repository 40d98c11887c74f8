//! Input discovery: directory walks, filters, and detection of each file's kind by content.

use std::fs;
use std::path::{Path, PathBuf};

use attest_core::InputKind;
use attest_iac::discover::{discover, load_document, Candidate};
use attest_iac::{load_paths, LoadOptions};

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
    }
    fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"))
}

fn module(dir: &Path, files: &[&str]) -> Candidate {
    Candidate::Module {
        dir: dir.to_path_buf(),
        files: files.iter().map(|f| dir.join(f)).collect(),
    }
}

/// A tree with configuration, state, ignored files and Terraform's working directory.
fn tree() -> tempfile::TempDir {
    let dir = tempdir();
    let root = dir.path();
    write(root, ".gitignore", "ignored/\n*.secret.json\n");
    write(root, "main.tf", "resource \"aws_vpc\" \"main\" {}\n");
    write(root, "extra.tf.json", "{}\n");
    write(root, "terraform.tfvars.json", "{}\n");
    write(root, "README.md", "# infra\n");
    write(root, "ignored/main.tf", "resource \"aws_vpc\" \"x\" {}\n");
    write(root, "creds.secret.json", "{}\n");
    write(
        root,
        ".terraform/modules/net/main.tf",
        "resource \"aws_subnet\" \"s\" {}\n",
    );
    write(root, ".git/hooks/x.json", "{}\n");
    write(root, "net/net.tf", "resource \"aws_subnet\" \"s\" {}\n");
    write(root, "net/tests/fixture.tf", "resource \"aws_subnet\" \"t\" {}\n");
    write(root, "env/prod.tfstate", "{}\n");
    write(root, "env/plan.json", "{}\n");
    dir
}

#[test]
fn walk_honours_gitignore_outside_git_and_skips_terraform_dirs() {
    let dir = tree();
    let root = dir.path();
    let found = discover(&[root.to_path_buf()], &LoadOptions::default());
    assert!(found.errors.is_empty(), "{:?}", found.errors);
    assert_eq!(
        found.candidates,
        vec![
            module(root, &["extra.tf.json", "main.tf"]),
            Candidate::Document(root.join("env/plan.json")),
            Candidate::Document(root.join("env/prod.tfstate")),
            module(&root.join("net"), &["net.tf"]),
            module(&root.join("net/tests"), &["fixture.tf"]),
        ]
    );
}

#[test]
fn include_and_exclude_globs_relative_to_the_root_exclude_wins() {
    let dir = tree();
    let root = dir.path();
    let opts = LoadOptions {
        include: vec!["net/**".to_string(), "main.tf".to_string()],
        exclude: vec!["**/tests".to_string()],
        ..LoadOptions::default()
    };
    let found = discover(&[root.to_path_buf()], &opts);
    assert_eq!(
        found.candidates,
        vec![module(root, &["main.tf"]), module(&root.join("net"), &["net.tf"])]
    );

    let opts = LoadOptions {
        exclude: vec![
            "*.tfstate".to_string(),
            "net".to_string(),
            "*.tf.json".to_string(),
        ],
        ..LoadOptions::default()
    };
    let found = discover(&[root.to_path_buf()], &opts);
    assert_eq!(
        found.candidates,
        vec![
            module(root, &["main.tf"]),
            Candidate::Document(root.join("env/plan.json"))
        ]
    );
}

#[test]
fn invalid_glob_is_an_error() {
    let dir = tree();
    let opts = LoadOptions {
        exclude: vec!["a[".to_string()],
        ..LoadOptions::default()
    };
    let found = discover(&[dir.path().to_path_buf()], &opts);
    assert_eq!(found.errors.len(), 1);
    assert!(found.errors[0].message.contains("glob"), "{:?}", found.errors);
}

#[test]
fn a_tf_file_given_directly_is_its_module_restricted_to_it() {
    let dir = tree();
    let root = dir.path();
    let file = root.join("net/net.tf");
    let found = discover(std::slice::from_ref(&file), &LoadOptions::default());
    assert_eq!(found.candidates, vec![module(&root.join("net"), &["net.tf"])]);
    // The same directory named twice is loaded once, with every file.
    let found = discover(&[file, root.join("net")], &LoadOptions::default());
    assert_eq!(
        found.candidates,
        vec![
            module(&root.join("net"), &["net.tf"]),
            module(&root.join("net/tests"), &["fixture.tf"]),
        ]
    );
}

#[test]
fn missing_path_is_an_error_naming_it() {
    let out = load_paths(
        &[PathBuf::from("tests/discover/no-such-dir")],
        &LoadOptions::default(),
    );
    assert_eq!(out.errors.len(), 1);
    assert_eq!(out.errors[0].file, "tests/discover/no-such-dir");
    assert!(out.errors[0].message.contains("no such file"), "{:?}", out.errors);
    assert!(out.resources.is_empty());
}

#[test]
fn kind_is_detected_from_content_not_extension() {
    let paths: Vec<PathBuf> = [
        "plan.out",
        "named-like-state.tfstate",
        "commented.json",
        "shown-state.txt",
        "package.json",
    ]
    .iter()
    .map(|f| Path::new("tests/discover/detect").join(f))
    .collect();
    let out = load_paths(&paths, &LoadOptions::default());
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let mut inputs: Vec<(String, InputKind, usize)> = out
        .inputs
        .iter()
        .map(|i| (i.path.clone(), i.kind, i.resources))
        .collect();
    inputs.sort();
    assert_eq!(
        inputs,
        vec![
            (
                "tests/discover/detect/commented.json".to_string(),
                InputKind::TfState,
                1
            ),
            (
                "tests/discover/detect/named-like-state.tfstate".to_string(),
                InputKind::TfPlan,
                1
            ),
            ("tests/discover/detect/plan.out".to_string(), InputKind::TfPlan, 1),
            (
                "tests/discover/detect/shown-state.txt".to_string(),
                InputKind::TfState,
                1
            ),
        ]
    );
    let mut ids: Vec<&str> = out.resources.iter().map(|r| r.id.as_str()).collect();
    ids.sort();
    assert_eq!(
        ids,
        vec![
            "aws_kms_key.k",
            "aws_s3_bucket.b",
            "aws_sqs_queue.q",
            "aws_vpc.main"
        ]
    );
}

#[test]
fn walked_json_is_detected_and_unrelated_json_is_skipped() {
    let out = load_paths(&[PathBuf::from("tests/discover/detect")], &LoadOptions::default());
    let errors: Vec<String> = out.errors.iter().map(|e| e.to_string()).collect();
    // broken.json is the only error; package.json is not an input and says nothing.
    assert_eq!(errors.len(), 1, "{errors:?}");
    let mut inputs: Vec<&str> = out.inputs.iter().map(|i| i.path.as_str()).collect();
    inputs.sort();
    assert_eq!(
        inputs,
        vec![
            "tests/discover/detect/commented.json",
            "tests/discover/detect/named-like-state.tfstate",
        ]
    );
}

#[test]
fn malformed_json_reports_line_and_column() {
    let out = load_document(Path::new("tests/discover/detect/broken.json"));
    assert_eq!(out.errors.len(), 1);
    let e = &out.errors[0];
    assert_eq!(e.file, "tests/discover/detect/broken.json");
    assert_eq!((e.line, e.column), (Some(5), Some(3)), "{e}");
    assert!(e.message.starts_with("invalid JSON"), "{e}");
}

#[test]
fn binary_plan_asks_for_terraform_show_json() {
    let dir = tempdir();
    let mut bytes = b"PK\x03\x04\x14\x00\x08\x00\x08\x00".to_vec();
    bytes.extend_from_slice(b"\x00\x00\x00\x00tfplan\x00\x00\xff\xfe");
    fs::write(dir.path().join("prod.tfplan"), &bytes).unwrap_or_else(|e| panic!("{e}"));
    let out = load_paths(&[dir.path().to_path_buf()], &LoadOptions::default());
    assert_eq!(out.errors.len(), 1);
    assert!(
        out.errors[0].message.contains("terraform show -json"),
        "{}",
        out.errors[0]
    );
    assert!(out.errors[0].file.ends_with("prod.tfplan"));
}

#[test]
fn oversized_files_are_reported_not_loaded() {
    let dir = tempdir();
    let path = dir.path().join("huge.tfstate");
    let file = fs::File::create(&path).unwrap_or_else(|e| panic!("{e}"));
    // A sparse file: no data is written.
    file.set_len(attest_iac::discover::MAX_FILE_SIZE + 1)
        .unwrap_or_else(|e| panic!("{e}"));
    let out = load_paths(&[path], &LoadOptions::default());
    assert_eq!(out.errors.len(), 1);
    assert!(out.errors[0].message.contains("MiB"), "{}", out.errors[0]);
}

#[test]
fn paths_keep_the_form_the_user_gave() {
    let found = discover(&[PathBuf::from("tests/discover/detect")], &LoadOptions::default());
    let paths: Vec<String> = found
        .candidates
        .iter()
        .map(|c| match c {
            Candidate::Document(p) => p.display().to_string(),
            Candidate::Module { dir, .. } => dir.display().to_string(),
        })
        .collect();
    assert_eq!(
        paths,
        vec![
            "tests/discover/detect/broken.json",
            "tests/discover/detect/commented.json",
            "tests/discover/detect/named-like-state.tfstate",
            "tests/discover/detect/package.json",
        ]
    );
}

#[test]
fn old_state_versions_are_reported() {
    let dir = tempdir();
    write(
        dir.path(),
        "old.tfstate",
        r#"{"version": 3, "terraform_version": "0.11.14", "lineage": "l", "resources": []}"#,
    );
    let out = load_paths(&[dir.path().to_path_buf()], &LoadOptions::default());
    assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
    assert!(out.errors[0].message.contains("version 3"), "{}", out.errors[0]);
}

#[test]
fn a_called_module_directory_is_loaded_only_through_its_call() {
    let dir = tempdir();
    let root = dir.path();
    write(
        root,
        "live/main.tf",
        "module \"net\" {\n  source = \"../modules/net\"\n  name = \"prod\"\n}\n",
    );
    write(
        root,
        "modules/net/main.tf",
        "variable \"name\" {}\nresource \"aws_vpc\" \"this\" {\n  tags = { Name = var.name }\n}\n\
         module \"sg\" {\n  source = \"./sg\"\n}\n",
    );
    write(
        root,
        "modules/net/sg/main.tf",
        "resource \"aws_security_group\" \"this\" {}\n",
    );
    // Called only from outside the scanned paths: stays a root module.
    write(
        root,
        "modules/other/main.tf",
        "resource \"aws_sns_topic\" \"t\" {}\n",
    );
    let out = load_paths(&[root.to_path_buf()], &LoadOptions::default());
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let mut ids: Vec<&str> = out.resources.iter().map(|r| r.id.as_str()).collect();
    ids.sort();
    assert_eq!(
        ids,
        [
            "aws_sns_topic.t",
            "module.net.aws_vpc.this",
            "module.net.module.sg.aws_security_group.this"
        ]
    );
    let vpc = out.resources.iter().find(|r| r.id == "module.net.aws_vpc.this");
    assert_eq!(
        vpc.map(|r| r.attr("tags.Name").clone()),
        Some(attest_core::Value::from("prod"))
    );
}

#[test]
fn a_module_directory_scanned_alone_is_a_root_module() {
    let dir = tempdir();
    let root = dir.path();
    write(
        root,
        "live/main.tf",
        "module \"net\" {\n  source = \"../modules/net\"\n}\n",
    );
    write(root, "modules/net/main.tf", "resource \"aws_vpc\" \"this\" {}\n");
    let out = load_paths(&[root.join("modules")], &LoadOptions::default());
    let ids: Vec<&str> = out.resources.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["aws_vpc.this"]);
}

#[test]
fn directories_calling_each_other_in_a_cycle_still_load() {
    let dir = tempdir();
    let root = dir.path();
    write(
        root,
        "a/main.tf",
        "module \"b\" {\n  source = \"../b\"\n}\nresource \"aws_sns_topic\" \"a\" {}\n",
    );
    write(
        root,
        "b/main.tf",
        "module \"a\" {\n  source = \"../a\"\n}\nresource \"aws_sqs_queue\" \"b\" {}\n",
    );
    let out = load_paths(&[root.to_path_buf()], &LoadOptions::default());
    assert!(!out.resources.is_empty());
    assert!(
        out.errors.iter().any(|e| e.to_string().contains("cycle")),
        "{:?}",
        out.errors
    );
}

#[test]
fn same_address_in_two_root_modules_keeps_both_and_their_references_apart() {
    let dir = tempdir();
    let root = dir.path();
    let config = "resource \"aws_security_group\" \"web\" {}\n\
                  resource \"aws_lb\" \"front\" {\n  security_groups = [aws_security_group.web.id]\n}\n";
    write(root, "envs/dev/main.tf", config);
    write(root, "envs/prod/main.tf", config);
    write(root, "other/main.tf", "resource \"aws_vpc\" \"main\" {}\n");
    let out = load_paths(&[root.join("envs")], &LoadOptions::default());
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let mut ids: Vec<&str> = out.resources.iter().map(|r| r.id.as_str()).collect();
    ids.sort();
    let dev = root.join("envs/dev").display().to_string();
    let prod = root.join("envs/prod").display().to_string();
    assert_eq!(
        ids,
        vec![
            format!("{dev}:aws_lb.front"),
            format!("{dev}:aws_security_group.web"),
            format!("{prod}:aws_lb.front"),
            format!("{prod}:aws_security_group.web"),
        ]
    );
    let graph = attest_core::ResourceGraph::new(out.resources, &out.references);
    let lb = graph
        .index_of(&format!("{prod}:aws_lb.front"))
        .unwrap_or_else(|| panic!("prod lb"));
    let targets: Vec<&str> = graph
        .referenced_by_attr(lb, "security_groups")
        .into_iter()
        .map(|i| graph.get(i).id.as_str())
        .collect();
    assert_eq!(targets, vec![format!("{prod}:aws_security_group.web")]);
    // Without a collision, addresses stay plain.
    let out = load_paths(
        &[root.join("envs/dev"), root.join("other")],
        &LoadOptions::default(),
    );
    let mut ids: Vec<&str> = out.resources.iter().map(|r| r.id.as_str()).collect();
    ids.sort();
    assert_eq!(
        ids,
        vec!["aws_lb.front", "aws_security_group.web", "aws_vpc.main"]
    );
}

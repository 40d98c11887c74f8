//! Filesystem, hash-of-file and registry checks of the built-in functions (the console oracle
//! cannot cover functions that read files).

use std::path::Path;

use attest_core::Value;
use attest_iac::terraform::hcl::{
    implemented_functions, Evaluator, ModuleConfig, Scope, TERRAFORM_FUNCTIONS,
};

fn eval_in(dir: &Path, src: &str) -> Value {
    let cfg = ModuleConfig::default();
    let mut ev = Evaluator::new(&cfg, dir, "");
    match hcl::edit::parser::parse_expr(src) {
        Ok(expr) => ev.eval_value(&expr.into(), &mut Scope::default()),
        Err(e) => panic!("parse error in test expression {src}: {e}"),
    }
}

fn fixture() -> tempfile::TempDir {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("cannot create a temporary directory: {e}"),
    };
    let write = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        if let Some(parent) = p.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        if let Err(e) = std::fs::write(&p, text) {
            panic!("cannot write {}: {e}", p.display());
        }
    };
    write("hello.txt", "hello world");
    write("policies/a.json", "{}");
    write("policies/b.json", "[]");
    write("policies/nested/c.json", "1");
    write("policies/readme.md", "#");
    dir
}

#[track_caller]
fn assert_str(dir: &Path, src: &str, want: &str) {
    assert_eq!(eval_in(dir, src), Value::from(want), "{src}");
}

#[test]
fn file_functions_read_relative_to_the_module() {
    let tmp = fixture();
    let d = tmp.path();
    assert_str(d, r#"file("hello.txt")"#, "hello world");
    assert_str(d, r#"filebase64("hello.txt")"#, "aGVsbG8gd29ybGQ=");
    assert_str(d, r#"filemd5("hello.txt")"#, "5eb63bbbe01eeed093cb22bb8f5acdc3");
    assert_str(
        d,
        r#"filesha1("hello.txt")"#,
        "2aae6c35c94fcfb415dbe95f408b9ce91ee846ed",
    );
    assert_str(
        d,
        r#"filesha256("hello.txt")"#,
        "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
    );
    assert_str(
        d,
        r#"filebase64sha256("hello.txt")"#,
        "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=",
    );
    assert_eq!(eval_in(d, r#"fileexists("hello.txt")"#), Value::Bool(true));
    assert_eq!(eval_in(d, r#"fileexists("missing.txt")"#), Value::Bool(false));
    assert!(eval_in(d, r#"file("missing.txt")"#).is_unknown());
    assert_eq!(
        eval_in(d, r#"fileset("policies", "*.json")"#),
        Value::from(serde_json::json!(["a.json", "b.json"]))
    );
    assert_eq!(
        eval_in(d, r#"fileset("policies", "**/*.json")"#),
        Value::from(serde_json::json!(["a.json", "b.json", "nested/c.json"]))
    );
    assert_eq!(
        eval_in(d, r#"fileset(".", "policies/{a,b}.*")"#),
        Value::from(serde_json::json!(["policies/a.json", "policies/b.json"]))
    );
}

#[test]
fn path_functions_follow_terraform() {
    let d = Path::new(".");
    assert_str(d, r#"basename("foo/bar/baz.txt")"#, "baz.txt");
    assert_str(d, r#"basename("foo/bar/")"#, "bar");
    assert_str(d, r#"basename("/")"#, "/");
    assert_str(d, r#"dirname("foo/bar/baz.txt")"#, "foo/bar");
    assert_str(d, r#"dirname("baz.txt")"#, ".");
    assert_str(d, r#"dirname("/a/b/../c/d")"#, "/a/c");
    assert_str(d, r#"abspath("/a/./b//c/..")"#, "/a/b");
    let cwd = std::env::current_dir()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    assert_str(d, r#"abspath("x/y")"#, &format!("{cwd}/x/y"));
    assert_str(d, "path.cwd", &cwd);
    assert_str(d, r#"pathexpand("/etc/hosts")"#, "/etc/hosts");
    if let Ok(home) = std::env::var("HOME") {
        assert_str(
            d,
            r#"pathexpand("~/.ssh/id_rsa")"#,
            &format!("{home}/.ssh/id_rsa"),
        );
    }
}

#[test]
fn templatefile_and_nondeterministic_functions() {
    let tmp = fixture();
    let d = tmp.path();
    if let Err(e) = std::fs::write(d.join("t.tpl"), "Hi ${name}%{ for p in ports }, ${p}%{ endfor }") {
        panic!("cannot write the template: {e}");
    }
    assert_str(
        d,
        r#"templatefile("t.tpl", { name = "x", ports = [80, 443] })"#,
        "Hi x, 80, 443",
    );
    assert!(eval_in(d, "timestamp()").is_unknown());
    assert!(eval_in(d, "uuid()").is_unknown());
    assert!(eval_in(d, "plantimestamp()").is_unknown());
    assert!(eval_in(d, r#"bcrypt("x")"#).is_unknown());
}

#[test]
fn implemented_functions_are_terraform_functions() {
    let implemented = implemented_functions();
    for name in &implemented {
        assert!(
            TERRAFORM_FUNCTIONS.contains(name),
            "{name} is not a Terraform function"
        );
    }
    let mut sorted = TERRAFORM_FUNCTIONS.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted, TERRAFORM_FUNCTIONS.to_vec());
    assert!(implemented.len() >= 110, "only {} functions", implemented.len());
    for name in [
        "cidrsubnets",
        "yamlencode",
        "setproduct",
        "formatdate",
        "try",
        "templatefile",
    ] {
        assert!(implemented.contains(&name), "{name} missing");
    }
}

//! Unit tests of the expression evaluator and the built-in functions. Values marked "console"
//! were checked against `terraform console` (Terraform 1.11).

use std::path::Path;

use attest_core::Value;
use attest_iac::terraform::hcl::{Evaluator, ModuleConfig, Scope};
use serde_json::json;

fn parse(src: &str) -> hcl::Expression {
    match hcl::edit::parser::parse_expr(src) {
        Ok(e) => e.into(),
        Err(e) => panic!("parse error in test expression {src}: {e}"),
    }
}

/// Evaluates `src` with `var.known = "k"`, `var.unknown` unknown and a few locals.
fn eval(src: &str) -> Value {
    let mut cfg = ModuleConfig::default();
    cfg.add_local("name".to_string(), parse("\"web\""));
    cfg.add_local("tags".to_string(), parse("{ Team = \"core\" }"));
    let mut ev = Evaluator::new(&cfg, Path::new("tests/hcl/eval_files"), "");
    ev.set_var("known", Value::from("k"));
    ev.set_var("unknown", Value::unknown("variable `unknown` has no value"));
    ev.set_var("list", Value::from(json!(["a", "b"])));
    ev.eval_value(&parse(src), &mut Scope::default())
}

fn j(v: serde_json::Value) -> Value {
    Value::from(v)
}

#[track_caller]
fn assert_eval(src: &str, expected: serde_json::Value) {
    assert_eq!(eval(src), j(expected), "{src}");
}

#[track_caller]
fn assert_unknown(src: &str) {
    let v = eval(src);
    assert!(v.is_unknown(), "{src} gave {v:?}");
}

#[test]
fn literals_operators_and_conditionals() {
    assert_eval("1 + 2 * 3", json!(7));
    assert_eval("7 / 2", json!(3.5)); // console
    assert_eval("-7 % 3", json!(-1)); // console
    assert_eval("\"5\" + 1", json!(6));
    assert_eval("1 == 1.0 && !false", json!(true));
    assert_eval("\"1\" == 1", json!(false));
    assert_eval("[1, 2] == [1, 2]", json!(true));
    assert_eval("3 >= 4 ? \"a\" : \"b\"", json!("b"));
    assert_eval("-(2)", json!(-2));
    assert_eval(
        "{ a = 1, \"b\" = [true, null] }",
        json!({"a": 1, "b": [true, null]}),
    );
}

#[test]
fn unknown_values_propagate() {
    assert_unknown("var.unknown");
    assert_unknown("var.unknown + 1");
    assert_unknown("\"x-${var.unknown}\"");
    assert_unknown("var.unknown == \"a\"");
    assert_unknown("var.unknown ? 1 : 2");
    assert_eval("var.unknown ? 1 : 1", json!(1));
    assert_eval("false && var.unknown", json!(false));
    assert_eval("true || var.unknown", json!(true));
    assert_unknown("true && var.unknown");
    assert_unknown("upper(var.unknown)");
    assert_eval("length([var.unknown, 1])", json!(2));
    assert_unknown("jsonencode({ a = var.unknown })");
    assert_unknown("[for x in var.unknown : x]");
    assert_unknown("var.unknown.attr[0]");
    assert_eval(
        "can(var.unknown)",
        json!({"$unknown": "variable `unknown` has no value"}),
    );
}

#[test]
fn variables_locals_and_builtin_names() {
    assert_eval("var.known", json!("k"));
    assert_eval("local.name", json!("web"));
    assert_eval("local.tags.Team", json!("core"));
    assert_eval("path.module", json!("tests/hcl/eval_files"));
    assert_eval("terraform.workspace", json!("default"));
    assert_eval("var.list[1]", json!("b"));
    // undeclared names are errors, which an attribute shows as unknown
    assert_unknown("var.nope");
    assert_unknown("local.nope");
    assert_eval("try(local.nope, \"fallback\")", json!("fallback"));
    assert_eval("can(local.tags.Missing)", json!(false));
    assert_eval("can(local.tags.Team)", json!(true));
}

#[test]
fn templates_and_directives() {
    assert_eval("\"${local.name}-${1 + 1}\"", json!("web-2"));
    assert_eval("\"${true}\"", json!(true)); // console: a lone interpolation keeps its type
    assert_eval("\"$${literal}\"", json!("${literal}"));
    assert_eval("\"%{ for x in [\"a\", \"b\"] }${x},%{ endfor }\"", json!("a,b,")); // console
    assert_eval("\"[%{ if true ~} yes %{~ endif }]\"", json!("[yes]")); // console
    assert_eval("\"%{ if false }a%{ else }b%{ endif }\"", json!("b"));
    assert_eval("\"${1.5 * 2}\"", json!(3)); // console
    assert_eval("tostring(0.1 + 0.2)", json!("0.3")); // console
}

#[test]
fn for_expressions_and_splats() {
    assert_eval(
        "[for k, v in { a = 1, b = 2 } : \"${k}${v}\" if v > 1]",
        json!(["b2"]),
    ); // console
    assert_eval(
        "{ for s in [\"aa\", \"b\", \"cc\"] : length(s) => s... }",
        json!({"1": ["b"], "2": ["aa", "cc"]}),
    ); // console
    assert_eval("{ for i, v in [\"x\", \"y\"] : v => i }", json!({"x": 0, "y": 1}));
    assert_eval("[{ a = 1 }, { a = 2 }][*].a", json!([1, 2]));
    assert_eval("[{ a = { b = 1 } }].*.a.b", json!([1]));
    assert_eval("{ a = 1 }[*].a", json!([1]));
}

#[test]
fn functions_checked_against_terraform_console() {
    assert_eval(
        "jsonencode({ b = 1, a = [true, \"x\"], c = null, d = 1.5, e = \"<&>\" })",
        json!("{\"a\":[true,\"x\"],\"b\":1,\"c\":null,\"d\":1.5,\"e\":\"\\u003c\\u0026\\u003e\"}"),
    );
    assert_eval(
        "jsonencode(jsondecode(\"{\\\"b\\\":[1,2.5],\\\"a\\\":null}\"))",
        json!("{\"a\":null,\"b\":[1,2.5]}"),
    );
    assert_eval(
        "format(\"%s-%d-%q-%v\", \"a\", 3, \"q\", true)",
        json!("a-3-\"q\"-true"),
    );
    assert_eval("format(\"%5.2f|%x|%%\", 3.14159, 255)", json!(" 3.14|ff|%"));
    assert_eval("format(\"%v\", { a = 1 })", json!("{\"a\":1}"));
    assert_eval("format(\"%q\", 3)", json!("\"3\""));
    assert_eval("cidrsubnet(\"10.0.0.0/16\", 8, 2)", json!("10.0.2.0/24"));
    assert_eval(
        "cidrsubnet(\"fd00:fd12:3456:7890::/56\", 16, 162)",
        json!("fd00:fd12:3456:7800:a200::/72"),
    );
    assert_eval("element([1, 2, 3], 4)", json!(2));
    assert_eval("replace(\"a-b-c\", \"/-/\", \"_$0\")", json!("a_-b_-c"));
    assert_eval("replace(\"a-b\", \"-\", \"+\")", json!("a+b"));
    assert_eval("keys({ b = 1, a = 2 })", json!(["a", "b"]));
    assert_eval("values({ b = 1, a = 2 })", json!([2, 1]));
    assert_eval("toset([\"b\", \"a\", \"b\"])", json!(["a", "b"]));
    assert_eval("flatten([[1, [2]], 3])", json!([1, 2, 3]));
    assert_eval("split(\",\", \"\")", json!([""]));
    assert_eval("coalesce(null, \"\", \"c\")", json!("c"));
    assert_eval("lookup({ a = 1 }, \"b\", \"d\")", json!("d"));
    assert_eval("substr(\"hello\", 1, 3)", json!("ell"));
    assert_eval("zipmap([\"a\", \"b\"], [1, 2])", json!({"a": 1, "b": 2}));
    assert_eval("range(1, 7, 2)", json!([1, 3, 5]));
    assert_eval("merge({ a = 1, b = 2 }, { b = 3 })", json!({"a": 1, "b": 3}));
    assert_eval("distinct([1, 2, 1])", json!([1, 2]));
    assert_eval("compact([\"a\", \"\", null, \"b\"])", json!(["a", "b"]));
    assert_eval("base64encode(\"hi\")", json!("aGk="));
    assert_eval("base64decode(\"aGk=\")", json!("hi"));
    assert_eval("upper(join(\"-\", [\"a\", \"b\"]))", json!("A-B"));
    assert_eval("can(tonumber(\"x\"))", json!(false));
}

#[test]
fn more_functions() {
    assert_eval("concat([1], [2, 3], [])", json!([1, 2, 3]));
    assert_eval("tolist([\"a\"])", json!(["a"]));
    assert_eval("tomap({ a = \"b\" })", json!({"a": "b"}));
    assert_eval("tostring(12)", json!("12"));
    assert_eval("tonumber(\"12.5\")", json!(12.5));
    assert_eval("tobool(\"true\")", json!(true));
    assert_eval("length(\"héllo\")", json!(5));
    assert_eval("length({ a = 1 })", json!(1));
    assert_eval("lower(\"ABC\")", json!("abc"));
    assert_eval("trimspace(\"  x \\n\")", json!("x"));
    assert_eval("contains([\"a\", \"b\"], \"b\")", json!(true));
    assert_eval("contains([\"a\"], \"z\")", json!(false));
    assert_eval("min(3, 1, 2)", json!(1));
    assert_eval("max([4, 9]...)", json!(9));
    assert_eval("abs(-3.5)", json!(3.5));
    assert_eval("range(3)", json!([0, 1, 2]));
    assert_eval("file(\"policy.json\")", json!("{\"Statement\": []}\n"));
    assert_eval(
        "file(\"${path.module}/policy.json\")",
        json!("{\"Statement\": []}\n"),
    );
    assert_eval("fileexists(\"policy.json\")", json!(true));
    assert_eval("fileexists(\"missing.json\")", json!(false));
    assert_eval(
        "templatefile(\"${path.module}/user_data.tpl\", { name = \"web\", ports = [80, 443] })",
        json!("name=web\nport 80\nport 443\n"),
    );
    assert_unknown("file(\"missing.json\")");
    assert_unknown("rsadecrypt(\"x\", \"k\")");
    assert_unknown("templatefile(\"user_data.tpl\", { name = var.unknown, ports = [] })");
}

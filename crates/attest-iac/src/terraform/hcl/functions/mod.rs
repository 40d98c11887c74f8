//! Terraform's built-in functions.
//!
//! The registry is one ordered list of `(name, implementation)`. The evaluator handles the
//! functions that need unevaluated arguments or the evaluator itself (`try`, `can`,
//! `templatefile`) and returns an unknown value for a call to a function not listed here. Before
//! a call, an argument that is wholly unknown makes the result unknown; functions that look inside
//! their arguments check for nested unknown values themselves.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use attest_core::Value;
use base64::Engine as _;

mod collections;
mod encoding;
mod fs;
mod hash;
mod net;
mod numeric;
mod strings;
mod time;

use super::eval::EvalError;
use super::ops::{
    equal, first_unknown, from_json, json_encode, json_quote, number, to_bool, to_f64, to_i64, to_string,
};

/// What a function may see besides its arguments.
pub struct FnCtx<'a> {
    /// The module directory as given (`path.module`).
    pub module_dir: &'a Path,
}

impl FnCtx<'_> {
    /// A path argument of `file`-like functions. Relative paths are relative to the root module
    /// (Terraform's working directory); a path already under the module directory as given (as
    /// built from `path.module`) is used as it is.
    pub fn resolve(&self, p: &str) -> PathBuf {
        let path = Path::new(p);
        if path.is_absolute()
            || (!self.module_dir.as_os_str().is_empty() && path.starts_with(self.module_dir))
        {
            path.to_path_buf()
        } else {
            self.module_dir.join(path)
        }
    }
}

pub type Func = fn(&FnCtx<'_>, &[Value]) -> Result<Value, EvalError>;

/// Every implemented function, in alphabetical order.
pub const FUNCTIONS: &[(&str, Func)] = &[
    ("abs", abs),
    ("abspath", fs::abspath),
    ("alltrue", alltrue),
    ("anytrue", anytrue),
    ("base64decode", base64decode),
    ("base64encode", base64encode),
    ("base64sha256", hash::base64sha256),
    ("base64sha512", hash::base64sha512),
    ("basename", fs::basename),
    ("bcrypt", time::bcrypt),
    ("ceil", ceil),
    ("chomp", chomp),
    ("chunklist", collections::chunklist),
    ("cidrhost", net::cidrhost),
    ("cidrnetmask", net::cidrnetmask),
    ("cidrsubnet", cidrsubnet),
    ("cidrsubnets", net::cidrsubnets),
    ("coalesce", coalesce),
    ("coalescelist", collections::coalescelist),
    ("compact", compact),
    ("concat", concat),
    ("contains", contains),
    ("csvdecode", encoding::csvdecode),
    ("dirname", fs::dirname),
    ("distinct", distinct),
    ("element", element),
    ("endswith", endswith),
    ("ephemeralasnull", identity),
    ("file", file),
    ("filebase64", fs::filebase64),
    ("filebase64sha256", hash::filebase64sha256),
    ("filebase64sha512", hash::filebase64sha512),
    ("fileexists", fileexists),
    ("filemd5", hash::filemd5),
    ("fileset", fs::fileset),
    ("filesha1", hash::filesha1),
    ("filesha256", hash::filesha256),
    ("filesha512", hash::filesha512),
    ("flatten", flatten),
    ("floor", floor),
    ("format", format),
    ("formatdate", time::formatdate),
    ("formatlist", strings::formatlist),
    ("indent", strings::indent),
    ("index", collections::index),
    ("join", join),
    ("jsondecode", jsondecode),
    ("jsonencode", jsonencode),
    ("keys", keys),
    ("length", length),
    ("log", numeric::log),
    ("lookup", lookup),
    ("lower", lower),
    ("matchkeys", collections::matchkeys),
    ("max", max),
    ("md5", hash::md5),
    ("merge", merge),
    ("min", min),
    ("nonsensitive", identity),
    ("one", one),
    ("parseint", numeric::parseint),
    ("pathexpand", fs::pathexpand),
    ("plantimestamp", time::plantimestamp),
    ("pow", numeric::pow),
    ("range", range),
    ("regex", strings::regex),
    ("regexall", strings::regexall),
    ("replace", replace),
    ("reverse", reverse),
    ("sensitive", identity),
    ("setintersection", collections::setintersection),
    ("setproduct", collections::setproduct),
    ("setsubtract", collections::setsubtract),
    ("setunion", collections::setunion),
    ("sha1", hash::sha1),
    ("sha256", hash::sha256),
    ("sha512", hash::sha512),
    ("signum", numeric::signum),
    ("slice", collections::slice),
    ("sort", sort),
    ("split", split),
    ("startswith", startswith),
    ("strcontains", strings::strcontains),
    ("strrev", strings::strrev),
    ("substr", substr),
    ("sum", sum),
    ("textdecodebase64", encoding::textdecodebase64),
    ("textencodebase64", encoding::textencodebase64),
    ("timeadd", time::timeadd),
    ("timecmp", time::timecmp),
    ("timestamp", time::timestamp),
    ("title", strings::title),
    ("tobool", tobool),
    ("tolist", tolist),
    ("tomap", tomap),
    ("tonumber", tonumber),
    ("toset", toset),
    ("tostring", tostring),
    ("transpose", collections::transpose),
    ("trim", strings::trim),
    ("trimprefix", trimprefix),
    ("trimspace", trimspace),
    ("trimsuffix", trimsuffix),
    ("upper", upper),
    ("urlencode", encoding::urlencode),
    ("uuid", time::uuid),
    ("uuidv5", hash::uuidv5),
    ("values", values),
    ("yamlencode", encoding::yamlencode),
    ("zipmap", zipmap),
];

/// The built-in functions of Terraform 1.11, in alphabetical order (`type` is only available
/// in `terraform console`).
pub const TERRAFORM_FUNCTIONS: &[&str] = &[
    "abs",
    "abspath",
    "alltrue",
    "anytrue",
    "base64decode",
    "base64encode",
    "base64gzip",
    "base64sha256",
    "base64sha512",
    "basename",
    "bcrypt",
    "can",
    "ceil",
    "chomp",
    "chunklist",
    "cidrhost",
    "cidrnetmask",
    "cidrsubnet",
    "cidrsubnets",
    "coalesce",
    "coalescelist",
    "compact",
    "concat",
    "contains",
    "csvdecode",
    "dirname",
    "distinct",
    "element",
    "endswith",
    "ephemeralasnull",
    "file",
    "filebase64",
    "filebase64sha256",
    "filebase64sha512",
    "fileexists",
    "filemd5",
    "fileset",
    "filesha1",
    "filesha256",
    "filesha512",
    "flatten",
    "floor",
    "format",
    "formatdate",
    "formatlist",
    "indent",
    "index",
    "issensitive",
    "join",
    "jsondecode",
    "jsonencode",
    "keys",
    "length",
    "log",
    "lookup",
    "lower",
    "matchkeys",
    "max",
    "md5",
    "merge",
    "min",
    "nonsensitive",
    "one",
    "parseint",
    "pathexpand",
    "plantimestamp",
    "pow",
    "range",
    "regex",
    "regexall",
    "replace",
    "reverse",
    "rsadecrypt",
    "sensitive",
    "setintersection",
    "setproduct",
    "setsubtract",
    "setunion",
    "sha1",
    "sha256",
    "sha512",
    "signum",
    "slice",
    "sort",
    "split",
    "startswith",
    "strcontains",
    "strrev",
    "substr",
    "sum",
    "templatefile",
    "templatestring",
    "textdecodebase64",
    "textencodebase64",
    "timeadd",
    "timecmp",
    "timestamp",
    "title",
    "tobool",
    "tolist",
    "tomap",
    "tonumber",
    "toset",
    "tostring",
    "transpose",
    "trim",
    "trimprefix",
    "trimspace",
    "trimsuffix",
    "try",
    "type",
    "upper",
    "urlencode",
    "uuid",
    "uuidv5",
    "values",
    "yamldecode",
    "yamlencode",
    "zipmap",
];

/// Functions the evaluator handles itself, with unevaluated arguments or the evaluator's state.
const EVALUATOR_FUNCTIONS: &[&str] = &["can", "templatefile", "try"];

/// The names of the functions attest evaluates, sorted (for `attest doctor`).
pub fn implemented_functions() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = FUNCTIONS
        .iter()
        .map(|(n, _)| *n)
        .chain(EVALUATOR_FUNCTIONS.iter().copied())
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// `sensitive`, `nonsensitive`, `ephemeralasnull`: the value itself (attest does not mark values).
fn identity(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("sensitive", a, 1, 1)?;
    Ok(a[0].clone())
}

/// Looks a function up by name.
pub fn lookup_function(name: &str) -> Option<Func> {
    static INDEX: OnceLock<HashMap<&'static str, Func>> = OnceLock::new();
    INDEX
        .get_or_init(|| FUNCTIONS.iter().copied().collect())
        .get(name)
        .copied()
}

fn err(msg: impl Into<String>) -> EvalError {
    EvalError::new(msg)
}

fn arity(name: &str, args: &[Value], min: usize, max: usize) -> Result<(), EvalError> {
    if args.len() < min || args.len() > max {
        return Err(err(format!("{name}: wrong number of arguments ({})", args.len())));
    }
    Ok(())
}

fn unknown_in(name: &str, v: &Value) -> Option<Value> {
    first_unknown(v).map(|_| Value::unknown(format!("result of {name}() depends on an unknown value")))
}

fn list<'v>(name: &str, v: &'v Value) -> Result<&'v [Value], EvalError> {
    match v {
        Value::List(items) => Ok(items),
        other => Err(err(format!("{name}: a list is required, got {}", other.kind()))),
    }
}

fn object<'v>(name: &str, v: &'v Value) -> Result<&'v BTreeMap<String, Value>, EvalError> {
    match v {
        Value::Object(map) => Ok(map),
        other => Err(err(format!(
            "{name}: a map or object is required, got {}",
            other.kind()
        ))),
    }
}

fn string(name: &str, v: &Value) -> Result<String, EvalError> {
    to_string(v, name)
}

fn num(f: f64) -> Result<Value, EvalError> {
    number(f)
}

fn abs(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("abs", a, 1, 1)?;
    num(to_f64(&a[0], "abs")?.abs())
}

fn ceil(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("ceil", a, 1, 1)?;
    num(to_f64(&a[0], "ceil")?.ceil())
}

fn floor(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("floor", a, 1, 1)?;
    num(to_f64(&a[0], "floor")?.floor())
}

fn bools(name: &str, a: &[Value]) -> Result<Result<Vec<bool>, Value>, EvalError> {
    arity(name, a, 1, 1)?;
    let mut out = Vec::new();
    for v in list(name, &a[0])? {
        if v.is_unknown() {
            return Ok(Err(Value::unknown(format!(
                "result of {name}() depends on an unknown value"
            ))));
        }
        out.push(to_bool(v, name)?);
    }
    Ok(Ok(out))
}

fn alltrue(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    Ok(match bools("alltrue", a)? {
        Ok(b) => Value::Bool(b.iter().all(|x| *x)),
        Err(u) => u,
    })
}

fn anytrue(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    Ok(match bools("anytrue", a)? {
        Ok(b) => Value::Bool(b.iter().any(|x| *x)),
        Err(u) => u,
    })
}

fn base64encode(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("base64encode", a, 1, 1)?;
    let s = string("base64encode", &a[0])?;
    Ok(Value::String(
        base64::engine::general_purpose::STANDARD.encode(s.as_bytes()),
    ))
}

fn base64decode(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("base64decode", a, 1, 1)?;
    let s = string("base64decode", &a[0])?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(s.as_bytes())
        .map_err(|e| err(format!("base64decode: {e}")))?;
    String::from_utf8(bytes)
        .map(Value::String)
        .map_err(|_| err("base64decode: the result is not valid UTF-8"))
}

fn chomp(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("chomp", a, 1, 1)?;
    let s = string("chomp", &a[0])?;
    Ok(Value::String(s.trim_end_matches(['\n', '\r']).to_string()))
}

fn cidrsubnet(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("cidrsubnet", a, 3, 3)?;
    let prefix = string("cidrsubnet", &a[0])?;
    let newbits = to_i64(&a[1], "cidrsubnet")?;
    let netnum = to_i64(&a[2], "cidrsubnet")?;
    let net: ipnet::IpNet = prefix
        .parse()
        .map_err(|e| err(format!("cidrsubnet: invalid CIDR \"{prefix}\": {e}")))?;
    let (max_len, base): (u32, u128) = match net.network() {
        IpAddr::V4(ip) => (32, u128::from(u32::from(ip))),
        IpAddr::V6(ip) => (128, u128::from(ip)),
    };
    let new_len =
        u32::from(net.prefix_len()) + u32::try_from(newbits).map_err(|_| err("cidrsubnet: bad newbits"))?;
    if new_len > max_len || newbits < 0 {
        return Err(err(format!(
            "cidrsubnet: not enough address space to extend prefix by {newbits} bits"
        )));
    }
    let netnum = u128::try_from(netnum).map_err(|_| err("cidrsubnet: netnum must not be negative"))?;
    if newbits < 128 && netnum >= (1u128 << newbits) {
        return Err(err(format!(
            "cidrsubnet: prefix extension of {newbits} does not accommodate {netnum}"
        )));
    }
    let shift = max_len - new_len;
    let addr = base | netnum.checked_shl(shift).unwrap_or(0);
    let text = match net.network() {
        IpAddr::V4(_) => {
            let ip = std::net::Ipv4Addr::from(u32::try_from(addr).map_err(|_| err("cidrsubnet: overflow"))?);
            format!("{ip}/{new_len}")
        }
        IpAddr::V6(_) => format!("{}/{new_len}", std::net::Ipv6Addr::from(addr)),
    };
    Ok(Value::String(text))
}

fn coalesce(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    for v in a {
        match v {
            Value::Null => continue,
            Value::String(s) if s.is_empty() => continue,
            Value::Unknown(_) => {
                return Ok(Value::unknown("result of coalesce() depends on an unknown value"))
            }
            other => return Ok(other.clone()),
        }
    }
    Err(err("coalesce: no non-null, non-empty argument"))
}

fn compact(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("compact", a, 1, 1)?;
    let mut out = Vec::new();
    for v in list("compact", &a[0])? {
        match v {
            Value::Null => {}
            Value::String(s) if s.is_empty() => {}
            Value::Unknown(_) => {
                return Ok(Value::unknown("result of compact() depends on an unknown value"))
            }
            other => out.push(other.clone()),
        }
    }
    Ok(Value::List(out))
}

fn concat(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    let mut out = Vec::new();
    for v in a {
        out.extend(list("concat", v)?.iter().cloned());
    }
    Ok(Value::List(out))
}

fn contains(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("contains", a, 2, 2)?;
    let items = list("contains", &a[0])?;
    if a[1].contains_unknown() {
        return Ok(Value::unknown("result of contains() depends on an unknown value"));
    }
    if items.iter().any(|v| !v.contains_unknown() && equal(v, &a[1])) {
        return Ok(Value::Bool(true));
    }
    if items.iter().any(Value::contains_unknown) {
        return Ok(Value::unknown("result of contains() depends on an unknown value"));
    }
    Ok(Value::Bool(false))
}

fn distinct(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("distinct", a, 1, 1)?;
    if let Some(u) = unknown_in("distinct", &a[0]) {
        return Ok(u);
    }
    let mut out: Vec<Value> = Vec::new();
    for v in list("distinct", &a[0])? {
        if !out.iter().any(|o| equal(o, v)) {
            out.push(v.clone());
        }
    }
    Ok(Value::List(out))
}

fn element(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("element", a, 2, 2)?;
    let items = list("element", &a[0])?;
    if items.is_empty() {
        return Err(err("element: cannot use element function with an empty list"));
    }
    let i = to_i64(&a[1], "element")?;
    if i < 0 {
        return Err(err("element: negative index"));
    }
    Ok(items[(i as usize) % items.len()].clone())
}

fn endswith(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("endswith", a, 2, 2)?;
    Ok(Value::Bool(
        string("endswith", &a[0])?.ends_with(&string("endswith", &a[1])?),
    ))
}

fn startswith(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("startswith", a, 2, 2)?;
    Ok(Value::Bool(
        string("startswith", &a[0])?.starts_with(&string("startswith", &a[1])?),
    ))
}

fn file(ctx: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("file", a, 1, 1)?;
    let p = string("file", &a[0])?;
    std::fs::read_to_string(ctx.resolve(&p))
        .map(Value::String)
        .map_err(|e| err(format!("file: cannot read \"{p}\": {e}")))
}

fn fileexists(ctx: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("fileexists", a, 1, 1)?;
    let p = string("fileexists", &a[0])?;
    Ok(Value::Bool(ctx.resolve(&p).is_file()))
}

fn flatten_into(v: &[Value], out: &mut Vec<Value>) -> Result<(), Value> {
    for item in v {
        match item {
            Value::List(inner) => flatten_into(inner, out)?,
            Value::Unknown(_) => {
                return Err(Value::unknown("result of flatten() depends on an unknown value"))
            }
            other => out.push(other.clone()),
        }
    }
    Ok(())
}

fn flatten(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("flatten", a, 1, 1)?;
    let mut out = Vec::new();
    Ok(match flatten_into(list("flatten", &a[0])?, &mut out) {
        Ok(()) => Value::List(out),
        Err(u) => u,
    })
}

/// `format`: the verbs `%s %d %f %q %v %t %x %X %o %b %e %%` with flags, width and precision.
fn format(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    if a.is_empty() {
        return Err(err("format: a format string is required"));
    }
    if let Some(u) = a.iter().find_map(|v| unknown_in("format", v)) {
        return Ok(u);
    }
    let spec = string("format", &a[0])?;
    format_values(&spec, &a[1..]).map(Value::String)
}

pub(crate) fn format_values(spec: &str, args: &[Value]) -> Result<String, EvalError> {
    let mut out = String::new();
    let mut chars = spec.chars().peekable();
    let mut next = 0usize;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = chars.peek() {
            if "-+ #0".contains(f) {
                flags.push(f);
                chars.next();
            } else {
                break;
            }
        }
        let mut width = String::new();
        while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            width.push(d);
            chars.next();
        }
        let mut precision: Option<usize> = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut p = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                p.push(d);
                chars.next();
            }
            precision = Some(p.parse().unwrap_or(0));
        }
        let verb = chars
            .next()
            .ok_or_else(|| err("format: incomplete verb at the end"))?;
        if verb == '%' {
            out.push('%');
            continue;
        }
        let arg = args
            .get(next)
            .ok_or_else(|| err(format!("format: not enough arguments for %{verb}")))?;
        next += 1;
        let text = match verb {
            's' => {
                let s = to_string(arg, "format")?;
                match precision {
                    Some(p) => s.chars().take(p).collect(),
                    None => s,
                }
            }
            'v' if flags.contains('#') => {
                let mut s = String::new();
                json_encode(arg, &mut s)?;
                s
            }
            'v' => match arg {
                Value::List(_) | Value::Object(_) => {
                    let mut s = String::new();
                    json_encode(arg, &mut s)?;
                    s
                }
                Value::Null => "null".to_string(),
                other => to_string(other, "format")?,
            },
            'q' => {
                let mut s = String::new();
                json_quote(&to_string(arg, "format")?, &mut s);
                s
            }
            't' => to_bool(arg, "format")?.to_string(),
            'd' => {
                let n = to_i64(arg, "format")?;
                if flags.contains('+') && n >= 0 {
                    format!("+{n}")
                } else {
                    n.to_string()
                }
            }
            'f' => format!("{:.*}", precision.unwrap_or(6), to_f64(arg, "format")?),
            'e' | 'E' => {
                let t = go_exponent(&format!("{:.*e}", precision.unwrap_or(6), to_f64(arg, "format")?));
                if verb == 'E' {
                    t.to_uppercase()
                } else {
                    t
                }
            }
            'g' | 'G' => {
                let t = go_general(to_f64(arg, "format")?, precision);
                if verb == 'G' {
                    t.to_uppercase()
                } else {
                    t
                }
            }
            'x' => format!("{:x}", to_i64(arg, "format")?),
            'X' => format!("{:X}", to_i64(arg, "format")?),
            'o' => format!("{:o}", to_i64(arg, "format")?),
            'b' => format!("{:b}", to_i64(arg, "format")?),
            other => return Err(err(format!("format: unsupported verb %{other}"))),
        };
        let width: usize = width.parse().unwrap_or(0);
        let len = text.chars().count();
        if len < width {
            let pad = width - len;
            if flags.contains('-') {
                out.push_str(&text);
                out.extend(std::iter::repeat_n(' ', pad));
            } else if flags.contains('0')
                && matches!(verb, 'd' | 'f' | 'e' | 'E' | 'g' | 'G' | 'x' | 'X' | 'o' | 'b')
            {
                let (sign, digits) = match text.strip_prefix('-') {
                    Some(rest) => ("-", rest),
                    None => ("", text.as_str()),
                };
                out.push_str(sign);
                out.extend(std::iter::repeat_n('0', pad));
                out.push_str(digits);
            } else {
                out.extend(std::iter::repeat_n(' ', pad));
                out.push_str(&text);
            }
        } else {
            out.push_str(&text);
        }
    }
    Ok(out)
}

/// Rust's exponent notation (`1.5e3`) as Go writes it (`1.5e+03`).
fn go_exponent(t: &str) -> String {
    match t.split_once('e') {
        Some((mantissa, exp)) => {
            let (sign, digits) = match exp.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', exp),
            };
            format!("{mantissa}e{sign}{digits:0>2}")
        }
        None => t.to_string(),
    }
}

/// Go's `%g`: the shortest representation, in exponent notation for large or small exponents.
fn go_general(f: f64, precision: Option<usize>) -> String {
    let sci = match precision {
        Some(p) => format!("{:.*e}", p.max(1) - 1, f),
        None => format!("{f:e}"),
    };
    let exp: i32 = sci.split_once('e').and_then(|(_, e)| e.parse().ok()).unwrap_or(0);
    let limit = precision.map(|p| p.max(1) as i32).unwrap_or(6);
    if exp < -4 || exp >= limit {
        let (mantissa, _) = sci.split_once('e').unwrap_or((&sci, ""));
        let mantissa = if mantissa.contains('.') {
            mantissa.trim_end_matches('0').trim_end_matches('.')
        } else {
            mantissa
        };
        return go_exponent(&format!("{mantissa}e{exp}"));
    }
    match precision {
        Some(_) => {
            let v: f64 = sci.parse().unwrap_or(f);
            format!("{v}")
        }
        None => format!("{f}"),
    }
}

fn join(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    if a.len() < 2 {
        return Err(err("join: a separator and at least one list are required"));
    }
    if let Some(u) = a.iter().find_map(|v| unknown_in("join", v)) {
        return Ok(u);
    }
    let sep = string("join", &a[0])?;
    let mut parts = Vec::new();
    for l in &a[1..] {
        for v in list("join", l)? {
            parts.push(string("join", v)?);
        }
    }
    Ok(Value::String(parts.join(&sep)))
}

fn jsondecode(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("jsondecode", a, 1, 1)?;
    let s = string("jsondecode", &a[0])?;
    let j: serde_json::Value = serde_json::from_str(&s).map_err(|e| err(format!("jsondecode: {e}")))?;
    Ok(from_json(&j))
}

fn jsonencode(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("jsonencode", a, 1, 1)?;
    if let Some(u) = unknown_in("jsonencode", &a[0]) {
        return Ok(u);
    }
    let mut out = String::new();
    json_encode(&a[0], &mut out)?;
    Ok(Value::String(out))
}

fn keys(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("keys", a, 1, 1)?;
    Ok(Value::List(
        object("keys", &a[0])?
            .keys()
            .map(|k| Value::String(k.clone()))
            .collect(),
    ))
}

fn values(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("values", a, 1, 1)?;
    Ok(Value::List(object("values", &a[0])?.values().cloned().collect()))
}

fn length(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("length", a, 1, 1)?;
    let n = match &a[0] {
        Value::List(items) => items.len(),
        Value::Object(map) => map.len(),
        Value::String(s) => s.chars().count(),
        other => {
            return Err(err(format!(
                "length: cannot take the length of a {}",
                other.kind()
            )))
        }
    };
    Ok(Value::from(n as i64))
}

fn lookup(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("lookup", a, 2, 3)?;
    let map = object("lookup", &a[0])?;
    let key = string("lookup", &a[1])?;
    match (map.get(&key), a.get(2)) {
        (Some(v), _) => Ok(v.clone()),
        (None, Some(default)) => Ok(default.clone()),
        (None, None) => Err(err(format!("lookup: the map has no key \"{key}\""))),
    }
}

fn lower(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("lower", a, 1, 1)?;
    Ok(Value::String(map_chars(&string("lower", &a[0])?, true)))
}

fn upper(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("upper", a, 1, 1)?;
    Ok(Value::String(map_chars(&string("upper", &a[0])?, false)))
}

/// Case mapping one character at a time, as Terraform does: a character whose mapping is several
/// characters (`ß` to `SS`) keeps its single-character form.
fn map_chars(s: &str, lower: bool) -> String {
    s.chars()
        .map(|c| {
            let mut mapped: Vec<char> = if lower {
                c.to_lowercase().collect()
            } else {
                c.to_uppercase().collect()
            };
            match (mapped.len(), lower) {
                (1, _) => mapped.pop().unwrap_or(c),
                (_, true) => mapped.first().copied().unwrap_or(c),
                (_, false) => c,
            }
        })
        .collect()
}

fn numbers(name: &str, a: &[Value]) -> Result<Result<Vec<f64>, Value>, EvalError> {
    if a.is_empty() {
        return Err(err(format!("{name}: at least one argument is required")));
    }
    let mut out = Vec::new();
    for v in a {
        if v.is_unknown() {
            return Ok(Err(Value::unknown(format!(
                "result of {name}() depends on an unknown value"
            ))));
        }
        out.push(to_f64(v, name)?);
    }
    Ok(Ok(out))
}

fn max(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    match numbers("max", a)? {
        Ok(n) => num(n.into_iter().fold(f64::NEG_INFINITY, f64::max)),
        Err(u) => Ok(u),
    }
}

fn min(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    match numbers("min", a)? {
        Ok(n) => num(n.into_iter().fold(f64::INFINITY, f64::min)),
        Err(u) => Ok(u),
    }
}

fn sum(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("sum", a, 1, 1)?;
    match numbers("sum", list("sum", &a[0])?)? {
        Ok(n) => num(n.into_iter().sum()),
        Err(u) => Ok(u),
    }
}

fn merge(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    let mut out = BTreeMap::new();
    for v in a {
        if v.is_null() {
            continue;
        }
        for (k, item) in object("merge", v)? {
            out.insert(k.clone(), item.clone());
        }
    }
    Ok(Value::Object(out))
}

fn one(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("one", a, 1, 1)?;
    match list("one", &a[0])? {
        [] => Ok(Value::Null),
        [v] => Ok(v.clone()),
        _ => Err(err("one: the list has more than one element")),
    }
}

fn range(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("range", a, 1, 3)?;
    let n: Vec<f64> = a.iter().map(|v| to_f64(v, "range")).collect::<Result<_, _>>()?;
    let (start, limit, step) = match n.as_slice() {
        [limit] => (0.0, *limit, 1.0),
        [start, limit] => (*start, *limit, if limit >= start { 1.0 } else { -1.0 }),
        [start, limit, step] => (*start, *limit, *step),
        _ => return Err(err("range: wrong number of arguments")),
    };
    if step == 0.0 {
        return Err(err("range: step must not be zero"));
    }
    let mut out = Vec::new();
    let mut x = start;
    while (step > 0.0 && x < limit) || (step < 0.0 && x > limit) {
        if out.len() >= 1024 {
            return Err(err("range: more than 1024 elements"));
        }
        out.push(num(x)?);
        x += step;
    }
    Ok(Value::List(out))
}

fn replace(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("replace", a, 3, 3)?;
    let s = string("replace", &a[0])?;
    let pat = string("replace", &a[1])?;
    let rep = string("replace", &a[2])?;
    if pat.len() >= 2 && pat.starts_with('/') && pat.ends_with('/') {
        let re = regex::Regex::new(&pat[1..pat.len() - 1]).map_err(|e| err(format!("replace: {e}")))?;
        return Ok(Value::String(re.replace_all(&s, rep.as_str()).into_owned()));
    }
    Ok(Value::String(s.replace(&pat, &rep)))
}

fn reverse(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("reverse", a, 1, 1)?;
    Ok(Value::List(
        list("reverse", &a[0])?.iter().rev().cloned().collect(),
    ))
}

fn sort(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("sort", a, 1, 1)?;
    if let Some(u) = unknown_in("sort", &a[0]) {
        return Ok(u);
    }
    let mut items: Vec<String> = list("sort", &a[0])?
        .iter()
        .map(|v| string("sort", v))
        .collect::<Result<_, _>>()?;
    items.sort();
    Ok(Value::List(items.into_iter().map(Value::String).collect()))
}

fn split(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("split", a, 2, 2)?;
    let sep = string("split", &a[0])?;
    let s = string("split", &a[1])?;
    if sep.is_empty() {
        return Ok(Value::List(
            s.chars().map(|c| Value::String(c.to_string())).collect(),
        ));
    }
    Ok(Value::List(s.split(sep.as_str()).map(Value::from).collect()))
}

fn substr(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("substr", a, 3, 3)?;
    let s: Vec<char> = string("substr", &a[0])?.chars().collect();
    let len = s.len() as i64;
    let mut offset = to_i64(&a[1], "substr")?;
    let length = to_i64(&a[2], "substr")?;
    if offset < 0 {
        offset += len;
    }
    let offset = offset.clamp(0, len);
    let end = if length < 0 {
        len
    } else {
        (offset + length).min(len)
    };
    Ok(Value::String(s[offset as usize..end as usize].iter().collect()))
}

fn tobool(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("tobool", a, 1, 1)?;
    match &a[0] {
        Value::Null => Ok(Value::Null),
        v => Ok(Value::Bool(to_bool(v, "tobool")?)),
    }
}

fn tonumber(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("tonumber", a, 1, 1)?;
    match &a[0] {
        Value::Null => Ok(Value::Null),
        Value::Number(n) => Ok(Value::Number(n.clone())),
        v => num(to_f64(v, "tonumber")?),
    }
}

fn tostring(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("tostring", a, 1, 1)?;
    match &a[0] {
        Value::Null => Ok(Value::Null),
        v => Ok(Value::String(to_string(v, "tostring")?)),
    }
}

fn tolist(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("tolist", a, 1, 1)?;
    match &a[0] {
        Value::Null => Ok(Value::Null),
        v => Ok(Value::List(list("tolist", v)?.to_vec())),
    }
}

/// `toset`: duplicates removed; a set of strings iterates in lexical order, as in Terraform.
fn toset(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("toset", a, 1, 1)?;
    if a[0].is_null() {
        return Ok(Value::Null);
    }
    if let Some(u) = unknown_in("toset", &a[0]) {
        return Ok(u);
    }
    Ok(Value::List(set_of(list("toset", &a[0])?)))
}

pub(crate) fn set_of(items: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for v in items {
        if !out.iter().any(|o| equal(o, v)) {
            out.push(v.clone());
        }
    }
    if out.iter().all(|v| matches!(v, Value::String(_))) {
        out.sort_by(|x, y| x.as_str().cmp(&y.as_str()));
    } else if out.iter().all(|v| matches!(v, Value::Number(_))) {
        out.sort_by(|x, y| {
            x.as_f64()
                .partial_cmp(&y.as_f64())
                .unwrap_or(std::cmp::Ordering::Equal)
        });
    }
    out
}

fn tomap(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("tomap", a, 1, 1)?;
    match &a[0] {
        Value::Null => Ok(Value::Null),
        v => Ok(Value::Object(object("tomap", v)?.clone())),
    }
}

fn trimprefix(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("trimprefix", a, 2, 2)?;
    let s = string("trimprefix", &a[0])?;
    let p = string("trimprefix", &a[1])?;
    Ok(Value::String(
        s.strip_prefix(p.as_str()).unwrap_or(&s).to_string(),
    ))
}

fn trimsuffix(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("trimsuffix", a, 2, 2)?;
    let s = string("trimsuffix", &a[0])?;
    let p = string("trimsuffix", &a[1])?;
    Ok(Value::String(
        s.strip_suffix(p.as_str()).unwrap_or(&s).to_string(),
    ))
}

fn trimspace(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("trimspace", a, 1, 1)?;
    Ok(Value::String(string("trimspace", &a[0])?.trim().to_string()))
}

fn zipmap(_: &FnCtx<'_>, a: &[Value]) -> Result<Value, EvalError> {
    arity("zipmap", a, 2, 2)?;
    let ks = list("zipmap", &a[0])?;
    let vs = list("zipmap", &a[1])?;
    if ks.len() != vs.len() {
        return Err(err("zipmap: the key and value lists differ in length"));
    }
    if let Some(u) = unknown_in("zipmap", &a[0]) {
        return Ok(u);
    }
    let mut out = BTreeMap::new();
    for (k, v) in ks.iter().zip(vs) {
        out.insert(string("zipmap", k)?, v.clone());
    }
    Ok(Value::Object(out))
}

//! Lambda `ListFunctions` → `aws_lambda_function`; per function `ListAliases`, then for the
//! function and each alias `GetPolicy` → one `aws_lambda_permission` per policy statement and
//! `GetFunctionUrlConfig` → `aws_lambda_function_url`.
//!
//! Function URLs exist only on the unqualified function and on aliases, so reading the URL of
//! each is what `ListFunctionUrlConfigs` would list. Permissions on published versions
//! (`Qualifier` = a version number) are not read.
//!
//! Environment variable values are never kept: `environment.0.variables` maps each name to
//! `(redacted)`. The `lambda:EventSourceToken` condition of a permission is not kept either.
//!
//! A permission's `function_name` is the function's name and `qualifier` the alias, as in
//! Terraform. `ResourceNotFoundException` from `GetPolicy` or `GetFunctionUrlConfig` means "no
//! policy" / "no URL". Any other failure records the error and adds a placeholder (mode `data`)
//! of `aws_lambda_permission` or `aws_lambda_function_url` whose `function_name` is the function
//! and whose other attributes are unknown: rules that look for the permissions or URLs of a
//! function must count such a placeholder as "cannot tell".

use aws_sdk_lambda::types::FunctionConfiguration;
use futures::StreamExt;
use serde_json::{json, Map, Value as Json};

use attest_core::{InputError, LoadOutput, Mode, Reference, Resource};

use super::targets::{managed, Targets, KMS, KMS_TYPES, SECURITY_GROUPS};
use super::{drain, unknown};
use crate::api::ApiError;
use crate::ctx::{client, Ctx};
use crate::redact::REDACTED;

/// Functions whose policies and URLs are read at once.
const CONCURRENCY: usize = 8;

/// The attributes of a permission the statement tells.
const PERMISSION_ATTRS: &[&str] = &[
    "statement_id",
    "action",
    "principal",
    "source_arn",
    "source_account",
    "principal_org_id",
    "function_url_auth_type",
];

/// What a function's URL configuration says.
#[derive(Debug, Clone, PartialEq)]
pub struct UrlConfig {
    pub auth_type: String,
    pub url: String,
    pub invoke_mode: Option<String>,
}

/// What one read of a qualifier's policy or URL gave: the qualifier (`None` for the unqualified
/// function) and the answer, `Ok(None)` when there is none.
pub type Read<T> = (Option<String>, Result<Option<T>, ApiError>);

/// Who may invoke one function: its aliases, and the policy and URL of the function and of each
/// alias.
#[derive(Debug)]
pub struct Access {
    pub aliases: Result<Vec<String>, ApiError>,
    pub policies: Vec<Read<String>>,
    pub urls: Vec<Read<UrlConfig>>,
}

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let lambda = client!(c.session, aws_sdk_lambda, "lambda");
    let (functions, err) = drain(lambda.list_functions().into_paginator().items().send()).await;
    let mut out = LoadOutput::default();
    if let Some(e) = err {
        out.errors.push(c.error("lambda", "ListFunctions", e.message));
    }
    let lambda = &lambda;
    let read: Vec<(FunctionConfiguration, Option<Access>)> = futures::stream::iter(functions)
        .map(|f| async move {
            let access = match f.function_name() {
                Some(name) => Some(read_access(lambda, name).await),
                None => None,
            };
            (f, access)
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    for (f, access) in read {
        let Some(r) = function(c, &f) else { continue };
        if let (Some(access), Some(name)) = (access, f.function_name()) {
            let (resources, errors) = access_resources(c, name, &access);
            out.resources.extend(resources);
            out.errors.extend(errors);
        }
        out.resources.push(r);
    }
    out
}

fn not_found(e: &ApiError) -> bool {
    e.code == "ResourceNotFoundException"
}

async fn read_access(lambda: &aws_sdk_lambda::Client, name: &str) -> Access {
    let (aliases, err) = drain(
        lambda
            .list_aliases()
            .function_name(name)
            .into_paginator()
            .items()
            .send(),
    )
    .await;
    let aliases: Result<Vec<String>, ApiError> = match err {
        Some(e) => Err(e),
        None => Ok(aliases
            .iter()
            .filter_map(|a| a.name().map(str::to_string))
            .collect()),
    };
    let qualifiers: Vec<Option<String>> = std::iter::once(None)
        .chain(
            aliases
                .as_ref()
                .map(|a| a.iter().cloned().map(Some).collect::<Vec<_>>())
                .unwrap_or_default(),
        )
        .collect();
    let mut policies = Vec::new();
    let mut urls = Vec::new();
    for q in qualifiers {
        let (policy, url) = tokio::join!(
            lambda
                .get_policy()
                .function_name(name)
                .set_qualifier(q.clone())
                .send(),
            lambda
                .get_function_url_config()
                .function_name(name)
                .set_qualifier(q.clone())
                .send(),
        );
        let policy = match policy.map_err(|e| ApiError::from_sdk(&e)) {
            Ok(o) => Ok(o.policy().map(str::to_string)),
            Err(e) if not_found(&e) => Ok(None),
            Err(e) => Err(e),
        };
        let url = match url.map_err(|e| ApiError::from_sdk(&e)) {
            Ok(o) => Ok(Some(UrlConfig {
                auth_type: o.auth_type().as_str().to_string(),
                url: o.function_url().to_string(),
                invoke_mode: o.invoke_mode().map(|m| m.as_str().to_string()),
            })),
            Err(e) if not_found(&e) => Ok(None),
            Err(e) => Err(e),
        };
        policies.push((q.clone(), policy));
        urls.push((q, url));
    }
    Access {
        aliases,
        policies,
        urls,
    }
}

/// The function's configuration as Terraform's `aws_lambda_function`.
pub fn function(c: &Ctx<'_>, f: &FunctionConfiguration) -> Option<Resource> {
    let name = f.function_name()?;
    let arn = f
        .function_arn()
        .map(str::to_string)
        .or_else(|| c.arn("lambda", &format!("function:{name}")));
    let mut a = Map::new();
    a.insert("id".into(), json!(name));
    a.insert("function_name".into(), json!(name));
    a.insert("arn".into(), json!(arn));
    a.insert(
        "qualified_arn".into(),
        json!(arn
            .as_ref()
            .map(|arn| format!("{arn}:{}", f.version().unwrap_or("$LATEST")))),
    );
    a.insert("version".into(), json!(f.version()));
    a.insert("runtime".into(), json!(f.runtime().map(|r| r.as_str())));
    a.insert("role".into(), json!(f.role()));
    a.insert("handler".into(), json!(f.handler()));
    a.insert("description".into(), json!(f.description().unwrap_or_default()));
    a.insert("memory_size".into(), json!(f.memory_size()));
    a.insert("timeout".into(), json!(f.timeout()));
    a.insert("package_type".into(), json!(f.package_type().map(|p| p.as_str())));
    a.insert(
        "architectures".into(),
        json!(f.architectures().iter().map(|x| x.as_str()).collect::<Vec<_>>()),
    );
    a.insert(
        "layers".into(),
        json!(f.layers().iter().filter_map(|l| l.arn()).collect::<Vec<_>>()),
    );
    a.insert("kms_key_arn".into(), json!(f.kms_key_arn().unwrap_or_default()));
    let vpc = f
        .vpc_config()
        .filter(|v| !v.subnet_ids().is_empty() || !v.security_group_ids().is_empty())
        .map(|v| {
            vec![json!({
                "subnet_ids": v.subnet_ids(),
                "security_group_ids": v.security_group_ids(),
                "vpc_id": v.vpc_id(),
            })]
        })
        .unwrap_or_default();
    a.insert("vpc_config".into(), json!(vpc));
    a.insert(
        "tracing_config".into(),
        json!([{
            "mode": f
                .tracing_config()
                .and_then(|t| t.mode())
                .map(|m| m.as_str())
                .unwrap_or("PassThrough"),
        }]),
    );
    a.insert(
        "dead_letter_config".into(),
        json!(f
            .dead_letter_config()
            .and_then(|d| d.target_arn())
            .map(|t| vec![json!({ "target_arn": t })])
            .unwrap_or_default()),
    );
    a.insert("environment".into(), environment(f));
    a.insert(
        "logging_config".into(),
        json!(f
            .logging_config()
            .map(|l| vec![json!({
                "log_format": l.log_format().map(|x| x.as_str()),
                "log_group": l.log_group(),
                "application_log_level": l.application_log_level().map(|x| x.as_str()),
                "system_log_level": l.system_log_level().map(|x| x.as_str()),
            })])
            .unwrap_or_default()),
    );
    let rid = arn.unwrap_or_else(|| c.local_id("aws_lambda_function", name));
    Some(c.resource(rid, "aws_lambda_function", Some(name), a))
}

/// `environment` with the variable names only: every value is redacted.
fn environment(f: &FunctionConfiguration) -> Json {
    let Some(env) = f.environment() else {
        return json!([]);
    };
    if let Some(err) = env.error() {
        return json!([{
            "variables": unknown(&format!(
                "Lambda could not decrypt the environment: {}",
                err.error_code().unwrap_or("error")
            )),
        }]);
    }
    match env.variables() {
        Some(vars) if !vars.is_empty() => {
            let names: Map<String, Json> = vars.keys().map(|k| (k.clone(), json!(REDACTED))).collect();
            json!([{ "variables": names }])
        }
        _ => json!([]),
    }
}

/// The permissions and URLs of one function, placeholders for what could not be read, and the
/// errors of the failed calls.
pub fn access_resources(c: &Ctx<'_>, name: &str, access: &Access) -> (Vec<Resource>, Vec<InputError>) {
    let mut resources = Vec::new();
    let mut errors = Vec::new();
    if let Err(e) = &access.aliases {
        errors.push(c.error("lambda", "ListAliases", format!("function {name}: {}", e.message)));
        let reason = e.unknown_reason("lambda", "ListAliases");
        resources.push(unreadable(
            c,
            "aws_lambda_permission",
            name,
            "aliases",
            PERMISSION_ATTRS,
            &reason,
        ));
        resources.push(unreadable(
            c,
            "aws_lambda_function_url",
            name,
            "aliases",
            &["authorization_type", "qualifier"],
            &reason,
        ));
    }
    for (q, policy) in &access.policies {
        let target = qualified(name, q.as_deref());
        match policy {
            Ok(None) => {}
            Ok(Some(doc)) => match permissions(c, name, q.as_deref(), doc) {
                Ok(list) => resources.extend(list),
                Err(msg) => {
                    errors.push(c.error("lambda", "GetPolicy", format!("function {target}: {msg}")));
                    resources.push(unreadable(
                        c,
                        "aws_lambda_permission",
                        name,
                        q.as_deref().unwrap_or(""),
                        PERMISSION_ATTRS,
                        "lambda:GetPolicy answered with a policy that is not JSON",
                    ));
                }
            },
            Err(e) => {
                errors.push(c.error("lambda", "GetPolicy", format!("function {target}: {}", e.message)));
                resources.push(unreadable(
                    c,
                    "aws_lambda_permission",
                    name,
                    q.as_deref().unwrap_or(""),
                    PERMISSION_ATTRS,
                    &e.unknown_reason("lambda", "GetPolicy"),
                ));
            }
        }
    }
    for (q, url) in &access.urls {
        match url {
            Ok(None) => {}
            Ok(Some(u)) => resources.push(function_url(c, name, q.as_deref(), u)),
            Err(e) => {
                errors.push(c.error(
                    "lambda",
                    "GetFunctionUrlConfig",
                    format!("function {}: {}", qualified(name, q.as_deref()), e.message),
                ));
                resources.push(unreadable(
                    c,
                    "aws_lambda_function_url",
                    name,
                    q.as_deref().unwrap_or(""),
                    &["authorization_type"],
                    &e.unknown_reason("lambda", "GetFunctionUrlConfig"),
                ));
            }
        }
    }
    (resources, errors)
}

fn qualified(name: &str, qualifier: Option<&str>) -> String {
    match qualifier {
        Some(q) => format!("{name}:{q}"),
        None => name.to_string(),
    }
}

/// A placeholder (mode `data`) for the unreadable permissions or URL of one function (and
/// qualifier, or `aliases` for those of its unlisted aliases): `function_name` names the
/// function, `attrs` are unknown.
fn unreadable(c: &Ctx<'_>, ty: &str, name: &str, part: &str, attrs: &[&str], reason: &str) -> Resource {
    let mut a: Map<String, Json> = attrs.iter().map(|k| (k.to_string(), unknown(reason))).collect();
    a.insert("function_name".into(), json!(name));
    let which = if part.is_empty() {
        name.to_string()
    } else {
        format!("{name}:{part}")
    };
    let mut r = c.resource(c.local_id(ty, &format!("{which}:unreadable")), ty, None, a);
    r.mode = Mode::Data;
    r
}

/// The first string of a condition value (a string or a list of strings).
fn condition_value(v: &Json) -> Option<Json> {
    match v {
        Json::String(_) => Some(v.clone()),
        Json::Array(items) if items.len() == 1 => items.first().cloned(),
        Json::Array(items) if !items.is_empty() => Some(v.clone()),
        _ => None,
    }
}

/// Terraform's `principal` of a statement principal value: `*`, a service, or an account id for
/// an account root ARN.
fn principal_name(p: &str) -> String {
    let parts: Vec<&str> = p.split(':').collect();
    if parts.len() == 6 && parts[0] == "arn" && parts[2] == "iam" && parts[5] == "root" {
        return parts[4].to_string();
    }
    p.to_string()
}

/// The principals of a statement: `*`, or each value of `Service`, `AWS`, `Federated`…
fn principals(p: &Json) -> Vec<String> {
    match p {
        Json::String(s) => vec![principal_name(s)],
        Json::Object(m) => m
            .values()
            .flat_map(|v| match v {
                Json::String(s) => vec![principal_name(s)],
                Json::Array(items) => items
                    .iter()
                    .filter_map(|i| i.as_str().map(principal_name))
                    .collect(),
                _ => Vec::new(),
            })
            .collect(),
        Json::Array(items) => items
            .iter()
            .filter_map(|i| i.as_str().map(principal_name))
            .collect(),
        _ => Vec::new(),
    }
}

/// One `aws_lambda_permission` per `Allow` statement (and principal) of a function policy.
pub fn permissions(
    c: &Ctx<'_>,
    name: &str,
    qualifier: Option<&str>,
    doc: &str,
) -> Result<Vec<Resource>, String> {
    let policy: Json = serde_json::from_str(doc).map_err(|e| format!("the policy is not JSON: {e}"))?;
    let statements: Vec<&Json> = match policy.get("Statement") {
        Some(Json::Array(items)) => items.iter().collect(),
        Some(one @ Json::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    let mut out = Vec::new();
    for (i, st) in statements.iter().enumerate() {
        if st.get("Effect").and_then(Json::as_str) != Some("Allow") {
            continue;
        }
        let sid = st
            .get("Sid")
            .and_then(Json::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| format!("statement-{i}"));
        let mut base = Map::new();
        base.insert("statement_id".into(), json!(sid));
        base.insert("function_name".into(), json!(name));
        base.insert("qualifier".into(), json!(qualifier));
        let action = match st.get("Action") {
            Some(Json::Array(items)) if items.len() == 1 => items[0].clone(),
            Some(v) => v.clone(),
            None => Json::Null,
        };
        base.insert("action".into(), action);
        for key in [
            "source_arn",
            "source_account",
            "principal_org_id",
            "function_url_auth_type",
        ] {
            base.insert(key.into(), Json::Null);
        }
        if let Some(Json::Object(ops)) = st.get("Condition") {
            for block in ops.values() {
                let Json::Object(keys) = block else { continue };
                for (k, v) in keys {
                    let attr = match k.to_ascii_lowercase().as_str() {
                        "aws:sourcearn" => "source_arn",
                        "aws:sourceaccount" => "source_account",
                        "aws:principalorgid" => "principal_org_id",
                        "lambda:functionurlauthtype" => "function_url_auth_type",
                        _ => continue,
                    };
                    if let Some(v) = condition_value(v) {
                        base.insert(attr.into(), v);
                    }
                }
            }
        }
        let who = principals(st.get("Principal").unwrap_or(&Json::Null));
        let several = who.len() > 1;
        for (n, principal) in who.iter().enumerate() {
            let mut a = base.clone();
            a.insert("principal".into(), json!(principal));
            let tf_id = if several {
                format!("{sid}#{n}")
            } else {
                sid.clone()
            };
            a.insert("id".into(), json!(tf_id));
            let rid = c.local_id(
                "aws_lambda_permission",
                &format!("{}/{tf_id}", qualified(name, qualifier)),
            );
            out.push(c.resource(rid, "aws_lambda_permission", Some(&tf_id), a));
        }
    }
    Ok(out)
}

/// A function URL as Terraform's `aws_lambda_function_url`.
pub fn function_url(c: &Ctx<'_>, name: &str, qualifier: Option<&str>, u: &UrlConfig) -> Resource {
    let tf_id = match qualifier {
        Some(q) => format!("{name}/{q}"),
        None => name.to_string(),
    };
    let url_id = u
        .url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('.').next())
        .unwrap_or_default();
    let mut a = Map::new();
    a.insert("id".into(), json!(tf_id));
    a.insert("function_name".into(), json!(name));
    a.insert("qualifier".into(), json!(qualifier));
    a.insert("authorization_type".into(), json!(u.auth_type));
    a.insert("function_url".into(), json!(u.url));
    a.insert("url_id".into(), json!(url_id));
    a.insert(
        "invoke_mode".into(),
        json!(u.invoke_mode.as_deref().unwrap_or("BUFFERED")),
    );
    let rid = c.local_id("aws_lambda_function_url", &tf_id);
    c.resource(rid, "aws_lambda_function_url", Some(&tf_id), a)
}

/// Permission and URL → function (`function_name`); function → KMS key (`kms_key_arn`),
/// security groups (`vpc_config.0.security_group_ids.<i>`) and IAM role (`role`).
pub fn link(out: &LoadOutput) -> Vec<Reference> {
    let t = Targets::build(
        out,
        &[
            KMS,
            SECURITY_GROUPS,
            &[
                ("aws_lambda_function", &["function_name", "arn"]),
                ("aws_iam_role", &["arn"]),
            ],
        ]
        .concat(),
    );
    let mut refs = Vec::new();
    for r in managed(out, &["aws_lambda_permission", "aws_lambda_function_url"]) {
        t.edges(r, "function_name", &["aws_lambda_function"], None, &mut refs);
    }
    for r in managed(out, &["aws_lambda_function"]) {
        t.edges(r, "kms_key_arn", KMS_TYPES, None, &mut refs);
        t.edges(
            r,
            "vpc_config.0.security_group_ids",
            &["aws_security_group"],
            None,
            &mut refs,
        );
        // Roles are global.
        t.edges(r, "role", &["aws_iam_role"], Some("global"), &mut refs);
    }
    refs
}

#[cfg(test)]
mod tests {
    use aws_sdk_lambda::types::{
        EnvironmentResponse, Runtime, TracingConfigResponse, TracingMode, VpcConfigResponse,
    };

    use super::*;
    use crate::ctx::Session;
    use attest_core::Value;

    fn ctx(s: &Session) -> Ctx<'_> {
        Ctx::new(s, Some("123456789012".into()))
    }

    #[test]
    fn function_keeps_variable_names_but_never_values() {
        let s = Session::for_tests("us-east-1");
        let c = ctx(&s);
        let f = FunctionConfiguration::builder()
            .function_name("thumbnail")
            .function_arn("arn:aws:lambda:us-east-1:123456789012:function:thumbnail")
            .runtime(Runtime::Python312)
            .role("arn:aws:iam::123456789012:role/thumb")
            .version("$LATEST")
            .environment(
                EnvironmentResponse::builder()
                    .variables("DB_PASSWORD", "hunter2")
                    .variables("REGION", "us-east-1")
                    .build(),
            )
            .tracing_config(TracingConfigResponse::builder().mode(TracingMode::Active).build())
            .vpc_config(
                VpcConfigResponse::builder()
                    .subnet_ids("subnet-1")
                    .security_group_ids("sg-1")
                    .vpc_id("vpc-1")
                    .build(),
            )
            .build();
        let r = function(&c, &f).expect("function");
        assert_eq!(r.id, "arn:aws:lambda:us-east-1:123456789012:function:thumbnail");
        assert_eq!(r.physical_id.as_deref(), Some("thumbnail"));
        assert_eq!(r.attr("runtime").as_str(), Some("python3.12"));
        assert_eq!(
            r.attr("environment").to_json(),
            json!([{"variables": {"DB_PASSWORD": REDACTED, "REGION": REDACTED}}])
        );
        assert!(!r.attributes.to_json().to_string().contains("hunter2"));
        assert_eq!(r.attr("tracing_config.0.mode").as_str(), Some("Active"));
        assert_eq!(
            r.attr("vpc_config.0.security_group_ids").to_json(),
            json!(["sg-1"])
        );
        assert_eq!(r.attr("kms_key_arn").as_str(), Some(""));
        let bare = FunctionConfiguration::builder().function_name("bare").build();
        let r = function(&c, &bare).expect("function");
        assert_eq!(r.attr("environment").to_json(), json!([]));
        assert_eq!(r.attr("vpc_config").to_json(), json!([]));
    }

    #[test]
    fn policy_statements_become_permissions() {
        let s = Session::for_tests("us-east-1");
        let c = ctx(&s);
        let doc = json!({
            "Version": "2012-10-17",
            "Statement": [
                {"Sid": "s3", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
                 "Action": "lambda:InvokeFunction", "Resource": "arn",
                 "Condition": {"StringEquals": {"AWS:SourceAccount": "123456789012"},
                               "ArnLike": {"AWS:SourceArn": "arn:aws:s3:::uploads"}}},
                {"Sid": "open", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction"},
                {"Sid": "acct", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                 "Action": "lambda:InvokeFunction"},
                {"Sid": "token", "Effect": "Allow", "Principal": {"Service": "alexa-appkit.amazon.com"},
                 "Action": "lambda:InvokeFunction",
                 "Condition": {"StringEquals": {"lambda:EventSourceToken": "amzn1.ask.skill.secret"}}},
            ]
        })
        .to_string();
        let perms = permissions(&c, "thumbnail", None, &doc).expect("policy");
        assert_eq!(perms.len(), 4);
        let s3 = &perms[0];
        assert_eq!(s3.id, "aws_lambda_permission:us-east-1:thumbnail/s3");
        assert_eq!(s3.attr("principal").as_str(), Some("s3.amazonaws.com"));
        assert_eq!(s3.attr("source_arn").as_str(), Some("arn:aws:s3:::uploads"));
        assert_eq!(s3.attr("source_account").as_str(), Some("123456789012"));
        assert_eq!(s3.attr("function_name").as_str(), Some("thumbnail"));
        assert_eq!(perms[1].attr("principal").as_str(), Some("*"));
        assert!(perms[1].attr("source_arn").is_null());
        assert_eq!(perms[2].attr("principal").as_str(), Some("111122223333"));
        assert!(!perms[3].attributes.to_json().to_string().contains("secret"));

        let aliased = permissions(&c, "thumbnail", Some("live"), &doc).expect("policy");
        assert_eq!(aliased[0].id, "aws_lambda_permission:us-east-1:thumbnail:live/s3");
        assert_eq!(aliased[0].attr("qualifier").as_str(), Some("live"));
        assert!(permissions(&c, "thumbnail", None, "not json").is_err());
    }

    #[test]
    fn denied_and_missing_policies_and_urls() {
        let s = Session::for_tests("us-east-1");
        let c = ctx(&s);
        let denied = ApiError {
            code: "AccessDeniedException".into(),
            message: "no".into(),
        };
        let access = Access {
            aliases: Ok(vec!["live".into()]),
            policies: vec![(None, Ok(None)), (Some("live".into()), Err(denied.clone()))],
            urls: vec![
                (
                    None,
                    Ok(Some(UrlConfig {
                        auth_type: "NONE".into(),
                        url: "https://abc123.lambda-url.us-east-1.on.aws/".into(),
                        invoke_mode: None,
                    })),
                ),
                (Some("live".into()), Err(denied.clone())),
            ],
        };
        let (resources, errors) = access_resources(&c, "thumbnail", &access);
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].file, "aws:us-east-1:lambda.GetPolicy");
        assert_eq!(errors[1].file, "aws:us-east-1:lambda.GetFunctionUrlConfig");
        let url = resources.iter().find(|r| r.mode == Mode::Managed).expect("url");
        assert_eq!(url.resource_type, "aws_lambda_function_url");
        assert_eq!(url.attr("authorization_type").as_str(), Some("NONE"));
        assert_eq!(url.attr("url_id").as_str(), Some("abc123"));
        let holes: Vec<&Resource> = resources.iter().filter(|r| r.mode == Mode::Data).collect();
        assert_eq!(holes.len(), 2);
        let p = holes
            .iter()
            .find(|r| r.resource_type == "aws_lambda_permission")
            .expect("permission placeholder");
        assert_eq!(p.id, "aws_lambda_permission:us-east-1:thumbnail:live:unreadable");
        assert_eq!(p.attr("function_name").as_str(), Some("thumbnail"));
        assert_eq!(
            p.attr("principal"),
            &Value::Unknown("AccessDeniedException on lambda:GetPolicy".into())
        );

        let no_aliases = Access {
            aliases: Err(denied),
            policies: vec![(None, Ok(None))],
            urls: vec![(None, Ok(None))],
        };
        let (resources, errors) = access_resources(&c, "thumbnail", &no_aliases);
        assert_eq!(errors.len(), 1);
        assert_eq!(resources.len(), 2);
        assert!(resources.iter().all(|r| r.mode == Mode::Data));
    }
}

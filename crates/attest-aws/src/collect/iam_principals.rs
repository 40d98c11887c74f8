//! IAM principals, their policies, group memberships, access keys and instance profiles, in the
//! joined (inline) shape of the Terraform provider:
//!
//! | API calls | canonical |
//! |---|---|
//! | `ListUsers` | `aws_iam_user` (`id` = `name`, `arn`, `path`, `unique_id`, `create_date`) |
//! | `ListGroups` | `aws_iam_group` (same attributes) |
//! | `ListRoles` | `aws_iam_role` (same, plus `assume_role_policy` as a JSON string, `description`, `max_session_duration`) |
//! | `List{User,Group,Role}Policies` + `Get{User,Group,Role}Policy` | `inline_policy = [{name, policy}]` of the principal, and one `aws_iam_{user,group,role}_policy` per inline policy (`id` = `<principal>:<policy>`, `name`, `user`/`group`/`role`, `policy`), the resources the policy-document rules judge |
//! | `ListAttached{User,Group,Role}Policies` | `managed_policy_arns` of the principal (AWS managed policies appear only there, by ARN) |
//! | `ListGroupsForUser` | one `aws_iam_user_group_membership` (`user`, `groups` = group names) per user in at least one group |
//! | `ListAccessKeys` | `aws_iam_access_key` (`id` = the access key id, `user`, `status`, `create_date`; never a secret) |
//! | `ListInstanceProfiles` | `aws_iam_instance_profile` (`role` = the name of its role, absent when it has none) |
//!
//! Policy documents come URL-encoded from IAM (emulators may send plain JSON): both are read.
//!
//! What a failed call leaves:
//! - a per-principal call: the attribute it tells is unknown on that principal (`inline_policy`,
//!   `managed_policy_arns`, a membership's `groups`); a failed `Get*Policy` leaves that inline
//!   policy's `policy` unknown; a failed `ListAccessKeys` leaves a data resource
//!   `aws_iam_access_key` (id `aws_iam_access_key:<region>:<user>:unreadable`, `user` = the user,
//!   `status` unknown) standing for the keys that could not be read;
//! - a failed `ListUsers`, `ListGroups` or `ListRoles`: the error, and a placeholder of that type
//!   (mode `data`, every attribute the rules read unknown), since account-level rules (support
//!   role) look through all principals.

use std::collections::HashMap;

use aws_sdk_iam::types::{AccessKeyMetadata, Group, InstanceProfile, Role, User};
use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use futures::StreamExt;
use serde_json::{json, Map, Value as Json};

use attest_core::{LoadOutput, Mode, Reference, Resource, Value};

use super::iam_policies::decode_document;
use super::{drain, placeholder, unknown};
use crate::api::ApiError;
use crate::ctx::{client, Ctx};

/// Principals whose policies are read at once (each principal's calls are made one by one).
const CONCURRENCY: usize = 8;

/// The attributes of principals that rules read, unknown on a placeholder.
const PRINCIPAL_ATTRS: &[&str] = &["name", "arn", "inline_policy", "managed_policy_arns"];
const ROLE_ATTRS: &[&str] = &[
    "name",
    "arn",
    "assume_role_policy",
    "inline_policy",
    "managed_policy_arns",
];

const MEMBERSHIP: &str = "aws_iam_user_group_membership";
const ACCESS_KEY: &str = "aws_iam_access_key";
const INSTANCE_PROFILE: &str = "aws_iam_instance_profile";

/// The three kinds of IAM principals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    User,
    Group,
    Role,
}

impl Kind {
    pub fn resource_type(self) -> &'static str {
        match self {
            Kind::User => "aws_iam_user",
            Kind::Group => "aws_iam_group",
            Kind::Role => "aws_iam_role",
        }
    }

    /// The type of one inline policy of such a principal.
    pub fn inline_type(self) -> &'static str {
        match self {
            Kind::User => "aws_iam_user_policy",
            Kind::Group => "aws_iam_group_policy",
            Kind::Role => "aws_iam_role_policy",
        }
    }

    /// The attribute of an inline policy that names its principal.
    pub fn link(self) -> &'static str {
        match self {
            Kind::User => "user",
            Kind::Group => "group",
            Kind::Role => "role",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Kind::User => "User",
            Kind::Group => "Group",
            Kind::Role => "Role",
        }
    }

    fn list_inline(self) -> String {
        format!("List{}Policies", self.noun())
    }

    fn get_inline(self) -> String {
        format!("Get{}Policy", self.noun())
    }

    fn list_attached(self) -> String {
        format!("ListAttached{}Policies", self.noun())
    }
}

/// One inline policy: its name and its document as the API gave it.
#[derive(Debug, Clone)]
pub struct Inline {
    pub name: String,
    pub document: Result<String, ApiError>,
}

/// What the per-principal calls answered.
#[derive(Debug, Clone)]
pub struct Details {
    pub inline: Result<Vec<Inline>, ApiError>,
    /// The ARNs of the attached managed policies.
    pub attached: Result<Vec<String>, ApiError>,
    /// The names of the user's groups (users only).
    pub groups: Option<Result<Vec<String>, ApiError>>,
    /// The user's access keys (users only).
    pub keys: Option<Result<Vec<AccessKeyMetadata>, ApiError>>,
}

#[cfg(test)]
impl Details {
    /// A principal without inline or attached policies (and, for a user, without groups or keys).
    pub fn empty(kind: Kind) -> Details {
        let user = kind == Kind::User;
        Details {
            inline: Ok(Vec::new()),
            attached: Ok(Vec::new()),
            groups: user.then(|| Ok(Vec::new())),
            keys: user.then(|| Ok(Vec::new())),
        }
    }
}

/// The names of a principal's inline policies, then each document: one `List*Policies` and one
/// `Get*Policy` per policy.
macro_rules! inline_policies {
    ($iam:expr, $list:ident, $get:ident, $setter:ident, $name:expr) => {{
        let (names, err) = drain($iam.$list().$setter($name).into_paginator().items().send()).await;
        match err {
            Some(e) => Err(e),
            None => {
                let mut found = Vec::with_capacity(names.len());
                for policy in names {
                    let document = $iam
                        .$get()
                        .$setter($name)
                        .policy_name(&policy)
                        .send()
                        .await
                        .map(|o| o.policy_document().to_string())
                        .map_err(|e| ApiError::from_sdk(&e));
                    found.push(Inline {
                        name: policy,
                        document,
                    });
                }
                Ok(found)
            }
        }
    }};
}

/// The ARNs of the managed policies attached to a principal.
macro_rules! attached_policies {
    ($iam:expr, $list:ident, $setter:ident, $name:expr) => {{
        let (items, err) = drain($iam.$list().$setter($name).into_paginator().items().send()).await;
        match err {
            Some(e) => Err(e),
            None => {
                let mut arns: Vec<String> = items
                    .iter()
                    .filter_map(|p| p.policy_arn().map(str::to_string))
                    .collect();
                arns.sort();
                arns.dedup();
                Ok(arns)
            }
        }
    }};
}

async fn user_details(iam: &aws_sdk_iam::Client, name: &str) -> Details {
    let inline = inline_policies!(iam, list_user_policies, get_user_policy, user_name, name);
    let attached = attached_policies!(iam, list_attached_user_policies, user_name, name);
    let (groups, err) = drain(
        iam.list_groups_for_user()
            .user_name(name)
            .into_paginator()
            .items()
            .send(),
    )
    .await;
    let groups = match err {
        Some(e) => Err(e),
        None => Ok(groups.iter().map(|g| g.group_name().to_string()).collect()),
    };
    let (keys, err) = drain(
        iam.list_access_keys()
            .user_name(name)
            .into_paginator()
            .items()
            .send(),
    )
    .await;
    let keys = match err {
        Some(e) => Err(e),
        None => Ok(keys),
    };
    Details {
        inline,
        attached,
        groups: Some(groups),
        keys: Some(keys),
    }
}

async fn group_details(iam: &aws_sdk_iam::Client, name: &str) -> Details {
    Details {
        inline: inline_policies!(iam, list_group_policies, get_group_policy, group_name, name),
        attached: attached_policies!(iam, list_attached_group_policies, group_name, name),
        groups: None,
        keys: None,
    }
}

async fn role_details(iam: &aws_sdk_iam::Client, name: &str) -> Details {
    Details {
        inline: inline_policies!(iam, list_role_policies, get_role_policy, role_name, name),
        attached: attached_policies!(iam, list_attached_role_policies, role_name, name),
        groups: None,
        keys: None,
    }
}

pub async fn collect(c: &Ctx<'_>) -> LoadOutput {
    let iam = client!(c.session, aws_sdk_iam, "iam");
    let iam = &iam;
    let mut out = LoadOutput::default();

    let (users, err) = drain(iam.list_users().into_paginator().items().send()).await;
    if let Some(e) = err {
        list_failed(
            c,
            &mut out,
            "ListUsers",
            Kind::User.resource_type(),
            PRINCIPAL_ATTRS,
            &e,
        );
    }
    let users: Vec<(User, Details)> = futures::stream::iter(users)
        .map(|u| async move {
            let d = user_details(iam, u.user_name()).await;
            (u, d)
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    for (u, d) in &users {
        errors(c, Kind::User, u.user_name(), d, &mut out);
        out.resources.extend(user(c, u, d));
    }

    let (groups, err) = drain(iam.list_groups().into_paginator().items().send()).await;
    if let Some(e) = err {
        list_failed(
            c,
            &mut out,
            "ListGroups",
            Kind::Group.resource_type(),
            PRINCIPAL_ATTRS,
            &e,
        );
    }
    let groups: Vec<(Group, Details)> = futures::stream::iter(groups)
        .map(|g| async move {
            let d = group_details(iam, g.group_name()).await;
            (g, d)
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    for (g, d) in &groups {
        errors(c, Kind::Group, g.group_name(), d, &mut out);
        out.resources.extend(group(c, g, d));
    }

    let (roles, err) = drain(iam.list_roles().into_paginator().items().send()).await;
    if let Some(e) = err {
        list_failed(
            c,
            &mut out,
            "ListRoles",
            Kind::Role.resource_type(),
            ROLE_ATTRS,
            &e,
        );
    }
    let roles: Vec<(Role, Details)> = futures::stream::iter(roles)
        .map(|r| async move {
            let d = role_details(iam, r.role_name()).await;
            (r, d)
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    for (r, d) in &roles {
        errors(c, Kind::Role, r.role_name(), d, &mut out);
        out.resources.extend(role(c, r, d));
    }

    let (profiles, err) = drain(iam.list_instance_profiles().into_paginator().items().send()).await;
    if let Some(e) = err {
        // No rule looks through instance profiles from other resources: the error is the trace.
        out.errors.push(c.error("iam", "ListInstanceProfiles", e.message));
    }
    out.resources
        .extend(profiles.iter().map(|p| instance_profile(c, p)));
    out
}

/// A list call that failed: its error and a placeholder of the type it lists.
fn list_failed(
    c: &Ctx<'_>,
    out: &mut LoadOutput,
    operation: &str,
    resource_type: &str,
    attrs: &[&str],
    e: &ApiError,
) {
    out.errors.push(c.error("iam", operation, e.message.clone()));
    out.resources.push(placeholder(
        c,
        resource_type,
        attrs,
        &e.unknown_reason("iam", operation),
    ));
}

/// One error per failed per-principal call.
fn errors(c: &Ctx<'_>, kind: Kind, name: &str, d: &Details, out: &mut LoadOutput) {
    let who = format!("{} {name}", kind.link());
    match &d.inline {
        Err(e) => out
            .errors
            .push(c.error("iam", &kind.list_inline(), format!("{who}: {}", e.message))),
        Ok(list) => {
            for p in list {
                if let Err(e) = &p.document {
                    out.errors.push(c.error(
                        "iam",
                        &kind.get_inline(),
                        format!("{who}, policy {}: {}", p.name, e.message),
                    ));
                }
            }
        }
    }
    if let Err(e) = &d.attached {
        out.errors
            .push(c.error("iam", &kind.list_attached(), format!("{who}: {}", e.message)));
    }
    if let Some(Err(e)) = &d.groups {
        out.errors
            .push(c.error("iam", "ListGroupsForUser", format!("{who}: {}", e.message)));
    }
    if let Some(Err(e)) = &d.keys {
        out.errors
            .push(c.error("iam", "ListAccessKeys", format!("{who}: {}", e.message)));
    }
}

/// An API timestamp as Terraform shows it (RFC 3339).
fn date(d: &DateTime) -> Json {
    d.fmt(Format::DateTime).map(Json::from).unwrap_or(Json::Null)
}

/// The attributes every IAM entity of a listing has.
fn entity(name: &str, arn: &str, unique_id: &str, path: &str, created: &DateTime) -> Map<String, Json> {
    let mut a = Map::new();
    a.insert("id".into(), json!(name));
    a.insert("name".into(), json!(name));
    a.insert("arn".into(), json!(arn));
    a.insert("path".into(), json!(path));
    a.insert("unique_id".into(), json!(unique_id));
    a.insert("create_date".into(), date(created));
    a
}

/// The resource id of an entity: its ARN, else a local id.
fn entity_id(c: &Ctx<'_>, resource_type: &str, arn: &str, name: &str) -> String {
    if arn.is_empty() {
        c.local_id(resource_type, name)
    } else {
        arn.to_string()
    }
}

/// A policy document as a JSON string, or unknown when it could not be read or decoded.
fn document(raw: &Result<String, ApiError>, operation: &str) -> Json {
    match raw {
        Ok(raw) => match decode_document(raw) {
            Some(text) => json!(text),
            None => unknown(&format!(
                "the policy document of iam:{operation} could not be decoded"
            )),
        },
        Err(e) => unknown(&e.unknown_reason("iam", operation)),
    }
}

/// `inline_policy` and `managed_policy_arns` of a principal, and one inline policy resource per
/// inline policy (pushed to `out`).
fn policies(
    c: &Ctx<'_>,
    kind: Kind,
    principal: &str,
    d: &Details,
    a: &mut Map<String, Json>,
    out: &mut Vec<Resource>,
) {
    match &d.inline {
        Ok(list) => {
            let mut entries = Vec::with_capacity(list.len());
            for p in list {
                let policy = document(&p.document, &kind.get_inline());
                entries.push(json!({"name": p.name, "policy": policy}));
                let id = format!("{principal}:{}", p.name);
                let mut ia = Map::new();
                ia.insert("id".into(), json!(id));
                ia.insert("name".into(), json!(p.name));
                ia.insert(kind.link().into(), json!(principal));
                ia.insert("policy".into(), policy);
                out.push(c.resource(
                    c.local_id(kind.inline_type(), &id),
                    kind.inline_type(),
                    Some(&id),
                    ia,
                ));
            }
            a.insert("inline_policy".into(), Json::Array(entries));
        }
        Err(e) => {
            a.insert(
                "inline_policy".into(),
                unknown(&e.unknown_reason("iam", &kind.list_inline())),
            );
        }
    }
    let attached = match &d.attached {
        Ok(arns) => json!(arns),
        Err(e) => unknown(&e.unknown_reason("iam", &kind.list_attached())),
    };
    a.insert("managed_policy_arns".into(), attached);
}

/// A user, its inline policies, its group membership and its access keys.
pub fn user(c: &Ctx<'_>, u: &User, d: &Details) -> Vec<Resource> {
    let name = u.user_name();
    let mut a = entity(name, u.arn(), u.user_id(), u.path(), u.create_date());
    let mut children = Vec::new();
    policies(c, Kind::User, name, d, &mut a, &mut children);
    let ty = Kind::User.resource_type();
    let mut out = vec![c.resource(entity_id(c, ty, u.arn(), name), ty, Some(name), a)];
    out.extend(children);
    let groups = match &d.groups {
        Some(Ok(groups)) if !groups.is_empty() => Some(json!(groups)),
        Some(Err(e)) => Some(unknown(&e.unknown_reason("iam", "ListGroupsForUser"))),
        _ => None,
    };
    if let Some(groups) = groups {
        let mut m = Map::new();
        m.insert("id".into(), json!(name));
        m.insert("user".into(), json!(name));
        m.insert("groups".into(), groups);
        out.push(c.resource(c.local_id(MEMBERSHIP, name), MEMBERSHIP, None, m));
    }
    match &d.keys {
        Some(Ok(keys)) => out.extend(keys.iter().filter_map(|k| access_key(c, name, k))),
        Some(Err(e)) => {
            let mut k = Map::new();
            k.insert("user".into(), json!(name));
            k.insert(
                "status".into(),
                unknown(&e.unknown_reason("iam", "ListAccessKeys")),
            );
            let id = format!("{}:unreadable", c.local_id(ACCESS_KEY, name));
            let mut r = c.resource(id, ACCESS_KEY, None, k);
            r.mode = Mode::Data;
            out.push(r);
        }
        None => {}
    }
    out
}

/// One access key: its id, user, status and creation date (the secret is never read).
pub fn access_key(c: &Ctx<'_>, user: &str, k: &AccessKeyMetadata) -> Option<Resource> {
    let id = k.access_key_id()?;
    let mut a = Map::new();
    a.insert("id".into(), json!(id));
    a.insert("user".into(), json!(k.user_name().unwrap_or(user)));
    a.insert(
        "status".into(),
        match k.status() {
            Some(s) => json!(s.as_str()),
            None => unknown("iam:ListAccessKeys gave no status for the key"),
        },
    );
    if let Some(d) = k.create_date() {
        a.insert("create_date".into(), date(d));
    }
    Some(c.resource(c.local_id(ACCESS_KEY, id), ACCESS_KEY, Some(id), a))
}

/// A group and its inline policies.
pub fn group(c: &Ctx<'_>, g: &Group, d: &Details) -> Vec<Resource> {
    let name = g.group_name();
    let mut a = entity(name, g.arn(), g.group_id(), g.path(), g.create_date());
    let mut children = Vec::new();
    policies(c, Kind::Group, name, d, &mut a, &mut children);
    let ty = Kind::Group.resource_type();
    let mut out = vec![c.resource(entity_id(c, ty, g.arn(), name), ty, Some(name), a)];
    out.extend(children);
    out
}

/// A role (with its trust policy) and its inline policies.
pub fn role(c: &Ctx<'_>, r: &Role, d: &Details) -> Vec<Resource> {
    let name = r.role_name();
    let mut a = entity(name, r.arn(), r.role_id(), r.path(), r.create_date());
    a.insert(
        "assume_role_policy".into(),
        match r.assume_role_policy_document() {
            Some(raw) => document(&Ok(raw.to_string()), "ListRoles"),
            None => unknown("iam:ListRoles gave no trust policy for the role"),
        },
    );
    a.insert("description".into(), json!(r.description().unwrap_or_default()));
    if let Some(s) = r.max_session_duration() {
        a.insert("max_session_duration".into(), json!(s));
    }
    let mut children = Vec::new();
    policies(c, Kind::Role, name, d, &mut a, &mut children);
    let ty = Kind::Role.resource_type();
    let mut out = vec![c.resource(entity_id(c, ty, r.arn(), name), ty, Some(name), a)];
    out.extend(children);
    out
}

/// An instance profile and the name of its role.
pub fn instance_profile(c: &Ctx<'_>, p: &InstanceProfile) -> Resource {
    let name = p.instance_profile_name();
    let mut a = entity(name, p.arn(), p.instance_profile_id(), p.path(), p.create_date());
    if let Some(r) = p.roles().first() {
        a.insert("role".into(), json!(r.role_name()));
    }
    c.resource(
        entity_id(c, INSTANCE_PROFILE, p.arn(), name),
        INSTANCE_PROFILE,
        Some(name),
        a,
    )
}

/// References from memberships, access keys, inline policies and instance profiles to the
/// principals they name, and from principals' `managed_policy_arns` to customer managed
/// policies: by name (or ARN for policies), within one account.
pub fn link(out: &LoadOutput) -> Vec<Reference> {
    let managed = || out.resources.iter().filter(|r| r.mode == Mode::Managed);
    let mut index: HashMap<(Option<&str>, &str, &str), &str> = HashMap::new();
    for r in managed() {
        let key = match r.resource_type.as_str() {
            "aws_iam_user" | "aws_iam_group" | "aws_iam_role" => r.attr("name").as_str(),
            "aws_iam_policy" => r.attr("arn").as_str(),
            _ => None,
        };
        if let Some(key) = key {
            let account = r.provenance.account.as_deref();
            index.insert((account, r.resource_type.as_str(), key), r.id.as_str());
        }
    }
    let mut refs = Vec::new();
    for r in managed() {
        let account = r.provenance.account.as_deref();
        let mut to = |path: String, ty: &str, value: &Value| {
            if let Some(target) = value.as_str().and_then(|v| index.get(&(account, ty, v))) {
                refs.push(Reference {
                    from: r.id.clone(),
                    path,
                    to: (*target).to_string(),
                });
            }
        };
        match r.resource_type.as_str() {
            INSTANCE_PROFILE => to("role".into(), "aws_iam_role", r.attr("role")),
            ACCESS_KEY => to("user".into(), "aws_iam_user", r.attr("user")),
            MEMBERSHIP => {
                to("user".into(), "aws_iam_user", r.attr("user"));
                for (k, g) in r.attr("groups").as_list().unwrap_or_default().iter().enumerate() {
                    to(format!("groups.{k}"), "aws_iam_group", g);
                }
            }
            "aws_iam_user_policy" => to("user".into(), "aws_iam_user", r.attr("user")),
            "aws_iam_group_policy" => to("group".into(), "aws_iam_group", r.attr("group")),
            "aws_iam_role_policy" => to("role".into(), "aws_iam_role", r.attr("role")),
            "aws_iam_user" | "aws_iam_group" | "aws_iam_role" => {
                for (k, arn) in r
                    .attr("managed_policy_arns")
                    .as_list()
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                {
                    to(format!("managed_policy_arns.{k}"), "aws_iam_policy", arn);
                }
            }
            _ => {}
        }
    }
    refs
}

#[cfg(test)]
mod tests {
    use attest_core::{ResourceGraph, Verdict};
    use aws_sdk_iam::types::StatusType;

    use super::*;
    use crate::ctx::Session;

    fn denied(op: &str) -> ApiError {
        ApiError {
            code: "AccessDenied".into(),
            message: format!("AccessDenied: not authorized to perform iam:{op}"),
        }
    }

    fn when() -> DateTime {
        DateTime::from_secs(1_700_000_000)
    }

    fn user_named(name: &str) -> User {
        User::builder()
            .user_name(name)
            .user_id(format!("AIDA{}", name.to_uppercase()))
            .arn(format!("arn:aws:iam::123456789012:user/{name}"))
            .path("/")
            .create_date(when())
            .build()
            .expect("user")
    }

    fn key(id: &str, user: &str, status: StatusType) -> AccessKeyMetadata {
        AccessKeyMetadata::builder()
            .access_key_id(id)
            .user_name(user)
            .status(status)
            .create_date(when())
            .build()
    }

    /// (rule, resource id, verdict) of `rules` on `resources` linked as the collection links them.
    fn verdicts(resources: Vec<Resource>, rules: &[&str]) -> Vec<(String, String, Verdict)> {
        let out = LoadOutput {
            resources,
            ..LoadOutput::default()
        };
        let refs = link(&out);
        let graph = ResourceGraph::new(out.resources.clone(), &refs);
        let mut v = Vec::new();
        for id in rules {
            let rule = attest_rules::find(id).expect("rule");
            for e in rule.check(&graph) {
                let who = e
                    .resource
                    .map(|i| graph.get(i).id.clone())
                    .unwrap_or_else(|| "account".into());
                v.push((id.to_string(), who, e.verdict));
            }
        }
        v.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        v
    }

    #[test]
    fn a_user_with_policies_groups_and_keys_in_the_joined_shape() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::global(&s, Some("123456789012".into()));
        let admin =
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D";
        let d = Details {
            inline: Ok(vec![Inline {
                name: "everything".into(),
                document: Ok(encoded.into()),
            }]),
            attached: Ok(vec!["arn:aws:iam::aws:policy/AWSCloudShellFullAccess".into()]),
            groups: Some(Ok(vec!["devs".into()])),
            keys: Some(Ok(vec![
                key("AKIA1", "bob", StatusType::Active),
                key("AKIA2", "bob", StatusType::Inactive),
            ])),
        };
        let out = user(&c, &user_named("bob"), &d);
        let ids: Vec<(&str, &str)> = out
            .iter()
            .map(|r| (r.resource_type.as_str(), r.id.as_str()))
            .collect();
        assert_eq!(
            ids,
            vec![
                ("aws_iam_user", "arn:aws:iam::123456789012:user/bob"),
                ("aws_iam_user_policy", "aws_iam_user_policy:global:bob:everything"),
                (
                    "aws_iam_user_group_membership",
                    "aws_iam_user_group_membership:global:bob"
                ),
                ("aws_iam_access_key", "aws_iam_access_key:global:AKIA1"),
                ("aws_iam_access_key", "aws_iam_access_key:global:AKIA2"),
            ]
        );
        let u = &out[0];
        assert_eq!(u.physical_id.as_deref(), Some("bob"));
        assert_eq!(u.provenance.region, None);
        assert_eq!(
            u.attributes.to_json(),
            json!({
                "id": "bob", "name": "bob", "arn": "arn:aws:iam::123456789012:user/bob", "path": "/",
                "unique_id": "AIDABOB", "create_date": "2023-11-14T22:13:20Z",
                "inline_policy": [{"name": "everything", "policy": admin}],
                "managed_policy_arns": ["arn:aws:iam::aws:policy/AWSCloudShellFullAccess"],
            })
        );
        assert_eq!(
            out[1].attributes.to_json(),
            json!({"id": "bob:everything", "name": "everything", "user": "bob", "policy": admin})
        );
        assert_eq!(
            out[2].attributes.to_json(),
            json!({"id": "bob", "user": "bob", "groups": ["devs"]})
        );
        assert_eq!(
            out[3].attributes.to_json(),
            json!({"id": "AKIA1", "user": "bob", "status": "Active", "create_date": "2023-11-14T22:13:20Z"})
        );
        let v = verdicts(
            out,
            &[
                "aws-iam-no-admin-policy",
                "aws-iam-user-no-direct-policies",
                "aws-iam-user-in-group",
                "aws-iam-user-single-active-access-key",
                "aws-iam-no-cloudshell-full-access",
            ],
        );
        let bob = "arn:aws:iam::123456789012:user/bob";
        assert_eq!(
            v,
            vec![
                (
                    "aws-iam-no-admin-policy".into(),
                    "aws_iam_user_policy:global:bob:everything".into(),
                    Verdict::Fail
                ),
                (
                    "aws-iam-no-cloudshell-full-access".into(),
                    bob.into(),
                    Verdict::Fail
                ),
                ("aws-iam-user-in-group".into(), bob.into(), Verdict::Pass),
                (
                    "aws-iam-user-no-direct-policies".into(),
                    bob.into(),
                    Verdict::Fail
                ),
                (
                    "aws-iam-user-single-active-access-key".into(),
                    bob.into(),
                    Verdict::Pass
                ),
            ]
        );
    }

    #[test]
    fn denied_per_user_calls_leave_what_they_tell_unknown() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::global(&s, Some("123456789012".into()));
        let d = Details {
            inline: Ok(vec![Inline {
                name: "secret".into(),
                document: Err(denied("GetUserPolicy")),
            }]),
            attached: Err(denied("ListAttachedUserPolicies")),
            groups: Some(Err(denied("ListGroupsForUser"))),
            keys: Some(Err(denied("ListAccessKeys"))),
        };
        let out = user(&c, &user_named("eve"), &d);
        let u = &out[0];
        assert_eq!(
            u.attr("managed_policy_arns"),
            &Value::Unknown("AccessDenied on iam:ListAttachedUserPolicies".into())
        );
        assert_eq!(
            u.attr("inline_policy.0.policy"),
            &Value::Unknown("AccessDenied on iam:GetUserPolicy".into())
        );
        assert_eq!(
            out[1].attr("policy"),
            &Value::Unknown("AccessDenied on iam:GetUserPolicy".into())
        );
        assert_eq!(
            out[2].attr("groups"),
            &Value::Unknown("AccessDenied on iam:ListGroupsForUser".into())
        );
        let keys = &out[3];
        assert_eq!(keys.id, "aws_iam_access_key:global:eve:unreadable");
        assert_eq!(keys.mode, Mode::Data);
        assert_eq!(
            keys.attr("status"),
            &Value::Unknown("AccessDenied on iam:ListAccessKeys".into())
        );

        // One error per failed call, naming the user.
        let mut lo = LoadOutput::default();
        errors(&c, Kind::User, "eve", &d, &mut lo);
        let files: Vec<&str> = lo.errors.iter().map(|e| e.file.as_str()).collect();
        assert_eq!(
            files,
            vec![
                "aws:global:iam.GetUserPolicy",
                "aws:global:iam.ListAttachedUserPolicies",
                "aws:global:iam.ListGroupsForUser",
                "aws:global:iam.ListAccessKeys",
            ]
        );
        assert!(
            lo.errors[0].message.contains("user eve, policy secret"),
            "{}",
            lo.errors[0].message
        );

        let v = verdicts(
            out,
            &[
                "aws-iam-no-admin-policy",
                "aws-iam-user-no-direct-policies",
                "aws-iam-user-in-group",
                "aws-iam-no-cloudshell-full-access",
            ],
        );
        let eve = "arn:aws:iam::123456789012:user/eve";
        assert_eq!(
            v,
            vec![
                (
                    "aws-iam-no-admin-policy".into(),
                    "aws_iam_user_policy:global:eve:secret".into(),
                    Verdict::Unknown
                ),
                (
                    "aws-iam-no-cloudshell-full-access".into(),
                    eve.into(),
                    Verdict::Unknown
                ),
                ("aws-iam-user-in-group".into(), eve.into(), Verdict::Unknown),
                // The inline policy exists, whatever its document says.
                (
                    "aws-iam-user-no-direct-policies".into(),
                    eve.into(),
                    Verdict::Fail
                ),
            ]
        );

        // A denied ListUserPolicies leaves the inline policies unknown: no direct policy known.
        let d = Details {
            inline: Err(denied("ListUserPolicies")),
            ..Details::empty(Kind::User)
        };
        let out = user(&c, &user_named("mallory"), &d);
        assert_eq!(
            out[0].attr("inline_policy"),
            &Value::Unknown("AccessDenied on iam:ListUserPolicies".into())
        );
        let v = verdicts(out, &["aws-iam-user-no-direct-policies", "aws-iam-user-in-group"]);
        let mallory = "arn:aws:iam::123456789012:user/mallory";
        assert_eq!(
            v,
            vec![
                ("aws-iam-user-in-group".into(), mallory.into(), Verdict::Fail),
                (
                    "aws-iam-user-no-direct-policies".into(),
                    mallory.into(),
                    Verdict::Unknown
                ),
            ]
        );
    }

    #[test]
    fn roles_groups_and_instance_profiles() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::global(&s, Some("123456789012".into()));
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ec2.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D";
        let listing = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}"#;
        let r = Role::builder()
            .role_name("app")
            .role_id("AROAAPP")
            .arn("arn:aws:iam::123456789012:role/app")
            .path("/")
            .create_date(when())
            .assume_role_policy_document(encoded)
            .max_session_duration(3600)
            .build()
            .expect("role");
        let d = Details {
            inline: Ok(vec![Inline {
                name: "list".into(),
                document: Ok(listing.into()),
            }]),
            attached: Ok(vec!["arn:aws:iam::123456789012:policy/mine".into()]),
            groups: None,
            keys: None,
        };
        let mut resources = role(&c, &r, &d);
        assert_eq!(resources[0].attr("assume_role_policy").as_str(), Some(trust));
        assert_eq!(resources[0].physical_id.as_deref(), Some("app"));
        assert_eq!(
            resources[1].attributes.to_json(),
            json!({"id": "app:list", "name": "list", "role": "app", "policy": listing})
        );
        let p = InstanceProfile::builder()
            .instance_profile_name("app-profile")
            .instance_profile_id("AIPAAPP")
            .arn("arn:aws:iam::123456789012:instance-profile/app-profile")
            .path("/")
            .create_date(when())
            .roles(r.clone())
            .build()
            .expect("profile");
        let profile = instance_profile(&c, &p);
        assert_eq!(
            profile.id,
            "arn:aws:iam::123456789012:instance-profile/app-profile"
        );
        assert_eq!(profile.attr("role").as_str(), Some("app"));
        resources.push(profile);
        let g = Group::builder()
            .group_name("ops")
            .group_id("AGPAOPS")
            .arn("arn:aws:iam::123456789012:group/ops")
            .path("/")
            .create_date(when())
            .build()
            .expect("group");
        let gd = Details {
            attached: Err(denied("ListAttachedGroupPolicies")),
            ..Details::empty(Kind::Group)
        };
        resources.extend(group(&c, &g, &gd));
        let out = LoadOutput {
            resources: resources.clone(),
            ..LoadOutput::default()
        };
        let mut refs: Vec<(String, String, String)> =
            link(&out).into_iter().map(|r| (r.from, r.path, r.to)).collect();
        refs.sort();
        assert_eq!(
            refs,
            vec![
                (
                    "arn:aws:iam::123456789012:instance-profile/app-profile".into(),
                    "role".into(),
                    "arn:aws:iam::123456789012:role/app".into()
                ),
                (
                    "aws_iam_role_policy:global:app:list".into(),
                    "role".into(),
                    "arn:aws:iam::123456789012:role/app".into()
                ),
            ]
        );
        let v = verdicts(
            resources,
            &[
                "aws-iam-instance-profile-no-s3-list-all-buckets",
                "aws-iam-no-s3-list-all-buckets",
                "aws-iam-role-trust-no-wildcard",
                "aws-iam-support-role",
            ],
        );
        assert_eq!(
            v,
            vec![
                (
                    "aws-iam-instance-profile-no-s3-list-all-buckets".into(),
                    "arn:aws:iam::123456789012:instance-profile/app-profile".into(),
                    Verdict::Fail
                ),
                (
                    "aws-iam-no-s3-list-all-buckets".into(),
                    "aws_iam_role_policy:global:app:list".into(),
                    Verdict::Fail
                ),
                (
                    "aws-iam-role-trust-no-wildcard".into(),
                    "arn:aws:iam::123456789012:role/app".into(),
                    Verdict::Pass
                ),
                // The group's attachments could not be read: it may hold AWSSupportAccess.
                ("aws-iam-support-role".into(), "account".into(), Verdict::Unknown),
            ]
        );
    }

    #[test]
    fn undecodable_and_missing_trust_policies_are_unknown() {
        let s = Session::for_tests("us-east-1");
        let c = Ctx::global(&s, None);
        let r = Role::builder()
            .role_name("odd")
            .role_id("AROAODD")
            .arn("")
            .path("/")
            .create_date(when())
            .assume_role_policy_document("%FF%FE")
            .build()
            .expect("role");
        let out = role(&c, &r, &Details::empty(Kind::Role));
        assert_eq!(out[0].id, "aws_iam_role:global:odd");
        assert!(out[0].attr("assume_role_policy").is_unknown());
        let bare = Role::builder()
            .role_name("bare")
            .role_id("AROABARE")
            .arn("arn:aws:iam::1:role/bare")
            .path("/")
            .create_date(when())
            .build()
            .expect("role");
        assert!(role(&c, &bare, &Details::empty(Kind::Role))[0]
            .attr("assume_role_policy")
            .is_unknown());
    }
}

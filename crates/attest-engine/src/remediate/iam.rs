//! Remediation of IAM: what principals may do (managed policy attachments, inline policies, group
//! memberships, a role's trust policy, description and session duration), managed policy
//! documents and tags, access key status, instance profile roles and the account password policy.
//!
//! - A deleted user, group, role, managed policy, access key or instance profile is not
//!   re-created: its ids and credentials cannot come back (manual). The inline policies and group
//!   memberships of a deleted principal are manual too (principals sort before them in a plan).
//! - An inline policy shows twice in a scan: in its principal's `inline_policy` and as its own
//!   `aws_iam_{user,group,role}_policy`. Its revert is planned once: the second call is not added.
//! - The collector does not record a managed policy's version ids, so a changed document is
//!   restored as a new default version holding the baseline's document (IAM keeps five versions
//!   at most: the call fails when there are five, and the executor says so).
//! - Added resources deleted with `--delete-added`: access keys, inline policies, group
//!   memberships. Users, groups, roles, managed policies, instance profiles and the password
//!   policy are not deleted automatically.

use std::collections::BTreeMap;

use attest_core::SnapshotResource;
use serde_json::{json, Map, Value};

use super::util::{known, str_of, top};
use super::{Action, Out, Step, Subject};
use crate::drift::{AttributeChange, DriftKind};

pub(super) const TYPES: &[&str] = &[
    "aws_iam_access_key",
    "aws_iam_account_password_policy",
    "aws_iam_group",
    "aws_iam_group_policy",
    "aws_iam_instance_profile",
    "aws_iam_policy",
    "aws_iam_role",
    "aws_iam_role_policy",
    "aws_iam_user",
    "aws_iam_user_group_membership",
    "aws_iam_user_policy",
];

/// The three kinds of principals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    User,
    Group,
    Role,
}

impl Kind {
    fn of(resource_type: &str) -> Option<Kind> {
        match resource_type {
            "aws_iam_user" => Some(Kind::User),
            "aws_iam_group" => Some(Kind::Group),
            "aws_iam_role" => Some(Kind::Role),
            _ => None,
        }
    }

    /// The kind whose inline policy resource type this is.
    fn of_inline(resource_type: &str) -> Option<Kind> {
        match resource_type {
            "aws_iam_user_policy" => Some(Kind::User),
            "aws_iam_group_policy" => Some(Kind::Group),
            "aws_iam_role_policy" => Some(Kind::Role),
            _ => None,
        }
    }

    fn resource_type(self) -> &'static str {
        match self {
            Kind::User => "aws_iam_user",
            Kind::Group => "aws_iam_group",
            Kind::Role => "aws_iam_role",
        }
    }

    /// `user`: in messages, and the attribute of an inline policy that names its principal.
    fn word(self) -> &'static str {
        match self {
            Kind::User => "user",
            Kind::Group => "group",
            Kind::Role => "role",
        }
    }

    /// `User`, as in `AttachUserPolicy`.
    fn noun(self) -> &'static str {
        match self {
            Kind::User => "User",
            Kind::Group => "Group",
            Kind::Role => "Role",
        }
    }

    /// `UserName`: the parameter that names the principal.
    fn param(self) -> &'static str {
        match self {
            Kind::User => "UserName",
            Kind::Group => "GroupName",
            Kind::Role => "RoleName",
        }
    }

    fn removed_reason(self) -> &'static str {
        match self {
            Kind::User => {
                "a deleted user cannot be restored (its unique id, password and access keys are gone): re-create it from code"
            }
            Kind::Group => {
                "a deleted group is not re-created by attest (its unique id changes): re-create it from code"
            }
            Kind::Role => {
                "a deleted role cannot be restored (its unique id changes, and trust relationships naming it break): re-create it from code"
            }
        }
    }
}

pub(super) fn plan(s: &Subject<'_>, out: &mut Out<'_>) {
    let ty = s.drift.resource_type.as_str();
    if let Some(k) = Kind::of(ty) {
        principal(s, out, k);
    } else if let Some(k) = Kind::of_inline(ty) {
        inline_resource(s, out, k);
    } else {
        match ty {
            "aws_iam_policy" => managed_policy(s, out),
            "aws_iam_user_group_membership" => membership(s, out),
            "aws_iam_access_key" => access_key(s, out),
            "aws_iam_instance_profile" => instance_profile(s, out),
            "aws_iam_account_password_policy" => password_policy(s, out),
            _ => out.manual(s, None, format!("attest has no automatic revert for {ty}")),
        }
    }
}

/// An inline policy added since the baseline is also a change of its principal, whose plan
/// deletes it (`Delete*Policy` with its principal and name).
pub(super) fn removed_by_others(r: &SnapshotResource, actions: &[Action]) -> bool {
    let Some(k) = Kind::of_inline(&r.resource_type) else {
        return false;
    };
    let (Some(principal), Some(name)) = (str_of(&r.attributes, k.word()), str_of(&r.attributes, "name"))
    else {
        return false;
    };
    let operation = format!("Delete{}Policy", k.noun());
    actions.iter().any(|a| {
        a.call.operation == operation
            && a.account == r.account
            && str_of(&a.call.params, "PolicyName") == Some(name)
            && str_of(&a.call.params, k.param()) == Some(principal)
    })
}

pub(super) fn delete(s: &Subject<'_>, out: &mut Out<'_>) -> bool {
    let ty = s.drift.resource_type.as_str();
    let a = s.current_attributes();
    if let Some(k) = Kind::of_inline(ty) {
        let (Some(principal), Some(name)) = (str_of(a, k.word()), str_of(a, "name")) else {
            return false;
        };
        once(
            out,
            s,
            Step::DeleteAdded,
            &[],
            format!("delete inline policy {name} of {} {principal}", k.word()),
            &format!("Delete{}Policy", k.noun()),
            params(&[(k.param(), json!(principal)), ("PolicyName", json!(name))]),
            a.get("policy").cloned(),
            None,
        );
        return true;
    }
    match ty {
        "aws_iam_access_key" => {
            let (Some(id), Some(user)) = (key_id(s), str_of(a, "user")) else {
                return false;
            };
            out.action(
                s,
                Step::DeleteAdded,
                &[],
                format!("delete access key {id} of user {user}"),
                "iam",
                "DeleteAccessKey",
                json!({"UserName": user, "AccessKeyId": id}),
                a.get("status").cloned(),
                None,
            );
            true
        }
        "aws_iam_user_group_membership" => {
            let Some(user) = str_of(a, "user") else {
                return false;
            };
            let groups = strings(a.get("groups"));
            if groups.is_empty() {
                return false;
            }
            for g in groups {
                out.action(
                    s,
                    Step::DeleteAdded,
                    &[],
                    format!("remove user {user} from group {g}"),
                    "iam",
                    "RemoveUserFromGroup",
                    json!({"GroupName": g, "UserName": user}),
                    Some(json!(g)),
                    None,
                );
            }
            true
        }
        // Deleting principals, managed policies or instance profiles breaks whatever uses them,
        // and deleting the password policy weakens the account: a person decides.
        _ => false,
    }
}

/// A JSON object of API parameters.
fn params(pairs: &[(&str, Value)]) -> Value {
    Value::Object(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect::<Map<_, _>>(),
    )
}

/// The strings of a known list (empty when absent or unknown).
fn strings(v: Option<&Value>) -> Vec<&str> {
    v.filter(|v| known(v))
        .and_then(Value::as_array)
        .map(|l| l.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// A known string attribute.
fn known_str<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).filter(|v| known(v)).and_then(Value::as_str)
}

/// The resource's name: its `name` attribute, else its physical id.
fn name_of(s: &Subject<'_>) -> Option<String> {
    known_str(s.attributes(), "name")
        .map(str::to_string)
        .or_else(|| s.drift.physical_id.clone())
}

/// An access key's id.
fn key_id(s: &Subject<'_>) -> Option<String> {
    s.drift
        .physical_id
        .clone()
        .or_else(|| known_str(s.current_attributes(), "id").map(str::to_string))
}

/// Adds an IAM call unless the plan already makes the same one in the same account.
#[allow(clippy::too_many_arguments)]
fn once(
    out: &mut Out<'_>,
    s: &Subject<'_>,
    step: Step,
    paths: &[&str],
    summary: String,
    operation: &str,
    params: Value,
    before: Option<Value>,
    after: Option<Value>,
) {
    let planned = out.plan.actions.iter().any(|a| {
        a.account == s.drift.account
            && a.call.service == "iam"
            && a.call.operation == operation
            && a.call.params == params
    });
    if !planned {
        out.action(s, step, paths, summary, "iam", operation, params, before, after);
    }
}

/// Whether the plan already holds a principal of this type and name as deleted (manual), in
/// the subject's account. Principals' keys (ARNs) sort before the inline policies and
/// memberships that name them, so their items come first.
fn deleted(out: &Out<'_>, s: &Subject<'_>, resource_type: &str, name: &str) -> bool {
    out.plan.manual.iter().any(|m| {
        m.kind == DriftKind::Removed
            && m.resource_type == resource_type
            && m.key.rsplit(['/', ':']).next() == Some(name)
            && s.drift.account.as_deref().is_none_or(|a| m.key.contains(a))
    })
}

/// Why a change of an identity attribute is not reverted.
fn identity_reason(word: &str, path: &str) -> Option<String> {
    match top(path) {
        "id" | "name" | "arn" | "path" => Some(format!(
            "attest does not rename IAM {word}s: the name and path are part of the ARN that policies and trust relationships use"
        )),
        "unique_id" | "create_date" | "policy_id" => Some(format!(
            "the {word} was deleted and re-created with the same name: the original (its id, and anything that named it by id) cannot be restored"
        )),
        _ => None,
    }
}

/// The reason for a change attest does not revert.
fn other_reason(word: &str, path: &str) -> String {
    identity_reason(word, path)
        .unwrap_or_else(|| format!("attest has no automatic revert for `{path}` of an IAM {word}"))
}

fn principal(s: &Subject<'_>, out: &mut Out<'_>, k: Kind) {
    if s.drift.kind == DriftKind::Removed {
        out.manual(s, None, k.removed_reason());
        return;
    }
    let Some(name) = name_of(s) else {
        for c in s.changes() {
            out.manual(s, Some(&c.path), format!("the {}'s name is not known", k.word()));
        }
        return;
    };
    let mut inline = Vec::new();
    let mut settings = Vec::new();
    for c in s.changes() {
        match c.path.as_str() {
            "managed_policy_arns[]" => attachment(s, out, k, &name, c),
            "inline_policy[]" => inline.push(c),
            "assume_role_policy" if k == Kind::Role => trust_policy(s, out, &name, c),
            "description" | "max_session_duration" if k == Kind::Role => settings.push(c),
            "managed_policy_arns" | "inline_policy" => out.manual(
                s,
                Some(&c.path),
                "the list could not be compared policy by policy: review it",
            ),
            _ => out.manual(s, Some(&c.path), other_reason(k.word(), &c.path)),
        }
    }
    inline_policies(s, out, k, &name, &inline);
    if !settings.is_empty() {
        role_settings(s, out, &name, &settings);
    }
}

/// A managed policy attached (detach it) or detached (attach it again) since the baseline.
fn attachment(s: &Subject<'_>, out: &mut Out<'_>, k: Kind, name: &str, c: &AttributeChange) {
    let who = (k.param(), json!(name));
    match (&c.old, &c.new) {
        (Some(Value::String(arn)), None) => once(
            out,
            s,
            Step::Restore,
            &[&c.path],
            format!("attach {arn}"),
            &format!("Attach{}Policy", k.noun()),
            params(&[who, ("PolicyArn", json!(arn))]),
            None,
            Some(json!(arn)),
        ),
        (None, Some(Value::String(arn))) => once(
            out,
            s,
            Step::Remove,
            &[&c.path],
            format!("detach {arn}"),
            &format!("Detach{}Policy", k.noun()),
            params(&[who, ("PolicyArn", json!(arn))]),
            Some(json!(arn)),
            None,
        ),
        _ => out.manual(s, Some(&c.path), "not a policy ARN"),
    }
}

/// `inline_policy[]` changes, by policy name: a policy only in the baseline is put back, one only
/// in the current state is deleted, one in both (changed) gets the baseline's document again.
fn inline_policies(
    s: &Subject<'_>,
    out: &mut Out<'_>,
    k: Kind,
    principal: &str,
    changes: &[&AttributeChange],
) {
    // name → (baseline element, current element)
    let mut by_name: BTreeMap<&str, (Option<&Value>, Option<&Value>)> = BTreeMap::new();
    for c in changes {
        let (element, baseline) = match (&c.old, &c.new) {
            (Some(o), None) => (o, true),
            (None, Some(n)) => (n, false),
            _ => {
                out.manual(s, Some(&c.path), "not an inline policy");
                continue;
            }
        };
        let Some(name) = known_str(element, "name") else {
            out.manual(s, Some(&c.path), "an inline policy without a known name");
            continue;
        };
        let entry = by_name.entry(name).or_default();
        if baseline {
            entry.0 = Some(element);
        } else {
            entry.1 = Some(element);
        }
    }
    for (name, (old, new)) in by_name {
        let path = "inline_policy[]";
        match old {
            Some(old) => match known_str(old, "policy") {
                Some(doc) => {
                    let (step, verb) = if new.is_some() {
                        (Step::Modify, "restore the document of")
                    } else {
                        (Step::Restore, "put back")
                    };
                    once(
                        out,
                        s,
                        step,
                        &[path],
                        format!("{verb} inline policy {name}"),
                        &format!("Put{}Policy", k.noun()),
                        put_params(k, principal, name, doc),
                        new.cloned(),
                        Some(old.clone()),
                    );
                }
                None => out.manual(
                    s,
                    Some(path),
                    format!("the baseline's document of inline policy {name} is not known"),
                ),
            },
            None => once(
                out,
                s,
                Step::Remove,
                &[path],
                format!("delete inline policy {name}"),
                &format!("Delete{}Policy", k.noun()),
                params(&[(k.param(), json!(principal)), ("PolicyName", json!(name))]),
                new.cloned(),
                None,
            ),
        }
    }
}

fn put_params(k: Kind, principal: &str, name: &str, doc: &str) -> Value {
    params(&[
        (k.param(), json!(principal)),
        ("PolicyName", json!(name)),
        ("PolicyDocument", json!(doc)),
    ])
}

fn trust_policy(s: &Subject<'_>, out: &mut Out<'_>, role: &str, c: &AttributeChange) {
    match &c.old {
        Some(Value::String(doc)) => out.action(
            s,
            Step::Modify,
            &[&c.path],
            "restore the trust policy",
            "iam",
            "UpdateAssumeRolePolicy",
            json!({"RoleName": role, "PolicyDocument": doc}),
            c.new.clone(),
            c.old.clone(),
        ),
        _ => out.manual(s, Some(&c.path), "the baseline's trust policy is not known"),
    }
}

/// `description` and `max_session_duration` of a role: one `UpdateRole` with the baseline's
/// values of both (when known), since an absent parameter may be reset.
fn role_settings(s: &Subject<'_>, out: &mut Out<'_>, role: &str, changes: &[&AttributeChange]) {
    let base = s.baseline.map(|r| &r.attributes).unwrap_or(&Value::Null);
    let description = known_str(base, "description");
    let duration = base.get("max_session_duration").and_then(Value::as_i64);
    let mut restored = Vec::new();
    for c in changes {
        let ok = match c.path.as_str() {
            "description" => description.is_some(),
            _ => duration.is_some(),
        };
        if ok {
            restored.push(*c);
        } else {
            out.manual(s, Some(&c.path), "the baseline has no value to restore");
        }
    }
    if restored.is_empty() {
        return;
    }
    let mut p = vec![("RoleName", json!(role))];
    if let Some(d) = description {
        p.push(("Description", json!(d)));
    }
    if let Some(d) = duration {
        p.push(("MaxSessionDuration", json!(d)));
    }
    let paths: Vec<&str> = restored.iter().map(|c| c.path.as_str()).collect();
    let side = |f: fn(&AttributeChange) -> &Option<Value>| {
        Value::Object(
            restored
                .iter()
                .map(|c| (c.path.clone(), f(c).clone().unwrap_or(Value::Null)))
                .collect(),
        )
    };
    out.action(
        s,
        Step::Modify,
        &paths,
        format!("restore the role's {}", paths.join(" and ").replace('_', " ")),
        "iam",
        "UpdateRole",
        params(&p),
        Some(side(|c| &c.new)),
        Some(side(|c| &c.old)),
    );
}

/// An inline policy as its own resource: put back when removed, its document restored when
/// changed, unless its principal's plan already does it.
fn inline_resource(s: &Subject<'_>, out: &mut Out<'_>, k: Kind) {
    let a = s.attributes();
    let (Some(principal), Some(name)) = (known_str(a, k.word()), known_str(a, "name")) else {
        out.manual(
            s,
            None,
            format!("the inline policy's name or {} is not known", k.word()),
        );
        return;
    };
    if deleted(out, s, k.resource_type(), principal) {
        out.manual(
            s,
            None,
            format!(
                "its {} {principal} was deleted: re-create the {} from code",
                k.word(),
                k.word()
            ),
        );
        return;
    }
    let op = format!("Put{}Policy", k.noun());
    if s.drift.kind == DriftKind::Removed {
        match known_str(a, "policy") {
            Some(doc) => once(
                out,
                s,
                Step::Restore,
                &[],
                format!("put back inline policy {name} of {} {principal}", k.word()),
                &op,
                put_params(k, principal, name, doc),
                None,
                Some(json!(doc)),
            ),
            None => out.manual(s, None, "the baseline's policy document is not known"),
        }
        return;
    }
    for c in s.changes() {
        match (c.path.as_str(), &c.old) {
            ("policy", Some(Value::String(doc))) => once(
                out,
                s,
                Step::Modify,
                &["policy"],
                format!("restore the document of inline policy {name}"),
                &op,
                put_params(k, principal, name, doc),
                c.new.clone(),
                c.old.clone(),
            ),
            ("policy", _) => out.manual(s, Some("policy"), "the baseline's policy document is not known"),
            (path, _) => out.manual(s, Some(path), other_reason("inline policy", path)),
        }
    }
}

fn managed_policy(s: &Subject<'_>, out: &mut Out<'_>) {
    if s.drift.kind == DriftKind::Removed {
        out.manual(
            s,
            None,
            "a deleted managed policy is not re-created by attest (its versions and attachments are gone): re-create it from code",
        );
        return;
    }
    let arn = known_str(s.attributes(), "arn")
        .map(str::to_string)
        .unwrap_or_else(|| s.physical_id());
    let mut tags = Vec::new();
    for c in s.changes() {
        match (top(&c.path), &c.old) {
            ("policy", Some(Value::String(doc))) if c.path == "policy" => out.action(
                s,
                Step::Modify,
                &["policy"],
                "make the baseline's document the default version again (a new version)",
                "iam",
                "CreatePolicyVersion",
                json!({"PolicyArn": arn, "PolicyDocument": doc, "SetAsDefault": true}),
                c.new.clone(),
                c.old.clone(),
            ),
            ("policy", _) => out.manual(s, Some(&c.path), "the baseline's policy document is not known"),
            ("tags", _) if c.path.starts_with("tags.") => tags.push(c),
            ("description", _) => out.manual(
                s,
                Some(&c.path),
                "IAM cannot change the description of a managed policy: re-create the policy to restore it",
            ),
            ("attachment_count", _) => out.manual(
                s,
                Some(&c.path),
                "the count follows the attachments of users, groups and roles: their own drift restores them",
            ),
            _ => out.manual(s, Some(&c.path), other_reason("policy", &c.path)),
        }
    }
    policy_tags(s, out, &arn, &tags);
}

/// `tags.KEY` changes of a managed policy: one `TagPolicy` for the tags to set back, one
/// `UntagPolicy` for those added.
fn policy_tags(s: &Subject<'_>, out: &mut Out<'_>, arn: &str, changes: &[&AttributeChange]) {
    let mut set = Vec::new();
    let mut unset = Vec::new();
    let (mut set_paths, mut unset_paths) = (Vec::new(), Vec::new());
    let (mut before, mut after) = (Map::new(), Map::new());
    for c in changes {
        let key = &c.path["tags.".len()..];
        match (&c.old, &c.new) {
            (Some(Value::String(v)), new) => {
                set.push(json!({"Key": key, "Value": v}));
                set_paths.push(c.path.as_str());
                before.insert(key.to_string(), new.clone().unwrap_or(Value::Null));
                after.insert(key.to_string(), json!(v));
            }
            (None, Some(v)) => {
                unset.push(json!(key));
                unset_paths.push(c.path.as_str());
                before.insert(key.to_string(), v.clone());
            }
            _ => out.manual(s, Some(&c.path), "not a tag value"),
        }
    }
    if !set.is_empty() {
        out.action(
            s,
            Step::Modify,
            &set_paths,
            format!("set back {} tag(s)", set.len()),
            "iam",
            "TagPolicy",
            json!({"PolicyArn": arn, "Tags": set}),
            Some(Value::Object(before.clone())),
            Some(Value::Object(after)),
        );
    }
    if !unset.is_empty() {
        let before: Map<String, Value> = before
            .into_iter()
            .filter(|(k, _)| unset.iter().any(|u| u == k))
            .collect();
        out.action(
            s,
            Step::Remove,
            &unset_paths,
            format!("remove {} added tag(s)", unset.len()),
            "iam",
            "UntagPolicy",
            json!({"PolicyArn": arn, "TagKeys": unset}),
            Some(Value::Object(before)),
            None,
        );
    }
}

/// A user's groups: added back to the groups it left, removed from those it joined.
fn membership(s: &Subject<'_>, out: &mut Out<'_>) {
    let Some(user) = known_str(s.attributes(), "user") else {
        out.manual(s, None, "the membership's user is not known");
        return;
    };
    if deleted(out, s, "aws_iam_user", user) {
        out.manual(
            s,
            None,
            format!("user {user} was deleted: re-create it from code"),
        );
        return;
    }
    let add = |out: &mut Out<'_>, group: &str, paths: &[&str]| {
        if deleted(out, s, "aws_iam_group", group) {
            out.manual(
                s,
                paths.first().copied(),
                format!("group {group} was deleted: re-create it from code"),
            );
        } else {
            out.action(
                s,
                Step::Restore,
                paths,
                format!("add user {user} to group {group}"),
                "iam",
                "AddUserToGroup",
                json!({"GroupName": group, "UserName": user}),
                None,
                Some(json!(group)),
            );
        }
    };
    if s.drift.kind == DriftKind::Removed {
        let groups = strings(s.attributes().get("groups"));
        if groups.is_empty() {
            out.manual(s, None, "the baseline's groups are not known");
        }
        for g in groups {
            add(out, g, &[]);
        }
        return;
    }
    for c in s.changes() {
        match (c.path.as_str(), &c.old, &c.new) {
            ("groups[]", Some(Value::String(g)), None) => add(out, g, &["groups[]"]),
            ("groups[]", None, Some(Value::String(g))) => out.action(
                s,
                Step::Remove,
                &["groups[]"],
                format!("remove user {user} from group {g}"),
                "iam",
                "RemoveUserFromGroup",
                json!({"GroupName": g, "UserName": user}),
                Some(json!(g)),
                None,
            ),
            (path, _, _) => out.manual(s, Some(path), other_reason("group membership", path)),
        }
    }
}

fn access_key(s: &Subject<'_>, out: &mut Out<'_>) {
    if s.drift.kind == DriftKind::Removed {
        out.manual(
            s,
            None,
            "a deleted access key cannot be restored (its secret is gone): create a new key if it is still needed",
        );
        return;
    }
    let user = known_str(s.attributes(), "user");
    for c in s.changes() {
        match (c.path.as_str(), c.old.as_ref().and_then(Value::as_str), c.new.as_ref().and_then(Value::as_str)) {
            ("status", Some("Inactive"), Some("Active")) => match (user, key_id(s)) {
                (Some(user), Some(id)) => out.action(
                    s,
                    Step::Modify,
                    &["status"],
                    format!("deactivate access key {id} again"),
                    "iam",
                    "UpdateAccessKey",
                    json!({"UserName": user, "AccessKeyId": id, "Status": "Inactive"}),
                    c.new.clone(),
                    c.old.clone(),
                ),
                _ => out.manual(s, Some("status"), "the key's id or user is not known"),
            },
            ("status", Some("Active"), Some("Inactive")) => out.manual(
                s,
                Some("status"),
                "attest does not re-activate an access key (it may have been deactivated because it leaked): re-activate it by hand if that is safe",
            ),
            (path, _, _) => out.manual(s, Some(path), other_reason("access key", path)),
        }
    }
}

/// The role of an instance profile (at most one): the added one removed, the baseline's added
/// back. Both run in the Modify step when the role was replaced, so that the removal comes first.
fn instance_profile(s: &Subject<'_>, out: &mut Out<'_>) {
    if s.drift.kind == DriftKind::Removed {
        out.manual(
            s,
            None,
            "a deleted instance profile is not re-created by attest (instances that used it have lost it): re-create it from code",
        );
        return;
    }
    let Some(name) = name_of(s) else {
        out.manual(s, None, "the instance profile's name is not known");
        return;
    };
    for c in s.changes() {
        if c.path != "role" {
            out.manual(s, Some(&c.path), other_reason("instance profile", &c.path));
            continue;
        }
        let old = c.old.as_ref().and_then(Value::as_str);
        let new = c.new.as_ref().and_then(Value::as_str);
        let replaced = old.is_some() && new.is_some();
        if let Some(role) = new {
            out.action(
                s,
                if replaced { Step::Modify } else { Step::Remove },
                &["role"],
                format!("remove role {role}"),
                "iam",
                "RemoveRoleFromInstanceProfile",
                json!({"InstanceProfileName": name, "RoleName": role}),
                Some(json!(role)),
                None,
            );
        }
        if let Some(role) = old {
            out.action(
                s,
                if replaced { Step::Modify } else { Step::Restore },
                &["role"],
                format!("add role {role} back"),
                "iam",
                "AddRoleToInstanceProfile",
                json!({"InstanceProfileName": name, "RoleName": role}),
                None,
                Some(json!(role)),
            );
        }
        if old.is_none() && new.is_none() {
            out.manual(s, Some("role"), "not a role name");
        }
    }
}

/// The password policy's attributes and the `UpdateAccountPasswordPolicy` parameters they set.
const PASSWORD_BOOLS: &[(&str, &str)] = &[
    ("allow_users_to_change_password", "AllowUsersToChangePassword"),
    ("hard_expiry", "HardExpiry"),
    ("require_lowercase_characters", "RequireLowercaseCharacters"),
    ("require_numbers", "RequireNumbers"),
    ("require_symbols", "RequireSymbols"),
    ("require_uppercase_characters", "RequireUppercaseCharacters"),
];
/// Numbers; 0 is "not set" (never expire, no reuse prevention) and is left out of the call.
const PASSWORD_NUMBERS: &[(&str, &str)] = &[
    ("max_password_age", "MaxPasswordAge"),
    ("minimum_password_length", "MinimumPasswordLength"),
    ("password_reuse_prevention", "PasswordReusePrevention"),
];

/// The account password policy: `UpdateAccountPasswordPolicy` replaces the whole policy, so the
/// call carries every baseline setting (a removed policy is put back the same way).
fn password_policy(s: &Subject<'_>, out: &mut Out<'_>) {
    let base = s.baseline.map(|r| &r.attributes).unwrap_or(&Value::Null);
    let mut p = Map::new();
    let mut missing = Vec::new();
    for (attr, param) in PASSWORD_BOOLS {
        match base.get(*attr).and_then(Value::as_bool) {
            Some(b) => {
                p.insert(param.to_string(), json!(b));
            }
            None => missing.push(*attr),
        }
    }
    for (attr, param) in PASSWORD_NUMBERS {
        match base.get(*attr) {
            Some(v) if v.as_i64().is_some() => {
                if v.as_i64() != Some(0) {
                    p.insert(param.to_string(), v.clone());
                }
            }
            // An unset minimum length is absent (IAM's default applies).
            None if *attr == "minimum_password_length" => {}
            _ => missing.push(*attr),
        }
    }
    if !missing.is_empty() {
        out.manual(
            s,
            None,
            format!(
                "the baseline's password policy is not fully known ({})",
                missing.join(", ")
            ),
        );
        return;
    }
    let handled = |path: &str| {
        path == "expire_passwords"
            || PASSWORD_BOOLS
                .iter()
                .chain(PASSWORD_NUMBERS)
                .any(|(a, _)| *a == path)
    };
    let mut paths = Vec::new();
    for c in s.changes() {
        if handled(&c.path) {
            paths.push(c.path.as_str());
        } else {
            out.manual(s, Some(&c.path), other_reason("password policy", &c.path));
        }
    }
    let (step, summary) = match s.drift.kind {
        DriftKind::Removed => (Step::Restore, "put the account password policy back"),
        _ if paths.is_empty() => return,
        _ => (Step::Modify, "restore the account password policy"),
    };
    let side = |f: fn(&AttributeChange) -> &Option<Value>| {
        Value::Object(
            s.changes()
                .iter()
                .filter(|c| handled(&c.path))
                .map(|c| (c.path.clone(), f(c).clone().unwrap_or(Value::Null)))
                .collect(),
        )
    };
    let (before, after) = match s.drift.kind {
        DriftKind::Removed => (None, Some(Value::Object(p.clone()))),
        _ => (Some(side(|c| &c.new)), Some(side(|c| &c.old))),
    };
    out.action(
        s,
        step,
        &paths,
        summary,
        "iam",
        "UpdateAccountPasswordPolicy",
        Value::Object(p),
        before,
        after,
    );
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use attest_core::{Snapshot, SnapshotResource};

    use crate::drift::{diff, Ignore};
    use crate::remediate::{plan, Action, Plan, PlanOptions, Step};

    const ACCOUNT: &str = "123456789012";
    const DOC_A: &str =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
    const DOC_B: &str =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

    fn res(key: &str, ty: &str, physical: Option<&str>, attrs: Value) -> SnapshotResource {
        SnapshotResource {
            key: key.into(),
            resource_type: ty.into(),
            physical_id: physical.map(str::to_string),
            account: Some(ACCOUNT.into()),
            region: None,
            attributes: attrs,
        }
    }

    fn user(name: &str, inline: Value, managed: Value) -> SnapshotResource {
        res(
            &format!("arn:aws:iam::{ACCOUNT}:user/{name}"),
            "aws_iam_user",
            Some(name),
            json!({
                "id": name, "name": name, "arn": format!("arn:aws:iam::{ACCOUNT}:user/{name}"), "path": "/",
                "unique_id": format!("AIDA{name}"), "create_date": "2024-01-01T00:00:00Z",
                "inline_policy": inline, "managed_policy_arns": managed,
            }),
        )
    }

    fn inline(kind: &str, principal: &str, name: &str, doc: &str) -> SnapshotResource {
        let id = format!("{principal}:{name}");
        res(
            &format!("aws_iam_{kind}_policy:global:{id}"),
            &format!("aws_iam_{kind}_policy"),
            Some(&id),
            json!({"id": id, "name": name, kind: principal, "policy": doc}),
        )
    }

    fn role(name: &str, attrs: Value) -> SnapshotResource {
        let mut a = json!({
            "id": name, "name": name, "arn": format!("arn:aws:iam::{ACCOUNT}:role/{name}"), "path": "/",
            "unique_id": "AROA1", "create_date": "2024-01-01T00:00:00Z",
            "assume_role_policy": DOC_A, "description": "", "max_session_duration": 3600,
            "inline_policy": [], "managed_policy_arns": [],
        });
        if let (Some(a), Some(b)) = (a.as_object_mut(), attrs.as_object()) {
            a.extend(b.clone());
        }
        res(
            &format!("arn:aws:iam::{ACCOUNT}:role/{name}"),
            "aws_iam_role",
            Some(name),
            a,
        )
    }

    fn run_with(base: Vec<SnapshotResource>, cur: Vec<SnapshotResource>, opts: &PlanOptions) -> Plan {
        let base = Snapshot::new(base, vec![]);
        let cur = Snapshot::new(cur, vec![]);
        let drift = diff(&base, &cur, &Ignore::defaults());
        plan(&drift, &base, &cur, opts)
    }

    fn run(base: Vec<SnapshotResource>, cur: Vec<SnapshotResource>) -> Plan {
        run_with(base, cur, &PlanOptions::default())
    }

    /// (step, operation, params) of each action.
    fn calls(p: &Plan) -> Vec<(Step, String, Value)> {
        p.actions
            .iter()
            .map(|a: &Action| (a.step, a.call.operation.clone(), a.call.params.clone()))
            .collect()
    }

    fn manual_paths(p: &Plan) -> Vec<(String, Option<String>)> {
        p.manual
            .iter()
            .map(|m| (m.resource_type.clone(), m.path.clone()))
            .collect()
    }

    #[test]
    fn attachments_and_inline_policies_of_a_user_are_reverted_once() {
        let old_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess";
        let new_arn = "arn:aws:iam::aws:policy/AdministratorAccess";
        let base = vec![
            user(
                "bob",
                json!([{"name": "read", "policy": DOC_A}, {"name": "gone", "policy": DOC_A}]),
                json!([old_arn]),
            ),
            inline("user", "bob", "read", DOC_A),
            inline("user", "bob", "gone", DOC_A),
        ];
        let cur = vec![
            user(
                "bob",
                json!([{"name": "read", "policy": DOC_B}, {"name": "extra", "policy": DOC_B}]),
                json!([new_arn]),
            ),
            inline("user", "bob", "read", DOC_B),
            inline("user", "bob", "extra", DOC_B),
        ];
        let p = run(base, cur);
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        assert_eq!(
            calls(&p),
            vec![
                (
                    Step::Restore,
                    "AttachUserPolicy".into(),
                    json!({"UserName": "bob", "PolicyArn": old_arn})
                ),
                (
                    Step::Restore,
                    "PutUserPolicy".into(),
                    json!({"UserName": "bob", "PolicyName": "gone", "PolicyDocument": DOC_A})
                ),
                (
                    Step::Modify,
                    "PutUserPolicy".into(),
                    json!({"UserName": "bob", "PolicyName": "read", "PolicyDocument": DOC_A})
                ),
                (
                    Step::Remove,
                    "DetachUserPolicy".into(),
                    json!({"UserName": "bob", "PolicyArn": new_arn})
                ),
                (
                    Step::Remove,
                    "DeleteUserPolicy".into(),
                    json!({"UserName": "bob", "PolicyName": "extra"})
                ),
            ]
        );
        let put = &p.actions[2];
        assert_eq!(put.paths, ["inline_policy[]"]);
        assert_eq!(put.after, Some(json!({"name": "read", "policy": DOC_A})));
        assert_eq!(put.before, Some(json!({"name": "read", "policy": DOC_B})));
        // The added inline policy is also an added resource; its principal's drift removes it, so
        // it is not listed as kept.
        assert!(p.kept.is_empty(), "{p:?}");
        // With --delete-added for inline policies, still one delete.
        let opts = PlanOptions {
            delete_added: vec!["aws_iam_user_policy".into()],
            ..PlanOptions::default()
        };
        let base = vec![user("bob", json!([]), json!([]))];
        let cur = vec![
            user("bob", json!([{"name": "extra", "policy": DOC_B}]), json!([])),
            inline("user", "bob", "extra", DOC_B),
        ];
        let p = run_with(base, cur, &opts);
        assert_eq!(
            calls(&p),
            vec![(
                Step::Remove,
                "DeleteUserPolicy".into(),
                json!({"UserName": "bob", "PolicyName": "extra"})
            )]
        );
        assert!(p.manual.is_empty() && p.kept.is_empty(), "{p:?}");
    }

    #[test]
    fn inline_policy_resources_alone_are_planned_by_themselves() {
        // The principal's list unknown in the current scan: only the policy resource drifted.
        let unknown = json!({"$unknown": "AccessDenied on iam:ListRolePolicies"});
        let mut base_role = role("app", json!({}));
        base_role.attributes["inline_policy"] = unknown.clone();
        let mut cur_role = base_role.clone();
        cur_role.attributes["inline_policy"] = unknown;
        let p = run(
            vec![
                base_role.clone(),
                inline("role", "app", "list", DOC_A),
                inline("role", "app", "old", DOC_A),
            ],
            vec![cur_role, inline("role", "app", "list", DOC_B)],
        );
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        assert_eq!(
            calls(&p),
            vec![
                (
                    Step::Restore,
                    "PutRolePolicy".into(),
                    json!({"RoleName": "app", "PolicyName": "old", "PolicyDocument": DOC_A})
                ),
                (
                    Step::Modify,
                    "PutRolePolicy".into(),
                    json!({"RoleName": "app", "PolicyName": "list", "PolicyDocument": DOC_A})
                ),
            ]
        );
        // A group's inline policy removed along with the group: manual, no call.
        let group = res(
            &format!("arn:aws:iam::{ACCOUNT}:group/ops"),
            "aws_iam_group",
            Some("ops"),
            json!({"name": "ops", "inline_policy": [{"name": "p", "policy": DOC_A}], "managed_policy_arns": []}),
        );
        let p = run(vec![group, inline("group", "ops", "p", DOC_A)], vec![]);
        assert!(p.actions.is_empty(), "{:?}", p.actions);
        assert_eq!(
            manual_paths(&p),
            [
                ("aws_iam_group".into(), None),
                ("aws_iam_group_policy".into(), None)
            ]
        );
        assert!(
            p.manual[1].reason.contains("group ops was deleted"),
            "{}",
            p.manual[1].reason
        );
    }

    #[test]
    fn role_trust_and_settings() {
        let p = run(
            vec![role(
                "app",
                json!({"description": "app role", "max_session_duration": 3600}),
            )],
            vec![role(
                "app",
                json!({"assume_role_policy": DOC_B, "description": "", "max_session_duration": 43200,
                       "managed_policy_arns": ["arn:aws:iam::aws:policy/AdministratorAccess"]}),
            )],
        );
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        assert_eq!(
            calls(&p),
            vec![
                (
                    Step::Modify,
                    "UpdateAssumeRolePolicy".into(),
                    json!({"RoleName": "app", "PolicyDocument": DOC_A})
                ),
                (
                    Step::Modify,
                    "UpdateRole".into(),
                    json!({"RoleName": "app", "Description": "app role", "MaxSessionDuration": 3600})
                ),
                (
                    Step::Remove,
                    "DetachRolePolicy".into(),
                    json!({"RoleName": "app", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"})
                ),
            ]
        );
        let update = &p.actions[1];
        assert_eq!(update.paths, ["description", "max_session_duration"]);
        assert_eq!(
            update.before,
            Some(json!({"description": "", "max_session_duration": 43200}))
        );
        assert_eq!(
            update.after,
            Some(json!({"description": "app role", "max_session_duration": 3600}))
        );
    }

    #[test]
    fn deleted_and_recreated_principals_are_manual() {
        let p = run(vec![user("bob", json!([]), json!([]))], vec![]);
        assert!(p.actions.is_empty());
        assert_eq!(manual_paths(&p), [("aws_iam_user".into(), None)]);
        assert!(p.manual[0].reason.contains("re-create it from code"));

        let mut again = user("bob", json!([]), json!([]));
        again.attributes["unique_id"] = json!("AIDANEW");
        again.attributes["create_date"] = json!("2025-01-01T00:00:00Z");
        let p = run(vec![user("bob", json!([]), json!([]))], vec![again]);
        assert!(p.actions.is_empty());
        assert_eq!(
            manual_paths(&p),
            [
                ("aws_iam_user".into(), Some("create_date".into())),
                ("aws_iam_user".into(), Some("unique_id".into()))
            ]
        );
        assert!(
            p.manual[0].reason.contains("re-created"),
            "{}",
            p.manual[0].reason
        );
        // Adding users, roles and groups is never undone automatically.
        let opts = PlanOptions {
            delete_added: vec!["aws_iam_user".into()],
            ..PlanOptions::default()
        };
        let p = run_with(vec![], vec![user("eve", json!([]), json!([]))], &opts);
        assert!(p.actions.is_empty());
        assert_eq!(manual_paths(&p), [("aws_iam_user".into(), None)]);
    }

    fn managed(attrs: Value) -> SnapshotResource {
        let arn = format!("arn:aws:iam::{ACCOUNT}:policy/data");
        let mut a = json!({"id": arn, "arn": arn, "name": "data", "path": "/", "description": "d",
                           "policy_id": "ANPA1", "attachment_count": 1, "tags": {"team": "data"}, "policy": DOC_A});
        if let (Some(a), Some(b)) = (a.as_object_mut(), attrs.as_object()) {
            a.extend(b.clone());
        }
        res(&arn, "aws_iam_policy", Some(&arn), a)
    }

    #[test]
    fn managed_policy_document_and_tags() {
        let arn = format!("arn:aws:iam::{ACCOUNT}:policy/data");
        let p = run(
            vec![managed(json!({}))],
            vec![managed(
                json!({"policy": DOC_B, "attachment_count": 3, "tags": {"team": "ops", "x": "1"},
                                "description": "changed"}),
            )],
        );
        assert_eq!(
            calls(&p),
            vec![
                (
                    Step::Modify,
                    "CreatePolicyVersion".into(),
                    json!({"PolicyArn": arn, "PolicyDocument": DOC_A, "SetAsDefault": true})
                ),
                (
                    Step::Modify,
                    "TagPolicy".into(),
                    json!({"PolicyArn": arn, "Tags": [{"Key": "team", "Value": "data"}]})
                ),
                (
                    Step::Remove,
                    "UntagPolicy".into(),
                    json!({"PolicyArn": arn, "TagKeys": ["x"]})
                ),
            ]
        );
        assert_eq!(p.actions[0].before, Some(json!(DOC_B)));
        // The attachment count is volatile (ignored); the description cannot be changed.
        assert_eq!(
            manual_paths(&p),
            [("aws_iam_policy".into(), Some("description".into()))]
        );
        // A deleted policy is manual; an added one is never deleted.
        let p = run(vec![managed(json!({}))], vec![]);
        assert!(p.actions.is_empty());
        assert!(p.manual[0].reason.contains("re-create it from code"));
        let opts = PlanOptions {
            delete_added: vec!["aws_iam_policy".into()],
            ..PlanOptions::default()
        };
        let p = run_with(vec![], vec![managed(json!({}))], &opts);
        assert!(p.actions.is_empty());
        assert_eq!(p.manual.len(), 1);
    }

    fn membership(user: &str, groups: Value) -> SnapshotResource {
        res(
            &format!("aws_iam_user_group_membership:global:{user}"),
            "aws_iam_user_group_membership",
            None,
            json!({"id": user, "user": user, "groups": groups}),
        )
    }

    #[test]
    fn group_memberships() {
        let p = run(
            vec![membership("bob", json!(["devs", "readers"]))],
            vec![membership("bob", json!(["admins", "readers"]))],
        );
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        assert_eq!(
            calls(&p),
            vec![
                (
                    Step::Restore,
                    "AddUserToGroup".into(),
                    json!({"GroupName": "devs", "UserName": "bob"})
                ),
                (
                    Step::Remove,
                    "RemoveUserFromGroup".into(),
                    json!({"GroupName": "admins", "UserName": "bob"})
                ),
            ]
        );
        // Out of every group: the membership resource is gone; put it back.
        let p = run(vec![membership("bob", json!(["devs"]))], vec![]);
        assert_eq!(
            calls(&p),
            vec![(
                Step::Restore,
                "AddUserToGroup".into(),
                json!({"GroupName": "devs", "UserName": "bob"})
            )]
        );
        // The user is gone: nothing to add back.
        let p = run(
            vec![
                user("bob", json!([]), json!([])),
                membership("bob", json!(["devs"])),
            ],
            vec![],
        );
        assert!(p.actions.is_empty(), "{:?}", p.actions);
        assert_eq!(p.manual.len(), 2);
        // One of the groups is gone: only the other is joined again.
        let devs = res(
            &format!("arn:aws:iam::{ACCOUNT}:group/devs"),
            "aws_iam_group",
            Some("devs"),
            json!({"name": "devs", "inline_policy": [], "managed_policy_arns": []}),
        );
        let p = run(
            vec![devs, membership("bob", json!(["devs", "ops"]))],
            vec![membership("bob", json!(["ops"]))],
        );
        assert!(p.actions.is_empty(), "{:?}", p.actions);
        assert_eq!(
            manual_paths(&p),
            [
                ("aws_iam_group".into(), None),
                ("aws_iam_user_group_membership".into(), Some("groups[]".into()))
            ]
        );
        assert!(
            p.manual[1].reason.contains("group devs was deleted"),
            "{}",
            p.manual[1].reason
        );
        // A new membership is kept; with --delete-added it is undone.
        let p = run(vec![], vec![membership("eve", json!(["admins"]))]);
        assert!(p.actions.is_empty() && p.kept.len() == 1);
        let opts = PlanOptions {
            delete_added: vec!["aws_iam_user_group_membership".into()],
            ..PlanOptions::default()
        };
        let p = run_with(vec![], vec![membership("eve", json!(["admins"]))], &opts);
        assert_eq!(
            calls(&p),
            vec![(
                Step::DeleteAdded,
                "RemoveUserFromGroup".into(),
                json!({"GroupName": "admins", "UserName": "eve"})
            )]
        );
    }

    fn key(id: &str, status: &str) -> SnapshotResource {
        res(
            &format!("aws_iam_access_key:global:{id}"),
            "aws_iam_access_key",
            Some(id),
            json!({"id": id, "user": "bob", "status": status, "create_date": "2024-01-01T00:00:00Z"}),
        )
    }

    #[test]
    fn access_keys() {
        let p = run(vec![key("AKIA1", "Inactive")], vec![key("AKIA1", "Active")]);
        assert_eq!(
            calls(&p),
            vec![(
                Step::Modify,
                "UpdateAccessKey".into(),
                json!({"UserName": "bob", "AccessKeyId": "AKIA1", "Status": "Inactive"})
            )]
        );
        // Not re-activated, not re-created.
        let p = run(vec![key("AKIA1", "Active")], vec![key("AKIA1", "Inactive")]);
        assert!(p.actions.is_empty());
        assert_eq!(
            manual_paths(&p),
            [("aws_iam_access_key".into(), Some("status".into()))]
        );
        let p = run(vec![key("AKIA1", "Active")], vec![]);
        assert!(p.actions.is_empty());
        assert!(p.manual[0].reason.contains("cannot be restored"));
        // Added: kept, or deleted with --delete-added.
        let p = run(vec![], vec![key("AKIA2", "Active")]);
        assert!(p.actions.is_empty() && p.kept.len() == 1);
        let opts = PlanOptions {
            delete_added: vec!["aws_iam_access_key".into()],
            ..PlanOptions::default()
        };
        let p = run_with(vec![], vec![key("AKIA2", "Active")], &opts);
        assert_eq!(
            calls(&p),
            vec![(
                Step::DeleteAdded,
                "DeleteAccessKey".into(),
                json!({"UserName": "bob", "AccessKeyId": "AKIA2"})
            )]
        );
        // The placeholder of unreadable keys has no id: no delete.
        let mut unreadable = res(
            "aws_iam_access_key:global:bob:unreadable",
            "aws_iam_access_key",
            None,
            json!({"user": "bob", "status": {"$unknown": "AccessDenied"}}),
        );
        unreadable.physical_id = None;
        let p = run_with(vec![], vec![unreadable], &opts);
        assert!(p.actions.is_empty());
        assert_eq!(p.manual.len(), 1);
    }

    fn profile(role: Option<&str>) -> SnapshotResource {
        let arn = format!("arn:aws:iam::{ACCOUNT}:instance-profile/web");
        let mut a = json!({"id": "web", "name": "web", "arn": arn, "path": "/"});
        if let Some(r) = role {
            a["role"] = json!(r);
        }
        res(&arn, "aws_iam_instance_profile", Some("web"), a)
    }

    #[test]
    fn instance_profile_roles() {
        let p = run(vec![profile(Some("app"))], vec![profile(Some("admin"))]);
        assert_eq!(
            calls(&p),
            vec![
                (
                    Step::Modify,
                    "RemoveRoleFromInstanceProfile".into(),
                    json!({"InstanceProfileName": "web", "RoleName": "admin"})
                ),
                (
                    Step::Modify,
                    "AddRoleToInstanceProfile".into(),
                    json!({"InstanceProfileName": "web", "RoleName": "app"})
                ),
            ]
        );
        let p = run(vec![profile(Some("app"))], vec![profile(None)]);
        assert_eq!(calls(&p)[0].0, Step::Restore);
        let p = run(vec![profile(None)], vec![profile(Some("admin"))]);
        assert_eq!(calls(&p)[0].0, Step::Remove);
        let p = run(vec![profile(None)], vec![]);
        assert!(p.actions.is_empty() && p.manual.len() == 1);
    }

    fn password(attrs: Value) -> SnapshotResource {
        let mut a = json!({
            "id": "iam-account-password-policy", "allow_users_to_change_password": true,
            "expire_passwords": true, "hard_expiry": false, "max_password_age": 90,
            "minimum_password_length": 14, "password_reuse_prevention": 0,
            "require_lowercase_characters": true, "require_numbers": true,
            "require_symbols": true, "require_uppercase_characters": true,
        });
        if let (Some(a), Some(b)) = (a.as_object_mut(), attrs.as_object()) {
            a.extend(b.clone());
        }
        res(
            "aws_iam_account_password_policy:global:iam-account-password-policy",
            "aws_iam_account_password_policy",
            Some("iam-account-password-policy"),
            a,
        )
    }

    #[test]
    fn password_policy_is_set_back_whole() {
        let full = json!({
            "AllowUsersToChangePassword": true, "HardExpiry": false, "MaxPasswordAge": 90,
            "MinimumPasswordLength": 14, "RequireLowercaseCharacters": true, "RequireNumbers": true,
            "RequireSymbols": true, "RequireUppercaseCharacters": true,
        });
        let p = run(
            vec![password(json!({}))],
            vec![password(
                json!({"minimum_password_length": 6, "max_password_age": 0, "expire_passwords": false}),
            )],
        );
        assert!(p.manual.is_empty(), "{:?}", p.manual);
        assert_eq!(
            calls(&p),
            vec![(Step::Modify, "UpdateAccountPasswordPolicy".into(), full.clone())]
        );
        assert_eq!(
            p.actions[0].paths,
            ["expire_passwords", "max_password_age", "minimum_password_length"]
        );
        let p = run(vec![password(json!({}))], vec![]);
        assert_eq!(
            calls(&p),
            vec![(Step::Restore, "UpdateAccountPasswordPolicy".into(), full)]
        );
        // A baseline read only partly: manual.
        let p = run(
            vec![password(json!({"require_numbers": {"$unknown": "denied"}}))],
            vec![],
        );
        assert!(p.actions.is_empty());
        assert!(
            p.manual[0].reason.contains("require_numbers"),
            "{}",
            p.manual[0].reason
        );
    }
}

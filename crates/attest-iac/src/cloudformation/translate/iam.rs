//! IAM: policies, managed policies, roles, users and groups.
//!
//! | CloudFormation | canonical |
//! |---|---|
//! | `AWS::IAM::Policy` | one `aws_iam_role_policy` / `aws_iam_user_policy` / `aws_iam_group_policy` per entry of `Roles` / `Users` / `Groups`; the id is the logical id when the policy has one principal, else `<LogicalId>.<Roles|Users|Groups>.<index>` |
//! | `AWS::IAM::ManagedPolicy` | `aws_iam_policy`, plus one `aws_iam_<role|user|group>_policy_attachment` per attached principal, id `<LogicalId>.<Roles|Users|Groups>.<index>` |
//! | `AWS::IAM::Role` / `User` / `Group` | `aws_iam_role` / `aws_iam_user` / `aws_iam_group`; inline `Policies` become the matching inline policy resources, id `<LogicalId>.Policies.<PolicyName>` (the index when the name is not known); `ManagedPolicyArns` stays inline as `managed_policy_arns` |
//! | `AWS::IAM::User` `Groups` | an `aws_iam_user_group_membership` with id `<LogicalId>.Groups` whose `user` refers to the user |
//! | `AWS::IAM::AccessKey` | `aws_iam_access_key` (`UserName` → `user`, `Status` → `status`) |
//! | `AWS::IAM::UserToGroupAddition` | `aws_iam_group_membership` (`GroupName` → `group`, `Users` → `users`) |
//! | `AWS::IAM::InstanceProfile` | `aws_iam_instance_profile`; `Roles` holds at most one role, which becomes `role` |
//!
//! Policy documents become the JSON **string** Terraform holds (`policy`, `assume_role_policy`).

use attest_core::Value;

use super::{json_string, obj, one_or_list, tags, Ctx, Source, Translated};

/// (CloudFormation list, inline policy type, attachment type, linking attribute)
const PRINCIPALS: &[(&str, &str, &str, &str)] = &[
    (
        "Roles",
        "aws_iam_role_policy",
        "aws_iam_role_policy_attachment",
        "role",
    ),
    (
        "Users",
        "aws_iam_user_policy",
        "aws_iam_user_policy_attachment",
        "user",
    ),
    (
        "Groups",
        "aws_iam_group_policy",
        "aws_iam_group_policy_attachment",
        "group",
    ),
];

fn principals<'v>(
    s: &'v Source,
) -> Vec<(
    &'static str,
    usize,
    &'v Value,
    &'static str,
    &'static str,
    &'static str,
)> {
    let mut out = Vec::new();
    for &(list, inline, attachment, link) in PRINCIPALS {
        if let Value::List(items) = s.props.get(list) {
            for (i, item) in items.iter().enumerate() {
                out.push((list, i, item, inline, attachment, link));
            }
        }
    }
    out
}

pub fn policy(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let doc = s.props.get("PolicyDocument");
    let policy = json_string(doc);
    let name = s.props.get("PolicyName").clone();
    let found = principals(s);
    if found.is_empty() {
        // No principal (or an unknown list of them): judged as a policy document of its own.
        return vec![Translated::new(
            s.id,
            "aws_iam_policy",
            obj(vec![("name", name), ("policy", policy)]),
        )
        .holding("policy", doc)];
    }
    let single = found.len() == 1;
    found
        .into_iter()
        .map(|(list, i, principal, inline, _, link)| {
            let id = if single {
                s.id.to_string()
            } else {
                format!("{}.{list}.{i}", s.id)
            };
            Translated::new(
                id,
                inline,
                obj(vec![
                    ("name", name.clone()),
                    (link, principal.clone()),
                    ("policy", policy.clone()),
                ]),
            )
            .holding("policy", doc)
        })
        .collect()
}

pub fn managed_policy(ctx: &mut Ctx, s: &Source) -> Vec<Translated> {
    let doc = s.props.get("PolicyDocument");
    let mut out = vec![Translated::new(
        s.id,
        "aws_iam_policy",
        obj(vec![
            ("name", s.props.get("ManagedPolicyName").clone()),
            ("path", s.props.get("Path").clone()),
            ("description", s.props.get("Description").clone()),
            ("policy", json_string(doc)),
        ]),
    )
    .holding("policy", doc)];
    for (list, i, principal, _, attachment, link) in principals(s) {
        let arn = ctx.reference(s.id, "Arn");
        out.push(Translated::new(
            format!("{}.{list}.{i}", s.id),
            attachment,
            obj(vec![(link, principal.clone()), ("policy_arn", arn)]),
        ));
    }
    out
}

/// The inline `Policies` of a role, user or group as inline policy resources.
fn inline_policies(ctx: &mut Ctx, s: &Source, inline: &str, link: &str, out: &mut Vec<Translated>) {
    let Value::List(items) = s.props.get("Policies") else {
        return;
    };
    for (i, p) in items.iter().enumerate() {
        let id = match p.get("PolicyName") {
            Value::String(name) => format!("{}.Policies.{name}", s.id),
            _ => format!("{}.Policies.{i}", s.id),
        };
        let principal = ctx.reference(s.id, "Ref");
        let doc = p.get("PolicyDocument");
        out.push(
            Translated::new(
                id,
                inline,
                obj(vec![
                    ("name", p.get("PolicyName").clone()),
                    (link, principal),
                    ("policy", json_string(doc)),
                ]),
            )
            .holding("policy", doc),
        );
    }
}

pub fn role(ctx: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let trust = p.get("AssumeRolePolicyDocument");
    let mut out = vec![Translated::new(
        s.id,
        "aws_iam_role",
        obj(vec![
            ("name", p.get("RoleName").clone()),
            ("path", p.get("Path").clone()),
            ("description", p.get("Description").clone()),
            ("assume_role_policy", json_string(trust)),
            ("managed_policy_arns", one_or_list(p.get("ManagedPolicyArns"))),
            ("max_session_duration", p.get("MaxSessionDuration").clone()),
            ("permissions_boundary", p.get("PermissionsBoundary").clone()),
            ("tags", tags(p.get("Tags"))),
        ]),
    )
    .holding("assume_role_policy", trust)];
    inline_policies(ctx, s, "aws_iam_role_policy", "role", &mut out);
    out
}

pub fn user(ctx: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let mut out = vec![Translated::new(
        s.id,
        "aws_iam_user",
        obj(vec![
            ("name", p.get("UserName").clone()),
            ("path", p.get("Path").clone()),
            ("managed_policy_arns", one_or_list(p.get("ManagedPolicyArns"))),
            ("permissions_boundary", p.get("PermissionsBoundary").clone()),
            ("tags", tags(p.get("Tags"))),
        ]),
    )];
    inline_policies(ctx, s, "aws_iam_user_policy", "user", &mut out);
    if !p.get("Groups").is_null() {
        let user = ctx.reference(s.id, "Ref");
        out.push(Translated::new(
            format!("{}.Groups", s.id),
            "aws_iam_user_group_membership",
            obj(vec![("user", user), ("groups", one_or_list(p.get("Groups")))]),
        ));
    }
    out
}

pub fn access_key(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    vec![Translated::new(
        s.id,
        "aws_iam_access_key",
        obj(vec![
            ("user", p.get("UserName").clone()),
            ("status", p.get("Status").clone()),
        ]),
    )]
}

pub fn user_to_group_addition(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    vec![Translated::new(
        s.id,
        "aws_iam_group_membership",
        obj(vec![
            ("name", Value::from(s.id)),
            ("group", p.get("GroupName").clone()),
            ("users", one_or_list(p.get("Users"))),
        ]),
    )]
}

pub fn instance_profile(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let role = match p.get("Roles") {
        Value::List(items) => items.first().cloned().unwrap_or(Value::Null),
        other => other.clone(),
    };
    vec![Translated::new(
        s.id,
        "aws_iam_instance_profile",
        obj(vec![
            ("name", p.get("InstanceProfileName").clone()),
            ("path", p.get("Path").clone()),
            ("role", role),
        ]),
    )]
}

pub fn group(ctx: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let mut out = vec![Translated::new(
        s.id,
        "aws_iam_group",
        obj(vec![
            ("name", p.get("GroupName").clone()),
            ("path", p.get("Path").clone()),
            ("managed_policy_arns", one_or_list(p.get("ManagedPolicyArns"))),
        ]),
    )];
    inline_policies(ctx, s, "aws_iam_group_policy", "group", &mut out);
    out
}

//! iam calls of remediation plans: managed policy attachments, inline policies, group
//! memberships, managed policy versions and tags, a role's trust policy and settings, access
//! keys, instance profile roles and the account password policy.

use aws_sdk_iam::types::{StatusType, Tag};
use serde_json::Value;

use super::params::{self, list, opt_i64, opt_str, str};
use super::sdk_error;
use crate::ctx::{client, Session};

/// Sends a request: the note when it succeeds, the service's error otherwise.
pub(super) async fn run(s: &Session, op: &str, p: &Value) -> Result<String, String> {
    let iam = client!(s, aws_sdk_iam, "iam");
    match op {
        "AttachUserPolicy" => {
            let (who, arn) = (str(p, "UserName")?, str(p, "PolicyArn")?);
            send!(
                iam.attach_user_policy().user_name(who).policy_arn(arn),
                format!("attached {arn} to user {who}")
            )
        }
        "AttachGroupPolicy" => {
            let (who, arn) = (str(p, "GroupName")?, str(p, "PolicyArn")?);
            send!(
                iam.attach_group_policy().group_name(who).policy_arn(arn),
                format!("attached {arn} to group {who}")
            )
        }
        "AttachRolePolicy" => {
            let (who, arn) = (str(p, "RoleName")?, str(p, "PolicyArn")?);
            send!(
                iam.attach_role_policy().role_name(who).policy_arn(arn),
                format!("attached {arn} to role {who}")
            )
        }
        "DetachUserPolicy" => {
            let (who, arn) = (str(p, "UserName")?, str(p, "PolicyArn")?);
            send!(
                iam.detach_user_policy().user_name(who).policy_arn(arn),
                format!("detached {arn} from user {who}")
            )
        }
        "DetachGroupPolicy" => {
            let (who, arn) = (str(p, "GroupName")?, str(p, "PolicyArn")?);
            send!(
                iam.detach_group_policy().group_name(who).policy_arn(arn),
                format!("detached {arn} from group {who}")
            )
        }
        "DetachRolePolicy" => {
            let (who, arn) = (str(p, "RoleName")?, str(p, "PolicyArn")?);
            send!(
                iam.detach_role_policy().role_name(who).policy_arn(arn),
                format!("detached {arn} from role {who}")
            )
        }
        "PutUserPolicy" => {
            let (who, name) = (str(p, "UserName")?, str(p, "PolicyName")?);
            send!(
                iam.put_user_policy()
                    .user_name(who)
                    .policy_name(name)
                    .policy_document(str(p, "PolicyDocument")?),
                format!("put inline policy {name} of user {who}")
            )
        }
        "PutGroupPolicy" => {
            let (who, name) = (str(p, "GroupName")?, str(p, "PolicyName")?);
            send!(
                iam.put_group_policy()
                    .group_name(who)
                    .policy_name(name)
                    .policy_document(str(p, "PolicyDocument")?),
                format!("put inline policy {name} of group {who}")
            )
        }
        "PutRolePolicy" => {
            let (who, name) = (str(p, "RoleName")?, str(p, "PolicyName")?);
            send!(
                iam.put_role_policy()
                    .role_name(who)
                    .policy_name(name)
                    .policy_document(str(p, "PolicyDocument")?),
                format!("put inline policy {name} of role {who}")
            )
        }
        "DeleteUserPolicy" => {
            let (who, name) = (str(p, "UserName")?, str(p, "PolicyName")?);
            send!(
                iam.delete_user_policy().user_name(who).policy_name(name),
                format!("deleted inline policy {name} of user {who}")
            )
        }
        "DeleteGroupPolicy" => {
            let (who, name) = (str(p, "GroupName")?, str(p, "PolicyName")?);
            send!(
                iam.delete_group_policy().group_name(who).policy_name(name),
                format!("deleted inline policy {name} of group {who}")
            )
        }
        "DeleteRolePolicy" => {
            let (who, name) = (str(p, "RoleName")?, str(p, "PolicyName")?);
            send!(
                iam.delete_role_policy().role_name(who).policy_name(name),
                format!("deleted inline policy {name} of role {who}")
            )
        }
        "AddUserToGroup" => {
            let (user, group) = (str(p, "UserName")?, str(p, "GroupName")?);
            send!(
                iam.add_user_to_group().user_name(user).group_name(group),
                format!("added user {user} to group {group}")
            )
        }
        "RemoveUserFromGroup" => {
            let (user, group) = (str(p, "UserName")?, str(p, "GroupName")?);
            send!(
                iam.remove_user_from_group().user_name(user).group_name(group),
                format!("removed user {user} from group {group}")
            )
        }
        "CreatePolicyVersion" => {
            let r = iam
                .create_policy_version()
                .policy_arn(str(p, "PolicyArn")?)
                .policy_document(str(p, "PolicyDocument")?)
                .set_set_as_default(p.get("SetAsDefault").and_then(Value::as_bool))
                .send()
                .await
                .map_err(|e| {
                    let msg = sdk_error(&e);
                    if msg.starts_with("LimitExceeded") {
                        format!("{msg} (delete a version the policy no longer needs, then run again)")
                    } else {
                        msg
                    }
                })?;
            let version = r.policy_version().and_then(|v| v.version_id()).unwrap_or("?");
            Ok(format!("created policy version {version}"))
        }
        "TagPolicy" => {
            let tags = tags(p)?;
            let n = tags.len();
            send!(
                iam.tag_policy()
                    .policy_arn(str(p, "PolicyArn")?)
                    .set_tags(Some(tags)),
                format!("set {n} tag(s)")
            )
        }
        "UntagPolicy" => {
            let keys = strings(p, "TagKeys")?;
            let n = keys.len();
            send!(
                iam.untag_policy()
                    .policy_arn(str(p, "PolicyArn")?)
                    .set_tag_keys(Some(keys)),
                format!("removed {n} tag(s)")
            )
        }
        "UpdateAssumeRolePolicy" => {
            let role = str(p, "RoleName")?;
            send!(
                iam.update_assume_role_policy()
                    .role_name(role)
                    .policy_document(str(p, "PolicyDocument")?),
                format!("restored the trust policy of role {role}")
            )
        }
        "UpdateRole" => {
            let role = str(p, "RoleName")?;
            send!(
                iam.update_role()
                    .role_name(role)
                    .set_description(opt_str(p, "Description").map(str::to_string))
                    .set_max_session_duration(int(p, "MaxSessionDuration")?),
                format!("updated role {role}")
            )
        }
        "UpdateAccessKey" => {
            let id = str(p, "AccessKeyId")?;
            let status = match str(p, "Status")? {
                "Active" => StatusType::Active,
                "Inactive" => StatusType::Inactive,
                other => return Err(format!("the plan's `Status` is not Active or Inactive: {other}")),
            };
            let note = format!("set access key {id} {}", status.as_str());
            send!(
                iam.update_access_key()
                    .set_user_name(opt_str(p, "UserName").map(str::to_string))
                    .access_key_id(id)
                    .status(status),
                note
            )
        }
        "DeleteAccessKey" => {
            let id = str(p, "AccessKeyId")?;
            send!(
                iam.delete_access_key()
                    .set_user_name(opt_str(p, "UserName").map(str::to_string))
                    .access_key_id(id),
                format!("deleted access key {id}")
            )
        }
        "AddRoleToInstanceProfile" => {
            let (profile, role) = (str(p, "InstanceProfileName")?, str(p, "RoleName")?);
            send!(
                iam.add_role_to_instance_profile()
                    .instance_profile_name(profile)
                    .role_name(role),
                format!("added role {role} to instance profile {profile}")
            )
        }
        "RemoveRoleFromInstanceProfile" => {
            let (profile, role) = (str(p, "InstanceProfileName")?, str(p, "RoleName")?);
            send!(
                iam.remove_role_from_instance_profile()
                    .instance_profile_name(profile)
                    .role_name(role),
                format!("removed role {role} from instance profile {profile}")
            )
        }
        "UpdateAccountPasswordPolicy" => {
            let flag = |k: &str| p.get(k).and_then(Value::as_bool);
            send!(
                iam.update_account_password_policy()
                    .set_allow_users_to_change_password(flag("AllowUsersToChangePassword"))
                    .set_hard_expiry(flag("HardExpiry"))
                    .set_max_password_age(int(p, "MaxPasswordAge")?)
                    .set_minimum_password_length(int(p, "MinimumPasswordLength")?)
                    .set_password_reuse_prevention(int(p, "PasswordReusePrevention")?)
                    .set_require_lowercase_characters(flag("RequireLowercaseCharacters"))
                    .set_require_numbers(flag("RequireNumbers"))
                    .set_require_symbols(flag("RequireSymbols"))
                    .set_require_uppercase_characters(flag("RequireUppercaseCharacters")),
                "restored the account password policy".to_string()
            )
        }
        _ => Err(params::unsupported("iam", op)),
    }
}

/// An optional integer parameter that must fit an `i32`.
fn int(p: &Value, key: &str) -> Result<Option<i32>, String> {
    match p.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => opt_i64(p, key)
            .and_then(|n| i32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| format!("the plan's `{key}` parameter is not a 32-bit integer")),
    }
}

/// A list of strings (empty when absent).
fn strings(p: &Value, key: &str) -> Result<Vec<String>, String> {
    super::params::strings(p, key).map(Option::unwrap_or_default)
}

/// `Tags`: `[{"Key": …, "Value": …}]`.
fn tags(p: &Value) -> Result<Vec<Tag>, String> {
    list(p, "Tags")
        .iter()
        .map(|t| {
            Tag::builder()
                .key(str(t, "Key")?)
                .value(str(t, "Value")?)
                .build()
                .map_err(|e| format!("a tag of the plan: {e}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn parameters_are_checked() {
        assert_eq!(int(&json!({"N": 3600}), "N"), Ok(Some(3600)));
        assert_eq!(int(&json!({}), "N"), Ok(None));
        assert!(int(&json!({"N": 1_i64 << 40}), "N").is_err());
        assert!(int(&json!({"N": "x"}), "N").is_err());
        assert_eq!(
            strings(&json!({"K": ["a", "b"]}), "K"),
            Ok(vec!["a".to_string(), "b".to_string()])
        );
        assert!(strings(&json!({"K": ["a", 1]}), "K").is_err());
        let t = tags(&json!({"Tags": [{"Key": "team", "Value": "data"}]})).expect("tags");
        assert_eq!((t[0].key(), t[0].value()), ("team", "data"));
        let e = tags(&json!({"Tags": [{"Key": "team"}]})).expect_err("no value");
        assert!(e.contains("`Value`"), "{e}");
    }

    #[tokio::test]
    async fn unknown_operations_and_missing_parameters_are_errors() {
        let s = Session::for_tests("us-east-1");
        let e = run(&s, "DeleteUser", &json!({})).await.expect_err("unsupported");
        assert_eq!(e, "attest does not call iam.DeleteUser");
        let e = run(&s, "AttachRolePolicy", &json!({"RoleName": "r"}))
            .await
            .expect_err("missing");
        assert!(e.contains("`PolicyArn`"), "{e}");
        let e = run(
            &s,
            "UpdateAccessKey",
            &json!({"AccessKeyId": "AKIA", "Status": "On"}),
        )
        .await
        .expect_err("bad status");
        assert!(e.contains("Active or Inactive"), "{e}");
    }
}

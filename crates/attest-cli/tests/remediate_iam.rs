//! `attest remediate` on IAM and KMS against moto: principals' policies, memberships, a role's
//! trust and settings, a managed policy's document, an instance profile's role and the password
//! policy put back; access keys deactivated again or deleted on request; deleted roles left to a
//! person; KMS keys enabled, rotated, their policy and description restored, and a scheduled
//! deletion cancelled.
//!
//! moto's `ListPolicies` (like IAM's) gives no tags, so managed policy tags never drift here:
//! `TagPolicy`/`UntagPolicy` are covered by the planner's unit tests.
#![cfg(feature = "aws")]

mod common;

use common::Moto;

/// The operations of a plan, in order.
fn operations(plan: &serde_json::Value) -> Vec<String> {
    plan["actions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["call"]["operation"].as_str().map(str::to_string))
        .collect()
}

/// Every scenario in sequence: they share moto. Each has its own environment, whose baseline is
/// the account as the scenarios before it left it.
#[test]
fn remediate_iam_and_kms() {
    let Some(m) = Moto::start() else {
        return;
    };

    // 1. Principals granted more and stripped of what they had; a managed policy's document, an
    //    instance profile's role and the password policy changed: everything comes back.
    m.boto(
        r#"
A = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})
B = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
read = iam.create_policy(PolicyName="data-read", PolicyDocument=A)["Policy"]["Arn"]
admin = iam.create_policy(PolicyName="everything", PolicyDocument=B)["Policy"]["Arn"]
iam.create_group(GroupName="devs")
iam.create_group(GroupName="admins")
iam.attach_group_policy(GroupName="devs", PolicyArn=read)
iam.create_user(UserName="bob")
iam.add_user_to_group(GroupName="devs", UserName="bob")
iam.attach_user_policy(UserName="bob", PolicyArn=read)
iam.put_user_policy(UserName="bob", PolicyName="read", PolicyDocument=A)
iam.put_user_policy(UserName="bob", PolicyName="gone", PolicyDocument=A)
iam.create_role(RoleName="app", AssumeRolePolicyDocument=trust, Description="app role", MaxSessionDuration=3600)
iam.put_role_policy(RoleName="app", PolicyName="list", PolicyDocument=A)
iam.create_role(RoleName="other", AssumeRolePolicyDocument=trust)
iam.create_instance_profile(InstanceProfileName="web")
iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="app")
iam.update_account_password_policy(MinimumPasswordLength=14, RequireSymbols=True, RequireNumbers=True,
    RequireUppercaseCharacters=True, RequireLowercaseCharacters=True, AllowUsersToChangePassword=True,
    MaxPasswordAge=90, PasswordReusePrevention=24)
state.update(A=A, B=B, read=read, admin=admin)
"#,
    );
    m.env_add("iam", "iam");
    m.scan_and_baseline("iam");
    m.boto(
        r#"
A, B, read, admin = state["A"], state["B"], state["read"], state["admin"]
iam.detach_user_policy(UserName="bob", PolicyArn=read)
iam.attach_user_policy(UserName="bob", PolicyArn=admin)
iam.put_user_policy(UserName="bob", PolicyName="read", PolicyDocument=B)
iam.delete_user_policy(UserName="bob", PolicyName="gone")
iam.put_user_policy(UserName="bob", PolicyName="extra", PolicyDocument=B)
iam.remove_user_from_group(GroupName="devs", UserName="bob")
iam.add_user_to_group(GroupName="admins", UserName="bob")
iam.update_assume_role_policy(RoleName="app", PolicyDocument=json.dumps({"Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}))
iam.update_role(RoleName="app", Description="changed", MaxSessionDuration=43200)
iam.attach_role_policy(RoleName="app", PolicyArn=admin)
iam.put_role_policy(RoleName="app", PolicyName="list", PolicyDocument=B)
iam.detach_group_policy(GroupName="devs", PolicyArn=read)
iam.put_group_policy(GroupName="admins", PolicyName="grp-extra", PolicyDocument=B)
iam.create_policy_version(PolicyArn=read, PolicyDocument=B, SetAsDefault=True)
iam.remove_role_from_instance_profile(InstanceProfileName="web", RoleName="app")
iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="other")
iam.update_account_password_policy(MinimumPasswordLength=6)
"#,
    );
    let plan = m.remediate_and_verify(
        "iam",
        &[
            "AttachUserPolicy",
            "DetachUserPolicy",
            "PutUserPolicy",
            "DeleteUserPolicy",
            "AddUserToGroup",
            "RemoveUserFromGroup",
            "UpdateAssumeRolePolicy",
            "UpdateRole",
            "DetachRolePolicy",
            "PutRolePolicy",
            "AttachGroupPolicy",
            "DeleteGroupPolicy",
            "CreatePolicyVersion",
            "RemoveRoleFromInstanceProfile",
            "AddRoleToInstanceProfile",
            "UpdateAccountPasswordPolicy",
        ],
    );
    let ops = operations(&plan);
    // An inline policy shows in its principal and as its own resource: one call each.
    assert_eq!(ops.iter().filter(|o| *o == "PutUserPolicy").count(), 2, "{plan}");
    assert_eq!(
        ops.iter().filter(|o| *o == "DeleteUserPolicy").count(),
        1,
        "{plan}"
    );
    // Re-attach before detaching; the replaced role leaves the profile before the old one is back.
    let at = |op: &str| ops.iter().position(|o| o == op).unwrap_or(usize::MAX);
    assert!(at("AttachUserPolicy") < at("DetachUserPolicy"), "{ops:?}");
    assert!(
        at("RemoveRoleFromInstanceProfile") < at("AddRoleToInstanceProfile"),
        "{ops:?}"
    );
    let state = m.boto(
        r#"
A, read = state["A"], state["read"]
state["bob_attached"] = [p["PolicyArn"] for p in iam.list_attached_user_policies(UserName="bob")["AttachedPolicies"]]
state["bob_inline"] = sorted(iam.list_user_policies(UserName="bob")["PolicyNames"])
state["bob_read"] = iam.get_user_policy(UserName="bob", PolicyName="read")["PolicyDocument"] == json.loads(A)
state["bob_groups"] = [g["GroupName"] for g in iam.list_groups_for_user(UserName="bob")["Groups"]]
role = iam.get_role(RoleName="app")["Role"]
state["trust"] = role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]
state["role"] = [role.get("Description"), role.get("MaxSessionDuration")]
state["role_attached"] = iam.list_attached_role_policies(RoleName="app")["AttachedPolicies"]
state["devs_attached"] = [p["PolicyArn"] for p in iam.list_attached_group_policies(GroupName="devs")["AttachedPolicies"]]
state["admins_inline"] = iam.list_group_policies(GroupName="admins")["PolicyNames"]
v = iam.get_policy(PolicyArn=read)["Policy"]["DefaultVersionId"]
state["read_doc"] = iam.get_policy_version(PolicyArn=read, VersionId=v)["PolicyVersion"]["Document"] == json.loads(A)
state["profile"] = [r["RoleName"] for r in iam.get_instance_profile(InstanceProfileName="web")["InstanceProfile"]["Roles"]]
state["min_length"] = iam.get_account_password_policy()["PasswordPolicy"]["MinimumPasswordLength"]
"#,
    );
    let read = state["read"].as_str().expect("read");
    assert_eq!(state["bob_attached"], serde_json::json!([read]), "{state}");
    assert_eq!(
        state["bob_inline"],
        serde_json::json!(["gone", "read"]),
        "{state}"
    );
    assert_eq!(state["bob_read"], true, "{state}");
    assert_eq!(state["bob_groups"], serde_json::json!(["devs"]), "{state}");
    assert_eq!(
        state["trust"],
        serde_json::json!({"Service": "ec2.amazonaws.com"}),
        "{state}"
    );
    assert_eq!(state["role"], serde_json::json!(["app role", 3600]), "{state}");
    assert_eq!(state["role_attached"], serde_json::json!([]), "{state}");
    assert_eq!(state["devs_attached"], serde_json::json!([read]), "{state}");
    assert_eq!(state["admins_inline"], serde_json::json!([]), "{state}");
    assert_eq!(state["read_doc"], true, "{state}");
    assert_eq!(state["profile"], serde_json::json!(["app"]), "{state}");
    assert_eq!(state["min_length"], 14, "{state}");

    // 2. Access keys: one re-activated is deactivated again; one added is kept, or deleted with
    //    `--delete-added`. A deleted role and an added user are left alone.
    m.boto(
        r#"
iam.create_user(UserName="kim")
k = iam.create_access_key(UserName="kim")["AccessKey"]["AccessKeyId"]
iam.update_access_key(UserName="kim", AccessKeyId=k, Status="Inactive")
iam.create_role(RoleName="temp", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
state["k1"] = k
"#,
    );
    m.env_add("keys", "iam");
    m.scan_and_baseline("keys");
    m.boto(
        r#"
iam.update_access_key(UserName="kim", AccessKeyId=state["k1"], Status="Active")
state["k2"] = iam.create_access_key(UserName="kim")["AccessKey"]["AccessKeyId"]
iam.delete_role(RoleName="temp")
iam.create_user(UserName="eve")
"#,
    );
    m.scan("keys");
    let (code, plan) = m.remediate("keys", &[]);
    assert_eq!(code, Some(1), "{plan}");
    assert_eq!(operations(&plan), ["UpdateAccessKey"], "{plan}");
    assert_eq!(
        plan["actions"][0]["call"]["params"]["Status"], "Inactive",
        "{plan}"
    );
    let manual = plan["manual"].as_array().cloned().unwrap_or_default();
    let role = manual
        .iter()
        .find(|i| i["type"] == "aws_iam_role")
        .unwrap_or_else(|| panic!("no manual item for the deleted role: {plan}"));
    assert_eq!(role["kind"], "REMOVED", "{plan}");
    assert!(
        role["reason"]
            .as_str()
            .is_some_and(|r| r.contains("re-create it from code")),
        "{plan}"
    );
    let kept: Vec<&str> = plan["kept"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|k| k["type"].as_str())
        .collect();
    assert!(
        kept.contains(&"aws_iam_access_key") && kept.contains(&"aws_iam_user"),
        "{plan}"
    );
    // Users are never deleted automatically.
    let (_, plan) = m.remediate("keys", &["--delete-added", "aws_iam_user"]);
    assert!(
        plan["manual"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|i| i["type"] == "aws_iam_user" && i["kind"] == "ADDED"),
        "{plan}"
    );
    let (_, plan) = m.remediate("keys", &["--delete-added", "aws_iam_access_key"]);
    let deleted = plan["actions"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| a["step"] == "delete_added")
        .unwrap_or_else(|| panic!("no delete: {plan}"));
    assert_eq!(deleted["call"]["operation"], "DeleteAccessKey", "{plan}");
    // Manual items remain (the role, the credential report's rows): exit 1, calls made.
    let (code, applied) = m.remediate(
        "keys",
        &["--delete-added", "aws_iam_access_key", "--apply", "--yes"],
    );
    assert_eq!(code, Some(1), "{applied}");
    let results = applied["results"].as_array().cloned().unwrap_or_default();
    assert_eq!(results.len(), 2, "{applied}");
    assert!(results.iter().all(|r| r["status"] == "applied"), "{applied}");
    let state = m.boto(
        r#"
state["kim_keys"] = [[k["AccessKeyId"], k["Status"]] for k in iam.list_access_keys(UserName="kim")["AccessKeyMetadata"]]
state["eve"] = [u["UserName"] for u in iam.list_users()["Users"] if u["UserName"] == "eve"]
"#,
    );
    assert_eq!(
        state["kim_keys"],
        serde_json::json!([[state["k1"], "Inactive"]]),
        "{state}"
    );
    assert_eq!(state["eve"], serde_json::json!(["eve"]), "{state}");
    // What is left: the deleted role and the added user.
    let (code, drift) = m.drift("keys");
    assert_eq!(code, Some(1), "{drift}");
    let mut left: Vec<(String, String)> = drift["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            (
                r["kind"].as_str().unwrap_or("").to_string(),
                r["type"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            ("ADDED".to_string(), "aws_iam_user".to_string()),
            ("REMOVED".to_string(), "aws_iam_role".to_string())
        ],
        "{drift}"
    );

    // 3. KMS: a key disabled, its rotation off, its policy and description changed; a key
    //    scheduled for deletion; a disabled key without rotation turned on and rotating.
    m.boto(
        r#"
k1 = kms.create_key(Description="orders")["KeyMetadata"]["KeyId"]
kms.enable_key_rotation(KeyId=k1)
state["policy"] = kms.get_key_policy(KeyId=k1, PolicyName="default")["Policy"]
k2 = kms.create_key(Description="archive")["KeyMetadata"]["KeyId"]
k3 = kms.create_key(Description="spare")["KeyMetadata"]["KeyId"]
kms.disable_key(KeyId=k3)
state.update(k1=k1, k2=k2, k3=k3)
"#,
    );
    m.env_add("kms", "kms");
    m.scan_and_baseline("kms");
    m.boto(
        r#"
k1, k2, k3 = state["k1"], state["k2"], state["k3"]
kms.disable_key_rotation(KeyId=k1)
kms.disable_key(KeyId=k1)
kms.put_key_policy(KeyId=k1, PolicyName="default", Policy=json.dumps({"Version": "2012-10-17",
    "Statement": [{"Sid": "open", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*"}]}))
kms.update_key_description(KeyId=k1, Description="changed")
kms.schedule_key_deletion(KeyId=k2, PendingWindowInDays=7)
kms.enable_key(KeyId=k3)
kms.enable_key_rotation(KeyId=k3)
"#,
    );
    let plan = m.remediate_and_verify(
        "kms",
        &[
            "EnableKey",
            "EnableKeyRotation",
            "PutKeyPolicy",
            "UpdateKeyDescription",
            "CancelKeyDeletion",
            "DisableKeyRotation",
            "DisableKey",
        ],
    );
    let ops = operations(&plan);
    let k2 = state_key(&m, "k2");
    let of_k2: Vec<&str> = plan["actions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|a| a["physical_id"] == k2.as_str())
        .filter_map(|a| a["call"]["operation"].as_str())
        .collect();
    assert_eq!(of_k2, ["CancelKeyDeletion", "EnableKey"], "{ops:?}");
    let state = m.boto(
        r#"
def st(k):
    m = kms.describe_key(KeyId=k)["KeyMetadata"]
    return [m["KeyState"], m.get("Description"), kms.get_key_rotation_status(KeyId=k)["KeyRotationEnabled"]]
state["s1"], state["s2"], state["s3"] = st(state["k1"]), st(state["k2"]), st(state["k3"])
state["policy_back"] = kms.get_key_policy(KeyId=state["k1"], PolicyName="default")["Policy"] == state["policy"]
"#,
    );
    assert_eq!(
        state["s1"],
        serde_json::json!(["Enabled", "orders", true]),
        "{state}"
    );
    assert_eq!(
        state["s2"],
        serde_json::json!(["Enabled", "archive", false]),
        "{state}"
    );
    assert_eq!(
        state["s3"],
        serde_json::json!(["Disabled", "spare", false]),
        "{state}"
    );
    assert_eq!(state["policy_back"], true, "{state}");
}

/// A value the boto3 steps saved.
fn state_key(m: &Moto, key: &str) -> String {
    m.boto("")[key].as_str().unwrap_or_default().to_string()
}

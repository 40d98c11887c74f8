//! Live collection of IAM (principals, policies, access keys, instance profiles, the password
//! policy and the account summary) against moto, judged by the IAM rules.
//!
//! moto limitations met here:
//! - `GetAccountSummary` always reports `AccountMFAEnabled = 0` and `AccountAccessKeysPresent = 0`
//!   (the root user cannot be given MFA or keys through the API): on moto `aws-iam-root-mfa` and
//!   `aws-iam-root-hardware-mfa` can only fail and `aws-iam-root-no-access-keys` only pass. The
//!   other sides are covered by the unit tests of `collect::iam_account`.
//! - moto attaches AWS managed policies (`AWSSupportAccess`, `AWSCloudShellFullAccess`) only when
//!   it was started with `MOTO_IAM_LOAD_MANAGED_POLICIES=true`
//!   (`MOTO_IAM_LOAD_MANAGED_POLICIES=true scripts/services.sh cargo test …`). Without it the
//!   support role cannot be created, so `aws-iam-support-role` is asserted to fail and
//!   `aws-iam-no-cloudshell-full-access` to pass everywhere; with it, both sides of both rules
//!   are asserted.
//! - Per-principal calls cannot be denied by moto itself: a proxy in front of it answers chosen
//!   operations with IAM's `AccessDenied` (see `denied_calls_leave_what_they_tell_unknown`).

mod common;

use std::collections::BTreeMap;

use aws_sdk_iam::types::StatusType;
use aws_sdk_iam::Client;

use attest_aws::collect;
use attest_core::{LoadOutput, Mode, Verdict};
use common::deny::{deny_proxy, Denied};
use common::{assert_verdicts, endpoint, judge, options, reset, sdk, Seeded, ACCOUNT, MOTO};

use Verdict::{Fail, Pass, Unknown};

const PRINCIPAL_RULES: &[&str] = &[
    "aws-iam-no-admin-policy",
    "aws-iam-no-s3-list-all-buckets",
    "aws-iam-user-no-direct-policies",
    "aws-iam-user-in-group",
    "aws-iam-user-single-active-access-key",
    "aws-iam-role-trust-no-wildcard",
    "aws-iam-role-cross-account-trust-conditions",
    "aws-iam-support-role",
    "aws-iam-no-cloudshell-full-access",
    "aws-iam-instance-profile-no-s3-list-all-buckets",
];

const ACCOUNT_RULES: &[&str] = &[
    "aws-iam-password-min-length-14",
    "aws-iam-password-reuse-24",
    "aws-iam-password-reuse-4",
    "aws-iam-password-symbol",
    "aws-iam-password-number",
    "aws-iam-password-uppercase",
    "aws-iam-password-lowercase",
    "aws-iam-password-expiration",
    "aws-iam-password-pci",
    "aws-iam-root-mfa",
    "aws-iam-root-hardware-mfa",
    "aws-iam-root-no-access-keys",
    "aws-iam-support-role",
];

const PASSWORD_RULES: &[&str] = &[
    "aws-iam-password-min-length-14",
    "aws-iam-password-reuse-24",
    "aws-iam-password-reuse-4",
    "aws-iam-password-symbol",
    "aws-iam-password-number",
    "aws-iam-password-uppercase",
    "aws-iam-password-lowercase",
    "aws-iam-password-expiration",
    "aws-iam-password-pci",
];

fn doc(statement: serde_json::Value) -> String {
    serde_json::json!({"Version": "2012-10-17", "Statement": [statement]}).to_string()
}

fn allow(action: &str, resource: &str) -> String {
    doc(serde_json::json!({"Effect": "Allow", "Action": action, "Resource": resource}))
}

fn trust(principal: serde_json::Value, condition: Option<serde_json::Value>) -> String {
    let mut st = serde_json::json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": principal});
    if let Some(c) = condition {
        st["Condition"] = c;
    }
    doc(st)
}

const EC2_TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

async fn create_policy(iam: &Client, name: &str, document: &str) -> String {
    iam.create_policy()
        .policy_name(name)
        .policy_document(document)
        .send()
        .await
        .expect("CreatePolicy")
        .policy()
        .and_then(|p| p.arn())
        .expect("policy arn")
        .to_string()
}

async fn create_user(iam: &Client, name: &str) {
    iam.create_user()
        .user_name(name)
        .send()
        .await
        .expect("CreateUser");
}

async fn create_key(iam: &Client, user: &str) -> String {
    iam.create_access_key()
        .user_name(user)
        .send()
        .await
        .expect("CreateAccessKey")
        .access_key()
        .map(|k| k.access_key_id().to_string())
        .expect("access key")
}

async fn create_role(iam: &Client, name: &str, trust: &str) {
    iam.create_role()
        .role_name(name)
        .assume_role_policy_document(trust)
        .send()
        .await
        .expect("CreateRole");
}

const SUPPORT: &str = "arn:aws:iam::aws:policy/AWSSupportAccess";
const CLOUDSHELL: &str = "arn:aws:iam::aws:policy/AWSCloudShellFullAccess";

/// Whether this moto serves AWS managed policies (see the module documentation).
async fn aws_managed_policies(iam: &Client) -> bool {
    iam.get_policy().policy_arn(SUPPORT).send().await.is_ok()
}

/// The principals of the scenario; the flag says whether the AWS managed policies could be
/// attached (`role-support` holds AWSSupportAccess, carol AWSCloudShellFullAccess).
async fn seed_principals(iam: &Client) -> (Seeded, bool) {
    let mut s = Seeded::default();
    // Account-level rules judge the account's `aws_caller_identity`, whose physical id is the
    // account id.
    s.set("account", ACCOUNT);
    s.set("root", format!("arn:aws:iam::{ACCOUNT}:root"));
    let managed = aws_managed_policies(iam).await;
    if !managed {
        eprintln!(
            "notice: moto was started without MOTO_IAM_LOAD_MANAGED_POLICIES=true: \
             AWS managed policies cannot be attached"
        );
    }

    // Customer managed policies.
    let admin = create_policy(iam, "admin-policy", &allow("*", "*")).await;
    s.set("policy-admin", &admin);
    let scoped = create_policy(
        iam,
        "scoped-policy",
        &allow("s3:GetObject", "arn:aws:s3:::reports/*"),
    )
    .await;
    s.set("policy-scoped", &scoped);

    // A group with a scoped inline policy.
    iam.create_group()
        .group_name("devs")
        .send()
        .await
        .expect("CreateGroup");
    iam.put_group_policy()
        .group_name("devs")
        .policy_name("devs-read")
        .policy_document(allow("s3:GetObject", "arn:aws:s3:::reports/*"))
        .send()
        .await
        .expect("PutGroupPolicy");
    s.set("group-devs", "devs");
    s.set("group-devs-inline", "devs:devs-read");

    // alice: in a group, no policy of her own, one active key.
    create_user(iam, "alice").await;
    iam.add_user_to_group()
        .group_name("devs")
        .user_name("alice")
        .send()
        .await
        .expect("AddUserToGroup");
    create_key(iam, "alice").await;
    s.set("alice", "alice");

    // bob: no group, an inline admin policy, an attached policy, two active keys.
    create_user(iam, "bob").await;
    iam.put_user_policy()
        .user_name("bob")
        .policy_name("bob-inline")
        .policy_document(allow("*", "*"))
        .send()
        .await
        .expect("PutUserPolicy");
    iam.attach_user_policy()
        .user_name("bob")
        .policy_arn(&scoped)
        .send()
        .await
        .expect("AttachUserPolicy");
    create_key(iam, "bob").await;
    create_key(iam, "bob").await;
    s.set("bob", "bob");
    s.set("bob-inline", "bob:bob-inline");

    // carol: in the group, an attached policy (and CloudShell full access when moto has it),
    // one active and one inactive key.
    create_user(iam, "carol").await;
    iam.add_user_to_group()
        .group_name("devs")
        .user_name("carol")
        .send()
        .await
        .expect("AddUserToGroup");
    iam.attach_user_policy()
        .user_name("carol")
        .policy_arn(&scoped)
        .send()
        .await
        .expect("AttachUserPolicy");
    if managed {
        iam.attach_user_policy()
            .user_name("carol")
            .policy_arn(CLOUDSHELL)
            .send()
            .await
            .expect("AttachUserPolicy");
    }
    create_key(iam, "carol").await;
    let old = create_key(iam, "carol").await;
    iam.update_access_key()
        .user_name("carol")
        .access_key_id(old)
        .status(StatusType::Inactive)
        .send()
        .await
        .expect("UpdateAccessKey");
    s.set("carol", "carol");

    // Roles and their trust policies.
    create_role(iam, "role-open", &trust(serde_json::json!({"AWS": "*"}), None)).await;
    s.set("role-open", "role-open");
    create_role(
        iam,
        "role-cross",
        &trust(serde_json::json!({"AWS": "arn:aws:iam::111122223333:root"}), None),
    )
    .await;
    s.set("role-cross", "role-cross");
    create_role(
        iam,
        "role-cross-extid",
        &trust(
            serde_json::json!({"AWS": "arn:aws:iam::111122223333:root"}),
            Some(serde_json::json!({"StringEquals": {"sts:ExternalId": "shared-secret"}})),
        ),
    )
    .await;
    s.set("role-cross-extid", "role-cross-extid");
    create_role(
        iam,
        "role-same-account",
        &trust(
            serde_json::json!({"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}),
            None,
        ),
    )
    .await;
    s.set("role-same-account", "role-same-account");
    create_role(
        iam,
        "role-support",
        &trust(
            serde_json::json!({"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}),
            None,
        ),
    )
    .await;
    if managed {
        iam.attach_role_policy()
            .role_name("role-support")
            .policy_arn(SUPPORT)
            .send()
            .await
            .expect("AttachRolePolicy");
    }
    s.set("role-support", "role-support");

    // EC2 roles behind instance profiles: one can list every bucket, one reads one bucket.
    create_role(iam, "role-lister", EC2_TRUST).await;
    iam.put_role_policy()
        .role_name("role-lister")
        .policy_name("list-all")
        .policy_document(allow("s3:ListAllMyBuckets", "*"))
        .send()
        .await
        .expect("PutRolePolicy");
    s.set("role-lister", "role-lister");
    s.set("role-lister-inline", "role-lister:list-all");
    create_role(iam, "role-reader", EC2_TRUST).await;
    iam.put_role_policy()
        .role_name("role-reader")
        .policy_name("read-reports")
        .policy_document(allow("s3:GetObject", "arn:aws:s3:::reports/*"))
        .send()
        .await
        .expect("PutRolePolicy");
    s.set("role-reader", "role-reader");
    s.set("role-reader-inline", "role-reader:read-reports");
    for (profile, role) in [
        ("profile-lister", Some("role-lister")),
        ("profile-reader", Some("role-reader")),
        ("profile-empty", None),
    ] {
        iam.create_instance_profile()
            .instance_profile_name(profile)
            .send()
            .await
            .expect("CreateInstanceProfile");
        if let Some(role) = role {
            iam.add_role_to_instance_profile()
                .instance_profile_name(profile)
                .role_name(role)
                .send()
                .await
                .expect("AddRoleToInstanceProfile");
        }
        s.set(profile, profile);
    }
    (s, managed)
}

fn of_type<'a>(out: &'a LoadOutput, ty: &str) -> Vec<&'a attest_core::Resource> {
    out.resources.iter().filter(|r| r.resource_type == ty).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn principals_policies_keys_and_profiles() {
    let Some(endpoint) = endpoint() else { return };
    let _turn = MOTO.lock().await;
    reset(&endpoint).await;
    let cfg = sdk(&endpoint).await;
    let iam = Client::new(&cfg);
    let (seeded, managed) = seed_principals(&iam).await;

    let out = collect(&options(&endpoint, &["iam"])).await;
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    let verdicts = judge(&out, &seeded, PRINCIPAL_RULES);
    // Without AWS managed policies in moto: no support role, and nobody has CloudShell.
    let (support, carol_shell) = if managed { (Pass, Fail) } else { (Fail, Pass) };
    assert_verdicts(
        &verdicts,
        &[
            ("aws-iam-no-admin-policy", "policy-admin", Fail),
            ("aws-iam-no-admin-policy", "policy-scoped", Pass),
            ("aws-iam-no-admin-policy", "bob-inline", Fail),
            ("aws-iam-no-admin-policy", "group-devs-inline", Pass),
            ("aws-iam-no-s3-list-all-buckets", "role-lister-inline", Fail),
            ("aws-iam-no-s3-list-all-buckets", "role-reader-inline", Pass),
            ("aws-iam-no-s3-list-all-buckets", "policy-scoped", Pass),
            ("aws-iam-user-no-direct-policies", "alice", Pass),
            ("aws-iam-user-no-direct-policies", "bob", Fail),
            ("aws-iam-user-no-direct-policies", "carol", Fail),
            ("aws-iam-user-in-group", "alice", Pass),
            ("aws-iam-user-in-group", "carol", Pass),
            ("aws-iam-user-in-group", "bob", Fail),
            ("aws-iam-user-single-active-access-key", "alice", Pass),
            ("aws-iam-user-single-active-access-key", "carol", Pass),
            ("aws-iam-user-single-active-access-key", "bob", Fail),
            ("aws-iam-role-trust-no-wildcard", "role-open", Fail),
            ("aws-iam-role-trust-no-wildcard", "role-cross", Pass),
            ("aws-iam-role-trust-no-wildcard", "role-lister", Pass),
            ("aws-iam-role-cross-account-trust-conditions", "role-cross", Fail),
            ("aws-iam-role-cross-account-trust-conditions", "role-open", Fail),
            (
                "aws-iam-role-cross-account-trust-conditions",
                "role-cross-extid",
                Pass,
            ),
            (
                "aws-iam-role-cross-account-trust-conditions",
                "role-same-account",
                Pass,
            ),
            ("aws-iam-role-cross-account-trust-conditions", "role-lister", Pass),
            ("aws-iam-support-role", "account", support),
            ("aws-iam-no-cloudshell-full-access", "carol", carol_shell),
            ("aws-iam-no-cloudshell-full-access", "alice", Pass),
            ("aws-iam-no-cloudshell-full-access", "role-support", Pass),
            ("aws-iam-no-cloudshell-full-access", "group-devs", Pass),
            (
                "aws-iam-instance-profile-no-s3-list-all-buckets",
                "profile-lister",
                Fail,
            ),
            (
                "aws-iam-instance-profile-no-s3-list-all-buckets",
                "profile-reader",
                Pass,
            ),
            (
                "aws-iam-instance-profile-no-s3-list-all-buckets",
                "profile-empty",
                Pass,
            ),
        ],
    );
    // Nothing unseeded was judged (moto has no principals of its own): an unseeded resource
    // would show as its id (an ARN or `<type>:<region>:<id>`).
    for (rule, who, verdict) in &verdicts {
        assert!(!who.contains(':'), "{rule} judged an unseeded {who}: {verdict:?}");
    }

    // The joined shape: inline policies and attachments on the principal, trust policy as JSON.
    let bob = out
        .resources
        .iter()
        .find(|r| r.resource_type == "aws_iam_user" && r.physical_id.as_deref() == Some("bob"))
        .expect("bob");
    assert_eq!(bob.id, format!("arn:aws:iam::{ACCOUNT}:user/bob"));
    assert_eq!(bob.provenance.account.as_deref(), Some(ACCOUNT));
    assert_eq!(bob.provenance.region, None);
    assert_eq!(bob.attr("inline_policy.0.name").as_str(), Some("bob-inline"));
    assert_eq!(
        bob.attr("managed_policy_arns").to_json(),
        serde_json::json!([seeded.get("policy-scoped")])
    );
    let keys: Vec<_> = of_type(&out, "aws_iam_access_key")
        .into_iter()
        .filter(|k| k.attr("user").as_str() == Some("bob"))
        .collect();
    assert_eq!(keys.len(), 2);
    assert!(keys.iter().all(|k| k.attr("status").as_str() == Some("Active")
        && k.attr("secret").is_null()
        && k.attr("create_date").as_str().is_some()));
    let open = out
        .resources
        .iter()
        .find(|r| r.physical_id.as_deref() == Some("role-open"))
        .expect("role-open");
    let trust: serde_json::Value =
        serde_json::from_str(open.attr("assume_role_policy").as_str().expect("trust JSON"))
            .expect("trust parses");
    assert_eq!(trust["Statement"][0]["Principal"]["AWS"], "*");
    let memberships = of_type(&out, "aws_iam_user_group_membership");
    assert_eq!(memberships.len(), 2, "{memberships:#?}");
    // Edges to the principals the children name.
    let profile = out
        .resources
        .iter()
        .find(|r| r.physical_id.as_deref() == Some("profile-lister"))
        .expect("profile-lister");
    assert!(out.references.iter().any(|r| r.from == profile.id
        && r.path == "role"
        && r.to == format!("arn:aws:iam::{ACCOUNT}:role/role-lister")));
    assert!(out.references.iter().any(|r| r.path == "managed_policy_arns.0"
        && r.from == bob.id
        && r.to == seeded.get("policy-scoped")));

    // The snapshot reads back to the same verdicts, and joining split resources again (as a scan
    // of the snapshot does) changes none: the inline policies are already on their principals.
    let doc = attest_aws::inventory_document(&out, "attest test");
    let text = serde_json::to_string(&doc).expect("inventory serializes");
    let reread: serde_json::Value = serde_json::from_str(&text).expect("inventory parses");
    let mut back = attest_iac::inventory::load_inventory(std::path::Path::new("inventory.json"), &reread);
    assert!(back.errors.is_empty(), "{:?}", back.errors);
    assert_eq!(back.resources, out.resources);
    attest_iac::normalize::join_split_resources(&mut back);
    assert_eq!(judge(&back, &seeded, PRINCIPAL_RULES), verdicts);
    let joined = back
        .resources
        .iter()
        .find(|r| r.id == bob.id)
        .expect("bob after the join");
    assert_eq!(
        joined.attr("inline_policy").as_list().map(|l| l.len()),
        Some(1),
        "{joined:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_policy_root_user_and_support_role() {
    let Some(endpoint) = endpoint() else { return };
    let _turn = MOTO.lock().await;
    reset(&endpoint).await;
    let cfg = sdk(&endpoint).await;
    let iam = Client::new(&cfg);
    let mut seeded = Seeded::default();
    seeded.set("account", ACCOUNT);
    seeded.set("root", format!("arn:aws:iam::{ACCOUNT}:root"));
    // A user without AWSSupportAccess: the account has no support role.
    create_user(&iam, "dave").await;
    seeded.set("dave", "dave");

    // A weak policy: every password rule fails. In a live scan the password rules judge each
    // account read (its `aws_caller_identity`), through its policy.
    iam.update_account_password_policy()
        .minimum_password_length(8)
        .send()
        .await
        .expect("UpdateAccountPasswordPolicy");
    let out = collect(&options(&endpoint, &["iam"])).await;
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    let verdicts = judge(&out, &seeded, ACCOUNT_RULES);
    let mut expect: Vec<(&str, &str, Verdict)> =
        PASSWORD_RULES.iter().map(|r| (*r, "account", Fail)).collect();
    expect.extend([
        // moto's account summary: no root MFA, no root access keys.
        ("aws-iam-root-mfa", "root", Fail),
        ("aws-iam-root-hardware-mfa", "root", Fail),
        ("aws-iam-root-no-access-keys", "root", Pass),
        ("aws-iam-support-role", "account", Fail),
    ]);
    assert_verdicts(&verdicts, &expect);
    assert_eq!(verdicts.len(), expect.len(), "{verdicts:#?}");
    let summary = of_type(&out, "aws_iam_account_summary");
    assert_eq!(summary.len(), 1);
    assert_eq!(summary[0].id, format!("arn:aws:iam::{ACCOUNT}:root"));
    assert!(summary[0].attr("root_mfa_virtual").is_null());
    let policy = of_type(&out, "aws_iam_account_password_policy");
    assert_eq!(policy.len(), 1);
    assert_eq!(
        policy[0].physical_id.as_deref(),
        Some("iam-account-password-policy")
    );
    assert_eq!(policy[0].attr("minimum_password_length").as_i64(), Some(8));

    // A strong policy: every password rule passes.
    iam.update_account_password_policy()
        .minimum_password_length(14)
        .require_symbols(true)
        .require_numbers(true)
        .require_uppercase_characters(true)
        .require_lowercase_characters(true)
        .allow_users_to_change_password(true)
        .max_password_age(90)
        .password_reuse_prevention(24)
        .send()
        .await
        .expect("UpdateAccountPasswordPolicy");
    let out = collect(&options(&endpoint, &["iam"])).await;
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    let verdicts = judge(&out, &seeded, PASSWORD_RULES);
    let expect: Vec<(&str, &str, Verdict)> = PASSWORD_RULES.iter().map(|r| (*r, "account", Pass)).collect();
    assert_verdicts(&verdicts, &expect);
    assert_eq!(verdicts.len(), expect.len(), "{verdicts:#?}");

    // No policy at all (NoSuchEntity): no resource and no error; the account fails every rule.
    iam.delete_account_password_policy()
        .send()
        .await
        .expect("DeleteAccountPasswordPolicy");
    let out = collect(&options(&endpoint, &["iam"])).await;
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    assert!(of_type(&out, "aws_iam_account_password_policy").is_empty());
    let verdicts = judge(&out, &seeded, PASSWORD_RULES);
    let expect: Vec<(&str, &str, Verdict)> = PASSWORD_RULES.iter().map(|r| (*r, "account", Fail)).collect();
    assert_verdicts(&verdicts, &expect);
    assert_eq!(verdicts.len(), expect.len(), "{verdicts:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_iam_leaves_errors_placeholders_and_unknowns() {
    let Some(endpoint) = endpoint() else { return };
    let _turn = MOTO.lock().await;
    reset(&endpoint).await;
    let cfg = sdk(&endpoint).await;
    let iam = Client::new(&cfg);
    let (seeded, _) = seed_principals(&iam).await;

    let opts = options(&endpoint, &["iam"])
        .with_service_endpoint("iam", "http://127.0.0.1:9")
        .with_max_attempts(1);
    let out = collect(&opts).await;
    let files: Vec<&str> = out.errors.iter().map(|e| e.file.as_str()).collect();
    assert_eq!(
        files,
        vec![
            "aws:global:iam.GenerateCredentialReport",
            "aws:global:iam.GetAccountPasswordPolicy",
            "aws:global:iam.GetAccountSummary",
            "aws:global:iam.ListGroups",
            "aws:global:iam.ListInstanceProfiles",
            "aws:global:iam.ListPolicies",
            "aws:global:iam.ListRoles",
            "aws:global:iam.ListUsers",
            "aws:global:iam.ListVirtualMFADevices",
        ],
        "{:#?}",
        out.errors
    );
    // Placeholders stand for what could not be listed; nothing is judged as managed.
    let mut placeholders: Vec<&str> = out
        .resources
        .iter()
        .filter(|r| r.mode == Mode::Data && r.id.ends_with(":unreadable"))
        .map(|r| r.id.as_str())
        .collect();
    placeholders.sort();
    assert_eq!(
        placeholders,
        vec![
            "aws_iam_account_password_policy:global:unreadable",
            "aws_iam_group:global:unreadable",
            "aws_iam_role:global:unreadable",
            "aws_iam_user:global:unreadable",
        ]
    );
    // Every account-level rule is unknown: the placeholders say the password policy and the
    // principals could not be read, the account summary's attributes are unknown.
    let verdicts = judge(&out, &seeded, ACCOUNT_RULES);
    let mut expect: Vec<(String, String, Verdict)> = ACCOUNT_RULES
        .iter()
        .map(|r| {
            let who = if r.starts_with("aws-iam-root") {
                "root"
            } else {
                "account"
            };
            (r.to_string(), who.to_string(), Unknown)
        })
        .collect();
    expect.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    assert_eq!(verdicts, expect);
    // Nothing else is judged: no principal could be read.
    assert_eq!(
        judge(&out, &seeded, PRINCIPAL_RULES),
        vec![("aws-iam-support-role".to_string(), "account".to_string(), Unknown)]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn denied_calls_leave_what_they_tell_unknown() {
    let Some(endpoint) = endpoint() else { return };
    let _turn = MOTO.lock().await;
    reset(&endpoint).await;
    let cfg = sdk(&endpoint).await;
    let iam = Client::new(&cfg);
    let (seeded, managed) = seed_principals(&iam).await;
    iam.update_account_password_policy()
        .minimum_password_length(14)
        .send()
        .await
        .expect("UpdateAccountPasswordPolicy");

    let proxy = deny_proxy(
        &endpoint,
        [
            "ListAttachedUserPolicies",
            "ListGroupsForUser",
            "ListAccessKeys",
            "GetRolePolicy",
            "GetAccountSummary",
            "GetAccountPasswordPolicy",
        ]
        .into_iter()
        .map(Denied::Query)
        .collect(),
    )
    .await;
    let opts = options(&endpoint, &["iam"])
        .with_service_endpoint("iam", &proxy)
        .with_max_attempts(1);
    let out = collect(&opts).await;

    // One error per denied call: per user, per role with inline policies, per account.
    let mut calls: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &out.errors {
        assert!(e.message.contains("AccessDenied"), "{e:?}");
        *calls.entry(e.file.as_str()).or_default() += 1;
    }
    assert_eq!(
        calls,
        BTreeMap::from([
            ("aws:global:iam.GetAccountPasswordPolicy", 1),
            ("aws:global:iam.GetAccountSummary", 1),
            ("aws:global:iam.GetRolePolicy", 2),
            ("aws:global:iam.ListAccessKeys", 3),
            ("aws:global:iam.ListAttachedUserPolicies", 3),
            ("aws:global:iam.ListGroupsForUser", 3),
        ]),
        "{:#?}",
        out.errors
    );

    let mut rules = PRINCIPAL_RULES.to_vec();
    rules.extend(ACCOUNT_RULES);
    // aws-iam-user-single-active-access-key reads only managed keys, so it cannot yet see the
    // data resources that stand for unreadable key lists (asserted below): not judged here.
    rules.retain(|r| *r != "aws-iam-user-single-active-access-key");
    rules.sort();
    rules.dedup();
    let verdicts = judge(&out, &seeded, &rules);
    assert_verdicts(
        &verdicts,
        &[
            // The inline policy is known; the attachments of users are not.
            ("aws-iam-user-no-direct-policies", "bob", Fail),
            ("aws-iam-user-no-direct-policies", "alice", Unknown),
            ("aws-iam-user-no-direct-policies", "carol", Unknown),
            ("aws-iam-user-in-group", "alice", Unknown),
            ("aws-iam-user-in-group", "bob", Unknown),
            ("aws-iam-user-in-group", "carol", Unknown),
            ("aws-iam-no-cloudshell-full-access", "alice", Unknown),
            ("aws-iam-no-cloudshell-full-access", "carol", Unknown),
            ("aws-iam-no-cloudshell-full-access", "role-support", Pass),
            ("aws-iam-no-cloudshell-full-access", "group-devs", Pass),
            // A user's unreadable attachments might hold AWSSupportAccess.
            (
                "aws-iam-support-role",
                "account",
                if managed { Pass } else { Unknown },
            ),
            ("aws-iam-no-admin-policy", "bob-inline", Fail),
            ("aws-iam-no-admin-policy", "group-devs-inline", Pass),
            ("aws-iam-no-admin-policy", "role-lister-inline", Unknown),
            ("aws-iam-no-s3-list-all-buckets", "role-lister-inline", Unknown),
            ("aws-iam-no-s3-list-all-buckets", "role-reader-inline", Unknown),
            (
                "aws-iam-instance-profile-no-s3-list-all-buckets",
                "profile-lister",
                Unknown,
            ),
            (
                "aws-iam-instance-profile-no-s3-list-all-buckets",
                "profile-reader",
                Unknown,
            ),
            (
                "aws-iam-instance-profile-no-s3-list-all-buckets",
                "profile-empty",
                Pass,
            ),
            ("aws-iam-role-trust-no-wildcard", "role-open", Fail),
            ("aws-iam-root-mfa", "root", Unknown),
            ("aws-iam-root-hardware-mfa", "root", Unknown),
            ("aws-iam-root-no-access-keys", "root", Unknown),
        ],
    );
    // The password policy could not be read: a data placeholder, so every password rule is
    // unknown for the account.
    let expect: Vec<(&str, &str, Verdict)> =
        PASSWORD_RULES.iter().map(|r| (*r, "account", Unknown)).collect();
    assert_verdicts(&verdicts, &expect);
    let placeholder = out
        .resources
        .iter()
        .find(|r| r.id == "aws_iam_account_password_policy:global:unreadable")
        .expect("password policy placeholder");
    assert_eq!(placeholder.mode, Mode::Data);
    assert!(placeholder.attr("minimum_password_length").is_unknown());
    // Each user's unreadable keys are one data resource with an unknown status.
    let mut unreadable: Vec<&str> = of_type(&out, "aws_iam_access_key")
        .into_iter()
        .filter(|k| k.mode == Mode::Data && k.attr("status").is_unknown())
        .map(|k| k.id.as_str())
        .collect();
    unreadable.sort();
    assert_eq!(
        unreadable,
        vec![
            "aws_iam_access_key:global:alice:unreadable",
            "aws_iam_access_key:global:bob:unreadable",
            "aws_iam_access_key:global:carol:unreadable",
        ]
    );
    assert!(!out
        .resources
        .iter()
        .any(|r| r.resource_type == "aws_iam_access_key" && r.mode == Mode::Managed));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credential_report_rows() {
    let Some(endpoint) = endpoint() else { return };
    let _turn = MOTO.lock().await;
    reset(&endpoint).await;
    let iam = Client::new(&sdk(&endpoint).await);
    create_user(&iam, "alice").await;
    create_key(&iam, "alice").await;
    create_user(&iam, "bob").await;

    let out = collect(&options(&endpoint, &["iam"])).await;
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    let report = out
        .resources
        .iter()
        .find(|r| r.resource_type == "aws_iam_credential_report")
        .expect("the credential report");
    assert_eq!(report.id, format!("arn:aws:iam::{ACCOUNT}:credential-report"));
    let users = report.attr("users").to_json();
    let row = |name: &str| {
        users
            .as_array()
            .and_then(|rows| rows.iter().find(|r| r["user"] == name))
            .cloned()
            .unwrap_or_else(|| panic!("row of {name} in {users:#}"))
    };
    // moto's report has no `<root_account>` row (AWS's always has one): the root row is covered
    // by the unit tests of `iam_credential_report`.
    let (alice, bob) = (row("alice"), row("bob"));
    assert_eq!(alice["access_key_1_active"], true);
    assert_eq!(alice["mfa_active"], false);
    assert_eq!(bob["access_key_1_active"], false);
    assert!(alice["access_key_1_last_rotated"].is_string(), "{alice:#}");
}

//! Three-way drift, the code side: how a live AWS account differs from the infrastructure code
//! that declares it.
//!
//! [`compare`] pairs each managed resource loaded from Terraform (HCL, plan, state) or
//! CloudFormation with the live resource it declares, and sorts both sides into:
//!
//! - `changed`: pairs whose attributes differ. Only what the code declares is compared (code
//!   leaves most attributes to their defaults), and only known values: a value unknown on either
//!   side (known after apply, unreadable) is counted as undecided, never as drift. Each change is
//!   an [`AttributeChange`] whose `old` is the value the code expects and `new` the live one;
//! - `missing`: code resources whose identity is known and that the live scan does not have;
//! - `unmanaged`: live resources that no code resource declares;
//! - `provider_managed`: live resources nobody declares in code (service-linked roles, default
//!   VPCs and security groups, AWS-managed keys and policies, account reports and settings), with
//!   the reason;
//! - `undetermined`: code resources whose identity cannot be told (a name generated at apply or
//!   deployment, a reference to another resource's id), that match several live resources, or
//!   whose type the live scan could not list: whether they exist cannot be said;
//! - `not_collected`: code resources of a type the live scan does not read.
//!
//! # Matching
//!
//! A code resource of type `T` is looked for among live resources of `T` (or of the type the live
//! scan shows it as: `aws_alb` is an `aws_lb`, `aws_default_vpc` the `aws_vpc` whose `default` is
//! true, `aws_elasticsearch_domain` an `aws_opensearch_domain`):
//!
//! 1. by id: its physical id, or its known `arn` or `id` attribute (state and plan files carry
//!    them), equal to a live resource's key, physical id, `arn` or `id`; a live resource whose
//!    natural identity contradicts the code's is never taken this way (ids such as a Lambda
//!    permission's statement id are not unique);
//! 2. else by natural identity: per type, the attributes that name a resource in an account and
//!    region (`bucket`, `name`, `function_name`, a security group's `name` and, when known on both
//!    sides, `vpc_id`…), compared on both sides; an identity that is unknown or absent (a name
//!    left for the provider to generate) never matches, and the resource is undetermined. Region
//!    singletons (a GuardDuty detector, EBS encryption by default) match the one live resource
//!    of their type.
//!
//! When the code's provenance names an account or region, only live resources there match.
//!
//! Split resources that the loaders joined to their parent (`aws_s3_bucket_versioning` into
//! `aws_s3_bucket`, `aws_security_group_rule` into `aws_security_group`, inline policies and
//! policy attachments into IAM principals) are compared through the parent's joined attributes,
//! in the shape the live collectors give, and are not listed on their own. A split resource whose
//! parent is not in the code is matched to the live parent it names (its `bucket`,
//! `security_group_id`, `role`…) and compared on what it configures: the bucket's versioning, one
//! rule of the group, one attached policy. Lists such split resources add to (rules, inline
//! policies, attached policies) are compared as subsets, since other resources may add to them
//! too; lists the parent declares itself are exclusive.
//!
//! # Comparing
//!
//! - Objects are compared on the keys the code declares that the live side has (a key the live
//!   scan does not collect is not compared); a scalar the code leaves empty (`""`, `false`, `0`,
//!   `[]`) equals a live `null`.
//! - Lists of scalars are multisets; lists of blocks pair each code block with a live block
//!   equal on the keys the code block declares. A list whose blocks cannot all be paired is
//!   reported as the blocks that are only on one side (`lifecycle_rule[]`), or whole when the
//!   lengths differ; a single block is compared key by key (`versioning[0].enabled`).
//! - `tags` (or `tags_all`, with the provider's default tags, when the input has it) are
//!   authoritative: a live tag the code does not declare is drift, except the `aws:` tags AWS
//!   adds itself.
//! - JSON documents held in strings (policies) are compared parsed, statement order, single
//!   values versus lists of one and the order of actions, resources and principals aside.
//! - Security group rules are compared as the rules AWS keeps: one per protocol, port range and
//!   source, however the code groups them.
//! - Secrets, attributes the live scan redacts, and attributes whose live representation is not
//!   the code's (a bucket's canned `acl`, a Lambda function's `source_code_hash`, a task
//!   definition's `container_definitions`…) are left out, and so are the volatile attributes of
//!   [`Ignore`].
//!
//! # Coverage
//!
//! Whether the live scan reads a type is decided by [`compare_with`]'s `collected_types` when
//! given; else a type is taken as read when the snapshot has a resource of it or records that it
//! could not list it. A code resource of a type that is not read is `not_collected`, not
//! `missing`; one whose type the scan could not list where it would live is `undetermined`.
//!
//! Code resources that share an address (the same input given twice) are compared once: a state
//! file first, then a plan, then the configuration.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};

use attest_core::redact::{is_secret_key, REDACTED};
use attest_core::{is_unreadable_placeholder, InputKind, Mode, Resource, Snapshot, SnapshotResource, Value};

use crate::drift::{AttributeChange, Ignore};

/// A resource of the infrastructure code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CodeRef {
    /// The Terraform address or CloudFormation logical id.
    pub address: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

impl CodeRef {
    pub fn of(r: &Resource) -> CodeRef {
        CodeRef {
            address: r.id.clone(),
            resource_type: r.resource_type.clone(),
            file: r.location().map(|l| l.file.clone()),
            line: r.location().map(|l| l.line),
        }
    }
}

/// A resource of the live scan.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LiveRef {
    /// The snapshot key (the ARN, or the physical id).
    pub key: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub physical_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

impl LiveRef {
    pub fn of(r: &SnapshotResource) -> LiveRef {
        LiveRef {
            key: r.key.clone(),
            resource_type: r.resource_type.clone(),
            physical_id: r.physical_id.clone(),
            region: r.region.clone(),
        }
    }
}

/// A code resource and the live resource it declares, which differ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IacChange {
    pub code: CodeRef,
    pub live: LiveRef,
    /// `old` is what the code declares, `new` what is live. Sorted by path.
    pub changes: Vec<AttributeChange>,
    /// Attributes the code declares that could not be compared (unknown on a side).
    pub undecided: usize,
}

/// How a live account differs from its infrastructure code. Every list is sorted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IacDrift {
    /// Code resources paired with a live resource (a split resource counts once per live parent).
    pub matched: usize,
    pub changed: Vec<IacChange>,
    /// In the code, not in the account.
    pub missing: Vec<CodeRef>,
    /// In the account, not in the code.
    pub unmanaged: Vec<LiveRef>,
    /// In the account, never in code, with the reason.
    pub provider_managed: Vec<(LiveRef, String)>,
    /// In the code; whether it is in the account cannot be told.
    pub undetermined: Vec<CodeRef>,
    /// In the code, of a type the live scan does not read.
    pub not_collected: Vec<CodeRef>,
}

impl IacDrift {
    /// Nothing changed, missing or unmanaged (undetermined and not-collected resources are not
    /// drift: nothing could be said of them).
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty() && self.unmanaged.is_empty()
    }
}

/// Compares a live snapshot with the resources of infrastructure code, with the built-in
/// volatile attributes left out and coverage decided from the snapshot.
pub fn compare(live: &Snapshot, code: &[Resource]) -> IacDrift {
    compare_with(live, code, &Ignore::defaults(), None)
}

/// [`compare`], leaving out the attribute changes `ignore` matches (by live type and path), and
/// with `collected_types`, when given, the resource types the live scan reads: a code resource
/// of such a type that the snapshot lacks is missing even when the snapshot has no resource of
/// that type at all.
pub fn compare_with(
    live: &Snapshot,
    code: &[Resource],
    ignore: &Ignore,
    collected_types: Option<&[&str]>,
) -> IacDrift {
    let index = Live::new(live, collected_types);
    let code = code_resources(code);
    let covered = joined_children(&code);
    let mut out = IacDrift::default();
    let mut claimed: HashSet<usize> = HashSet::new();
    for r in &code {
        if covered.contains(r.id.as_str()) {
            continue;
        }
        let outcome = match orphan_kind(&r.resource_type) {
            Some(kind) => index.orphan(r, kind, ignore),
            None => index.resource(r, ignore),
        };
        match outcome {
            Outcome::Matched(pairings) => {
                for p in pairings {
                    out.matched += 1;
                    claimed.insert(p.live);
                    claimed.extend(p.claims);
                    if !p.changes.is_empty() {
                        let mut changes = p.changes;
                        changes.sort_by_cached_key(change_key);
                        changes.dedup();
                        out.changed.push(IacChange {
                            code: CodeRef::of(r),
                            live: LiveRef::of(&live.resources[p.live]),
                            changes,
                            undecided: p.undecided,
                        });
                    }
                }
            }
            Outcome::Missing => out.missing.push(CodeRef::of(r)),
            Outcome::Undetermined => out.undetermined.push(CodeRef::of(r)),
            Outcome::NotCollected => out.not_collected.push(CodeRef::of(r)),
        }
    }
    let service_roles: HashSet<&str> = live
        .resources
        .iter()
        .zip(&index.attrs)
        .filter(|(r, a)| r.resource_type == "aws_iam_role" && service_linked(a))
        .filter_map(|(_, a)| a.get("name").as_str())
        .collect();
    for (i, r) in live.resources.iter().enumerate() {
        if claimed.contains(&i) {
            continue;
        }
        match provider_managed(r, &index.attrs[i], &service_roles) {
            Some(reason) => out.provider_managed.push((LiveRef::of(r), reason)),
            None => out.unmanaged.push(LiveRef::of(r)),
        }
    }
    out.changed
        .sort_by(|a, b| (&a.code, &a.live).cmp(&(&b.code, &b.live)));
    for list in [&mut out.missing, &mut out.undetermined, &mut out.not_collected] {
        list.sort();
        list.dedup();
    }
    out.unmanaged.sort();
    out.provider_managed.sort();
    out
}

/// The managed code resources, one per address (state before plan before configuration).
fn code_resources(code: &[Resource]) -> Vec<&Resource> {
    let rank = |r: &Resource| match r.provenance.input {
        InputKind::TfState => 0,
        InputKind::TfPlan => 1,
        InputKind::TfHcl => 2,
        _ => 3,
    };
    let mut by_id: BTreeMap<&str, &Resource> = BTreeMap::new();
    for r in code.iter().filter(|r| {
        r.mode == Mode::Managed && r.provenance.input != InputKind::Live && !is_unreadable_placeholder(r)
    }) {
        match by_id.get(r.id.as_str()) {
            Some(kept) if rank(kept) <= rank(r) => {}
            _ => {
                by_id.insert(r.id.as_str(), r);
            }
        }
    }
    by_id.into_values().collect()
}

/// The ids of split resources joined to a parent in the code (the parent's `_sources`).
fn joined_children<'a>(code: &[&'a Resource]) -> HashSet<&'a str> {
    let mut out = HashSet::new();
    for r in code {
        if let Some(sources) = r.attributes.get("_sources").as_object() {
            for ids in sources.values() {
                for id in ids.as_list().unwrap_or_default() {
                    if let Some(id) = id.as_str() {
                        out.insert(id);
                    }
                }
            }
        }
    }
    out
}

/// Changes by path, then removals before value changes before additions.
fn change_key(c: &AttributeChange) -> (String, u8, String, String) {
    let rank = match (&c.old, &c.new) {
        (Some(_), None) => 0,
        (Some(_), Some(_)) => 1,
        (None, _) => 2,
    };
    let text = |v: &Option<Json>| v.as_ref().map(Json::to_string).unwrap_or_default();
    (c.path.clone(), rank, text(&c.old), text(&c.new))
}

// ---------------------------------------------------------------------------------------------
// Identity
// ---------------------------------------------------------------------------------------------

/// `(code attribute, live attribute)`.
type Attr = (&'static str, &'static str);

/// How a code resource is found among live resources when no id names it.
#[derive(Clone, Copy)]
enum Natural {
    /// Only ids match.
    Ids,
    /// These attributes must be known and equal; the optional ones narrow the match when known
    /// on both sides.
    Attrs(&'static [Attr], &'static [Attr]),
    /// One per account and region.
    Singleton,
    /// A flow log: the resource it watches and its traffic type.
    FlowLog,
}

/// Where a code type is found live.
struct Spec<'a> {
    live_type: &'a str,
    natural: Natural,
    /// Which live resources of `live_type` the code type can be.
    only: Option<fn(&Value) -> bool>,
}

fn spec(code_type: &str) -> Spec<'_> {
    use Natural::*;
    const NAME: &[Attr] = &[("name", "name")];
    let s = |live_type, natural| Spec {
        live_type,
        natural,
        only: None,
    };
    match code_type {
        "aws_s3_bucket" => s("aws_s3_bucket", Attrs(&[("bucket", "bucket")], &[])),
        "aws_iam_user" | "aws_iam_group" | "aws_iam_role" | "aws_iam_instance_profile" => {
            s(code_type, Attrs(NAME, &[]))
        }
        "aws_iam_policy" => s(code_type, Attrs(NAME, &[("path", "path")])),
        "aws_iam_role_policy" => s(code_type, Attrs(&[("role", "role"), ("name", "name")], &[])),
        "aws_iam_user_policy" => s(code_type, Attrs(&[("user", "user"), ("name", "name")], &[])),
        "aws_iam_group_policy" => s(code_type, Attrs(&[("group", "group"), ("name", "name")], &[])),
        "aws_iam_user_group_membership" => s(code_type, Attrs(&[("user", "user")], &[])),
        "aws_dynamodb_table"
        | "aws_sqs_queue"
        | "aws_sns_topic"
        | "aws_kms_alias"
        | "aws_cloudtrail"
        | "aws_cloudwatch_log_group"
        | "aws_ecr_repository"
        | "aws_eks_cluster"
        | "aws_elb"
        | "aws_secretsmanager_secret"
        | "aws_autoscaling_group"
        | "aws_launch_template"
        | "aws_config_configuration_recorder"
        | "aws_config_configuration_recorder_status"
        | "aws_config_delivery_channel" => s(code_type, Attrs(NAME, &[])),
        "aws_lb" | "aws_alb" => s("aws_lb", Attrs(NAME, &[])),
        "aws_lb_listener" | "aws_alb_listener" => s(
            "aws_lb_listener",
            Attrs(
                &[("load_balancer_arn", "load_balancer_arn"), ("port", "port")],
                &[],
            ),
        ),
        "aws_lb_listener_rule" | "aws_alb_listener_rule" => s(
            "aws_lb_listener_rule",
            Attrs(&[("listener_arn", "listener_arn"), ("priority", "priority")], &[]),
        ),
        "aws_lb_target_group" | "aws_alb_target_group" => s("aws_lb_target_group", Attrs(NAME, &[])),
        "aws_security_group" => s(code_type, Attrs(NAME, &[("vpc_id", "vpc_id")])),
        "aws_default_security_group" => s(code_type, Attrs(&[("vpc_id", "vpc_id")], &[])),
        "aws_default_vpc" => Spec {
            live_type: "aws_vpc",
            natural: Singleton,
            only: Some(|a| a.get("default").as_bool() == Some(true)),
        },
        "aws_default_subnet" => Spec {
            live_type: "aws_subnet",
            natural: Attrs(&[("availability_zone", "availability_zone")], &[]),
            only: Some(|a| a.get("default_for_az").as_bool() == Some(true)),
        },
        "aws_default_network_acl" => s(code_type, Attrs(&[("default_network_acl_id", "id")], &[])),
        "aws_default_route_table" => s(code_type, Attrs(&[("default_route_table_id", "id")], &[])),
        "aws_lambda_function" => s(code_type, Attrs(&[("function_name", "function_name")], &[])),
        "aws_lambda_permission" => s(
            code_type,
            Attrs(
                &[
                    ("function_name", "function_name"),
                    ("statement_id", "statement_id"),
                ],
                &[("qualifier", "qualifier")],
            ),
        ),
        "aws_lambda_function_url" => s(
            code_type,
            Attrs(
                &[("function_name", "function_name")],
                &[("qualifier", "qualifier")],
            ),
        ),
        "aws_db_instance" | "aws_rds_cluster_instance" => {
            s(code_type, Attrs(&[("identifier", "identifier")], &[]))
        }
        "aws_rds_cluster" | "aws_redshift_cluster" => s(
            code_type,
            Attrs(&[("cluster_identifier", "cluster_identifier")], &[]),
        ),
        "aws_cloudwatch_metric_alarm" => s(code_type, Attrs(&[("alarm_name", "alarm_name")], &[])),
        "aws_cloudwatch_log_metric_filter" => s(
            code_type,
            Attrs(&[("name", "name"), ("log_group_name", "log_group_name")], &[]),
        ),
        "aws_flow_log" => s(code_type, FlowLog),
        "aws_opensearch_domain" | "aws_elasticsearch_domain" => s(
            "aws_opensearch_domain",
            Attrs(&[("domain_name", "domain_name")], &[]),
        ),
        "aws_ecs_task_definition" => s(code_type, Attrs(&[("family", "family")], &[])),
        "aws_efs_file_system" => s(code_type, Attrs(&[("creation_token", "creation_token")], &[])),
        "aws_elasticache_replication_group" => s(
            code_type,
            Attrs(&[("replication_group_id", "replication_group_id")], &[]),
        ),
        "aws_wafv2_web_acl" => s(code_type, Attrs(&[("name", "name"), ("scope", "scope")], &[])),
        "aws_api_gateway_domain_name" | "aws_apigatewayv2_domain_name" => {
            s(code_type, Attrs(&[("domain_name", "domain_name")], &[]))
        }
        "aws_accessanalyzer_analyzer" => s(code_type, Attrs(&[("analyzer_name", "analyzer_name")], &[])),
        "aws_securityhub_standards_subscription" => {
            s(code_type, Attrs(&[("standards_arn", "standards_arn")], &[]))
        }
        "aws_guardduty_detector"
        | "aws_securityhub_account"
        | "aws_ebs_encryption_by_default"
        | "aws_iam_account_password_policy"
        | "aws_s3_account_public_access_block" => s(code_type, Singleton),
        other => s(other, Ids),
    }
}

/// An identity value as text: strings, numbers and booleans; a Lambda function ARN as the
/// function's name. `None` for anything else (unknown, absent, empty).
fn ident(attr: &str, v: &Value) -> Option<String> {
    let text = match v {
        Value::String(s) if !s.is_empty() => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    if attr == "function_name" {
        if let Some((_, rest)) = text.split_once(":function:") {
            return Some(rest.split(':').next().unwrap_or(rest).to_string());
        }
    }
    Some(text)
}

/// The split resources that configure a parent the live scan shows joined.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Orphan {
    /// An `aws_s3_bucket_*` configuration resource: the joined attribute it sets, when attest
    /// compares it.
    Bucket(Option<&'static str>),
    SecurityGroupRule,
    /// `aws_iam_{role,user,group}_policy_attachment`: the link attribute and principal type.
    Attachment(&'static str, &'static str),
    PolicyAttachment,
    GroupMembership,
    /// A queue or topic policy: the link attribute and the live type.
    Policy(&'static str, &'static str),
}

fn orphan_kind(code_type: &str) -> Option<Orphan> {
    Some(match code_type {
        "aws_s3_bucket_versioning" => Orphan::Bucket(Some("versioning")),
        "aws_s3_bucket_server_side_encryption_configuration" => {
            Orphan::Bucket(Some("server_side_encryption_configuration"))
        }
        "aws_s3_bucket_public_access_block" => Orphan::Bucket(Some("public_access_block")),
        "aws_s3_bucket_logging" => Orphan::Bucket(Some("logging")),
        "aws_s3_bucket_policy" => Orphan::Bucket(Some("policy")),
        "aws_s3_bucket_acl"
        | "aws_s3_bucket_lifecycle_configuration"
        | "aws_s3_bucket_ownership_controls"
        | "aws_s3_bucket_cors_configuration"
        | "aws_s3_bucket_website_configuration"
        | "aws_s3_bucket_notification"
        | "aws_s3_bucket_object_lock_configuration"
        | "aws_s3_bucket_replication_configuration"
        | "aws_s3_bucket_accelerate_configuration"
        | "aws_s3_bucket_request_payment_configuration" => Orphan::Bucket(None),
        "aws_security_group_rule"
        | "aws_vpc_security_group_ingress_rule"
        | "aws_vpc_security_group_egress_rule" => Orphan::SecurityGroupRule,
        "aws_iam_role_policy_attachment" => Orphan::Attachment("role", "aws_iam_role"),
        "aws_iam_user_policy_attachment" => Orphan::Attachment("user", "aws_iam_user"),
        "aws_iam_group_policy_attachment" => Orphan::Attachment("group", "aws_iam_group"),
        "aws_iam_policy_attachment" => Orphan::PolicyAttachment,
        "aws_iam_group_membership" => Orphan::GroupMembership,
        "aws_sqs_queue_policy" => Orphan::Policy("queue_url", "aws_sqs_queue"),
        "aws_sns_topic_policy" => Orphan::Policy("arn", "aws_sns_topic"),
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// The live side
// ---------------------------------------------------------------------------------------------

/// What became of one code resource.
enum Outcome {
    Matched(Vec<Pairing>),
    Missing,
    Undetermined,
    NotCollected,
}

/// One code resource paired with one live resource.
struct Pairing {
    live: usize,
    changes: Vec<AttributeChange>,
    undecided: usize,
    /// Other live resources the code declares through this pairing (inline policies of a role,
    /// group memberships).
    claims: Vec<usize>,
}

/// How a live resource was looked for.
enum Found {
    One(usize),
    /// No live resource has the code's (known) identity.
    None,
    /// Several do.
    Several,
    /// The code's identity is not known.
    Unknown,
}

/// The live snapshot, indexed.
struct Live<'s> {
    snapshot: &'s Snapshot,
    /// Attributes of each resource as values (unknowns recognized).
    attrs: Vec<Value>,
    by_type: HashMap<&'s str, Vec<usize>>,
    /// Resources by key, physical id, `arn` and `id`.
    by_name: HashMap<String, Vec<usize>>,
    collected: Option<HashSet<&'s str>>,
}

impl<'s> Live<'s> {
    fn new(snapshot: &'s Snapshot, collected_types: Option<&[&'s str]>) -> Live<'s> {
        let attrs: Vec<Value> = snapshot
            .resources
            .iter()
            .map(|r| Value::from_json(&r.attributes))
            .collect();
        let mut by_type: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, r) in snapshot.resources.iter().enumerate() {
            by_type.entry(r.resource_type.as_str()).or_default().push(i);
            let mut names: Vec<&str> = vec![r.key.as_str()];
            names.extend(r.physical_id.as_deref());
            names.extend(attrs[i].get("arn").as_str());
            names.extend(attrs[i].get("id").as_str());
            names.sort_unstable();
            names.dedup();
            for n in names.into_iter().filter(|n| !n.is_empty()) {
                by_name.entry(n.to_string()).or_default().push(i);
            }
        }
        Live {
            snapshot,
            attrs,
            by_type,
            by_name,
            collected: collected_types.map(|t| t.iter().copied().collect()),
        }
    }

    fn get(&self, i: usize) -> &'s SnapshotResource {
        &self.snapshot.resources[i]
    }

    /// Whether the live scan reads resources of this type.
    fn covers(&self, live_type: &str) -> bool {
        self.collected.as_ref().is_some_and(|c| c.contains(live_type))
            || self.by_type.contains_key(live_type)
            || self.snapshot.unread.iter().any(|u| u.resource_type == live_type)
    }

    /// Whether the live scan could not list this type where the code resource would be.
    fn unread_for(&self, live_type: &str, code: &Resource) -> bool {
        let p = &code.provenance;
        self.snapshot.unread.iter().any(|u| {
            u.resource_type == live_type
                && compatible(p.account.as_deref(), u.account.as_deref())
                && compatible(p.region.as_deref(), u.region.as_deref())
        })
    }

    /// Live resources of `live_type` (that `only` accepts) in the code resource's scope.
    fn candidates(&self, live_type: &str, only: Option<fn(&Value) -> bool>, code: &Resource) -> Vec<usize> {
        let p = &code.provenance;
        self.by_type
            .get(live_type)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .copied()
            .filter(|&i| only.is_none_or(|f| f(&self.attrs[i])))
            .filter(|&i| {
                let r = self.get(i);
                compatible(p.account.as_deref(), r.account.as_deref())
                    && compatible(p.region.as_deref(), r.region.as_deref())
            })
            .collect()
    }

    /// The live resource a code resource declares.
    fn find(&self, code: &Resource, spec: &Spec<'_>) -> Found {
        let candidates = self.candidates(spec.live_type, spec.only, code);
        let allowed: HashSet<usize> = candidates.iter().copied().collect();
        // 1. By id.
        let mut ids: Vec<&str> = Vec::new();
        ids.extend(code.physical_id.as_deref());
        ids.extend(code.attr("arn").as_str());
        ids.extend(code.attr("id").as_str());
        ids.retain(|s| !s.is_empty());
        let mut by_id: BTreeSet<usize> = BTreeSet::new();
        for id in &ids {
            for &i in self.by_name.get(*id).map(Vec::as_slice).unwrap_or_default() {
                if allowed.contains(&i) && !self.contradicts(code, spec.natural, i) {
                    by_id.insert(i);
                }
            }
        }
        if !by_id.is_empty() {
            return self.narrow(code, spec.natural, by_id.into_iter().collect());
        }
        // 2. By natural identity.
        match spec.natural {
            Natural::Ids if ids.is_empty() => Found::Unknown,
            Natural::Ids => Found::None,
            Natural::Singleton => one_of(candidates),
            Natural::Attrs(required, _) => {
                let mut wanted = Vec::with_capacity(required.len());
                for (code_attr, live_attr) in required {
                    match ident(code_attr, code.attr(code_attr)) {
                        Some(v) => wanted.push((*live_attr, v)),
                        None => return Found::Unknown,
                    }
                }
                let hits: Vec<usize> = candidates
                    .into_iter()
                    .filter(|&i| {
                        wanted
                            .iter()
                            .all(|(a, v)| ident(a, self.attrs[i].get(a)).as_deref() == Some(v.as_str()))
                    })
                    .collect();
                self.narrow(code, spec.natural, hits)
            }
            Natural::FlowLog => {
                const TARGETS: [&str; 5] = [
                    "vpc_id",
                    "subnet_id",
                    "eni_id",
                    "transit_gateway_id",
                    "transit_gateway_attachment_id",
                ];
                let Some(target) = TARGETS.iter().find(|t| !code.attr(t).is_null()) else {
                    return Found::Unknown;
                };
                let (Some(watched), Some(traffic)) = (
                    ident(target, code.attr(target)),
                    ident("traffic_type", code.attr("traffic_type")),
                ) else {
                    return Found::Unknown;
                };
                let hits: Vec<usize> = candidates
                    .into_iter()
                    .filter(|&i| {
                        let a = &self.attrs[i];
                        ident(target, a.get(target)).as_deref() == Some(watched.as_str())
                            && ident("traffic_type", a.get("traffic_type")).as_deref()
                                == Some(traffic.as_str())
                    })
                    .collect();
                let narrowed = narrow_by(
                    code,
                    &self.attrs,
                    hits,
                    &[
                        ("log_destination", "log_destination"),
                        ("log_group_name", "log_group_name"),
                    ],
                );
                one_of(narrowed)
            }
        }
    }

    /// Whether a live resource's natural identity differs from the code's where both are known.
    fn contradicts(&self, code: &Resource, natural: Natural, i: usize) -> bool {
        let Natural::Attrs(required, _) = natural else {
            return false;
        };
        required.iter().any(|(code_attr, live_attr)| {
            match (
                ident(code_attr, code.attr(code_attr)),
                ident(live_attr, self.attrs[i].get(live_attr)),
            ) {
                (Some(c), Some(l)) => c != l,
                _ => false,
            }
        })
    }

    /// One of several hits, by the optional identity attributes.
    fn narrow(&self, code: &Resource, natural: Natural, hits: Vec<usize>) -> Found {
        match natural {
            Natural::Attrs(_, optional) => one_of(narrow_by(code, &self.attrs, hits, optional)),
            _ => one_of(hits),
        }
    }

    /// The live resource of one of `types` that a link value (a name, id, URL or ARN) names.
    fn named(&self, types: &[&str], link: &Value, code: &Resource) -> Found {
        let Some(name) = ident("", link) else {
            return Found::Unknown;
        };
        let p = &code.provenance;
        let hits: Vec<usize> = self
            .by_name
            .get(&name)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .copied()
            .filter(|&i| {
                let r = self.get(i);
                types.contains(&r.resource_type.as_str())
                    && compatible(p.account.as_deref(), r.account.as_deref())
                    && compatible(p.region.as_deref(), r.region.as_deref())
            })
            .collect();
        one_of(hits)
    }

    /// What becomes of a resource that was not found, by whether its type is read.
    fn absent(&self, found: Found, live_types: &[&str], code: &Resource) -> Outcome {
        let covered = live_types.iter().any(|t| self.covers(t));
        match found {
            _ if !covered => Outcome::NotCollected,
            Found::None if !live_types.iter().any(|t| self.unread_for(t, code)) => Outcome::Missing,
            _ => Outcome::Undetermined,
        }
    }

    /// Pairs and compares a code resource of a type the live scan shows as it is.
    fn resource(&self, code: &Resource, ignore: &Ignore) -> Outcome {
        let spec = spec(&code.resource_type);
        let i = match self.find(code, &spec) {
            Found::One(i) => i,
            other => return self.absent(other, &[spec.live_type], code),
        };
        let live = self.get(i);
        let mut cmp = Cmp::new(ignore, &live.resource_type);
        let own_id = live.physical_id.as_deref().or(self.attrs[i].get("id").as_str());
        cmp.resource(&code.resource_type, &code.attributes, &self.attrs[i], own_id);
        Outcome::Matched(vec![Pairing {
            live: i,
            changes: cmp.changes,
            undecided: cmp.undecided,
            claims: self.inline_claims(code, i),
        }])
    }

    /// The live inline policies of a principal that the code declares in its `inline_policy`.
    fn inline_claims(&self, code: &Resource, i: usize) -> Vec<usize> {
        let (inline_type, link) = match self.get(i).resource_type.as_str() {
            "aws_iam_role" => ("aws_iam_role_policy", "role"),
            "aws_iam_user" => ("aws_iam_user_policy", "user"),
            "aws_iam_group" => ("aws_iam_group_policy", "group"),
            _ => return Vec::new(),
        };
        let names: HashSet<&str> = code
            .attr("inline_policy")
            .blocks()
            .unwrap_or_default()
            .into_iter()
            .filter_map(|p| p.get("name").as_str())
            .collect();
        let principal = self.attrs[i].get("name").as_str();
        if names.is_empty() || principal.is_none() {
            return Vec::new();
        }
        let live = self.get(i);
        self.by_type
            .get(inline_type)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .copied()
            .filter(|&j| {
                let a = &self.attrs[j];
                let r = self.get(j);
                r.account == live.account
                    && a.get(link).as_str() == principal
                    && a.get("name").as_str().is_some_and(|n| names.contains(n))
            })
            .collect()
    }

    /// Pairs and compares a split resource whose parent is not in the code.
    fn orphan(&self, code: &Resource, kind: Orphan, ignore: &Ignore) -> Outcome {
        match kind {
            Orphan::Bucket(attr) => {
                let types = ["aws_s3_bucket"];
                let i = match self.named(&types, code.attr("bucket"), code) {
                    Found::One(i) => i,
                    other => return self.absent(other, &types, code),
                };
                let mut cmp = Cmp::new(ignore, "aws_s3_bucket");
                match attr.and_then(|a| bucket_part(code, a).map(|v| (a, v))) {
                    Some((a, value)) => {
                        let joined = Value::Object([(a.to_string(), value)].into_iter().collect());
                        cmp.resource("aws_s3_bucket", &joined, &self.attrs[i], None);
                    }
                    // Configuration attest does not compare: the bucket is there, the rest is
                    // not decided.
                    None => cmp.undecided += 1,
                }
                Outcome::Matched(vec![cmp.pairing(i)])
            }
            Orphan::SecurityGroupRule => {
                let types = ["aws_security_group", "aws_default_security_group"];
                let i = match self.named(&types, code.attr("security_group_id"), code) {
                    Found::One(i) => i,
                    other => return self.absent(other, &types, code),
                };
                let mut cmp = Cmp::new(ignore, &self.get(i).resource_type);
                match split_rule(code) {
                    Some((direction, rule)) => {
                        let own_id = self.get(i).physical_id.as_deref();
                        let live = self.attrs[i].get(direction);
                        cmp.sg_rules(
                            direction,
                            &Value::List(vec![rule]),
                            live,
                            own_id,
                            ListMode::Subset,
                        );
                    }
                    None => cmp.undecided += 1,
                }
                Outcome::Matched(vec![cmp.pairing(i)])
            }
            Orphan::Attachment(link, parent_type) => {
                let types = [parent_type];
                let i = match self.named(&types, code.attr(link), code) {
                    Found::One(i) => i,
                    other => return self.absent(other, &types, code),
                };
                let mut cmp = Cmp::new(ignore, parent_type);
                cmp.value(
                    "managed_policy_arns",
                    "managed_policy_arns",
                    &Value::List(vec![code.attr("policy_arn").clone()]),
                    self.attrs[i].get("managed_policy_arns"),
                    ListMode::Subset,
                );
                Outcome::Matched(vec![cmp.pairing(i)])
            }
            Orphan::PolicyAttachment => self.policy_attachment(code, ignore),
            Orphan::GroupMembership => self.group_membership(code, ignore),
            Orphan::Policy(link, parent_type) => {
                let types = [parent_type];
                let i = match self.named(&types, code.attr(link), code) {
                    Found::One(i) => i,
                    other => return self.absent(other, &types, code),
                };
                let mut cmp = Cmp::new(ignore, parent_type);
                let joined = Value::Object(
                    [("policy".to_string(), code.attr("policy").clone())]
                        .into_iter()
                        .collect(),
                );
                cmp.resource(parent_type, &joined, &self.attrs[i], None);
                Outcome::Matched(vec![cmp.pairing(i)])
            }
        }
    }

    /// `aws_iam_policy_attachment`: the policy attached to each principal it lists.
    fn policy_attachment(&self, code: &Resource, ignore: &Ignore) -> Outcome {
        const LISTS: [(&str, &str); 3] = [
            ("roles", "aws_iam_role"),
            ("users", "aws_iam_user"),
            ("groups", "aws_iam_group"),
        ];
        let types: Vec<&str> = LISTS.iter().map(|(_, t)| *t).collect();
        if code.attr("policy_arn").is_unknown() {
            return self.absent(Found::Unknown, &types, code);
        }
        let mut pairings = Vec::new();
        let mut unknown = false;
        for (list, parent_type) in LISTS {
            let Some(items) = code.attr(list).blocks() else {
                unknown = true;
                continue;
            };
            for principal in items {
                match self.named(&[parent_type], principal, code) {
                    Found::One(i) => {
                        let mut cmp = Cmp::new(ignore, parent_type);
                        cmp.value(
                            "managed_policy_arns",
                            "managed_policy_arns",
                            &Value::List(vec![code.attr("policy_arn").clone()]),
                            self.attrs[i].get("managed_policy_arns"),
                            ListMode::Subset,
                        );
                        pairings.push(cmp.pairing(i));
                    }
                    Found::None => {}
                    Found::Several | Found::Unknown => unknown = true,
                }
            }
        }
        if !pairings.is_empty() {
            Outcome::Matched(pairings)
        } else if unknown {
            self.absent(Found::Unknown, &types, code)
        } else {
            self.absent(Found::None, &types, code)
        }
    }

    /// `aws_iam_group_membership`: exactly these users are in the group. Paired with the live
    /// group; claims the live memberships of the users it lists.
    fn group_membership(&self, code: &Resource, ignore: &Ignore) -> Outcome {
        let types = ["aws_iam_group"];
        let i = match self.named(&types, code.attr("group"), code) {
            Found::One(i) => i,
            other => return self.absent(other, &types, code),
        };
        let mut cmp = Cmp::new(ignore, "aws_iam_group");
        let group = self.attrs[i].get("name").as_str().unwrap_or_default();
        let account = &self.get(i).account;
        let memberships: Vec<usize> = self
            .by_type
            .get("aws_iam_user_group_membership")
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .copied()
            .filter(|&j| &self.get(j).account == account)
            .collect();
        let mut members = Vec::new();
        let mut readable = true;
        for &j in &memberships {
            let groups = self.attrs[j].get("groups");
            match groups.string_list() {
                Some(g) if g.contains(&group) => members.push(self.attrs[j].get("user").clone()),
                Some(_) => {}
                None => readable = false,
            }
        }
        let code_users = code.attr("users");
        let users: HashSet<&str> = code_users.string_list().unwrap_or_default().into_iter().collect();
        let claims = memberships
            .iter()
            .copied()
            .filter(|&j| {
                self.attrs[j]
                    .get("user")
                    .as_str()
                    .is_some_and(|u| users.contains(u))
            })
            .collect();
        if readable {
            cmp.value(
                "users",
                "users",
                code_users,
                &Value::List(members),
                ListMode::Exclusive,
            );
        } else {
            cmp.undecided += 1;
        }
        let mut p = cmp.pairing(i);
        p.claims = claims;
        Outcome::Matched(vec![p])
    }
}

/// Whether a code scope and a live scope can be the same (either unknown means yes).
fn compatible(code: Option<&str>, live: Option<&str>) -> bool {
    match (code, live) {
        (Some(c), Some(l)) => c == l,
        _ => true,
    }
}

fn one_of(hits: Vec<usize>) -> Found {
    match hits.as_slice() {
        [] => Found::None,
        [one] => Found::One(*one),
        _ => Found::Several,
    }
}

/// The hits whose optional identity attributes equal the code's where both are known; all of
/// them when none is.
fn narrow_by(code: &Resource, attrs: &[Value], hits: Vec<usize>, optional: &[Attr]) -> Vec<usize> {
    if hits.len() < 2 {
        return hits;
    }
    let mut hits = hits;
    for (code_attr, live_attr) in optional {
        let Some(want) = ident(code_attr, code.attr(code_attr)) else {
            continue;
        };
        let kept: Vec<usize> = hits
            .iter()
            .copied()
            .filter(|&i| ident(live_attr, attrs[i].get(live_attr)).is_none_or(|l| l == want))
            .collect();
        hits = kept;
    }
    hits
}

/// What an S3 split resource sets, in the joined shape of `aws_s3_bucket` (as attest-iac's join
/// writes it). `None` when attest does not compare that part.
fn bucket_part(code: &Resource, attr: &str) -> Option<Value> {
    let obj = |pairs: Vec<(&str, Value)>| {
        Value::Object(
            pairs
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    };
    let enabled = |status: &Value| match status {
        Value::String(s) => Value::Bool(s == "Enabled"),
        other => other.clone(),
    };
    let first = |v: &Value| match v.blocks() {
        None => Err(v.clone()),
        Some(blocks) => Ok(blocks.first().map(|b| (*b).clone()).unwrap_or_default()),
    };
    Some(match attr {
        "versioning" => match first(code.attr("versioning_configuration")) {
            Err(unknown) => unknown,
            Ok(conf) => Value::List(vec![obj(vec![
                ("enabled", enabled(conf.get("status"))),
                ("mfa_delete", enabled(conf.get("mfa_delete"))),
            ])]),
        },
        "public_access_block" => {
            let flag = |name: &str| match code.attr(name) {
                Value::Null => Value::Bool(false),
                other => other.clone(),
            };
            Value::List(vec![obj(vec![
                ("block_public_acls", flag("block_public_acls")),
                ("block_public_policy", flag("block_public_policy")),
                ("ignore_public_acls", flag("ignore_public_acls")),
                ("restrict_public_buckets", flag("restrict_public_buckets")),
            ])])
        }
        "logging" => Value::List(vec![obj(vec![
            ("target_bucket", code.attr("target_bucket").clone()),
            ("target_prefix", code.attr("target_prefix").clone()),
        ])]),
        "policy" => code.attr("policy").clone(),
        "server_side_encryption_configuration" => match code.attr("rule") {
            Value::Unknown(r) => Value::Unknown(r.clone()),
            rule => Value::List(vec![obj(vec![("rule", rule.clone())])]),
        },
        _ => return None,
    })
}

/// A split security group rule as an inline rule of its direction; `None` when the direction
/// is not known.
fn split_rule(code: &Resource) -> Option<(&'static str, Value)> {
    let a = |k: &str| code.attr(k).clone();
    let one = |k: &str| match code.attr(k) {
        Value::Null => Value::Null,
        Value::String(s) => Value::List(vec![Value::String(s.clone())]),
        other => other.clone(),
    };
    let pairs: Vec<(&str, Value)>;
    let direction = match code.resource_type.as_str() {
        "aws_security_group_rule" => {
            pairs = vec![
                ("from_port", a("from_port")),
                ("to_port", a("to_port")),
                ("protocol", a("protocol")),
                ("cidr_blocks", a("cidr_blocks")),
                ("ipv6_cidr_blocks", a("ipv6_cidr_blocks")),
                ("prefix_list_ids", a("prefix_list_ids")),
                ("security_groups", one("source_security_group_id")),
                ("self", a("self")),
            ];
            match code.attr("type").as_str() {
                Some("ingress") => "ingress",
                Some("egress") => "egress",
                _ => return None,
            }
        }
        ty => {
            pairs = vec![
                ("from_port", a("from_port")),
                ("to_port", a("to_port")),
                ("protocol", a("ip_protocol")),
                ("cidr_blocks", one("cidr_ipv4")),
                ("ipv6_cidr_blocks", one("cidr_ipv6")),
                ("prefix_list_ids", one("prefix_list_id")),
                ("security_groups", one("referenced_security_group_id")),
            ];
            if ty.ends_with("_ingress_rule") {
                "ingress"
            } else {
                "egress"
            }
        }
    };
    let rule = Value::Object(
        pairs
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    );
    Some((direction, rule))
}

// ---------------------------------------------------------------------------------------------
// Provider-managed resources
// ---------------------------------------------------------------------------------------------

/// Whether a live role is service-linked (AWS creates and deletes it with the service).
fn service_linked(attrs: &Value) -> bool {
    attrs
        .get("path")
        .as_str()
        .is_some_and(|p| p.starts_with("/aws-service-role/"))
}

/// Log group names AWS services create for themselves.
const SERVICE_LOG_GROUPS: &[&str] = &[
    "/aws/lambda/",
    "/aws/rds/",
    "/aws/eks/",
    "/aws/codebuild/",
    "/aws/apigateway/",
    "/aws/ecs/containerinsights/",
];

/// Why nobody declares a live resource in code, when that is so.
fn provider_managed(r: &SnapshotResource, a: &Value, service_roles: &HashSet<&str>) -> Option<String> {
    let text = |k: &str| a.get(k).as_str().unwrap_or_default();
    let reason = match r.resource_type.as_str() {
        "aws_iam_role" if service_linked(a) => "service-linked role: AWS creates and deletes it",
        "aws_iam_role" if text("path").starts_with("/aws-reserved/") => {
            "IAM Identity Center role: AWS manages it"
        }
        "aws_iam_role_policy" if service_roles.contains(text("role")) => "policy of a service-linked role",
        "aws_iam_policy" if text("arn").contains(":iam::aws:policy/") => "AWS-managed policy",
        "aws_vpc" if a.get("default").as_bool() == Some(true) => "default VPC",
        "aws_default_vpc" => "default VPC",
        "aws_subnet" if a.get("default_for_az").as_bool() == Some(true) => "default subnet",
        "aws_default_subnet" => "default subnet",
        "aws_default_security_group" => "default security group of a VPC",
        "aws_security_group" if text("name") == "default" => "default security group of a VPC",
        "aws_default_network_acl" => "default network ACL of a VPC",
        "aws_default_route_table" => "main route table of a VPC",
        "aws_kms_key" if text("key_manager") == "AWS" => "AWS-managed KMS key",
        "aws_kms_alias" if text("name").starts_with("alias/aws/") => "alias of an AWS-managed KMS key",
        "aws_iam_account_summary" | "aws_iam_credential_report" => "account report, not a resource",
        "aws_iam_account_password_policy"
        | "aws_ebs_encryption_by_default"
        | "aws_s3_account_public_access_block" => "account setting: present whether or not code declares it",
        "aws_cloudwatch_log_group" if SERVICE_LOG_GROUPS.iter().any(|p| text("name").starts_with(p)) => {
            "log group an AWS service created"
        }
        _ => {
            // A resource of another account (an organization trail read from a member account).
            let owner = text("arn").split(':').nth(4).unwrap_or_default();
            return match r.account.as_deref() {
                Some(account) if !owner.is_empty() && owner != account && owner != "aws" => {
                    Some(format!("belongs to account {owner}"))
                }
                _ => None,
            };
        }
    };
    Some(reason.to_string())
}

// ---------------------------------------------------------------------------------------------
// Attribute comparison
// ---------------------------------------------------------------------------------------------

/// Whether a list may hold live elements the code does not declare.
#[derive(Clone, Copy, PartialEq, Debug)]
enum ListMode {
    /// The code declares the whole list.
    Exclusive,
    /// The code declares some elements; others may be declared elsewhere or not known.
    Subset,
}

/// List attributes that split resources add to (as opposed to replace).
const APPENDED: &[&str] = &["ingress", "egress", "inline_policy", "managed_policy_arns"];

/// Attributes never compared: identity (matched already), arguments that only steer Terraform,
/// and generated names.
const NEVER: &[&str] = &[
    "id",
    "arn",
    "timeouts",
    "force_destroy",
    "name_prefix",
    "bucket_prefix",
    "skip_destroy",
];

/// Attributes whose live representation differs from the code's, by type.
fn skipped(code_type: &str, key: &str) -> bool {
    let keys: &[&str] = match code_type {
        // A canned ACL cannot be read back; the grants read back include the owner's.
        "aws_s3_bucket" => &["acl", "grant"],
        "aws_lambda_function" => &[
            "version",
            "qualified_arn",
            "qualified_invoke_arn",
            "last_modified",
            "source_code_hash",
            "source_code_size",
            "filename",
            "publish",
        ],
        // The live definitions leave out commands and redact values.
        "aws_ecs_task_definition" => &["container_definitions", "revision", "arn_without_revision"],
        "aws_instance" => &["user_data", "user_data_base64", "user_data_replace_on_change"],
        "aws_launch_template" => &["user_data", "latest_version", "default_version"],
        "aws_iam_role" => &["force_detach_policies"],
        "aws_kms_key" => &["deletion_window_in_days", "bypass_policy_lockout_safety_check"],
        "aws_db_instance" | "aws_rds_cluster" => &[
            "apply_immediately",
            "skip_final_snapshot",
            "final_snapshot_identifier",
        ],
        _ => &[],
    };
    keys.contains(&key)
}

/// The comparison of one code resource with one live resource.
struct Cmp<'i> {
    ignore: &'i Ignore,
    live_type: String,
    changes: Vec<AttributeChange>,
    undecided: usize,
}

impl<'i> Cmp<'i> {
    fn new(ignore: &'i Ignore, live_type: &str) -> Cmp<'i> {
        Cmp {
            ignore,
            live_type: live_type.to_string(),
            changes: Vec::new(),
            undecided: 0,
        }
    }

    fn pairing(self, live: usize) -> Pairing {
        Pairing {
            live,
            changes: self.changes,
            undecided: self.undecided,
            claims: Vec::new(),
        }
    }

    fn ignored(&self, path: &str) -> bool {
        self.ignore.is_ignored(&self.live_type, path)
    }

    fn change(&mut self, path: &str, old: Option<Json>, new: Option<Json>) {
        if !self.ignored(path) {
            self.changes.push(AttributeChange {
                path: path.to_string(),
                old,
                new,
            });
        }
    }

    /// The top level of a resource: the attributes the code declares.
    fn resource(&mut self, code_type: &str, code: &Value, live: &Value, own_id: Option<&str>) {
        let (Value::Object(c), Value::Object(l)) = (code, live) else {
            return;
        };
        let joined: HashSet<&str> = c
            .get("_sources")
            .and_then(Value::as_object)
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        for (key, v) in c {
            if key.starts_with('_')
                || is_secret_key(key)
                || NEVER.contains(&key.as_str())
                || skipped(code_type, key)
                || key == "tags"
                || key == "tags_all"
            {
                continue;
            }
            let Some(lv) = l.get(key) else {
                continue;
            };
            let mode = if joined.contains(key.as_str()) && APPENDED.contains(&key.as_str()) {
                ListMode::Subset
            } else {
                ListMode::Exclusive
            };
            match (code_type, key.as_str()) {
                ("aws_security_group" | "aws_default_security_group", "ingress" | "egress") => {
                    self.sg_rules(key, v, lv, own_id, mode)
                }
                ("aws_iam_role" | "aws_iam_user" | "aws_iam_group", "inline_policy") => {
                    self.inline_policies(key, v, lv, mode)
                }
                // The resource adds the user to groups; other groups may come from elsewhere.
                ("aws_iam_user_group_membership", "groups") => self.value(key, key, v, lv, ListMode::Subset),
                _ => self.value(key, key, v, lv, mode),
            }
        }
        if let Some(lt) = l.get("tags") {
            let all = c.get("tags_all").unwrap_or(&Value::Null);
            let tags = c.get("tags").unwrap_or(&Value::Null);
            match (all, tags) {
                (Value::Object(_), _) => self.tags(all, lt, ListMode::Exclusive),
                (Value::Unknown(_), Value::Object(_)) => self.tags(tags, lt, ListMode::Subset),
                (Value::Null, Value::Object(_) | Value::Unknown(_)) => {
                    self.tags(tags, lt, ListMode::Exclusive)
                }
                (Value::Unknown(_), _) => self.undecided += 1,
                _ => {}
            }
        }
    }

    /// `tags`: every code tag must be there with its value; with `Exclusive`, every live tag but
    /// AWS's own (`aws:…`) must be in the code.
    fn tags(&mut self, code: &Value, live: &Value, mode: ListMode) {
        let (Value::Object(c), Value::Object(l)) = (code, live) else {
            if code.is_unknown() || live.is_unknown() {
                self.undecided += 1;
            }
            return;
        };
        for (k, v) in c {
            let path = format!("tags.{k}");
            match (v, l.get(k)) {
                (Value::Null, _) => {}
                (Value::Unknown(_), _) | (_, Some(Value::Unknown(_))) => self.undecided += 1,
                (_, None) => self.change(&path, Some(clean(v)), None),
                (_, Some(lv)) => match scalar_eq("", v, lv) {
                    Some(true) => {}
                    Some(false) => self.change(&path, Some(clean(v)), Some(lv.to_json())),
                    None => self.undecided += 1,
                },
            }
        }
        if mode == ListMode::Exclusive {
            for (k, lv) in l {
                if !c.contains_key(k) && !k.starts_with("aws:") {
                    self.change(&format!("tags.{k}"), None, Some(lv.to_json()));
                }
            }
        }
    }

    /// One value the code declares, at `path`; `key` is the attribute's own name.
    fn value(&mut self, path: &str, key: &str, code: &Value, live: &Value, mode: ListMode) {
        if code.is_null() || self.ignored(path) {
            return;
        }
        if code.is_unknown() || live.is_unknown() || live.as_str() == Some(REDACTED) {
            self.undecided += 1;
            return;
        }
        match (code, live) {
            (_, Value::Null) => {
                if !is_empty(code) {
                    if code.contains_unknown() {
                        self.undecided += 1;
                    } else {
                        self.change(path, Some(clean(code)), Some(Json::Null));
                    }
                }
            }
            (Value::Object(c), Value::Object(l)) => {
                for (k, v) in c {
                    if k.starts_with('_') || is_secret_key(k) {
                        continue;
                    }
                    if let Some(lv) = l.get(k) {
                        self.value(&join(path, k), k, v, lv, ListMode::Exclusive);
                    }
                }
            }
            (Value::List(c), Value::List(l)) => self.list(path, key, c, l, mode),
            (Value::Object(_), Value::List(l)) => self.list(path, key, std::slice::from_ref(code), l, mode),
            (Value::List(c), Value::Object(_)) => self.list(path, key, c, std::slice::from_ref(live), mode),
            (Value::String(a), Value::String(b)) if looks_json(a) && looks_json(b) => {
                self.document(path, a, b)
            }
            _ => match scalar_eq(key, code, live) {
                Some(true) => {}
                Some(false) => self.change(path, Some(clean(code)), Some(live.to_json())),
                None => self.undecided += 1,
            },
        }
    }

    /// A list: multisets of scalars, or blocks paired on the keys the code blocks declare.
    fn list(&mut self, path: &str, key: &str, code: &[Value], live: &[Value], mode: ListMode) {
        let mut mode = mode;
        let mut items: Vec<(usize, &Value)> = Vec::new();
        for (i, c) in code.iter().enumerate() {
            match c {
                Value::Null => {}
                Value::Unknown(_) => {
                    // An element the code cannot tell: the live list may hold it, or anything.
                    self.undecided += 1;
                    mode = ListMode::Subset;
                }
                _ => items.push((i, c)),
            }
        }
        let lives: Vec<&Value> = live.iter().filter(|v| !v.is_null()).collect();
        if lives.iter().any(|v| v.contains_unknown()) {
            self.undecided += 1;
            return;
        }
        let elements = format!("{path}[]");
        let scalar = |v: &Value| !matches!(v, Value::List(_) | Value::Object(_));
        if items.iter().all(|(_, c)| scalar(c)) && lives.iter().all(|v| scalar(v)) {
            let mut used = vec![false; lives.len()];
            for (_, c) in &items {
                let hit = (0..lives.len()).find(|&j| !used[j] && scalar_eq(key, c, lives[j]) == Some(true));
                match hit {
                    Some(j) => used[j] = true,
                    None => self.change(&elements, Some(clean(c)), None),
                }
            }
            if mode == ListMode::Exclusive {
                for (j, l) in lives.iter().enumerate() {
                    if !used[j] {
                        self.change(&elements, None, Some(l.to_json()));
                    }
                }
            }
            return;
        }
        if mode == ListMode::Exclusive {
            if items.len() == 1 && lives.len() == 1 {
                let (i, c) = items[0];
                self.value(&format!("{path}[{i}]"), key, c, lives[0], ListMode::Exclusive);
                return;
            }
            if items.len() != lives.len() {
                if lives.is_empty() && items.iter().all(|(_, c)| is_empty(c)) {
                    return;
                }
                if items.iter().any(|(_, c)| c.contains_unknown()) {
                    self.undecided += 1;
                } else {
                    let code_list = Json::Array(items.iter().map(|(_, c)| clean(c)).collect());
                    let live_list = Json::Array(lives.iter().map(|l| l.to_json()).collect());
                    self.change(path, Some(code_list), Some(live_list));
                }
                return;
            }
        }
        let mut used = vec![false; lives.len()];
        let mut unpaired: Vec<(usize, &Value)> = Vec::new();
        for (i, c) in items {
            let hit = (0..lives.len()).find_map(|j| {
                if used[j] {
                    return None;
                }
                self.probe(&elements, key, c, lives[j])
                    .map(|undecided| (j, undecided))
            });
            match hit {
                Some((j, undecided)) => {
                    used[j] = true;
                    self.undecided += undecided;
                }
                None => unpaired.push((i, c)),
            }
        }
        let extra: Vec<&Value> = match mode {
            ListMode::Exclusive => (0..lives.len()).filter(|&j| !used[j]).map(|j| lives[j]).collect(),
            ListMode::Subset => Vec::new(),
        };
        if let ([(i, c)], [l]) = (unpaired.as_slice(), extra.as_slice()) {
            self.value(&format!("{path}[{i}]"), key, c, l, ListMode::Exclusive);
            return;
        }
        for (_, c) in unpaired {
            self.change(&elements, Some(clean(c)), None);
        }
        for l in extra {
            self.change(&elements, None, Some(l.to_json()));
        }
    }

    /// Whether a code element equals a live one on what it declares: the undecided count if so.
    fn probe(&self, path: &str, key: &str, code: &Value, live: &Value) -> Option<usize> {
        let mut sub = Cmp::new(self.ignore, &self.live_type);
        sub.value(path, key, code, live, ListMode::Exclusive);
        sub.changes.is_empty().then_some(sub.undecided)
    }

    /// Two JSON documents held in strings (policies), compared parsed and normalized.
    fn document(&mut self, path: &str, code: &str, live: &str) {
        match (
            serde_json::from_str::<Json>(code),
            serde_json::from_str::<Json>(live),
        ) {
            (Ok(c), Ok(l)) => {
                let (c, l) = (normalize_document(&c), normalize_document(&l));
                if c != l {
                    self.change(path, Some(c), Some(l));
                }
            }
            _ if code != live => self.change(path, Some(Json::from(code)), Some(Json::from(live))),
            _ => {}
        }
    }

    /// Security group rules, as the rules AWS keeps (one per protocol, ports and source).
    fn sg_rules(&mut self, path: &str, code: &Value, live: &Value, own_id: Option<&str>, mode: ListMode) {
        let (Some(code_rules), Some(live_rules)) = (code.blocks(), live.blocks()) else {
            self.undecided += 1;
            return;
        };
        let mut mode = mode;
        let mut wanted: BTreeMap<String, Json> = BTreeMap::new();
        for rule in code_rules {
            if rule.contains_unknown() {
                self.undecided += 1;
                mode = ListMode::Subset;
                continue;
            }
            for atom in rule_atoms(rule, own_id) {
                wanted.insert(atom.to_string(), atom);
            }
        }
        let mut present: BTreeMap<String, Json> = BTreeMap::new();
        for rule in live_rules {
            if rule.contains_unknown() {
                self.undecided += 1;
                return;
            }
            for atom in rule_atoms(rule, own_id) {
                present.insert(atom.to_string(), atom);
            }
        }
        let elements = format!("{path}[]");
        for (k, atom) in &wanted {
            if !present.contains_key(k) {
                self.change(&elements, Some(atom.clone()), None);
            }
        }
        if mode == ListMode::Exclusive {
            for (k, atom) in &present {
                if !wanted.contains_key(k) {
                    self.change(&elements, None, Some(atom.clone()));
                }
            }
        }
    }

    /// Inline policies of a principal, by name; documents compared parsed.
    fn inline_policies(&mut self, path: &str, code: &Value, live: &Value, mode: ListMode) {
        let (Some(code_items), Some(live_items)) = (code.blocks(), live.blocks()) else {
            self.undecided += 1;
            return;
        };
        let mut mode = mode;
        let mut live_by_name: BTreeMap<&str, &Value> = BTreeMap::new();
        for l in live_items {
            match l.get("name").as_str() {
                Some(name) => {
                    live_by_name.insert(name, l);
                }
                None => {
                    self.undecided += 1;
                    return;
                }
            }
        }
        let mut declared: HashSet<&str> = HashSet::new();
        for (i, c) in code_items.into_iter().enumerate() {
            let Some(name) = c.get("name").as_str() else {
                // An inline policy whose name is not known: it may be any live one.
                self.undecided += 1;
                mode = ListMode::Subset;
                continue;
            };
            declared.insert(name);
            match live_by_name.get(name) {
                None => self.change(&format!("{path}[]"), Some(clean(c)), None),
                Some(l) => self.value(
                    &format!("{path}[{i}].policy"),
                    "policy",
                    c.get("policy"),
                    l.get("policy"),
                    ListMode::Exclusive,
                ),
            }
        }
        if mode == ListMode::Exclusive {
            for (name, l) in live_by_name {
                if !declared.contains(name) {
                    self.change(&format!("{path}[]"), None, Some(l.to_json()));
                }
            }
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// A value Terraform treats as not set: null, `""`, `false`, `0`, or a list or object of such.
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::List(items) => items.iter().all(is_empty),
        Value::Object(m) => m
            .iter()
            .filter(|(k, _)| !k.starts_with('_'))
            .all(|(_, v)| is_empty(v)),
        Value::Unknown(_) => false,
    }
}

/// The code value as JSON, without attest's join bookkeeping (`_source` keys).
fn clean(v: &Value) -> Json {
    match v {
        Value::Object(m) => Json::Object(
            m.iter()
                .filter(|(k, _)| !k.starts_with('_'))
                .map(|(k, v)| (k.clone(), clean(v)))
                .collect(),
        ),
        Value::List(items) => Json::Array(items.iter().map(clean).collect()),
        other => other.to_json(),
    }
}

fn looks_json(s: &str) -> bool {
    let t = s.trim_start();
    t.starts_with('{') || t.starts_with('[')
}

/// Whether two scalars are equal: numbers by value, booleans and their text alike; KMS keys named
/// by id or ARN alike (`None`, undecided, when one side names an alias). `None` also when a side
/// is not a scalar.
fn scalar_eq(key: &str, code: &Value, live: &Value) -> Option<bool> {
    if code == live {
        return Some(true);
    }
    match (code, live) {
        (Value::String(a), Value::String(b)) => {
            if is_key_ref(key) {
                if a.contains("alias/") || b.contains("alias/") {
                    return None;
                }
                return Some(key_id(a) == key_id(b));
            }
            Some(false)
        }
        (Value::Number(_), _) | (_, Value::Number(_)) => match (code.as_f64(), live.as_f64()) {
            (Some(a), Some(b)) => Some(a == b),
            _ => Some(false),
        },
        (Value::Bool(_), _) | (_, Value::Bool(_)) => match (code.as_bool(), live.as_bool()) {
            (Some(a), Some(b)) => Some(a == b),
            _ => Some(false),
        },
        (Value::List(_) | Value::Object(_) | Value::Unknown(_), _)
        | (_, Value::List(_) | Value::Object(_) | Value::Unknown(_)) => None,
        _ => Some(false),
    }
}

/// Attributes that name a KMS key, by id, ARN or alias.
fn is_key_ref(key: &str) -> bool {
    key.ends_with("kms_key_id") || key.ends_with("kms_master_key_id") || key.ends_with("kms_key_arn")
}

/// `arn:aws:kms:…:key/ID` and `ID` alike.
fn key_id(s: &str) -> &str {
    s.rsplit('/').next().unwrap_or(s)
}

/// A JSON document in a form where equal policies are equal: object keys sorted, `Statement` a
/// list in a stable order, actions, resources, principals and condition values as sorted lists,
/// empty `Sid`s dropped, account ids as principals written as their root ARN, and scalars as
/// their text (`true` and `"true"` alike).
fn normalize_document(v: &Json) -> Json {
    match v {
        Json::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let mut out = serde_json::Map::new();
            for k in keys {
                let x = &m[k];
                let n = match k.as_str() {
                    "Statement" => {
                        let mut items: Vec<Json> = items_of(x).into_iter().map(normalize_document).collect();
                        items.sort_by_key(Json::to_string);
                        Json::Array(items)
                    }
                    "Action" | "NotAction" | "Resource" | "NotResource" => string_set(x, false),
                    "Principal" | "NotPrincipal" => match x {
                        Json::Object(p) => {
                            let mut keys: Vec<&String> = p.keys().collect();
                            keys.sort();
                            Json::Object(
                                keys.into_iter()
                                    .map(|pk| (pk.clone(), string_set(&p[pk], pk == "AWS")))
                                    .collect(),
                            )
                        }
                        other => normalize_document(other),
                    },
                    "Condition" => match x {
                        Json::Object(ops) => {
                            let mut names: Vec<&String> = ops.keys().collect();
                            names.sort();
                            Json::Object(
                                names
                                    .into_iter()
                                    .map(|op| {
                                        let inner = match &ops[op] {
                                            Json::Object(keys) => {
                                                let mut ks: Vec<&String> = keys.keys().collect();
                                                ks.sort();
                                                Json::Object(
                                                    ks.into_iter()
                                                        .map(|ck| (ck.clone(), string_set(&keys[ck], false)))
                                                        .collect(),
                                                )
                                            }
                                            other => normalize_document(other),
                                        };
                                        (op.clone(), inner)
                                    })
                                    .collect(),
                            )
                        }
                        other => normalize_document(other),
                    },
                    "Sid" if x.as_str() == Some("") => continue,
                    _ => normalize_document(x),
                };
                out.insert(k.clone(), n);
            }
            Json::Object(out)
        }
        Json::Array(items) => Json::Array(items.iter().map(normalize_document).collect()),
        Json::Null => Json::Null,
        Json::String(s) => Json::String(s.clone()),
        other => Json::String(other.to_string()),
    }
}

/// A value or list of values as a list.
fn items_of(v: &Json) -> Vec<&Json> {
    match v {
        Json::Array(items) => items.iter().collect(),
        Json::Null => Vec::new(),
        other => vec![other],
    }
}

/// A value or list of scalars as a sorted list of distinct texts; with `accounts`, a bare
/// account id as its root ARN (IAM writes it so).
fn string_set(v: &Json, accounts: bool) -> Json {
    let mut items: Vec<String> = items_of(v)
        .into_iter()
        .map(|x| match x {
            Json::String(s) => s.clone(),
            other => other.to_string(),
        })
        .map(|s| {
            if accounts && s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
                format!("arn:aws:iam::{s}:root")
            } else {
                s
            }
        })
        .collect();
    items.sort();
    items.dedup();
    Json::Array(items.into_iter().map(Json::String).collect())
}

/// The rules of one rule block as AWS keeps them: one per source (CIDR, IPv6 CIDR, prefix list,
/// security group, or the group itself), with the protocol by name and no ports for all traffic.
fn rule_atoms(rule: &Value, own_id: Option<&str>) -> Vec<Json> {
    let protocol = match rule.get("protocol") {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.to_ascii_lowercase(),
        _ => "-1".to_string(),
    };
    let protocol = match protocol.as_str() {
        "all" | "-1" => "-1",
        "6" => "tcp",
        "17" => "udp",
        "1" => "icmp",
        "58" => "icmpv6",
        other => other,
    }
    .to_string();
    let (from, to) = if protocol == "-1" {
        (0, 0)
    } else {
        (
            rule.get("from_port").as_i64().unwrap_or(0),
            rule.get("to_port").as_i64().unwrap_or(0),
        )
    };
    let atom = |kind: &str, source: Json| json!({"protocol": protocol, "from_port": from, "to_port": to, kind: source});
    let mut out = Vec::new();
    for kind in ["cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids"] {
        for s in rule.get(kind).string_list().unwrap_or_default() {
            out.push(atom(kind, json!([s])));
        }
    }
    for g in rule.get("security_groups").string_list().unwrap_or_default() {
        if Some(g) == own_id {
            out.push(atom("self", json!(true)));
        } else {
            out.push(atom("security_groups", json!([g])));
        }
    }
    if rule.get("self").as_bool() == Some(true) {
        out.push(atom("self", json!(true)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use attest_core::Unread;

    const ACCOUNT: &str = "123456789012";
    const REGION: &str = "us-east-1";

    /// A live resource in the collectors' shape.
    fn live(key: &str, ty: &str, physical_id: &str, attrs: Json) -> SnapshotResource {
        SnapshotResource {
            key: key.into(),
            resource_type: ty.into(),
            physical_id: (physical_id != key).then(|| physical_id.to_string()),
            account: Some(ACCOUNT.into()),
            region: Some(REGION.into()),
            attributes: attrs,
        }
    }

    fn bucket(name: &str, extra: Json) -> SnapshotResource {
        let mut attrs = json!({
            "id": name,
            "bucket": name,
            "arn": format!("arn:aws:s3:::{name}"),
            "region": REGION,
            "acl": null,
            "grant": [{"type": "CanonicalUser", "id": "owner", "permissions": ["FULL_CONTROL"]}],
            "versioning": [{"enabled": false, "mfa_delete": false}],
            "public_access_block": [],
            "logging": [],
            "policy": null,
            "server_side_encryption_configuration": [{"rule": [{
                "apply_server_side_encryption_by_default": [{"sse_algorithm": "AES256", "kms_master_key_id": ""}],
                "bucket_key_enabled": false
            }]}],
            "tags": {},
        });
        if let (Some(a), Json::Object(extra)) = (attrs.as_object_mut(), extra) {
            a.extend(extra);
        }
        live(&format!("arn:aws:s3:::{name}"), "aws_s3_bucket", name, attrs)
    }

    fn queue(name: &str, extra: Json) -> SnapshotResource {
        let url = format!("https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}");
        let mut attrs = json!({
            "id": url,
            "url": url,
            "name": name,
            "arn": format!("arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"),
            "visibility_timeout_seconds": 30,
            "policy": null,
            "tags": {},
        });
        if let (Some(a), Json::Object(extra)) = (attrs.as_object_mut(), extra) {
            a.extend(extra);
        }
        live(
            &format!("arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"),
            "aws_sqs_queue",
            name,
            attrs,
        )
    }

    fn role(name: &str, path: &str, extra: Json) -> SnapshotResource {
        let arn = format!("arn:aws:iam::{ACCOUNT}:role{path}{name}");
        let mut attrs = json!({
            "id": name,
            "name": name,
            "arn": arn,
            "path": path,
            "assume_role_policy": r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
            "description": "",
            "inline_policy": [],
            "managed_policy_arns": [],
        });
        if let (Some(a), Json::Object(extra)) = (attrs.as_object_mut(), extra) {
            a.extend(extra);
        }
        let mut r = live(&arn, "aws_iam_role", name, attrs);
        r.region = None;
        r
    }

    fn snapshot(resources: Vec<SnapshotResource>) -> Snapshot {
        Snapshot::new(resources, vec![])
    }

    /// Loads infrastructure code through attest-iac, as the command line does.
    fn load(files: &[(&str, &str)]) -> Vec<Resource> {
        let dir = tempfile::tempdir().expect("tempdir");
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).expect("write fixture");
        }
        let out = attest_iac::load_paths(&[dir.path().to_path_buf()], &attest_iac::LoadOptions::default());
        assert!(out.errors.is_empty(), "load errors: {:?}", out.errors);
        out.resources
    }

    fn addresses(refs: &[CodeRef]) -> Vec<&str> {
        refs.iter().map(|r| r.address.as_str()).collect()
    }

    fn keys(refs: &[LiveRef]) -> Vec<&str> {
        refs.iter().map(|r| r.key.as_str()).collect()
    }

    fn change(path: &str, old: Option<Json>, new: Option<Json>) -> AttributeChange {
        AttributeChange {
            path: path.into(),
            old,
            new,
        }
    }

    fn state(resources: Json) -> String {
        json!({"version": 4, "terraform_version": "1.7.0", "serial": 3, "lineage": "x", "outputs": {}, "resources": resources})
            .to_string()
    }

    #[test]
    fn a_state_resource_matches_by_its_id_and_its_changes_are_reported() {
        let key_arn = format!("arn:aws:kms:{REGION}:{ACCOUNT}:key/1111-2222");
        let code = load(&[(
            "terraform.tfstate",
            &state(json!([{
                "mode": "managed", "type": "aws_kms_key", "name": "data",
                "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
                "instances": [{"schema_version": 0, "attributes": {
                    "id": "1111-2222", "arn": key_arn, "key_id": "1111-2222",
                    "description": "data key", "enable_key_rotation": true, "is_enabled": true,
                    "deletion_window_in_days": 7, "key_usage": "ENCRYPT_DECRYPT",
                    "tags": {"team": "data"}, "tags_all": {"team": "data"}
                }}]
            }])),
        )]);
        let live_key = live(
            &key_arn,
            "aws_kms_key",
            "1111-2222",
            json!({"id": "1111-2222", "key_id": "1111-2222", "arn": key_arn, "description": "data key",
                   "enable_key_rotation": false, "is_enabled": true, "key_usage": "ENCRYPT_DECRYPT",
                   "tags": {"team": "data"}}),
        );
        let d = compare(&snapshot(vec![live_key]), &code);
        assert_eq!(d.matched, 1);
        assert_eq!(d.changed.len(), 1, "{d:#?}");
        let c = &d.changed[0];
        assert_eq!(c.code.address, "aws_kms_key.data");
        assert_eq!(c.live.key, key_arn);
        assert_eq!(
            c.changes,
            [change(
                "enable_key_rotation",
                Some(json!(true)),
                Some(json!(false))
            )]
        );
        assert!(d.missing.is_empty() && d.unmanaged.is_empty() && d.undetermined.is_empty());
        assert!(!d.is_empty());
    }

    #[test]
    fn configuration_matches_by_name_and_joined_versioning_is_compared() {
        let code = load(&[(
            "main.tf",
            r#"
resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}

resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id
  versioning_configuration {
    status = "Enabled"
  }
}
"#,
        )]);
        let d = compare(&snapshot(vec![bucket("acme-logs", json!({}))]), &code);
        assert_eq!(d.matched, 1, "{d:#?}");
        assert_eq!(d.changed.len(), 1, "{d:#?}");
        let c = &d.changed[0];
        assert_eq!(c.code.address, "aws_s3_bucket.logs");
        assert_eq!(c.code.line, Some(2));
        assert_eq!(c.live.physical_id.as_deref(), Some("acme-logs"));
        assert_eq!(
            c.changes,
            [change(
                "versioning[0].enabled",
                Some(json!(true)),
                Some(json!(false))
            )]
        );
        // The split resource is compared through its bucket, not listed on its own.
        assert!(d.missing.is_empty() && d.not_collected.is_empty() && d.undetermined.is_empty());

        let versioned = bucket(
            "acme-logs",
            json!({"versioning": [{"enabled": true, "mfa_delete": false}]}),
        );
        let d = compare(&snapshot(vec![versioned]), &code);
        assert_eq!(d.matched, 1);
        assert!(d.is_empty(), "{d:#?}");
    }

    #[test]
    fn code_tags_are_authoritative_except_aws_tags() {
        let code = load(&[(
            "main.tf",
            r#"
resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
  tags = {
    env  = "prod"
    team = "platform"
  }
}
"#,
        )]);
        let live_bucket = bucket(
            "acme-data",
            json!({"tags": {"env": "dev", "team": "platform", "owner": "alice",
                            "aws:cloudformation:stack-name": "other"}}),
        );
        let d = compare(&snapshot(vec![live_bucket]), &code);
        assert_eq!(d.changed.len(), 1, "{d:#?}");
        assert_eq!(
            d.changed[0].changes,
            [
                change("tags.env", Some(json!("prod")), Some(json!("dev"))),
                change("tags.owner", None, Some(json!("alice"))),
            ]
        );
    }

    #[test]
    fn identities_known_only_after_apply_are_undetermined() {
        let code = load(&[(
            "main.tf",
            r#"
resource "random_id" "suffix" {
  byte_length = 4
}

resource "aws_s3_bucket" "scratch" {
  bucket = "scratch-${random_id.suffix.hex}"
}

resource "aws_iam_role" "generated" {
  assume_role_policy = "{}"
}
"#,
        )]);
        let d = compare(
            &snapshot(vec![
                bucket("scratch-1a2b", json!({})),
                role("other", "/", json!({})),
            ]),
            &code,
        );
        assert_eq!(
            addresses(&d.undetermined),
            ["aws_iam_role.generated", "aws_s3_bucket.scratch"]
        );
        assert!(d.missing.is_empty(), "{d:#?}");
        assert_eq!(d.matched, 0);
        // `random_id` is not read by a live scan at all.
        assert_eq!(addresses(&d.not_collected), ["random_id.suffix"]);
        // Nothing claimed them: the live resources are unmanaged.
        assert_eq!(
            keys(&d.unmanaged),
            [
                format!("arn:aws:iam::{ACCOUNT}:role/other"),
                "arn:aws:s3:::scratch-1a2b".to_string()
            ]
        );
    }

    #[test]
    fn missing_and_unmanaged_resources() {
        let code = load(&[(
            "main.tf",
            r#"
resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_sqs_queue" "orders" {
  name                       = "orders"
  visibility_timeout_seconds = 30
}
"#,
        )]);
        let d = compare(
            &snapshot(vec![queue("orders", json!({})), queue("legacy", json!({}))]),
            &code,
        );
        assert_eq!(d.matched, 1);
        assert!(d.changed.is_empty(), "{d:#?}");
        assert_eq!(addresses(&d.missing), ["aws_sqs_queue.jobs"]);
        assert_eq!(
            keys(&d.unmanaged),
            [format!("arn:aws:sqs:{REGION}:{ACCOUNT}:legacy")]
        );
        assert!(!d.is_empty());
    }

    #[test]
    fn provider_managed_resources_are_never_unmanaged() {
        let vpc = live(
            &format!("arn:aws:ec2:{REGION}:{ACCOUNT}:vpc/vpc-1"),
            "aws_vpc",
            "vpc-1",
            json!({"id": "vpc-1", "default": true, "tags": {}}),
        );
        let default_sg = live(
            &format!("arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/sg-d"),
            "aws_default_security_group",
            "sg-d",
            json!({"id": "sg-d", "name": "default", "vpc_id": "vpc-1", "ingress": [], "egress": []}),
        );
        let aws_key = live(
            &format!("arn:aws:kms:{REGION}:{ACCOUNT}:key/k-aws"),
            "aws_kms_key",
            "k-aws",
            json!({"id": "k-aws", "key_manager": "AWS"}),
        );
        let own_key = live(
            &format!("arn:aws:kms:{REGION}:{ACCOUNT}:key/k-own"),
            "aws_kms_key",
            "k-own",
            json!({"id": "k-own", "key_manager": "CUSTOMER"}),
        );
        let service_role = role(
            "AWSServiceRoleForSupport",
            "/aws-service-role/support.amazonaws.com/",
            json!({}),
        );
        let mut report = live(
            "aws_iam_credential_report:global",
            "aws_iam_credential_report",
            "aws_iam_credential_report:global",
            json!({"users": []}),
        );
        report.region = None;
        let d = compare(
            &snapshot(vec![vpc, default_sg, aws_key, own_key, service_role, report]),
            &[],
        );
        let reasons: BTreeMap<&str, &str> = d
            .provider_managed
            .iter()
            .map(|(r, why)| (r.resource_type.as_str(), why.as_str()))
            .collect();
        assert_eq!(
            reasons,
            BTreeMap::from([
                ("aws_default_security_group", "default security group of a VPC"),
                ("aws_iam_credential_report", "account report, not a resource"),
                ("aws_iam_role", "service-linked role: AWS creates and deletes it"),
                ("aws_kms_key", "AWS-managed KMS key"),
                ("aws_vpc", "default VPC"),
            ])
        );
        assert_eq!(
            keys(&d.unmanaged),
            [format!("arn:aws:kms:{REGION}:{ACCOUNT}:key/k-own")]
        );
    }

    #[test]
    fn a_default_security_group_in_code_is_matched_not_provider_managed() {
        let code = load(&[(
            "main.tf",
            r#"
resource "aws_default_security_group" "default" {
  vpc_id = "vpc-1"
}
"#,
        )]);
        let default_sg = live(
            &format!("arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/sg-d"),
            "aws_default_security_group",
            "sg-d",
            json!({"id": "sg-d", "name": "default", "vpc_id": "vpc-1",
                   "ingress": [{"protocol": "-1", "from_port": 0, "to_port": 0, "self": true,
                                "cidr_blocks": [], "ipv6_cidr_blocks": [], "prefix_list_ids": [],
                                "security_groups": [], "description": ""}],
                   "egress": []}),
        );
        let d = compare(&snapshot(vec![default_sg]), &code);
        assert_eq!(d.matched, 1);
        assert!(d.provider_managed.is_empty() && d.unmanaged.is_empty(), "{d:#?}");
    }

    #[test]
    fn types_the_scan_does_not_read_are_not_collected_unless_said_to_be() {
        let code = load(&[(
            "main.tf",
            r#"
resource "aws_route53_zone" "main" {
  name = "example.com"
}

resource "aws_sns_topic" "alerts" {
  name = "alerts"
}
"#,
        )]);
        let live = snapshot(vec![]);
        let d = compare(&live, &code);
        assert_eq!(
            addresses(&d.not_collected),
            ["aws_route53_zone.main", "aws_sns_topic.alerts"]
        );
        assert!(d.missing.is_empty() && d.is_empty());
        // Told that the scan reads topics, an absent topic is missing.
        let d = compare_with(&live, &code, &Ignore::defaults(), Some(&["aws_sns_topic"]));
        assert_eq!(addresses(&d.missing), ["aws_sns_topic.alerts"]);
        assert_eq!(addresses(&d.not_collected), ["aws_route53_zone.main"]);
    }

    #[test]
    fn a_type_the_scan_could_not_list_leaves_its_code_undetermined() {
        let code = load(&[(
            "main.tf",
            "resource \"aws_dynamodb_table\" \"t\" {\n  name = \"t\"\n}\n",
        )]);
        let live = Snapshot::new(
            vec![],
            vec![Unread {
                resource_type: "aws_dynamodb_table".into(),
                account: Some(ACCOUNT.into()),
                region: Some(REGION.into()),
            }],
        );
        let d = compare(&live, &code);
        assert_eq!(addresses(&d.undetermined), ["aws_dynamodb_table.t"]);
        assert!(d.missing.is_empty() && d.not_collected.is_empty());
    }

    #[test]
    fn cloudformation_names_match_and_generated_names_are_undetermined() {
        let code = load(&[(
            "template.yaml",
            r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Orders:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: orders
      VisibilityTimeout: 60
  Uploads:
    Type: AWS::S3::Bucket
"#,
        )]);
        let d = compare(
            &snapshot(vec![queue("orders", json!({})), bucket("uploads-x1", json!({}))]),
            &code,
        );
        assert_eq!(d.matched, 1);
        assert_eq!(d.changed.len(), 1, "{d:#?}");
        assert_eq!(d.changed[0].code.address, "Orders");
        assert_eq!(
            d.changed[0].changes,
            [change(
                "visibility_timeout_seconds",
                Some(json!(60)),
                Some(json!(30))
            )]
        );
        assert_eq!(addresses(&d.undetermined), ["Uploads"]);
    }

    #[test]
    fn policies_compare_as_documents() {
        let code = load(&[(
            "main.tf",
            r#"
resource "aws_sqs_queue" "orders" {
  name = "orders"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = {
      Effect    = "Allow"
      Principal = { AWS = "123456789012" }
      Action    = "sqs:SendMessage"
      Resource  = "*"
    }
  })
}
"#,
        )]);
        let same = r#"{"Statement":[{"Resource":"*","Action":["sqs:SendMessage"],"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"}}],"Version":"2012-10-17"}"#;
        let d = compare(&snapshot(vec![queue("orders", json!({"policy": same}))]), &code);
        assert_eq!(d.matched, 1);
        assert!(d.changed.is_empty(), "{d:#?}");
        let denied = same.replace("Allow", "Deny");
        let d = compare(&snapshot(vec![queue("orders", json!({"policy": denied}))]), &code);
        assert_eq!(d.changed.len(), 1);
        let c = &d.changed[0].changes;
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].path, "policy");
        assert_eq!(
            c[0].old.as_ref().map(|o| o["Statement"][0]["Effect"].clone()),
            Some(json!("Allow"))
        );
        assert_eq!(
            c[0].new.as_ref().map(|n| n["Statement"][0]["Effect"].clone()),
            Some(json!("Deny"))
        );
    }

    #[test]
    fn security_group_rules_compare_as_the_rules_aws_keeps() {
        let code = load(&[(
            "main.tf",
            r#"
resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = "vpc-1"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "6"
    cidr_blocks = ["192.168.0.0/16"]
  }
}
"#,
        )]);
        let rule = |port: u16, cidrs: Json| {
            json!({"from_port": port, "to_port": port, "protocol": "tcp", "cidr_blocks": cidrs,
                   "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [],
                   "self": false, "description": ""})
        };
        let group = |ingress: Json| {
            live(
                &format!("arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/sg-1"),
                "aws_security_group",
                "sg-1",
                json!({"id": "sg-1", "name": "web", "vpc_id": "vpc-1", "ingress": ingress, "egress": [], "tags": {}}),
            )
        };
        let grouped = group(json!([rule(443, json!(["10.0.0.0/8", "192.168.0.0/16"]))]));
        let d = compare(&snapshot(vec![grouped]), &code);
        assert_eq!(d.matched, 1);
        assert!(d.changed.is_empty(), "{d:#?}");
        let opened = group(json!([
            rule(443, json!(["10.0.0.0/8", "192.168.0.0/16"])),
            rule(22, json!(["0.0.0.0/0"]))
        ]));
        let d = compare(&snapshot(vec![opened]), &code);
        assert_eq!(d.changed.len(), 1, "{d:#?}");
        assert_eq!(
            d.changed[0].changes,
            [change(
                "ingress[]",
                None,
                Some(
                    json!({"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]})
                )
            )]
        );
    }

    #[test]
    fn a_split_resource_without_its_parent_is_compared_on_the_live_parent() {
        let code = load(&[(
            "main.tf",
            r#"
resource "aws_s3_bucket_public_access_block" "legacy" {
  bucket                  = "legacy-bucket"
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "gone" {
  bucket = "gone-bucket"
  versioning_configuration {
    status = "Enabled"
  }
}
"#,
        )]);
        let d = compare(&snapshot(vec![bucket("legacy-bucket", json!({}))]), &code);
        assert_eq!(d.matched, 1);
        assert_eq!(d.changed.len(), 1, "{d:#?}");
        let c = &d.changed[0];
        assert_eq!(c.code.address, "aws_s3_bucket_public_access_block.legacy");
        assert_eq!(c.live.key, "arn:aws:s3:::legacy-bucket");
        assert_eq!(c.changes.len(), 1);
        assert_eq!(c.changes[0].path, "public_access_block");
        assert_eq!(c.changes[0].new, Some(json!([])));
        // The bucket the split resource configures is managed; the one it names that is not live
        // is missing.
        assert!(d.unmanaged.is_empty(), "{d:#?}");
        assert_eq!(addresses(&d.missing), ["aws_s3_bucket_versioning.gone"]);
    }

    #[test]
    fn inline_policies_of_a_role_claim_the_live_policies_they_declare() {
        let code = load(&[(
            "main.tf",
            r#"
resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "read" {
  name   = "read"
  role   = aws_iam_role.app.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }] })
}
"#,
        )]);
        let read = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
        let extra =
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
        let inline = |name: &str, doc: &str| {
            let mut r = live(
                &format!("aws_iam_role_policy:global:app:{name}"),
                "aws_iam_role_policy",
                &format!("app:{name}"),
                json!({"id": format!("app:{name}"), "name": name, "role": "app", "policy": doc}),
            );
            r.region = None;
            r
        };
        let app = role(
            "app",
            "/",
            json!({"inline_policy": [{"name": "read", "policy": read}, {"name": "admin", "policy": extra}]}),
        );
        let d = compare(
            &snapshot(vec![app, inline("read", read), inline("admin", extra)]),
            &code,
        );
        assert_eq!(d.matched, 1);
        // Inline policies joined from split resources are a subset: the extra one is not a
        // change of the role but an unmanaged policy.
        assert!(d.changed.is_empty(), "{d:#?}");
        assert_eq!(keys(&d.unmanaged), ["aws_iam_role_policy:global:app:admin"]);
    }

    #[test]
    fn output_is_sorted_and_round_trips_through_json() {
        let code = load(&[(
            "main.tf",
            r#"
resource "aws_sqs_queue" "b" {
  name = "b"
}
resource "aws_sqs_queue" "a" {
  name = "a"
}
"#,
        )]);
        let d = compare(
            &snapshot(vec![queue("z", json!({})), queue("y", json!({}))]),
            &code,
        );
        assert_eq!(addresses(&d.missing), ["aws_sqs_queue.a", "aws_sqs_queue.b"]);
        assert_eq!(
            keys(&d.unmanaged),
            [
                format!("arn:aws:sqs:{REGION}:{ACCOUNT}:y"),
                format!("arn:aws:sqs:{REGION}:{ACCOUNT}:z")
            ]
        );
        let text = serde_json::to_string(&d).expect("serialize");
        assert!(text.contains("\"type\":\"aws_sqs_queue\""));
        let back: IacDrift = serde_json::from_str(&text).expect("deserialize");
        assert_eq!(back, d);
    }

    #[test]
    fn unknown_values_are_undecided_not_drift() {
        let mut code = Resource::new(
            "aws_sqs_queue.q",
            "aws_sqs_queue",
            Value::from(json!({
                "name": "q",
                "visibility_timeout_seconds": {"$unknown": "known after apply"},
                "tags": {"a": {"$unknown": "known after apply"}}
            })),
            attest_core::Provenance::new(InputKind::TfPlan),
        );
        code.mode = Mode::Managed;
        let live_q = queue("q", json!({"visibility_timeout_seconds": 45, "tags": {"a": "1"}}));
        let d = compare(&snapshot(vec![live_q]), &[code]);
        assert_eq!(d.matched, 1);
        assert!(d.changed.is_empty(), "{d:#?}");
    }
}

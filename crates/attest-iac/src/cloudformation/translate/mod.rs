//! Translation of CloudFormation resource types into the canonical (Terraform provider schema)
//! vocabulary, one file per AWS service.
//!
//! A translator takes the evaluated `Properties` of one resource and returns one or more
//! resources in the canonical vocabulary: the resource itself under its logical id, and the
//! resources Terraform would declare separately for what CloudFormation writes inline (inline IAM
//! policies become `aws_iam_role_policy` & co. with ids like `Role.Policies.<PolicyName>`).
//! Values move freely: the reference edges are found afterwards from the unknown values wherever
//! they sit in the translated attributes (see [`super::eval::Refs`]). Types without a translator
//! stay under their CloudFormation type name with `Properties` as attributes.

mod cloudfront;
mod cloudwatch;
mod dynamodb;
mod ec2;
mod elb;
mod iam;
mod kms;
mod logs;

use std::collections::BTreeMap;

use attest_core::Value;

use super::eval::Refs;

/// One resource of the template, evaluated.
pub struct Source<'a> {
    pub id: &'a str,
    pub props: &'a Value,
}

/// A resource in the canonical vocabulary.
pub struct Translated {
    pub id: String,
    pub resource_type: String,
    pub attributes: Value,
    /// Values whose references belong to an attribute that holds them in another form (a policy
    /// document serialized as a JSON string): `(attribute path, value)`.
    pub held: Vec<(String, Value)>,
}

impl Translated {
    pub fn new(id: impl Into<String>, resource_type: &str, attributes: Value) -> Self {
        Translated {
            id: id.into(),
            resource_type: resource_type.to_string(),
            attributes,
            held: Vec::new(),
        }
    }

    /// Records that the references in `value` belong to the attribute `path`.
    pub fn holding(mut self, path: &str, value: &Value) -> Self {
        self.held.push((path.to_string(), value.clone()));
        self
    }
}

/// What a translator may use besides the resource: it makes references to other resources.
pub struct Ctx<'r> {
    pub refs: &'r mut Refs,
}

impl Ctx<'_> {
    /// A value known after deployment that refers to the resource `target` (its `what`).
    pub fn reference(&mut self, target: &str, what: &str) -> Value {
        self.refs.unknown(
            format!("{target}.{what} is known after deployment"),
            [target.to_string()],
        )
    }
}

pub type Translator = fn(&mut Ctx, &Source) -> Vec<Translated>;

/// The translator of a CloudFormation type, if attest has one.
pub fn translator(cfn_type: &str) -> Option<Translator> {
    let t: Translator = match cfn_type {
        "AWS::IAM::Policy" => iam::policy,
        "AWS::IAM::ManagedPolicy" => iam::managed_policy,
        "AWS::IAM::Role" => iam::role,
        "AWS::IAM::User" => iam::user,
        "AWS::IAM::Group" => iam::group,
        "AWS::EC2::SecurityGroup" => ec2::security_group,
        "AWS::EC2::SecurityGroupIngress" => ec2::ingress_rule,
        "AWS::EC2::SecurityGroupEgress" => ec2::egress_rule,
        "AWS::EC2::VPC" => ec2::vpc,
        "AWS::EC2::FlowLog" => ec2::flow_log,
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => elb::load_balancer_v2,
        "AWS::ElasticLoadBalancing::LoadBalancer" => elb::classic,
        "AWS::Logs::LogGroup" => logs::log_group,
        "AWS::Logs::MetricFilter" => logs::metric_filter,
        "AWS::CloudWatch::Alarm" => cloudwatch::alarm,
        "AWS::CloudFront::Distribution" => cloudfront::distribution,
        "AWS::DynamoDB::Table" => dynamodb::table,
        "AWS::KMS::Key" => kms::key,
        _ => return None,
    };
    Some(t)
}

/// The CloudFormation types attest translates.
pub const TRANSLATED_TYPES: &[&str] = &[
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::Role",
    "AWS::IAM::User",
    "AWS::IAM::Group",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::EC2::VPC",
    "AWS::EC2::FlowLog",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::ElasticLoadBalancing::LoadBalancer",
    "AWS::Logs::LogGroup",
    "AWS::Logs::MetricFilter",
    "AWS::CloudWatch::Alarm",
    "AWS::CloudFront::Distribution",
    "AWS::DynamoDB::Table",
    "AWS::KMS::Key",
];

/// An object of the given attributes, leaving out the ones that are not set.
pub fn obj(pairs: Vec<(&str, Value)>) -> Value {
    Value::Object(
        pairs
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

/// Maps the elements of a CloudFormation list of structures; a single structure counts as a list
/// of one, unknown stays unknown.
pub fn each(v: &Value, f: impl Fn(&Value) -> Value) -> Value {
    match v {
        Value::Null => Value::Null,
        Value::Unknown(_) => v.clone(),
        Value::List(items) => Value::List(
            items
                .iter()
                .map(|i| if i.is_unknown() { i.clone() } else { f(i) })
                .collect(),
        ),
        other => Value::List(vec![f(other)]),
    }
}

/// A nested block (a structure) as Terraform's list of one block; `Null` when absent.
pub fn block(v: &Value, f: impl Fn(&Value) -> Value) -> Value {
    match v {
        Value::Null => Value::Null,
        Value::Unknown(_) => v.clone(),
        other => Value::List(vec![f(other)]),
    }
}

/// A value as a list (Terraform list attributes); a scalar becomes a list of one.
pub fn one_or_list(v: &Value) -> Value {
    match v {
        Value::Null | Value::List(_) | Value::Unknown(_) => v.clone(),
        other => Value::List(vec![other.clone()]),
    }
}

/// A JSON document (an IAM policy) as the JSON string Terraform holds.
pub fn json_string(v: &Value) -> Value {
    match v {
        Value::Null | Value::String(_) | Value::Unknown(_) => v.clone(),
        other => Value::String(other.to_json().to_string()),
    }
}

/// `[{Key, Value}]` tags as a map.
pub fn tags(v: &Value) -> Value {
    name_value_map(v, "Key", "Value")
}

/// A list of `{<name>: …, <value>: …}` structures as a map. Unknown when a name is unknown.
pub fn name_value_map(v: &Value, name: &str, value: &str) -> Value {
    match v {
        Value::Null => Value::Null,
        Value::List(items) => {
            let mut map = BTreeMap::new();
            for item in items {
                match item.get(name) {
                    Value::String(k) => {
                        map.insert(k.clone(), item.get(value).clone());
                    }
                    _ => return Value::unknown(format!("a {name} is not known before deployment")),
                }
            }
            Value::Object(map)
        }
        Value::Unknown(_) => v.clone(),
        _ => Value::Null,
    }
}

/// A string attribute compared with a CloudFormation enumeration value (`Scheme: internal`):
/// unknown stays unknown, absent is `Null`.
pub fn equals(v: &Value, expected: &str) -> Value {
    match v {
        Value::Null => Value::Null,
        Value::Unknown(_) => v.clone(),
        Value::String(s) => Value::Bool(s.eq_ignore_ascii_case(expected)),
        _ => Value::Bool(false),
    }
}

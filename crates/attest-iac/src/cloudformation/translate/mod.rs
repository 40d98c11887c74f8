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

mod accessanalyzer;
mod apigateway;
mod autoscaling;
mod cloudfront;
mod cloudtrail;
mod cloudwatch;
mod config;
mod dynamodb;
mod ec2;
mod ec2_compute;
mod ecr;
mod ecs;
mod efs;
mod eks;
mod elasticache;
mod elb;
mod iam;
mod kms;
mod lambda;
mod logs;
mod opensearch;
mod rds;
mod redshift;
mod s3;
mod secretsmanager;
mod securityhub;
mod sns;
mod sqs;
mod wafv2;

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
        "AWS::ElasticLoadBalancingV2::Listener" => elb::listener,
        "AWS::ElasticLoadBalancingV2::ListenerRule" => elb::listener_rule,
        "AWS::ApiGateway::DomainName" => apigateway::domain_name,
        "AWS::ApiGatewayV2::DomainName" => apigateway::domain_name_v2,
        "AWS::WAFv2::WebACL" => wafv2::web_acl,
        "AWS::ECR::Repository" => ecr::repository,
        "AWS::EKS::Cluster" => eks::cluster,
        "AWS::OpenSearchService::Domain" => opensearch::opensearch_domain,
        "AWS::Elasticsearch::Domain" => opensearch::elasticsearch_domain,
        "AWS::SecretsManager::Secret" => secretsmanager::secret,
        "AWS::SecretsManager::RotationSchedule" => secretsmanager::rotation_schedule,
        "AWS::ECS::TaskDefinition" => ecs::task_definition,
        "AWS::IAM::AccessKey" => iam::access_key,
        "AWS::IAM::UserToGroupAddition" => iam::user_to_group_addition,
        "AWS::IAM::InstanceProfile" => iam::instance_profile,
        "AWS::Logs::LogGroup" => logs::log_group,
        "AWS::Logs::MetricFilter" => logs::metric_filter,
        "AWS::CloudWatch::Alarm" => cloudwatch::alarm,
        "AWS::CloudFront::Distribution" => cloudfront::distribution,
        "AWS::DynamoDB::Table" => dynamodb::table,
        "AWS::KMS::Key" => kms::key,
        "AWS::S3::Bucket" => s3::bucket,
        "AWS::S3::BucketPolicy" => s3::bucket_policy,
        "AWS::CloudTrail::Trail" => cloudtrail::trail,
        "AWS::Config::ConfigurationRecorder" => config::recorder,
        "AWS::Config::DeliveryChannel" => config::delivery_channel,
        "AWS::SecurityHub::Hub" => securityhub::hub,
        "AWS::AccessAnalyzer::Analyzer" => accessanalyzer::analyzer,
        "AWS::SNS::Topic" => sns::topic,
        "AWS::SNS::Subscription" => sns::subscription,
        "AWS::SNS::TopicPolicy" => sns::topic_policy,
        "AWS::SQS::Queue" => sqs::queue,
        "AWS::SQS::QueuePolicy" => sqs::queue_policy,
        "AWS::EC2::NetworkAcl" => ec2_compute::network_acl,
        "AWS::EC2::NetworkAclEntry" => ec2_compute::network_acl_entry,
        "AWS::EC2::Subnet" => ec2_compute::subnet,
        "AWS::EC2::RouteTable" => ec2_compute::route_table,
        "AWS::EC2::Route" => ec2_compute::route,
        "AWS::EC2::VPCPeeringConnection" => ec2_compute::vpc_peering_connection,
        "AWS::EC2::Instance" => ec2_compute::instance,
        "AWS::EC2::LaunchTemplate" => ec2_compute::launch_template,
        "AWS::EC2::Volume" => ec2_compute::volume,
        "AWS::RDS::DBInstance" => rds::db_instance,
        "AWS::RDS::DBCluster" => rds::db_cluster,
        "AWS::ElastiCache::ReplicationGroup" => elasticache::replication_group,
        "AWS::Redshift::Cluster" => redshift::cluster,
        "AWS::EFS::FileSystem" => efs::file_system,
        "AWS::Lambda::Function" => lambda::function,
        "AWS::Lambda::Permission" => lambda::permission,
        "AWS::Lambda::Url" => lambda::url,
        "AWS::AutoScaling::AutoScalingGroup" => autoscaling::group,
        "AWS::AutoScaling::LaunchConfiguration" => autoscaling::launch_configuration,
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
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::ElasticLoadBalancingV2::ListenerRule",
    "AWS::ApiGateway::DomainName",
    "AWS::ApiGatewayV2::DomainName",
    "AWS::WAFv2::WebACL",
    "AWS::ECR::Repository",
    "AWS::EKS::Cluster",
    "AWS::OpenSearchService::Domain",
    "AWS::Elasticsearch::Domain",
    "AWS::SecretsManager::Secret",
    "AWS::SecretsManager::RotationSchedule",
    "AWS::ECS::TaskDefinition",
    "AWS::IAM::AccessKey",
    "AWS::IAM::UserToGroupAddition",
    "AWS::IAM::InstanceProfile",
    "AWS::Logs::LogGroup",
    "AWS::Logs::MetricFilter",
    "AWS::CloudWatch::Alarm",
    "AWS::CloudFront::Distribution",
    "AWS::DynamoDB::Table",
    "AWS::KMS::Key",
    "AWS::S3::Bucket",
    "AWS::S3::BucketPolicy",
    "AWS::CloudTrail::Trail",
    "AWS::Config::ConfigurationRecorder",
    "AWS::Config::DeliveryChannel",
    "AWS::SecurityHub::Hub",
    "AWS::AccessAnalyzer::Analyzer",
    "AWS::SNS::Topic",
    "AWS::SNS::Subscription",
    "AWS::SNS::TopicPolicy",
    "AWS::SQS::Queue",
    "AWS::SQS::QueuePolicy",
    "AWS::EC2::NetworkAcl",
    "AWS::EC2::NetworkAclEntry",
    "AWS::EC2::Subnet",
    "AWS::EC2::RouteTable",
    "AWS::EC2::Route",
    "AWS::EC2::VPCPeeringConnection",
    "AWS::EC2::Instance",
    "AWS::EC2::LaunchTemplate",
    "AWS::EC2::Volume",
    "AWS::RDS::DBInstance",
    "AWS::RDS::DBCluster",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::Redshift::Cluster",
    "AWS::EFS::FileSystem",
    "AWS::Lambda::Function",
    "AWS::Lambda::Permission",
    "AWS::Lambda::Url",
    "AWS::AutoScaling::AutoScalingGroup",
    "AWS::AutoScaling::LaunchConfiguration",
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

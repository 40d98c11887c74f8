//! Rules for Amazon Web Services resources, one module per service.

pub mod apigateway;
pub mod autoscaling;
pub mod cloudfront;
pub mod cloudtrail;
pub mod cloudwatch;
pub mod config;
pub mod dynamodb;
pub mod ebs;
pub mod ec2;
pub mod efs;
pub mod elasticache;
pub mod elb;
pub mod flag;
pub mod iam;
pub mod kms;
pub mod lambda;
pub mod links;
pub mod rds;
pub mod redshift;
pub mod s3;
pub mod securityhub;
pub mod sns;
pub mod sqs;
pub mod vpc;
pub mod waf;

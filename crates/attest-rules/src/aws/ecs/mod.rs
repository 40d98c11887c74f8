//! Amazon ECS task definitions.

pub mod task_no_privileged;

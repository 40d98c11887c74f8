//! AWS Identity and Access Management.

pub mod access_analyzer;
pub mod instance_profile_no_s3_list;
pub mod managed_policies;
pub mod no_admin_policy;
pub mod no_cloudshell_full_access;
pub mod no_s3_list_all_buckets;
pub mod password_expiration;
pub mod password_length;
pub mod password_lower_case;
pub mod password_number;
pub mod password_pci_compliant;
pub mod password_policy;
pub mod password_reuse;
pub mod password_reuse_4;
pub mod password_symbol;
pub mod password_upper_case;
pub mod policy_document;
pub mod role_cross_account_trust;
pub mod role_trust_no_wildcard;
pub mod support_role;
pub mod trust;
pub mod user_in_group;
pub mod user_no_direct_policies;
pub mod user_single_access_key;

//! Organizations `ListAccounts`: the accounts of the organization the credentials manage.

use attest_core::InputError;

use super::drain;
use crate::ctx::{client, Ctx, Session};
use crate::AccountTarget;

/// Every active account, each read through `role_name` except the management account itself
/// (read with the base credentials).
pub async fn accounts(s: &Session, role_name: &str) -> (Vec<AccountTarget>, Vec<InputError>) {
    let org = client!(s, aws_sdk_organizations, "organizations");
    let (me, err) = super::account_id(s).await;
    let mut errors: Vec<InputError> = err.into_iter().collect();
    let (pages, err) = drain(org.list_accounts().into_paginator().send()).await;
    let accounts: Vec<_> = pages.iter().flat_map(|p| p.accounts().iter().cloned()).collect();
    let c = Ctx::global(s, me.clone());
    if let Some(e) = err {
        errors.push(c.error(
            "organizations",
            "ListAccounts",
            format!("{} (no account of the organization is read)", e.message),
        ));
        return (Vec::new(), errors);
    }
    let mut targets: Vec<AccountTarget> = accounts
        .iter()
        .filter(|a| a.state().map(|s| s.as_str()) != Some("SUSPENDED"))
        .filter(|a| a.status().is_none_or(|s| s.as_str() == "ACTIVE"))
        .filter_map(|a| a.id())
        .map(|id| AccountTarget {
            account_id: id.to_string(),
            role_arn: (me.as_deref() != Some(id))
                .then(|| format!("arn:{}:iam::{id}:role/{role_name}", c.partition())),
            external_id: None,
        })
        .collect();
    targets.sort_by(|a, b| a.account_id.cmp(&b.account_id));
    (targets, errors)
}

//! EC2 `DescribeRegions`: the regions enabled in the account, for `--all-regions`.

use attest_core::InputError;

use crate::api::ApiError;
use crate::ctx::{client, Ctx, Session};

/// The enabled regions (opted in, or needing no opt-in), sorted; empty with the error when the
/// call fails.
pub async fn enabled(s: &Session, account: Option<&str>) -> (Vec<String>, Option<InputError>) {
    let ec2 = client!(s, aws_sdk_ec2, "ec2");
    match ec2.describe_regions().all_regions(false).send().await {
        Ok(out) => {
            let mut regions: Vec<String> = out
                .regions()
                .iter()
                .filter(|r| r.opt_in_status() != Some("not-opted-in"))
                .filter_map(|r| r.region_name().map(str::to_string))
                .collect();
            regions.sort();
            regions.dedup();
            (regions, None)
        }
        Err(e) => {
            let e = ApiError::from_sdk(&e);
            let c = Ctx::new(s, account.map(str::to_string));
            (
                Vec::new(),
                Some(c.error(
                    "ec2",
                    "DescribeRegions",
                    format!("{} (only {} is read)", e.message, s.region()),
                )),
            )
        }
    }
}

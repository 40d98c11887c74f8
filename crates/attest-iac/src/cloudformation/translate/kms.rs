//! KMS keys.

use attest_core::Value;

use super::{json_string, obj, tags, Ctx, Source, Translated};

pub fn key(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    let policy = p.get("KeyPolicy");
    let rotation = match p.get("EnableKeyRotation") {
        Value::Null => Value::Bool(false),
        other => other.clone(),
    };
    vec![Translated::new(
        s.id,
        "aws_kms_key",
        obj(vec![
            ("description", p.get("Description").clone()),
            ("enable_key_rotation", rotation),
            ("is_enabled", p.get("Enabled").clone()),
            ("key_usage", p.get("KeyUsage").clone()),
            ("customer_master_key_spec", p.get("KeySpec").clone()),
            ("multi_region", p.get("MultiRegion").clone()),
            ("deletion_window_in_days", p.get("PendingWindowInDays").clone()),
            ("policy", json_string(policy)),
            ("tags", tags(p.get("Tags"))),
        ]),
    )
    .holding("policy", policy)]
}

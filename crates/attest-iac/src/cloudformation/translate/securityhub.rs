//! Security Hub: `AWS::SecurityHub::Hub` turns Security Hub on for the account, as
//! `aws_securityhub_account` does.

use super::{obj, Ctx, Source, Translated};

pub fn hub(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    vec![Translated::new(
        s.id,
        "aws_securityhub_account",
        obj(vec![
            (
                "enable_default_standards",
                p.get("EnableDefaultStandards").clone(),
            ),
            (
                "control_finding_generator",
                p.get("ControlFindingGenerator").clone(),
            ),
            ("auto_enable_controls", p.get("AutoEnableControls").clone()),
        ]),
    )]
}

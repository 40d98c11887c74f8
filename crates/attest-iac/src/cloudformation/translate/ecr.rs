//! ECR repositories.
//!
//! `AWS::ECR::Repository` becomes `aws_ecr_repository`: `ImageScanningConfiguration` →
//! `image_scanning_configuration`, `EncryptionConfiguration` → `encryption_configuration`,
//! `ImageTagMutability` → `image_tag_mutability`. Absent settings stay absent: ECR's defaults
//! (no scan on push, mutable tags, AES256) are the provider's too.

use super::{block, obj, tags, Ctx, Source, Translated};

pub fn repository(_: &mut Ctx, s: &Source) -> Vec<Translated> {
    let p = s.props;
    vec![Translated::new(
        s.id,
        "aws_ecr_repository",
        obj(vec![
            ("name", p.get("RepositoryName").clone()),
            ("image_tag_mutability", p.get("ImageTagMutability").clone()),
            (
                "image_scanning_configuration",
                block(p.get("ImageScanningConfiguration"), |c| {
                    obj(vec![("scan_on_push", c.get("ScanOnPush").clone())])
                }),
            ),
            (
                "encryption_configuration",
                block(p.get("EncryptionConfiguration"), |c| {
                    obj(vec![
                        ("encryption_type", c.get("EncryptionType").clone()),
                        ("kms_key", c.get("KmsKey").clone()),
                    ])
                }),
            ),
            ("force_delete", p.get("EmptyOnDelete").clone()),
            ("tags", tags(p.get("Tags"))),
        ]),
    )]
}

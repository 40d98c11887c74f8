module "store" {
  source = "./store"
  name   = "acme-mod"
}
resource "aws_s3_bucket_versioning" "store" {
  bucket = module.store.bucket_id
  versioning_configuration {
    status = "Enabled"
  }
}

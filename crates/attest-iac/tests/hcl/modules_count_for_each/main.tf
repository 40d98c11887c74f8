module "bucket" {
  source = "./bucket"
  count  = 2
  name   = "data-${count.index}"
}

module "site" {
  source   = "./bucket"
  for_each = { a = "alpha", b = "beta" }
  name     = each.value
  key      = each.key
}

module "none" {
  source = "./bucket"
  count  = 0
  name   = "never"
}

resource "aws_s3_bucket_policy" "site" {
  for_each = module.site
  bucket   = each.value.bucket_name
  policy   = "{}"
}

resource "aws_cloudfront_distribution" "cdn" {
  enabled      = true
  origin_names = module.bucket[*].bucket_name
  first_arn    = module.bucket[0].bucket_arn
  alpha        = module.site["a"].bucket_name
  none         = length(module.none)
}

locals {
  prefix      = "acme-${local.env}"
  env         = "prod"
  common_tags = { Team = "platform", Env = local.env }
  names       = [for n in ["a", "b", "c"] : upper(n) if n != "b"]
  by_name     = { for n in ["x", "y"] : n => "${local.prefix}-${n}" }
  is_prod     = local.env == "prod" ? true : false
  port        = 8000 + 80
  loop        = local.loop2
  loop2       = local.loop
}

resource "aws_s3_bucket" "data" {
  bucket = "${local.prefix}-data"
  tags   = merge(local.common_tags, { Name = "data" })
  names  = local.names
  by     = local.by_name
  prod   = local.is_prod
  port   = local.port
  splat  = [{ a = 1 }, { a = 2 }][*].a
  cycle  = local.loop
}

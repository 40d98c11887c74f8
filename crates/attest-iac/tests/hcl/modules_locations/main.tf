resource "aws_kms_key" "root" {
  description = "root key"
}

module "app" {
  source   = "./app"
  for_each = toset(["blue"])
  color    = each.key
  kms_key  = aws_kms_key.root.arn
}

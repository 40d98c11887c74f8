variable "color" {}

variable "kms_key" {}

resource "aws_s3_bucket" "assets" {
  bucket = "assets-${var.color}"
}

module "db" {
  source = "./db"
  name   = "db-${var.color}"
  key    = var.kms_key
}

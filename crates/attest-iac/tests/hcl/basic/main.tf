provider "aws" {
  region = "us-east-1"
}

resource "aws_s3_bucket" "logs" {
  bucket        = "acme-logs"
  force_destroy = false
  tags = {
    Name  = "logs"
    Owner = "platform"
  }
}

data "aws_caller_identity" "current" {}

resource "aws_kms_key" "main" {
  description             = "main key"
  enable_key_rotation     = true
  deletion_window_in_days = 10
  policy                  = null

  lifecycle {
    prevent_destroy = true
  }
  depends_on = [aws_s3_bucket.logs]
}

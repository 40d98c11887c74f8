variable "bucket_name" {
  type = string
}

resource "aws_s3_bucket" "a" {
  bucket = "acme-a"
}

resource "aws_s3_bucket" "b" {
  bucket = "acme-b"
}

# The bucket is a variable without a value: unknown, and no reference says which bucket it is.
resource "aws_s3_bucket_versioning" "unknown" {
  bucket = var.bucket_name

  versioning_configuration {
    status = "Enabled"
  }
}

# A bucket that is not part of this configuration.
resource "aws_s3_bucket_public_access_block" "elsewhere" {
  bucket            = "acme-elsewhere"
  block_public_acls = true
}

# A bucket named by its concrete name joins by value.
resource "aws_s3_bucket_logging" "by_name" {
  bucket        = "acme-b"
  target_bucket = "acme-a"
}

resource "aws_security_group_rule" "unknown_type" {
  type              = var.bucket_name
  security_group_id = aws_security_group.g.id
  from_port         = 80
  to_port           = 80
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_security_group" "g" {
  name = "g"
}

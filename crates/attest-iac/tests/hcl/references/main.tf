resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.web.id]
  }
}

resource "aws_instance" "app" {
  ami                    = "ami-123"
  vpc_security_group_ids = [aws_security_group.web.id, aws_security_group.db.id]
  subnet_cidr            = aws_vpc.main.cidr_block
  user_data              = "name=${aws_security_group.web.name}"
  policy                 = data.aws_iam_policy_document.p.json
}

data "aws_iam_policy_document" "p" {
  statement {
    resources = ["${aws_s3_bucket.b.arn}/*"]
  }
}

resource "aws_s3_bucket" "b" {
  bucket = "b"
}

resource "aws_s3_bucket_policy" "bp" {
  bucket = aws_s3_bucket.b.bucket
  policy = local.policy_json
}

locals {
  policy_json = data.aws_iam_policy_document.p.json
}

variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_security_group" "lb" {
  name   = "lb"
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }

  ingress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    security_groups = [aws_security_group.lb.id]
  }
}

resource "aws_s3_bucket" "logs" {
  count  = 2
  bucket = "logs-${count.index}"
}

data "aws_s3_bucket" "first" {
  bucket = aws_s3_bucket.logs[0].id
}

resource "aws_db_instance" "db" {
  identifier             = "db"
  password               = var.db_password
  vpc_security_group_ids = [aws_security_group.web.id]
}

data "aws_iam_policy_document" "admin" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "admin" {
  name   = "admin"
  policy = data.aws_iam_policy_document.admin.json
}

module "net" {
  source   = "./modules/net"
  for_each = toset(["a", "b"])
  vpc_id   = aws_vpc.main.id
}

resource "aws_instance" "app" {
  ami       = "ami-123"
  subnet_id = module.net["a"].subnet_id
}

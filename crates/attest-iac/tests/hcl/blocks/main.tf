variable "rules" {
  default = [
    { port = 80, cidr = "0.0.0.0/0" },
    { port = 443, cidr = "0.0.0.0/0" },
  ]
}

variable "unknown_rules" {}

resource "aws_security_group" "static" {
  name = "static"
  ingress {
    from_port = 22
    to_port   = 22
  }
  ingress {
    from_port = 80
    to_port   = 80
  }
  egress {
    from_port = 0
    to_port   = 0
  }
}

resource "aws_s3_bucket" "nested" {
  bucket = "n"
  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "aws:kms"
      }
    }
  }
}

resource "aws_security_group" "dynamic" {
  name = "dyn"
  ingress {
    from_port = 1
    to_port   = 1
  }
  dynamic "ingress" {
    for_each = var.rules
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      cidr_blocks = [ingress.value.cidr]
      description = "rule ${ingress.key}"
    }
  }
  dynamic "egress" {
    for_each = { b = 2, a = 1 }
    iterator = e
    content {
      from_port = e.value
      to_port   = e.key
    }
  }
}

resource "aws_security_group" "dynamic_unknown" {
  name = "dyn-unknown"
  dynamic "ingress" {
    for_each = var.unknown_rules
    content {
      from_port = ingress.value
    }
  }
}

variable "cidr" {
  type = string
}

variable "env" {
  type = string
}

variable "log_bucket" {}

variable "subnet_cidr" {
  default = "10.0.1.0/24"
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
  tags = {
    Env = var.env
  }
}

resource "aws_flow_log" "this" {
  vpc_id          = aws_vpc.this.id
  log_destination = var.log_bucket
}

resource "aws_security_group" "web" {
  vpc_id = aws_vpc.this.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

module "subnet" {
  source = "../shared/subnet"
  vpc_id = aws_vpc.this.id
  cidr   = var.subnet_cidr
  name   = "${var.env}-private"
}

output "vpc_cidr" {
  value = aws_vpc.this.cidr_block
}

output "sg_id" {
  value = aws_security_group.web.id
}

output "subnet_id" {
  value = module.subnet.id
}

output "name" {
  value = "net-${var.env}"
}

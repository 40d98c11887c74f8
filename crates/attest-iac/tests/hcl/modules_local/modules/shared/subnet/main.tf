variable "vpc_id" {}

variable "cidr" {}

variable "name" {}

resource "aws_subnet" "this" {
  vpc_id                  = var.vpc_id
  cidr_block              = var.cidr
  map_public_ip_on_launch = false
  tags = {
    Name = var.name
  }
}

output "id" {
  value = aws_subnet.this.id
}

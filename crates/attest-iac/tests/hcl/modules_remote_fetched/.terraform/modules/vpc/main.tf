variable "name" {
  type = string
}

variable "cidr" {
  type = string
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr
  enable_dns_hostnames = true
  tags = {
    Name = var.name
  }
}

module "subnets" {
  source = "./modules/subnets"
  vpc_id = aws_vpc.this.id
  cidrs  = ["10.10.1.0/24", "10.10.2.0/24"]
}

output "private_subnet_id" {
  value = module.subnets.ids[0]
}

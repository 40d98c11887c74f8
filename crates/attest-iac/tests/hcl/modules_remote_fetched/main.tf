module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.1.0"
  name    = "main"
  cidr    = "10.10.0.0/16"
}

module "tags" {
  source = "git::https://example.com/acme/tags.git?ref=v1.2.0"
  env    = "prod"
}

resource "aws_instance" "app" {
  ami       = "ami-123"
  subnet_id = module.vpc.private_subnet_id
  tags      = module.tags.tags
}

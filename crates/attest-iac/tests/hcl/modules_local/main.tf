variable "env" {
  default = "prod"
}

resource "aws_s3_bucket" "logs" {
  bucket = "logs-${var.env}"
}

module "net" {
  source     = "./modules/net"
  cidr       = "10.0.0.0/16"
  env        = var.env
  log_bucket = aws_s3_bucket.logs.arn
  depends_on = [aws_s3_bucket.logs]
  providers = {
    aws = aws
  }
}

resource "aws_instance" "web" {
  ami                    = "ami-123"
  subnet_id              = module.net.subnet_id
  vpc_security_group_ids = [module.net.sg_id]
  tags = {
    Cidr = module.net.vpc_cidr
    Name = module.net.name
  }
}

resource "aws_ssm_parameter" "net" {
  name  = "net"
  type  = "String"
  value = jsonencode(module.net)
}

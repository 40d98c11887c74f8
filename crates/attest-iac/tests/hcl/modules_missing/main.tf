module "ghost" {
  source  = "app.terraform.io/acme/ghost/aws"
  version = "1.0.0"
  name    = "ghost"
}

module "gone" {
  source = "./does-not-exist"
}

resource "aws_instance" "app" {
  ami       = "ami-123"
  subnet_id = module.ghost.subnet_id
  tags = {
    Gone = module.gone.name
  }
}

resource "aws_s3_bucket" "ok" {
  bucket = "still-loaded"
}

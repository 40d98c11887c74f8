module "a" {
  source = "./a"
}

module "self" {
  source = "./"
}

resource "aws_s3_bucket" "root" {
  bucket = "root"
}

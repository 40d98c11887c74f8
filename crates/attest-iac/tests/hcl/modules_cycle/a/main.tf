module "b" {
  source = "../b"
}

resource "aws_sns_topic" "a" {
  name = "a"
}

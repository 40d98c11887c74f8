variable "n" {
  default = 2
}

variable "unknown_n" {
  type = number
}

resource "aws_subnet" "az" {
  count      = var.n
  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index)
  name       = "subnet-${count.index}"
}

resource "aws_s3_bucket" "named" {
  for_each = toset(["logs", "data"])
  bucket   = "acme-${each.key}"
}

resource "aws_s3_bucket" "mapped" {
  for_each = { a = "alpha", b = "beta" }
  bucket   = each.value
}

resource "aws_instance" "none" {
  count = 0
  ami   = "x"
}

resource "aws_instance" "maybe" {
  count = var.unknown_n
  ami   = "ami-${count.index}"
}

resource "aws_route_table_association" "rta" {
  count     = 2
  subnet_id = aws_subnet.az[count.index].id
  cidr      = aws_subnet.az[count.index].cidr_block
}

resource "aws_lb" "lb" {
  subnets = aws_subnet.az[*].id
  names   = aws_subnet.az[*].name
  logs    = aws_s3_bucket.named["logs"].bucket
  all     = [for k, b in aws_s3_bucket.mapped : "${k}=${b.bucket}"]
  maybe   = aws_instance.maybe[0].ami
}

variable "vpc_id" {}

variable "cidrs" {
  type = list(string)
}

resource "aws_subnet" "private" {
  count      = length(var.cidrs)
  vpc_id     = var.vpc_id
  cidr_block = var.cidrs[count.index]
}

output "ids" {
  value = aws_subnet.private[*].id
}

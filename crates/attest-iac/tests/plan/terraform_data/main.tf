resource "terraform_data" "a" {
  count = 2
  input = "x${count.index}"
}
resource "terraform_data" "b" {
  for_each = toset(["logs", "data"])
  input = { name = each.key, dep = terraform_data.a[0].id, nested = [terraform_data.a[1].output] }
  triggers_replace = [terraform_data.c.id]
}
resource "terraform_data" "c" {
  input = sensitive("secret")
}
variable "v" {
  default = "q"
}
locals { l = var.v }
module "net" {
  source = "./mods/net"
  x = terraform_data.c.id
}

variable "x" {}
resource "terraform_data" "inner" {
  input = var.x
}
resource "terraform_data" "other" {
  input = terraform_data.inner.output
}

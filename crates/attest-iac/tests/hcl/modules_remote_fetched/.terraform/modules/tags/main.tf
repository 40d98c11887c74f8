variable "env" {}

output "tags" {
  value = {
    Env       = var.env
    ManagedBy = "terraform"
  }
}

variable "name" {}

variable "key" {}

resource "aws_db_instance" "this" {
  identifier        = var.name
  storage_encrypted = true
  kms_key_id        = var.key
}

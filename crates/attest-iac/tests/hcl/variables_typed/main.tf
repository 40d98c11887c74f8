variable "instance_count" {
  type = number # "3" in terraform.tfvars
}

variable "enabled" {
  type = bool # TF_VAR_enabled
}

variable "region" {
  type    = string
  default = "us-east-1" # TF_VAR_region wins over the default
}

variable "zone" {
  type    = string
  default = "a" # TF_VAR_zone < terraform.tfvars < zone.auto.tfvars
}

variable "ports" {
  type = list(number)
}

variable "tags" {
  type = map(string)
}

variable "names" {
  type    = set(string)
  default = ["b", "a", "b"]
}

variable "settings" {
  type = object({
    name   = string
    size   = optional(number, 10)
    extra  = optional(list(string))
    nested = optional(object({ enabled = optional(bool, true) }), {})
  })
}

variable "pair" {
  type    = tuple([string, number])
  default = ["a", "2"]
}

variable "bad" {
  type    = number
  default = "not-a-number"
}

variable "password" {
  type      = string
  sensitive = true
  default   = "hunter2"
}

locals {
  dsn   = "postgres://admin:${var.password}@db"
  conn  = "${local.dsn}?sslmode=require"
  plain = "db-${terraform.workspace}"
}

variable "anything" {
  type    = any
  default = { k = [1] }
}

variable "subnets" {
  type = list(string) # TF_VAR_subnets, an HCL list
}

resource "aws_db_instance" "db" {
  identifier     = "db-${terraform.workspace}"
  instance_count = var.instance_count
  enabled        = var.enabled
  region         = var.region
  zone           = var.zone
  ports          = var.ports
  tags           = var.tags
  names          = var.names
  settings       = var.settings
  pair           = var.pair
  bad            = var.bad
  password       = var.password
  password_hash  = md5(var.password)
  password_note  = "the password is ${var.password}"
  conn_string    = local.conn
  plain_local    = local.plain
  anything       = var.anything
  subnets        = var.subnets
  username       = "admin"
  size_is_ten    = var.settings.size == 10
}

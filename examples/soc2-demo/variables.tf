variable "environment" {
  type        = string
  description = "Deployment environment name."
  default     = "demo"
}

variable "admin_cidr" {
  type    = string
  default = "10.20.0.0/16"
}

locals {
  name_prefix = "acme-${var.environment}"
  tags = {
    Environment = var.environment
    Owner       = "platform"
  }
}

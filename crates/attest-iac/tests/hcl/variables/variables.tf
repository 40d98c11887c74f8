variable "env" {
  type    = string
  default = "dev"
}

variable "from_tfvars" {
  default = "default"
}

variable "from_auto" {
  default = "default"
}

variable "from_var_file" {
  default = "default"
}

variable "from_cli" {
  type    = string
  default = "default"
}

variable "cidrs" {
  type    = list(string)
  default = ["10.0.0.0/8"]
}

variable "port" {
  type = number
}

variable "no_value" {
  type = string
}

resource "aws_security_group" "sg" {
  name        = "sg-${var.env}"
  description = "${var.from_tfvars}/${var.from_auto}/${var.from_var_file}/${var.from_cli}"
  ingress {
    from_port   = var.port
    to_port     = var.port
    protocol    = "tcp"
    cidr_blocks = var.cidrs
  }
  tags = {
    Missing = var.no_value
  }
}

variable "replicas" {
  type = number
}

variable "public" {
  type = bool
}

variable "tags" {
  type = object({
    team  = string
    owner = optional(string, "platform")
  })
}

variable "region" {
  type = string
}

resource "aws_autoscaling_group" "this" {
  desired_capacity = var.replicas
  tags_team        = var.tags.team
  tags_owner       = var.tags.owner
  public           = var.public
  region           = var.region
}

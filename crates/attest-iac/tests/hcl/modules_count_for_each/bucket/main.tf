variable "name" {
  type = string
}

variable "key" {
  default = "none"
}

resource "aws_s3_bucket" "this" {
  bucket = var.name
  tags = {
    Key = var.key
  }
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = "Enabled"
  }
}

output "bucket_name" {
  value = aws_s3_bucket.this.bucket
}

output "bucket_arn" {
  value = aws_s3_bucket.this.arn
}

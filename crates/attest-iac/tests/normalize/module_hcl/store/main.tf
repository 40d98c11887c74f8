variable "name" { type = string }
resource "aws_s3_bucket" "this" {
  bucket = var.name
}
resource "aws_s3_bucket_logging" "this" {
  bucket        = aws_s3_bucket.this.id
  target_bucket = "acme-logs"
}
output "bucket_id" { value = aws_s3_bucket.this.id }

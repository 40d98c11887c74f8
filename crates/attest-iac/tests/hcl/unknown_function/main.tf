resource "aws_s3_bucket" "b" {
  bucket  = "b"
  hash    = md5sum("x")
  derived = "prefix-${not_a_function(1)}"
  known   = length(not_a_function(1)) > 0 ? "x" : "x"
  stamp   = timestamp()
}

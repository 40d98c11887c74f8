resource "aws_iam_policy" "heredoc" {
  name   = "heredoc"
  policy = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "*",
      "Resource": "*"
    }
  ]
}
EOT
}

resource "aws_iam_policy" "indented" {
  name   = "indented"
  policy = <<-EOT
    {
      "Statement": [{"Effect": "Allow", "Action": "s3:${local.action}", "Resource": "*"}]
    }
  EOT
}

resource "aws_iam_policy" "encoded" {
  name = "encoded"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:ListBucket"]
        Resource = ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]
        Condition = {
          Bool = { "aws:SecureTransport" = "true" }
        }
      },
    ]
  })
}

resource "aws_iam_role_policy" "unknown" {
  name = "unknown"
  role = "r"
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "*", Resource = aws_s3_bucket.b.arn }]
  })
}

resource "aws_s3_bucket" "b" {
  bucket = "b"
}

locals {
  action = "Get*"
}

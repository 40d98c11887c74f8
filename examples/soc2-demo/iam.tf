# CC5.2 — least privilege. One policy grants "*" on "*" (fails); the others are scoped (pass).

resource "aws_iam_policy" "break_glass" {
  name        = "${local.name_prefix}-break-glass"
  description = "Emergency access"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "Everything"
      Effect   = "Allow"
      Action   = "*"
      Resource = "*"
    }]
  })
}

resource "aws_iam_policy" "read_logs" {
  name   = "${local.name_prefix}-read-logs"
  policy = data.aws_iam_policy_document.read_logs.json
}

data "aws_iam_policy_document" "read_logs" {
  statement {
    sid       = "ReadLogs"
    actions   = ["logs:GetLogEvents", "logs:FilterLogEvents"]
    resources = ["arn:aws:logs:*:*:log-group:/acme/*"]
  }
}

resource "aws_iam_role" "app" {
  name = "${local.name_prefix}-app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "app_s3" {
  name   = "s3-read"
  role   = aws_iam_role.app.id
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject"],
      "Resource": "arn:aws:s3:::acme-demo-assets/*"
    }
  ]
}
EOF
}

resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_user" "deploy" {
  name = "deploy"
}

resource "aws_iam_group" "ops" {
  name = "ops"
}

resource "aws_iam_policy" "read" {
  name = "read"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]
  })
}

resource "aws_iam_role_policy" "app_logs" {
  name = "logs"
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "logs:PutLogEvents", Resource = "*" }]
  })
}

resource "aws_iam_user_policy" "deploy_all" {
  name = "all"
  user = aws_iam_user.deploy.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}

resource "aws_iam_group_policy" "ops_ec2" {
  name  = "ec2"
  group = aws_iam_group.ops.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "ec2:*", Resource = "*" }]
  })
}

resource "aws_iam_role_policy_attachment" "app_read" {
  role       = aws_iam_role.app.name
  policy_arn = aws_iam_policy.read.arn
}

resource "aws_iam_user_policy_attachment" "deploy_admin" {
  user       = aws_iam_user.deploy.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_group_policy_attachment" "ops_read_only" {
  group      = "ops"
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_policy_attachment" "read_everywhere" {
  name       = "read-everywhere"
  roles      = [aws_iam_role.app.name]
  users      = [aws_iam_user.deploy.name]
  groups     = [aws_iam_group.ops.name, "not-in-this-configuration"]
  policy_arn = aws_iam_policy.read.arn
}

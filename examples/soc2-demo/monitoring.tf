# CC7.2 — rejected connections in VPC flow logs are counted and alarmed on (the main VPC's flow
# log passes; the legacy VPC's has no metric filter and fails).
# CC2.1 — denied CloudFront connections (4xx) are alarmed on (the site distribution passes; the
# downloads distribution fails).

resource "aws_cloudwatch_log_group" "flow" {
  name              = "/acme/${var.environment}/vpc-flow"
  retention_in_days = 365
}

resource "aws_flow_log" "main" {
  vpc_id          = aws_vpc.main.id
  traffic_type    = "ALL"
  log_destination = aws_cloudwatch_log_group.flow.arn
  iam_role_arn    = aws_iam_role.flow.arn
}

resource "aws_cloudwatch_log_metric_filter" "rejects" {
  name           = "vpc-flow-rejects"
  log_group_name = aws_cloudwatch_log_group.flow.name
  pattern        = "[version, account, eni, source, destination, srcport, destport, protocol, packets, bytes, windowstart, windowend, action=\"REJECT\", flowlogstatus]"

  metric_transformation {
    name      = "RejectedConnections"
    namespace = "Acme/Network"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "rejects" {
  alarm_name          = "${local.name_prefix}-rejected-connections"
  namespace           = "Acme/Network"
  metric_name         = "RejectedConnections"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 100
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.security.arn]
}

resource "aws_vpc" "legacy" {
  cidr_block = "10.30.0.0/16"
}

resource "aws_cloudwatch_log_group" "legacy_flow" {
  name = "/acme/${var.environment}/legacy-flow"
}

resource "aws_flow_log" "legacy" {
  vpc_id               = aws_vpc.legacy.id
  traffic_type         = "REJECT"
  log_destination_type = "cloud-watch-logs"
  log_destination      = aws_cloudwatch_log_group.legacy_flow.arn
  iam_role_arn         = aws_iam_role.flow.arn
}

resource "aws_iam_role" "flow" {
  name = "${local.name_prefix}-flow-logs"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "vpc-flow-logs.amazonaws.com" } }]
  })
}

resource "aws_sns_topic" "security" {
  name = "${local.name_prefix}-security-alerts"
}

resource "aws_cloudfront_distribution" "site" {
  enabled             = true
  default_root_object = "index.html"

  origin {
    domain_name = aws_lb.public.dns_name
    origin_id   = "alb"
  }

  default_cache_behavior {
    target_origin_id       = "alb"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = true
  }
}

resource "aws_cloudwatch_metric_alarm" "site_4xx" {
  alarm_name          = "${local.name_prefix}-site-4xx"
  namespace           = "AWS/CloudFront"
  metric_name         = "4xxErrorRate"
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 2
  threshold           = 5
  comparison_operator = "GreaterThanThreshold"
  dimensions = {
    DistributionId = aws_cloudfront_distribution.site.id
    Region         = "Global"
  }
  alarm_actions = [aws_sns_topic.security.arn]
}

resource "aws_cloudfront_distribution" "downloads" {
  enabled = true

  origin {
    domain_name = "downloads.acme.example"
    origin_id   = "downloads"
  }

  default_cache_behavior {
    target_origin_id       = "downloads"
    viewer_protocol_policy = "https-only"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = true
  }
}

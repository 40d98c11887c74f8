instance_count = "3"
zone           = "c"
ports          = ["80", 443]
tags           = { team = "core", cost = 12, shared = true }
settings       = { name = "svc", unused = 1 }

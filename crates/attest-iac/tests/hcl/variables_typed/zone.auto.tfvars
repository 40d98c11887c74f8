zone = "d"

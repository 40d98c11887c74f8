module "app" {
  source   = "./app"
  replicas = "3"
  public   = "true"
  tags     = { team = "web" }
  colour   = "blue"
}

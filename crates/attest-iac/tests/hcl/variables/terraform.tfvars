from_tfvars   = "tfvars"
from_auto     = "tfvars"
from_var_file = "tfvars"
from_cli      = "tfvars"

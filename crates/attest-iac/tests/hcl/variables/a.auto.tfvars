from_auto     = "auto-a"
from_var_file = "auto-a"

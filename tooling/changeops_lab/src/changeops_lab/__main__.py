"""``python -m changeops_lab up|down|status|fault ...``"""

import sys

from changeops_lab.cli import main

sys.exit(main())

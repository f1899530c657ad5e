"""``python -m changeops.lab up|down|status|fault ...``"""

import sys

from changeops.lab.cli import main

sys.exit(main())

"""``python -m tinytf run script.py`` / ``python -m tinytf info``."""

import sys

from tinytf.cli import main

sys.exit(main())

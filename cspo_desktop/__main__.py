"""Run the desktop app with ``python -m cspo_desktop``."""

import sys

from cspo_desktop.app import main

sys.exit(main())

"""Run the command-line interface: ``python -m geo <command>``."""

import sys

from geo.cli import main

sys.exit(main())

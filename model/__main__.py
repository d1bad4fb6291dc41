"""``python -m model …``: the command line (model/cli.py)."""
import sys

from .cli import main

sys.exit(main())

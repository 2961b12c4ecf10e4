"""Audit-action tracker: builds and serves the Teams bot, and is the command line.

python app.py --help
"""

from __future__ import annotations

import sys

from cli import main

if __name__ == "__main__":
    sys.exit(main())

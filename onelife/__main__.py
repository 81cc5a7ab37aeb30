"""``python -m onelife`` runs the command line."""

import sys

from onelife.cli import main

sys.exit(main())

"""``python -m onelife_cli`` runs the ``onelife`` command line."""

import sys

from onelife_cli.main import main

sys.exit(main())

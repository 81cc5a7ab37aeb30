"""``python -m onelife_cli`` runs the ``onelife`` command line."""

import sys

from onelife_cli.launch import main

sys.exit(main())

"""The world's rules on the command line: the ``--rules NAME|FILE`` option and ``onelife variants``."""

from __future__ import annotations

import argparse
import shutil
import textwrap
from typing import Any

from crafter_oo import Rules, RulesError, load_rules, variants


def rules_argument(text: str) -> Rules:
    """``--rules``'s value: a variant's name or a JSON rule file, checked field by field."""
    try:
        return load_rules(text)
    except RulesError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_rules_argument(parser: argparse.ArgumentParser, what: str) -> None:
    """Add ``--rules`` (default: Crafter's own rules)."""
    parser.add_argument("--rules", type=rules_argument, default=Rules.crafter(), metavar="NAME|FILE",
                        help=f"the world's rules {what}: a variant from 'onelife variants' or a JSON "
                             f"rule file (default: Crafter's)")


def _list(args: argparse.Namespace) -> int:
    names = variants()
    width = max(len(name) for name, _ in names) + 2
    columns = max(shutil.get_terminal_size(fallback=(100, 24)).columns, width + 30)
    for name, description in names:
        print(textwrap.fill(description, columns, initial_indent=f"{name:<{width}}", subsequent_indent=" " * width))
    return 0


def add_parser(subparsers: Any) -> None:
    """Register ``variants`` on the ``onelife`` command's subparsers."""
    listing = subparsers.add_parser("variants", help="list the rule variants: worlds whose rules differ from Crafter's")
    listing.set_defaults(run=_list)

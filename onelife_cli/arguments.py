"""Argument types shared by the subcommands: numbers with the range they must lie in, checked
when the command line is read (a usage error, exit status 2) rather than deep inside a job."""

from __future__ import annotations

import argparse


def _integer(text: str, least: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"expected an integer >= {least}, got {value}")
    return value


def natural(text: str) -> int:
    """An integer >= 0 (seeds)."""
    return _integer(text, 0)


def positive(text: str) -> int:
    """An integer >= 1 (steps, trials, iterations)."""
    return _integer(text, 1)

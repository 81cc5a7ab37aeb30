"""Induced laws written as ``.law`` files, one per topic, each law under a comment saying how
many instances support it; files are written atomically, and files of an earlier induction
in the same folder that this one has no topic for are removed (no other file is touched)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from onelife.atomic import write_text_atomically
from onelife.induction.assemble import InducedLaw

HEADER = "# Induced by `onelife induce`"


def law_files(laws: list[InducedLaw], origin: str) -> dict[str, str]:
    """File name -> text: the laws grouped by topic, in induction order."""
    topics: dict[str, list[InducedLaw]] = defaultdict(list)
    for induced in laws:
        topics[induced.topic].append(induced)
    return {f"{topic}.law": f"{HEADER} from {origin}: {topic.replace('_', ' ')}.\n\n"
            + "\n\n".join(induced.text() for induced in members) + "\n"
            for topic, members in sorted(topics.items())}


def write_law_files(laws: list[InducedLaw], folder: str | Path, origin: str) -> list[Path]:
    """Write the laws under ``folder`` (created if needed); return the files written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = law_files(laws, origin)
    for stale in folder.glob("*.law"):
        if stale.name not in files and stale.read_text(encoding="utf-8").startswith(HEADER):
            stale.unlink()
    return [write_text_atomically(folder / name, text) for name, text in files.items()]

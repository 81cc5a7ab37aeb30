"""Rule sets as files: the named variants shipped in ``crafter_oo/variants/`` and any JSON
file a user gives (what the command line's ``--rules NAME|FILE`` reads).

A file is one of two shapes. A variant states only what differs from Crafter,
``{"description": "<one line>", "rules": {<changes>}}``, laid over ``Rules.crafter()`` as
``Rules.replace`` does. A complete rule set is ``Rules.to_json()``'s output. Either is
checked field by field; an error names the file and the field, and nothing is half-loaded.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from crafter_oo.inputs import read_input_text
from crafter_oo.rule_fields import RulesError, shown
from crafter_oo.rules import Rules, parse_json

CRAFTER = "crafter"  # the name of the unchanged game
_VARIANT_FIELDS = ("description", "rules")


def variants() -> list[tuple[str, str]]:
    """(name, description) of every named rule set: Crafter itself, then the shipped variants."""
    listed = [(CRAFTER, "Crafter 1.8.3 as published: no rule changed")]
    for path in _variant_paths():
        data = _read_variant_file(path)
        listed.append((path.stem, data["description"]))
    return listed


def variant(name: str) -> Rules:
    """The rule set called ``name`` (``"crafter"`` or a shipped variant)."""
    if name == CRAFTER:
        return Rules.crafter()
    paths = {path.stem: path for path in _variant_paths()}
    if name not in paths:
        raise RulesError(f"unknown rule variant {name!r}; the variants are "
                         f"{', '.join([CRAFTER, *sorted(paths)])} (or give a path to a JSON file)")
    return _variant_rules(_read_variant_file(paths[name]), str(paths[name]))


def load_rules(name_or_path: str | Path) -> Rules:
    """A named variant, or the rules in a JSON file (a variant or a complete rule set)."""
    text = str(name_or_path)
    names = [name for name, _ in variants()]
    if text in names:
        return variant(text)
    path = Path(name_or_path)
    if not path.is_file():
        raise RulesError(f"{text!r} is neither a rule variant ({', '.join(names)}) nor a JSON file")
    return read_rules_file(path)


def read_rules_file(path: str | Path) -> Rules:
    """The rules in one JSON file of either shape (see the module docstring)."""
    source = str(path)
    data = _read_json(Path(path))
    if isinstance(data, dict) and "description" in data:
        return _variant_rules(_checked_variant(data, source), source)
    try:
        return Rules.from_dict(data)
    except RulesError as error:
        raise error.within(source=source) from None


def _variant_paths() -> list[Path]:
    folder = resources.files("crafter_oo") / "variants"
    return sorted((Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith(".json")),
                  key=lambda path: path.stem)


def _read_json(path: Path) -> Any:
    return parse_json(read_input_text(path, "rules", RulesError), str(path))


def _read_variant_file(path: Path) -> dict[str, Any]:
    return _checked_variant(_read_json(path), str(path))


def _checked_variant(data: Any, source: str) -> dict[str, Any]:
    """A variant file's object, its two fields of the right types."""
    if not isinstance(data, dict):
        raise RulesError(f"expected an object with {' and '.join(_VARIANT_FIELDS)}, got {shown(data)}",
                         source=source)
    for key in data:
        if key not in _VARIANT_FIELDS:
            raise RulesError(f"unknown field; a variant has only {' and '.join(_VARIANT_FIELDS)}", key, source)
    description = data.get("description")
    if not isinstance(description, str) or not description.strip() or "\n" in description:
        raise RulesError(f"expected one line saying what changes, got {shown(description)}",
                         "description", source)
    if not isinstance(data.get("rules"), dict):
        raise RulesError(f"expected an object of the rules that differ from Crafter's, got "
                         f"{shown(data.get('rules'))}", "rules", source)
    return data


def _variant_rules(data: dict[str, Any], source: str) -> Rules:
    try:
        return Rules.crafter().replace(data["rules"])
    except RulesError as error:
        raise error.within("rules", source) from None

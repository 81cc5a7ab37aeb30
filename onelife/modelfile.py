"""Model files: JSON holding the law text and every parameter value (data only, never code).

Layout: ``{"format": "onelife.WorldModel", "version": 1, "laws": "<law text>",
"parameters": {site: value}, "posterior": null | {"loc": {...}, "scale": {...}},
"sources": {law: the name of the .law file it was read from}}`` (``sources`` is optional: it
keeps the topics ``onelife laws`` groups the laws by).
Files are written to a temporary name and renamed, so a crash never leaves half a file.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from crafter_oo.inputs import InputError, read_input_text
from onelife.atomic import write_text_atomically
from onelife.fitting import Posterior
from onelife.law import Law
from onelife.model import LawModel
from onelife.parser import LawSyntaxError, parse_laws

FORMAT = "onelife.WorldModel"
VERSION = 1


class ModelFileError(InputError):
    """A model file that cannot be loaded (not JSON, another version, inconsistent content) or a
    model that must not be written (a value that is not a finite number)."""


def save_model(model: LawModel, path: str | Path) -> None:
    """Write ``model`` to ``path`` atomically; a model with a non-finite value is refused,
    naming the parameters and their priors, so no file that cannot be loaded is written."""
    values = model.parameters()
    broken = [f"{site.name} (prior {site.family}{site.args})" for site in model.sites
              if not all(math.isfinite(v) for v in np.ravel(values[site.name]))]
    if broken:
        raise ModelFileError(f"{path}: not written: the model has values that are not finite numbers for "
                             f"{', '.join(broken)}; check these laws' priors and the data they were fitted to")
    posterior = None if model.posterior is None else {"loc": model.posterior.loc, "scale": model.posterior.scale}
    data = {"format": FORMAT, "version": VERSION, "laws": "\n\n".join(map(str, model.laws)) + "\n",
            "parameters": model.parameters(), "posterior": posterior,
            "sources": {law.name: Path(law.source.split("#")[0]).name for law in model.laws}}
    write_text_atomically(path, json.dumps(data, indent=1))


def load_model(path: str | Path) -> LawModel:
    """Read a model file written by ``save_model``; any problem is a ``ModelFileError``."""
    text = read_input_text(path, "model", ModelFileError)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ModelFileError(f"{path}:{error.lineno}:{error.colno}: expected JSON, {error.msg}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ModelFileError(f"{path}: not a onelife model file (expected format {FORMAT!r})")
    if data.get("version") != VERSION:
        raise ModelFileError(f"{path}: model file version {data.get('version')!r}; "
                             f"this onelife reads version {VERSION}")
    laws_text, parameters = data.get("laws"), data.get("parameters")
    if not isinstance(laws_text, str) or not isinstance(parameters, dict):
        raise ModelFileError(f"{path}: expected 'laws' to be text and 'parameters' an object")
    try:
        laws = _with_sources(parse_laws(laws_text, f"{path}#laws"), data.get("sources", {}))
        model = LawModel(laws, parameters, _posterior(data.get("posterior"), parameters))
    except (LawSyntaxError, ValueError, TypeError) as error:
        raise ModelFileError(f"{path}: {error}") from None
    missing = sorted(set(s.name for s in model.sites) - set(parameters))
    if missing:
        raise ModelFileError(f"{path}: parameters missing: {missing}")
    return model


def _with_sources(laws: list[Law], sources: Any) -> list[Law]:
    """The laws with the file names they were first read from, when the file records them."""
    if not isinstance(sources, dict) or not all(isinstance(v, str) for v in sources.values()):
        raise ValueError("'sources' must map law names to file names")
    return [dataclasses.replace(law, source=sources[law.name]) if law.name in sources else law for law in laws]


def _posterior(raw: Any, parameters: dict[str, Any]) -> Posterior | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) != {"loc", "scale"}:
        raise ValueError("'posterior' must be null or an object with 'loc' and 'scale'")
    loc, scale = raw["loc"], raw["scale"]
    if not (isinstance(loc, dict) and isinstance(scale, dict) and set(loc) == set(scale) == set(parameters)):
        raise ValueError("'posterior' must give a loc and a scale for every parameter")
    for name in loc:
        numbers = [*loc[name], *scale[name]]
        if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in numbers) or min(scale[name]) <= 0:
            raise ValueError(f"posterior of {name}: expected finite numbers and positive scales")
    return Posterior(loc, scale)

"""The built distributions carry what the installed package needs and nothing of the checkout's
tests or benchmarks: every package, every data file the code reads, the typing marker, the
licence and the metadata. CI hands over the wheel and sdist it installs (``ONELIFE_DIST``);
elsewhere the test builds them with ``python -m build``."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

from cli_runner import run_onelife

CHECKOUT = Path(__file__).resolve().parents[1]
PACKAGES = ("crafter_oo", "worldmodel", "onelife", "onelife_cli", "planners", "laws")
TYPED = ("crafter_oo", "worldmodel", "onelife", "onelife_cli", "planners")
PROJECT = tomllib.loads((CHECKOUT / "pyproject.toml").read_text())["project"]


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding one wheel and one sdist of this checkout."""
    given = os.environ.get("ONELIFE_DIST")
    if given:
        return Path(given)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(CHECKOUT)], check=True,
                   capture_output=True, text=True, timeout=600)
    return out


def _one(dist: Path, pattern: str) -> Path:
    found = sorted(dist.glob(pattern))
    assert len(found) == 1, f"expected one {pattern} in {dist}, found {[p.name for p in found]}"
    return found[0]


@pytest.fixture(scope="module")
def wheel(dist: Path) -> set[str]:
    with zipfile.ZipFile(_one(dist, "onelife-*.whl")) as archive:
        return set(archive.namelist())


def _source_files() -> list[str]:
    """Every file of the project's packages in the checkout, as a path inside the wheel."""
    return sorted(str(path.relative_to(CHECKOUT)) for package in PACKAGES
                  for path in (CHECKOUT / package).rglob("*")
                  if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc")


def _resources_read() -> set[tuple[str, ...]]:
    """(package, literal path parts...) of every ``resources.files("package")...`` the code opens."""
    found: set[tuple[str, ...]] = set()
    for package in PACKAGES:
        for path in (CHECKOUT / package).rglob("*.py"):
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr == "files" and node.args
                        and isinstance(node.args[0], ast.Constant)):
                    found.add((node.args[0].value, *_parts_after(tree, node)))
    return found


def _parts_after(tree: ast.Module, call: ast.Call) -> tuple[str, ...]:
    """The literal folder or file names joined onto a ``resources.files(...)`` call in ``tree``."""
    parts: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and ast.dump(node.left) == ast.dump(call) \
                and isinstance(node.right, ast.Constant):
            parts.append(node.right.value)
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "joinpath"
                and ast.dump(node.func.value) == ast.dump(call) and node.args and isinstance(node.args[0], ast.Constant)):
            parts.append(node.args[0].value)
    return tuple(parts)


def test_the_wheel_holds_every_file_of_every_package(wheel: set[str]) -> None:
    missing = [name for name in _source_files() if name not in wheel]
    assert not missing, f"left out of the wheel: {missing}"
    packages = {str(p.parent.relative_to(CHECKOUT)) for name in PACKAGES for p in (CHECKOUT / name).rglob("__init__.py")}
    assert {"onelife/evaluation", "onelife/explorer", "crafter_oo/skills"} <= packages


def test_every_resource_the_code_opens_is_in_the_wheel(wheel: set[str]) -> None:
    reads = _resources_read()
    assert {("onelife", "laws.lark"), ("crafter_oo", "variants")} <= reads  # the scan sees the readers
    for package, *parts in reads:
        prefix = "/".join([package, *parts])
        assert any(name == prefix or name.startswith(prefix + "/") for name in wheel), prefix
    assert any(name.startswith("laws/crafter/rivals/") and name.endswith(".law") for name in wheel)


def test_the_wheel_leaves_out_tests_benchmarks_and_notebooks(wheel: set[str]) -> None:
    tops = {name.split("/")[0] for name in wheel}
    assert tops == {*PACKAGES, f"onelife-{PROJECT['version']}.dist-info"}


def test_the_wheel_is_typed_licensed_and_described(dist: Path, wheel: set[str]) -> None:
    assert {f"{package}/py.typed" for package in TYPED} <= wheel
    with zipfile.ZipFile(_one(dist, "onelife-*.whl")) as archive:
        info = f"onelife-{PROJECT['version']}.dist-info"
        metadata = Parser().parsestr(archive.read(f"{info}/METADATA").decode())
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
        assert f"{info}/licenses/LICENSE" in wheel
    assert metadata["Version"] == PROJECT["version"]
    assert metadata["License-Expression"] == PROJECT["license"]
    assert set(metadata.get_all("Provides-Extra")) == set(PROJECT["optional-dependencies"])
    assert metadata.get_all("Classifier") and metadata.get_all("Project-URL")
    assert "onelife = onelife_cli.launch:main" in entry_points


def test_the_sdist_holds_what_builds_the_wheel(dist: Path, wheel: set[str]) -> None:
    with tarfile.open(_one(dist, "onelife-*.tar.gz")) as archive:
        root = f"onelife-{PROJECT['version']}/"
        names = {name.removeprefix(root) for name in archive.getnames()}
    assert {"pyproject.toml", "README.md", "LICENSE"} <= names
    assert {name for name in wheel if ".dist-info/" not in name} <= names


def test_the_version_is_the_one_in_pyproject() -> None:
    assert run_onelife("--version").stdout == f"onelife {PROJECT['version']}\n"

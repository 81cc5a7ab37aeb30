"""The law language: parsing, printing back, errors that point at the problem, safety, and
law files that share definitions through `use`."""

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from onelife import LawSyntaxError, load_laws, parse_laws

CHASE = """
law zombie_chase:
    for zombie z
    when distance(z, player) <= 8
    then z.pos ~ choice(p_chase: move(z, toward(z, player)), else: move(z, random_direction()))
    param p_chase ~ Beta(1, 1)
"""


def test_parsed_law_has_the_stated_parts() -> None:
    [law] = parse_laws(CHASE)
    assert (law.name, law.kind, law.var) == ("zombie_chase", "zombie", "z")
    assert [str(e.target) for e in law.effects] == ["z.pos"]
    assert [(p.name, p.family, p.args) for p in law.params] == [("p_chase", "Beta", (1, 1))]


@settings(max_examples=60, deadline=None)
@given(a=st.integers(0, 9), b=st.integers(0, 9), c=st.integers(0, 9),
       ops=st.lists(st.sampled_from(["+", "-", "*", "%"]), min_size=2, max_size=2),
       bracket_right=st.booleans(), negate=st.booleans(), prob=st.floats(0, 1),
       alpha=st.floats(0.01, 50))
def test_expressions_round_trip(a: int, b: int, c: int, ops: list[str], bracket_right: bool,
                                negate: bool, prob: float, alpha: float) -> None:
    expr = f"{a} {ops[0]} ({b} {ops[1]} {c})" if bracket_right else f"{a} {ops[0]} {b} {ops[1]} {c}"
    expr = f"-({expr})" if negate else expr
    text = (f"law l: when player.inventory.wood >= {expr} or not (step < {a} and daylight > {prob!r})\n"
            f"then player.inventory.wood ~ choice(q: {b}, else: {c})\n param q ~ Beta({alpha!r}, 1)")
    [law] = parse_laws(text)
    assert parse_laws(str(law)) == [law]
    assert str(parse_laws(str(law))[0]) == str(law)


def test_brackets_that_change_meaning_are_kept() -> None:
    [law] = parse_laws("law l: when 1 - (2 - 3) == 2 then player.hunger <- (1 + 2) * 3")
    printed = str(law)
    assert "1 - (2 - 3) == 2" in printed and "(1 + 2) * 3" in printed


@pytest.mark.parametrize("text, where, expected", [
    ("law a: when then player.hunger <- 1", "x.law:1:13", "expected"),
    ("law a:\n  when true\n  then player.hunger <- 1\n  param", "x.law:4:8", "a name"),
    ("law a: when true then player.hunger <- 1 ]", "x.law:1:42", "found ']'"),
    ("law a: when zombi == 1 then player.hunger <- 1", "x.law:1:13", "unknown name 'zombi'"),
    ("law a: for zombie z when z.reload == 0 then z.pos <- z.pos", "x.law:1:28", "no attribute 'reload'"),
    ("law a: when dist(player, player) < 1 then player.hunger <- 1", "x.law:1:13", "unknown function"),
    ("law a: when true then player.pos <- move(player, random_direction())", "x.law:1:34", "needs '~'"),
    ("law a: when true then player.pos ~ choice(p: player.pos, else: player.pos)", "x.law:1:43",
     "unknown parameter"),
    ("law a: when true then player.hunger ~ choice(0.5: 1, 0.2: 2)", "x.law:1:37", "sum to 1"),
    ("law a: when random_direction() == left then player.hunger <- 1", "x.law:1:13", "deterministic"),
    ("law a: when true then material(player.pos) += 1", "x.law:1:44", "numeric"),
])
def test_errors_name_file_line_column_and_what_was_expected(text: str, where: str, expected: str) -> None:
    with pytest.raises(LawSyntaxError) as error:
        parse_laws(text, "x.law")
    message = str(error.value)
    assert message.startswith(where), message
    assert expected in message, message


def test_law_files_never_execute_code(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    (tmp_path / "evil.law").write_text(
        f"law a: when __import__('os').system('touch {marker}') then player.hunger <- 1\n")
    with pytest.raises(LawSyntaxError):
        load_laws(tmp_path)
    assert not marker.exists()


def test_load_laws_reads_a_directory_and_rejects_duplicate_names(tmp_path: Path) -> None:
    (tmp_path / "a.law").write_text(CHASE)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.law").write_text("law hunger: when true then player.hunger += 1\n")
    assert [law.name for law in load_laws(tmp_path)] == ["zombie_chase", "hunger"]
    (tmp_path / "sub" / "c.law").write_text(CHASE)
    with pytest.raises(LawSyntaxError, match="zombie_chase"):
        load_laws(tmp_path)


def test_dirichlet_weights_must_cover_every_component() -> None:
    good = ("law a: for zombie z when true then player.health += choice(d[0]: -2, d[1]: -7)\n"
            "param d ~ Dirichlet(1, 1)")
    assert parse_laws(good)[0].param("d").args == (1, 1)
    with pytest.raises(LawSyntaxError, match="every component"):
        parse_laws(good.replace("d[1]: -7", "d[0]: -7"))


def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)


RICH = "law spend: when rich then player.inventory.wood += -1\n"


def test_a_file_sees_its_own_definitions_and_those_it_uses(tmp_path: Path) -> None:
    write(tmp_path, {"common.law": "let enough = 3\n",
                     "wood.law": 'use "common.law"\nlet rich = player.inventory.wood >= enough\n' + RICH,
                     "rivals/wood.law": 'use "../wood.law"\n'
                                        "law hoard: when rich and enough > 2 then player.inventory.wood += 1\n"})
    [spend] = load_laws(tmp_path / "wood.law")
    assert str(spend.when) == "player.inventory.wood >= 3"
    # A used file gives its definitions (and those it uses), never its laws.
    [hoard] = load_laws(tmp_path / "rivals" / "wood.law")
    assert str(hoard.when) == "player.inventory.wood >= 3 and 3 > 2"
    assert [law.name for law in load_laws(tmp_path)] == ["hoard", "spend"]


def test_files_loaded_together_keep_their_own_definitions(tmp_path: Path) -> None:
    write(tmp_path, {"a.law": "let rich = player.inventory.wood >= 3\n" + RICH,
                     "b.law": "let rich = player.inventory.stone >= 9\n" + RICH.replace("spend", "spend_stone")})
    laws = {law.name: str(law.when) for law in load_laws(tmp_path)}
    assert laws == {"spend": "player.inventory.wood >= 3", "spend_stone": "player.inventory.stone >= 9"}
    # Without a use, a file does not see another file's definitions.
    (tmp_path / "c.law").write_text(RICH.replace("spend", "spend_more"))
    with pytest.raises(LawSyntaxError, match=r"c\.law:1:22: law spend_more: unknown name 'rich'"):
        load_laws(tmp_path)


def test_a_file_reached_twice_counts_once(tmp_path: Path) -> None:
    write(tmp_path, {"base.law": "let enough = 3\n", "left.law": 'use "base.law"\n', "right.law": 'use "base.law"\n',
                     "top.law": 'use "left.law"\nuse "right.law"\nlet rich = player.inventory.wood >= enough\n' + RICH})
    [law] = load_laws(tmp_path / "top.law")
    assert str(law.when) == "player.inventory.wood >= 3"


@pytest.mark.parametrize("files, message", [
    ({"a.law": "let enough = 3\n", "b.law": 'use "a.law"\n\nlet enough = 4\n'},
     r"b\.law:3:5: 'enough' is defined twice: here and at .*a\.law:1:5"),
    ({"a.law": "let enough = 3\n", "c.law": "let enough = 3\n", "b.law": 'use "a.law"\nuse "c.law"\n'},
     r"c\.law:1:5: 'enough' is defined twice: here and at .*a\.law:1:5"),
    ({"b.law": "let enough = 3\nlet enough = 4\n"}, r"b\.law:2:5: 'enough' is defined twice: here and at .*b\.law:1:5"),
    ({"b.law": 'use "a.law"\n', "a.law": 'use "b.law"\n'}, r"a\.law:1:5: use 'b\.law' goes round in a circle"),
    ({"b.law": 'use "../missing.law"\n'}, r"b\.law:1:5: use '\.\./missing\.law': no law file at .*missing\.law"),
    ({"b.law": 'law l: when true then player.hunger <- 1\nuse "a.law"\n'}, r"b\.law:2:1: found 'use'"),
    ({"a.law": "let far = z.pos\n", "b.law": 'use "a.law"\nlaw l: when far == player.pos then player.hunger <- 1\n'},
     r"a\.law:1:13: law l: attributes belong to entity variables"),
])
def test_bad_uses_and_clashing_definitions_name_their_places(tmp_path: Path, files: dict[str, str],
                                                            message: str) -> None:
    write(tmp_path, files)
    with pytest.raises(LawSyntaxError, match=message):
        load_laws(tmp_path / "b.law")


def test_text_without_a_file_cannot_use_one() -> None:
    with pytest.raises(LawSyntaxError, match="x.law:1:5: 'use' finds 'common.law' relative to the law file"):
        parse_laws('use "common.law"\nlaw l: when true then player.hunger <- 1', "x.law")

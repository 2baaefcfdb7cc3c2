"""Property tests: generated command arguments and bundles with invalid parts.

Every run ends in a clean success or a clean refusal (one ``Error:`` line, or click's usage
block, never a traceback), and a refusal leaves every table -- counts, content, history, the
export -- exactly as it was. One migrated database per test function is shared by all of
hypothesis' examples; each example compares a snapshot before and after itself.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from faults_support import assert_same, check_outcome, load_base, snapshot
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from factdb.cli import cli
from factdb.vocab import CERTAINTIES, ENTITY_KINDS, STANCES

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- hostile values ---------------------------------------------------------------------------

CONTROL = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=31), min_size=1, max_size=3)
control_strings = st.tuples(st.text(max_size=8), CONTROL, st.text(max_size=8)).map("".join)
huge_strings = st.sampled_from([5_000, 200_000])  # 1 MB texts: test_faults_hostile.py
huge_strings = huge_strings.map(lambda n: ("Ж\u202e😀 '" * n)[:n])
bad_dates = st.sampled_from([
    "2011-13-01", "2011-02-30", "2011-00", "0000", "yesterday", "11 July 2011", "2011-07-11T10:00",
    "99999-01-01", "2011/07/11", "-2011", "2011-7-1", " ", "",
])
sql_strings = st.sampled_from(["Robert'); DROP TABLE entities;--", "x' OR '1'='1", '"; DELETE FROM claims; --',
                               "%_\\", "<script>alert(1)</script>"])
any_text = st.text(max_size=40)
bad_text = st.one_of(control_strings, huge_strings, bad_dates, sql_strings, any_text, st.just(""), st.just("   "))
wrong_types = st.one_of(
    st.integers(), st.floats(allow_nan=False), st.booleans(), st.none(),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
bad_value = st.one_of(bad_text, wrong_types)

_serial = itertools.count(1)


def fresh(prefix: str) -> str:
    """A name no other example uses, so a valid record really is new. Fixed width: a replayed
    example must draw the same choices (the size of the generated file bounds a draw)."""
    return f"{prefix}{next(_serial):08d}"


def fresh_names(prefix: str) -> st.SearchStrategy:
    return st.builds(fresh, st.just(prefix))


@pytest.fixture
def base_url(db_url: str, dataset) -> str:
    dataset(load_base)
    return db_url


def _run(url: str, args: list[str], **kwargs: Any) -> Any:
    return CliRunner().invoke(cli, ["--db", url, *args], **kwargs)


def _checked(url: str, args: list[str], **kwargs: Any) -> bool:
    before = snapshot(url, export=False)  # every table's content: the export follows from it
    result = _run(url, args, **kwargs)
    ok = check_outcome(result, [a[:80] for a in args], problem_lines=args[0] == "import")
    event(f"{args[0]}: {'written' if ok else 'refused'}")
    if not ok:
        assert_same(before, snapshot(url, export=False), [a[:80] for a in args])
    return ok


# --- command arguments ------------------------------------------------------------------------


def maybe(valid: st.SearchStrategy, bad: st.SearchStrategy = bad_text) -> st.SearchStrategy:
    """Mostly valid, sometimes a hostile value."""
    return st.integers(0, 9).flatmap(lambda n: bad if n == 9 else valid)


def options(**choices: st.SearchStrategy) -> st.SearchStrategy:
    """Some of the given options, each ``[--name, value]``, in a drawn order."""
    pairs = [st.tuples(st.just("--" + name.replace("_", "-")), value) for name, value in choices.items()]
    return st.lists(st.one_of(*pairs), max_size=4).map(lambda items: [x for pair in items for x in pair])


speakers = maybe(st.sampled_from(["Leon Panetta", "Tehran", "iran", "AFP"]))
claims = maybe(st.sampled_from(["iran-arms-militias", "1"]))
sources = maybe(st.sampled_from(["afp-2011-07-10", "1"]))
stances = maybe(st.sampled_from(STANCES))
dates = maybe(st.sampled_from(["2011-07-11", "2011-07", "2011"]), bad_dates)


@st.composite
def attribute_args(draw: st.DrawFn) -> list[str]:
    args = ["attribute", draw(claims), "--speaker", draw(speakers), "--stance", draw(stances), "--source", draw(sources)]
    args += ["--quote", draw(maybe(st.text(min_size=1, max_size=60).map(lambda t: "q" + t)))]
    args += draw(options(
        title=maybe(st.just("Defence Secretary")), hedge=bad_text, verb=maybe(st.just("said")), said_on=dates,
        speaker=speakers, anonymous=maybe(st.just("an official")),  # joint speakers (a repeat is refused)
        via=maybe(st.just("Iran state television")), certainty=maybe(st.sampled_from(CERTAINTIES)),
        note=bad_text, responds_to=maybe(st.just("1")),
    ))
    return args


@st.composite
def entity_add_args(draw: st.DrawFn) -> list[str]:
    args = ["entity", "add", draw(maybe(fresh_names("Person "))), "--kind", draw(maybe(st.sampled_from(ENTITY_KINDS)))]
    args += draw(options(alias=maybe(fresh_names("Alias ")), part_of=maybe(st.just("Iran")), note=bad_text))
    if draw(st.booleans()):
        args += ["--role", draw(maybe(st.just("spokesman")))]
        args += draw(options(of=maybe(st.just("Iran")), **{"from": dates}, until=dates))
    return args


@st.composite
def source_add_args(draw: st.DrawFn) -> list[str]:
    args = ["source", "add", "--key", draw(maybe(fresh_names("src-"))), "--outlet", draw(maybe(st.just("AFP")))]
    args += draw(options(
        title=bad_text, url=maybe(st.just("https://example.org/a")), author=bad_text, published=dates,
        republishes=maybe(st.just("afp-2011-07-10")), note=bad_text,
    ))
    return args


@st.composite
def claim_add_args(draw: st.DrawFn) -> list[str]:
    args = ["claim", "add", draw(maybe(fresh_names("Iran trains militia number ")))]
    args += draw(options(key=maybe(fresh_names("claim-")), tag=maybe(st.just("iran")), note=bad_text))
    return args


command_args = st.one_of(attribute_args(), entity_add_args(), source_add_args(), claim_add_args())


@pytest.mark.slow  # 40 generated commands with snapshots: 3-8 s; .ci/run runs it (FACTDB_TEST_SLOW=1)
@SETTINGS
@given(args=command_args)
def test_generated_commands_succeed_or_refuse_cleanly(base_url: str, args: list[str]) -> None:
    _checked(base_url, args)


# --- bundles ----------------------------------------------------------------------------------


def valid_bundle() -> dict[str, list[dict[str, Any]]]:
    """New records referring to each other and to the base bundle."""
    person, claim, source = fresh("Speaker "), fresh("claim-"), fresh("src-")
    return {
        "entities": [{"name": person, "kind": "person", "aliases": [person + " alias"],
                      "roles": [{"title": "spokesman", "of": "Iran", "from": "2011-07"}]}],
        "sources": [{"key": source, "outlet": "AFP", "title": "A title", "published_on": "2011-07-10",
                     "republishes": "afp-2011-07-10", "authors": ["A. Writer"]}],
        "claims": [{"key": claim, "text": "Iran trains militias", "tags": ["iran"],
                    "links": [{"kind": "narrower-than", "claim": "iran-arms-militias"}]}],
        "statements": [
            {"claim": claim, "speaker": person, "stance": "asserts", "source": source, "quote": "They do.",
             "said_on": "2011-07-11", "via": ["Iran state television"], "certainty": "probable",
             "responds_to": "afp-2011-07-10/panetta"},
            {"claim": claim, "speaker_description": "an official", "speaker_affiliation": "Iran",
             "stance": "denies", "source": source, "retracted": {"at": "2011-07-12T10:00:00Z", "reason": "wrong"}},
        ],
        "verdicts": [{"claim": claim, "reviewer": "AFP", "rating": "unproven", "reviewed_on": "2011-08"}],
    }


@st.composite
def mutation(draw: st.DrawFn, bundle: dict[str, list[dict[str, Any]]]) -> str:
    """Break one part of ``bundle`` in place; return what was done (for the failure message)."""
    section = draw(st.sampled_from(sorted(bundle)))
    records = [r for r in bundle[section] if isinstance(r, dict) and r]
    if not records:  # an earlier mutation already broke the whole record
        return "nothing"
    record = draw(st.sampled_from(records))
    field = draw(st.sampled_from(sorted(record)))
    how = draw(st.sampled_from(["value", "value", "drop", "unknown", "dangling", "not-a-mapping"]))
    if how == "value":
        record[field] = draw(bad_value)
    elif how == "drop":
        del record[field]
    elif how == "unknown":
        record[draw(st.text(min_size=1, max_size=10))] = draw(bad_value)
    elif how == "dangling":
        record[field] = "Nobody at all " + draw(st.text(max_size=10))
    else:
        bundle[section][bundle[section].index(record)] = draw(wrong_types)
    return f"{how} {section}.{field}"


def _dump(bundle: dict[str, list[Any]], fmt: str) -> bytes:
    if fmt == "yaml":
        return yaml.safe_dump(bundle, allow_unicode=True, sort_keys=False).encode("utf-8")
    if fmt == "json":
        return json.dumps(bundle, ensure_ascii=False).encode("utf-8", "surrogatepass")
    lines = []
    kinds = {"entities": "entity", "sources": "source", "claims": "claim", "statements": "statement",
             "verdicts": "verdict"}
    for section, records in bundle.items():
        for record in records:
            lines.append(json.dumps({"type": kinds[section], **record} if isinstance(record, dict) else record))
    return ("\n".join(lines) + "\n").encode("utf-8")


@st.composite
def bundle_files(draw: st.DrawFn) -> tuple[str, bytes, list[str]]:
    bundle = valid_bundle()
    done = [draw(mutation(bundle)) for _ in range(draw(st.integers(0, 3)))]
    fmt = draw(st.sampled_from(["yaml", "json", "jsonl"]))
    data = _dump(bundle, fmt)
    damage = draw(st.sampled_from(["none", "none", "none", "truncate", "bad-utf8", "garbage"]))
    if damage == "truncate":
        data = data[: draw(st.integers(0, max(0, len(data) - 1)))]
    elif damage == "bad-utf8":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\xff\xfe\xc3" + data[at:]
    elif damage == "garbage":
        data = draw(st.binary(max_size=200))
    return fmt, data, [*done, damage]


@pytest.mark.slow  # 40 generated bundles with snapshots: 2-15 s; .ci/run runs it (FACTDB_TEST_SLOW=1)
@SETTINGS
@given(bundle=bundle_files())
def test_generated_bundles_import_or_refuse_cleanly(base_url: str, tmp_path: Path, bundle) -> None:
    fmt, data, damage = bundle
    path = tmp_path / f"generated.{fmt}"
    path.write_bytes(data)
    if _checked(base_url, ["import", str(path)]):
        # a bundle that went in goes in again without changing anything
        before = snapshot(base_url)
        result = _run(base_url, ["import", str(path)])
        assert result.exit_code == 0, (damage, result.output)
        after = snapshot(base_url)
        assert after.export == before.export, damage
        assert {**after.counts, "history": 0} == {**before.counts, "history": 0}, damage
        assert {k: v for k, v in after.tables.items() if k != "history"} == {
            k: v for k, v in before.tables.items() if k != "history"
        }, damage
        # the only trace of a second import is its own history entry, "nothing changed"
        assert after.counts["history"] == before.counts["history"] + 1, damage


@pytest.mark.parametrize("data", [b"\xff\xfe\xc3entities: []", b"entities: []\n# \x00\n", b"entities:\n- name: \xc3(\n  kind: person\n"])
def test_a_yaml_bundle_that_is_not_text_is_refused_in_one_line(base_url: str, tmp_path: Path, data: bytes) -> None:
    """Found by the property test above: PyYAML's ReaderError used to escape as an internal error."""
    path = tmp_path / "broken.yaml"
    path.write_bytes(data)
    before = snapshot(base_url)
    result = _run(base_url, ["import", str(path)])
    assert result.exit_code == 1
    problem, error = result.stderr.splitlines()
    assert problem.startswith(f"{path}: not valid YAML (")
    assert error == f"Error: 1 problem in {path}; nothing was written (fix them, or use --skip-invalid to write the valid records)."
    assert_same(before, snapshot(base_url))

"""The import's fast paths agree with its general ones.

``check_record`` takes the common values inline (plain text, a quote, an enum value, a known
date) and, for a JSON Lines line of printable ASCII (``plain_text_line``), does not look for
control characters at all; every other value goes to the field's checker. Here records with
odd values (white space, control characters, line breaks, non-ASCII, escapes, wrong types,
unknown fields, bad enum values and dates) are checked both ways: the same cleaned record,
in the same field order, and the same problems.
"""

from __future__ import annotations

import io
import json
import random
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factdb.transfer import schema
from factdb.transfer.reading import _read_jsonl, plain_text_line
from factdb.transfer.schema import FIELDS, Location, check_record

ODD_TEXTS = [
    "Iran arms militias", "  padded  ", "tab\there", "\ttabbed", "line\nbreak", "cr\rreturn", "ctrl\x01char",
    "del\x7fchar", "c1\x85char", "nbsp\u00a0inside", "\u00a0nbsp", "zero\u200bwidth", "ltr\u200emark",
    "sep\u2028line", "caf\u00e9", "\u0625\u064a\u0631\u0627\u0646", "", " ", "   ", "\x1c", "quote \"inside\"",
    "back\\slash", "2011", "2011-07", "2011-07-11", " 2011-07-11 ", "2011-13-01", "20111", "not a date",
    "asserts", " asserts", "denies ", "certain", "unspecified", "direct", "paraphrase", "body", "headline",
    "media", "person", "article", "9:05", "11:06:30", "25:06", "x" * 300,
]  # fmt: skip
ODD_VALUES: list[Any] = [None, 0, 3, 2.5, True, False, [], ["a"], ["a", " a ", "b\x01"], {}, {"x": 1}]


def _value(rng: random.Random) -> Any:
    if rng.random() < 0.8:
        return rng.choice(ODD_TEXTS)
    return rng.choice(ODD_VALUES)


def _record(rng: random.Random, kind: str) -> dict[str, Any]:
    names = list(FIELDS[kind])
    fields = {name: _value(rng) for name in rng.sample(names, rng.randint(1, min(12, len(names))))}
    if rng.random() < 0.15:
        fields[rng.choice(["nme", "colour", "stance_", "Key"])] = _value(rng)
    return fields


def _general(kind: str, fields: dict[str, Any], location: Location) -> tuple[Any, list[str]]:
    """check_record with every field through its checker (no inline case, no plain text)."""
    fast = schema._FAST
    schema._FAST = {name: {} for name in fast}
    try:
        location.plain_text = False
        return check_record(kind, fields, location)
    finally:
        schema._FAST = fast


def _lines(fields: dict[str, Any], kind: str) -> list[bytes]:
    record = {"type": kind, **fields}
    return [
        orjson.dumps(record) + b"\n",  # what export writes: UTF-8 as it is, escapes only where needed
        json.dumps(record).encode() + b"\n",  # ASCII with \u escapes, ", " and ": "
        json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n",
    ]


@pytest.mark.parametrize("kind", list(FIELDS))
def test_check_record_takes_odd_records_as_its_general_path_does(kind):
    rng = random.Random(f"fast-paths-{kind}")
    plain = 0
    for number in range(1500):
        fields = _record(rng, kind)
        for line in _lines(fields, kind):
            read = list(_read_jsonl(io.BytesIO(line), "odd.jsonl"))
            assert len(read) == 1
            read_kind, read_fields, location = read[0]
            assert read_kind == kind, (line, read_fields)
            plain += location.plain_text
            general = _general(kind, dict(read_fields), Location("odd.jsonl", 1, kind))
            fast = check_record(kind, dict(read_fields), location)
            assert fast == general, (number, line)
            assert list(fast[0] or ()) == list(general[0] or ()), (number, line)  # the same field order
    assert plain > 100  # the plain-text path was taken, and not only it


@given(st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
))  # fmt: skip
@settings(max_examples=400, deadline=None)
def test_a_plain_text_line_has_only_printable_texts(value):
    def texts(item: Any) -> list[str]:
        if isinstance(item, str):
            return [item]
        if isinstance(item, list):
            return [text for element in item for text in texts(element)]
        if isinstance(item, dict):
            return [text for key, element in item.items() for text in [key, *texts(element)]]
        return []

    for line in (orjson.dumps(value), json.dumps(value).encode(), json.dumps(value, ensure_ascii=False).encode()):
        if plain_text_line(line):
            assert all(text.isprintable() and text.isascii() for text in texts(orjson.loads(line))), line


def test_plain_text_lines():
    assert plain_text_line(b'{"type":"claim","key":"a b","text":"Iran arms militias."}\n')
    assert not plain_text_line(b'{"type":"claim","key":"a","text":"Iran\\narms"}\n')  # an escape
    assert not plain_text_line(b'{"type":"claim","key":"a","text":"caf\xc3\xa9"}\n')  # not ASCII
    assert not plain_text_line(b'{"type":"claim","key":"a","text":"del\x7f"}\n')  # the one raw control character


def test_a_source_time_of_day_is_checked_in_a_bundle_too(invoke, tmp_path):
    # the inline plain-text case once took published_time as any text ("25:06" stored, "9:05" not normalized)
    bundle = tmp_path / "times.jsonl"
    bundle.write_text(
        '{"type":"source","key":"s1","published_time":"9:05","modified_time":"11:06:30"}\n'
        '{"type":"source","key":"s2","published_time":"25:06"}\n',
        encoding="utf-8",
    )
    refused = invoke("import", str(bundle))
    assert refused.exit_code == 1
    assert (f'{bundle}:2: source.published_time: published_time: "25:06" is not a time of day '
            "(HH:MM or HH:MM:SS, 24-hour)") in refused.stderr  # fmt: skip
    bundle.write_text('{"type":"source","key":"s1","published_time":"9:05","modified_time":"11:06:30"}\n',
                      encoding="utf-8")  # fmt: skip
    assert invoke("import", str(bundle)).exit_code == 0
    shown = json.loads(invoke("source", "show", "s1", "--format", "json").stdout)
    assert (shown["published_time"], shown["modified_time"]) == ("09:05", "11:06:30")


def test_a_type_that_is_no_text_is_a_problem_of_its_line(invoke, tmp_path):
    bundle = tmp_path / "types.jsonl"
    bundle.write_text('{"type":["claim"],"key":"a","text":"A b"}\n{"type":{"a":1},"key":"b","text":"B c"}\n',
                      encoding="utf-8")  # fmt: skip
    result = invoke("import", str(bundle))
    assert result.exit_code == 1
    kinds = "entity, source, claim, statement, verdict"
    assert result.stderr.splitlines()[:2] == [
        f"{bundle}:1: record: \"type\" must be one of {kinds}, not ['claim']",
        f"{bundle}:2: record: \"type\" must be one of {kinds}, not {{'a': 1}}",
    ]

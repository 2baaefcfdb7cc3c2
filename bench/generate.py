"""Realistic synthetic data in the bundle format, as JSON Lines.

For N statements: N/100 entities (with aliases, some part of another, some with roles), N/20
sources (authors, partial dates, wire copies that republish another source), N/10 claims
(tags, links) and N/200 verdicts; statements with ~120-character quotes, hedges, via chains,
anonymous speakers with an affiliation, responses to earlier statements and a few retractions.
At the default 1M statements that is 10k entities, 50k sources, 100k claims.

    python bench/generate.py --statements 1000000 -o bench/out/data.jsonl

From Python (tests, the report benchmark): ``write_jsonl(path, statements=300)``, or
``records(statements=300)`` for the ``(kind, record)`` pairs themselves.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from factdb.normalize import normalize_name

__all__ = ["records", "write_jsonl", "sizes"]

FIRST = ("Ali", "Mark", "Leon", "Ramin", "Sara", "Nuri", "Hadi", "Laila", "John", "Maria", "Omar", "Zainab",
         "Kevin", "Fatima", "Ahmed", "Helen", "Yusuf", "Noor", "Peter", "Amira")
LAST = ("Esper", "Panetta", "Mehmanparast", "al-Maliki", "Bergner", "Gates", "al-Amiri", "Sadr", "Hashemi",
        "Karimi", "Rao", "Doe", "Haddad", "Nasser", "Salehi", "Jaber", "Kazemi", "Rahimi", "Tabatabai", "Zubaidi")
ORG_WORDS = ("Ministry of", "Council for", "Brigade of", "Office of", "Committee on", "Front for", "Agency for")
TOPICS = ("Defence", "Security", "Interior", "Oil", "Borders", "Reconstruction", "Water", "Elections",
          "Detainees", "Militias", "Smuggling", "Energy", "Trade", "Refugees", "Justice")
WORDS = ("weapons", "militias", "border", "rockets", "convoy", "officials", "attack", "province", "supplied",
         "smuggled", "training", "funding", "denied", "evidence", "sources", "forces", "government", "report",
         "commanders", "groups", "networks", "shipments", "explosives", "drones", "advisers", "camps")
HEDGES = ("my suspicion would be", "it is believed", "hard to pin down", "could", "may have", "no question")
VERBS = ("said", "told", "charged", "blamed", "denied", "claimed", "warned", "accused", "insisted")
STANCES = ("asserts", "asserts", "asserts", "acknowledges", "denies", "denies", "disputes", "retracts")
CERTAINTIES = ("certain", "probable", "possible", "unspecified", "unspecified")
ANONYMOUS = ("a security official who asked not to be named", "U.S. officials", "witnesses", "a US source",
             "an Iraqi security source", "local residents")
KINDS = ("person",) * 12 + ("organization", "government", "military-unit", "armed-group", "other")
# Made-up words and names are built from these, so that texts and names are as varied as real
# ones: a claim drawn from 26 words repeats every other claim's word pairs, and names that
# differ only in a number ("Ali Esper 15", "Ali Esper 16") are near-duplicates by
# construction, which no real newsroom database is.
SYLLABLES = ("ka", "ta", "ib", "hez", "bol", "lah", "as", "aib", "ahl", "haq", "bad", "rak", "mir", "sul", "ei",
             "man", "qas", "sim", "mus", "awi", "jaf", "far", "zan", "dor", "vel", "nor", "ro", "de", "li", "pan",
             "et", "ser", "gat", "mon", "ri", "sa", "to", "ven", "kel", "um")


def sizes(statements: int) -> dict[str, int]:
    """How many records of each kind go with ``statements`` statements."""
    return {
        "entity": max(20, statements // 100),
        "source": max(10, statements // 20),
        "claim": max(10, statements // 10),
        "statement": statements,
        "verdict": max(2, statements // 200),
    }


def _date(rng: random.Random) -> str:
    year = rng.randint(2003, 2023)
    roll = rng.random()
    if roll < 0.1:
        return f"{year}"
    if roll < 0.25:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


class _Vocabulary:
    """News words first, then a long tail of made-up ones, drawn Zipf-weighted (rank r has
    weight 1/(r + 10)), as the words of real text are."""

    def __init__(self, rng: random.Random, tail: int = 6000):
        made_up = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(tail)}
        self.words = list(WORDS) + sorted(made_up - set(WORDS))
        self.cumulative = list(itertools.accumulate(1.0 / (rank + 10) for rank in range(len(self.words))))

    def word(self, rng: random.Random) -> str:
        return self.words[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


def _sentence(rng: random.Random, length: int, vocabulary: _Vocabulary | None = None) -> str:
    words: list[str] = []
    size = 0
    while size < length:
        word = vocabulary.word(rng) if vocabulary is not None else rng.choice(WORDS)
        words.append(word)
        size += len(word) + 1
    return " ".join(words).capitalize() + "."


def _family_name(rng: random.Random) -> str:
    return rng.choice(LAST) if rng.random() < 0.2 else _made_up_name(rng)


def _made_up_name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def records(statements: int = 200_000, seed: int = 0) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(kind, record)`` pairs in dependency order, deterministic for a given ``seed``."""
    rng = random.Random(seed)
    n = sizes(statements)
    vocabulary = _Vocabulary(rng)
    n_media = max(5, n["entity"] // 20)
    entity_names: list[str] = []
    media: list[str] = []
    used: set[str] = set()  # every name and alias once (normalized, as the importer compares them)

    def fresh(make: Any) -> str:
        while True:
            name = make()
            if normalize_name(name) not in used:
                used.add(normalize_name(name))
                return str(name)

    kinds = ["media"] * n_media + [rng.choice(KINDS) for _ in range(n["entity"] - n_media)]
    organizations = [i for i, kind in enumerate(kinds) if kind != "person" and kind != "media"]
    next_organization = dict(zip(organizations, organizations[1:], strict=False))
    for i, kind in enumerate(kinds):
        if kind == "media":
            name = fresh(lambda: f"{_made_up_name(rng)} {rng.choice(TOPICS)} News")
            media.append(name)
            record: dict[str, Any] = {"name": name, "kind": kind}
        elif kind == "person":
            first = rng.choice(FIRST) if rng.random() < 0.3 else _made_up_name(rng)
            name = fresh(lambda given=first: f"{given} {_family_name(rng)}")
            last = name.split(" ", 1)[1]
            aliases = [alias for alias in (f"{first[0]}. {last}", f"{last}, {first}")
                       if normalize_name(alias) not in used]
            used.update(normalize_name(alias) for alias in aliases)
            record = {"name": name, "kind": kind, "aliases": aliases}
            if rng.random() < 0.3 and len(entity_names) > n_media:
                role = {"title": f"spokesman for {rng.choice(TOPICS).lower()}",
                        "of": rng.choice(entity_names[n_media:]), "from": _date(rng)}
                record["roles"] = [role]
        else:
            name = fresh(lambda: f"{rng.choice(ORG_WORDS)} {rng.choice(TOPICS)} of {_made_up_name(rng)}")
            used.add(normalize_name(f"org-{i}"))
            record = {"name": name, "kind": kind, "aliases": [f"ORG-{i}"]}
            if rng.random() < 0.2 and i in next_organization:
                # a forward reference, by alias: the parent comes later in the file
                record["part_of"] = f"ORG-{next_organization[i]}"
        if rng.random() < 0.1:
            record["note"] = _sentence(rng, 60, vocabulary)
        entity_names.append(name)
        yield "entity", record
    people = entity_names[n_media:]
    for i in range(n["source"]):
        record = {"key": f"src-{i:07d}", "outlet": rng.choice(media), "title": _sentence(rng, 50, vocabulary),
                  "url": f"https://news.example.org/{i}", "authors": [f"{rng.choice(FIRST)} {rng.choice(LAST)}"],
                  "published_on": _date(rng)}
        if i and rng.random() < 0.1:
            record["republishes"] = f"src-{rng.randrange(i):07d}"
        yield "source", record
    for i in range(n["claim"]):
        record = {"key": f"claim-{i:07d}", "text": _sentence(rng, 70, vocabulary),
                  "tags": sorted({rng.choice(TOPICS).lower()})}
        if i and rng.random() < 0.05:
            record["links"] = [{"kind": rng.choice(("same-as", "part-of", "narrower-than", "contradicts")),
                                "claim": f"claim-{rng.randrange(i):07d}"}]
        yield "claim", record
    for i in range(n["statement"]):
        record = {"key": f"st-{i:08d}", "claim": f"claim-{rng.randrange(n['claim']):07d}"}
        if rng.random() < 0.15:
            record["speaker_description"] = rng.choice(ANONYMOUS)
            record["speaker_affiliation"] = rng.choice(people)
        else:
            record["speaker"] = rng.choice(people)
            if rng.random() < 0.5:
                record["speaker_title"] = f"{rng.choice(TOPICS)} spokesman"
        record["stance"] = rng.choice(STANCES)
        certainty = rng.choice(CERTAINTIES)
        if certainty != "unspecified":
            record["certainty"] = certainty
            record["hedge"] = rng.choice(HEDGES)
        record["verb"] = rng.choice(VERBS)
        record["quote"] = _sentence(rng, 115, vocabulary)
        record["quote_kind"] = "direct" if rng.random() < 0.7 else "paraphrase"
        if rng.random() < 0.1:
            record["via"] = [rng.choice(media)]
        record["said_on"] = _date(rng)
        record["source"] = f"src-{rng.randrange(n['source']):07d}"
        if i and rng.random() < 0.05:
            target = rng.randrange(i)
            record["responds_to"] = f"st-{target - (target % 10 == 9):08d}"  # one that has a key
        if rng.random() < 0.02:
            record["note"] = _sentence(rng, 40, vocabulary)
        if rng.random() < 0.002:
            record["retracted"] = {"at": "2020-01-02T03:04:05Z", "reason": "Recorded against the wrong claim."}
        if i % 10 == 9:
            del record["key"]  # derived by the importer
            record.pop("responds_to", None)
        yield "statement", record
    for i in range(n["verdict"]):
        record = {"claim": f"claim-{rng.randrange(n['claim']):07d}", "reviewer": media[i % len(media)],
                  "rating": rng.choice(("True", "Mostly true", "Unproven", "False")), "rating_value": rng.randint(1, 5),
                  "best_rating": 5, "worst_rating": 1, "reviewed_on": _date(rng),
                  "url": f"https://check.example.org/{i}"}
        yield "verdict", record


def write_jsonl(path: str | Path, statements: int = 200_000, seed: int = 0) -> dict[str, int]:
    """Write the generated bundle as JSON Lines; return the number of records per kind."""
    import orjson

    counts: dict[str, int] = {}
    lines: list[bytes] = []
    with open(path, "wb") as stream:
        for kind, record in records(statements, seed):
            counts[kind] = counts.get(kind, 0) + 1
            lines.append(orjson.dumps({"type": kind, **record}))
            if len(lines) >= 10_000:
                stream.write(b"\n".join(lines) + b"\n")
                lines.clear()
        if lines:
            stream.write(b"\n".join(lines) + b"\n")
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", default="bench/out/data.jsonl")
    args = parser.parse_args(argv)
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    counts = write_jsonl(args.output, args.statements, args.seed)
    print(f"{args.output}: " + ", ".join(f"{count} {kind}s" for kind, count in counts.items()))


if __name__ == "__main__":
    main()

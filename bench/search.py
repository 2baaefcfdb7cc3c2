"""Benchmark: factdb's ranked search against a LIKE scan, and the cost of the search index.

    PYTHONPATH=. python bench/search.py --statements 1000000 --dir /tmp/factdb-bench
    PYTHONPATH=. python bench/search.py --search-only --dir /tmp/factdb-bench   # searches again, no load

Builds SQLite databases in the factdb schema (revision head) with plain ``sqlite3``
executemany: quotes of ~120 characters from a Zipf-weighted vocabulary, one word
("complicit") in about 0.34% of them; speakers with names, sources with titles. Two loads:
``plain`` with the search triggers dropped and nothing indexed, and ``bulk``, the same and then
every statement indexed in one pass (:func:`factdb.search_index.index_new`, what a bulk import
does).

The searches are timed through :func:`factdb.search.search`, the function ``factdb search``
runs (ranking, snippets, match offsets, the joins that describe each result), plain and with
each filter (--speaker, --since/--until, --stance, --claim), against one LIKE scan of the
same fields (quote, hedge, note, the speaker's name, the source's title, with the joins that
reach them) that keeps the 20 best by a crude relevance. Five runs, each the LIKE scan once
against the median of 5 searches; the target is >= 25x in every run, and for the import, the
index costing at most 1.5x the load without it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

WORD = "complicit"
WORD_RATE = 0.003425
CHUNK = 50_000
COMMON = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "on",
    "was",
    "with",
    "he",
    "it",
    "as",
    "at",
    "by",
    "from",
    "his",
    "said",
    "have",
    "be",
    "this",
    "are",
    "not",
    "but",
    "they",
    "we",
    "had",
    "their",
    "has",
    "were",
    "been",
    "would",
    "will",
    "an",
    "which",
    "who",
    "more",
    "one",
    "after",
    "all",
    "about",
    "there",
    "than",
    "its",
    "iran",
    "iraq",
    "militias",
    "weapons",
    "forces",
    "security",
    "attack",
    "attacks",
    "troops",
    "government",
    "officials",
    "military",
    "us",
    "american",
    "iranian",
    "shiite",
    "baghdad",
    "basra",
    "support",
    "arms",
    "training",
    "groups",
    "group",
    "minister",
    "defense",
    "secretary",
    "spokesman",
    "statement",
    "reporters",
    "told",
    "saying",
    "deny",
    "denied",
    "accused",
    "accusing",
    "claims",
    "claimed",
    "evidence",
    "responsible",
    "killed",
    "soldiers",
    "rocket",
    "rockets",
    "embassy",
    "base",
    "bases",
    "border",
    "smuggling",
    "province",
    "provincial",
    "leaders",
    "political",
    "parliament",
    "withdrawal",
    "country",
    "region",
    "regional",
    "operations",
    "operation",
    "commander",
    "general",
    "president",
    "prime",
    "foreign",
    "ministry",
    "interview",
    "television",
    "press",
    "conference",
    "week",
    "month",
    "year",
    "threat",
    "threats",
    "concern",
    "concerned",
    "extremists",
    "insurgents",
    "insurgency",
    "violence",
    "sectarian",
    "strikes",
    "strike",
    "killed",
    "wounded",
    "civilians",
    "police",
    "army",
    "units",
    "militia",
    "special",
    "force",
    "quds",
    "revolutionary",
    "guards",
    "corps",
    "washington",
    "tehran",
    "lethal",
    "systems",
    "supplying",
    "supplied",
    "provided",
    "providing",
    "funding",
    "funded",
    "sanctions",
    "pressure",
    "interference",
    "sovereignty",
    "resistance",
    "occupation",
    "response",
    "retaliation",
    "attackers",
    "drone",
    "drones",
    "convoy",
    "patrol",
    "patrols",
    "arrested",
    "arrests",
    "caches",
    "explosive",
    "devices",
    "roadside",
    "bombs",
]


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """Common news words (Zipf-weighted) and a long tail of rarer made-up words."""
    syllables = ["ka", "ta", "ib", "hez", "bol", "lah", "as", "aib", "ahl", "haq", "bad", "rak", "mir",
                 "sul", "ei", "man", "qas", "sim", "mus", "awi", "jaf", "far", "zan", "dor", "vel", "nor"]
    tail = sorted({"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(30_000)})
    words = COMMON + [w for w in tail if w != WORD]
    weights = list(itertools.accumulate(1.0 / (rank + 10) for rank in range(len(words))))
    return words, weights  # cumulative: random.choices would re-add 30,000 weights per call


def quotes(rng: random.Random, words: list[str], weights: list[float], count: int) -> list[str]:
    out = []
    for _ in range(count):
        chosen = rng.choices(words, cum_weights=weights, k=22)
        if rng.random() < WORD_RATE:
            chosen[rng.randrange(12)] = WORD  # within the first 120 characters
        out.append(" ".join(chosen)[:120].rsplit(" ", 1)[0].capitalize() + ".")
    return out


def migrate(path: Path, revision: str) -> None:
    from factdb.db import create_engine
    from factdb.migrate import migrate as run

    engine = create_engine(f"sqlite:///{path}")
    run(engine, revision)
    engine.dispose()


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    # a bulk importer's page cache: with SQLite's 2 MB default, 1M rows spend their time
    # re-reading index pages, which hides what the FTS index itself costs
    conn.execute("PRAGMA cache_size=-262144")
    return conn


def base_rows(conn: sqlite3.Connection, claims: int, sources: int, speakers: int) -> None:
    now = "2026-11-21 00:00:00.000000"
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO entities (id, name, kind, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
        [(i, f"Entity {i}", "media" if i <= 20 else "person", now, now) for i in range(1, speakers + 21)],
    )
    conn.executemany(
        "INSERT INTO entity_names (entity_id, name, normalized, is_primary) VALUES (?, ?, ?, 1)",
        [(i, f"Entity {i}", f"entity{i}") for i in range(1, speakers + 21)],
    )
    conn.executemany(
        "INSERT INTO sources (id, key, outlet_id, title, authors, published_on, published_on_precision, "
        "created_at, updated_at)"
        " VALUES (?, ?, ?, ?, '[]', '2011-07-10', 'day', ?, ?)",
        [(i, f"source-{i}", 1 + i % 20, f"Report {i} on militias and the border", now, now)
         for i in range(1, sources + 1)],
    )
    conn.executemany(
        "INSERT INTO claims (id, key, text, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
        [(i, f"claim-{i}", f"Claim number {i} about militias and weapons", now, now) for i in range(1, claims + 1)],
    )
    conn.execute("COMMIT")


def load_statements(conn: sqlite3.Connection, total: int, seed: int, claims: int, sources: int,
                    speakers: int) -> float:
    """Insert ``total`` statements; returns the seconds spent in SQLite (generation excluded)."""
    rng = random.Random(seed)
    words, weights = vocabulary(rng)
    now = "2026-11-21 00:00:00.000000"
    sql = (
        "INSERT INTO statements (id, key, claim_id, speaker_id, stance, certainty, quote, quote_kind, said_on,"
        " said_on_precision, source_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'unspecified', ?, 'direct',"
        " ?, 'day', ?, ?, ?)"
    )
    spent = 0.0
    start_date = dt.date(2008, 1, 1)
    for first in range(1, total + 1, CHUNK):
        count = min(CHUNK, total - first + 1)
        texts = quotes(rng, words, weights, count)
        rows = [
            (i, f"s/{i}", 1 + rng.randrange(claims), 21 + rng.randrange(speakers),
             rng.choice(("asserts", "denies", "disputes")), texts[i - first],
             (start_date + dt.timedelta(days=rng.randrange(5000))).isoformat(), 1 + rng.randrange(sources), now, now)
            for i in range(first, first + count)
        ]
        began = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany(sql, rows)
        conn.execute("COMMIT")
        spent += time.perf_counter() - began
    return spent


def like_scan(conn: sqlite3.Connection, word: str) -> int:
    """The baseline: every statement's searched fields scanned with LIKE, best 20 kept."""
    pattern = f"%{word}%"
    rows = conn.execute(
        "SELECT s.id FROM statements s JOIN sources src ON src.id = s.source_id "
        "LEFT JOIN entities e ON e.id = s.speaker_id "
        "WHERE s.quote LIKE ? OR s.hedge LIKE ? OR s.note LIKE ? OR e.name LIKE ? OR src.title LIKE ? "
        "ORDER BY length(s.quote), s.id LIMIT 20",
        (pattern,) * 5,
    ).fetchall()
    return len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/factdb-bench"))
    parser.add_argument("--repeat", type=int, default=1, help="load rounds; the best of each variant counts")
    parser.add_argument("--search-only", action="store_true",
                        help="reuse the databases a previous run left in --dir; measure the searches only")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    claims, sources, speakers = 5_000, 20_000, 2_000
    total = args.statements

    from factdb.db import create_engine
    from factdb.search_index import resume_queue, suspend_queue

    timings: dict[str, float] = {}
    for round_no in range(0 if args.search_only else args.repeat):
        for name in ("plain", "bulk"):
            path = args.dir / f"{name}.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            migrate(path, "head")
            engine = create_engine(f"sqlite:///{path}")
            with engine.begin() as sa_conn:
                markers = suspend_queue(sa_conn)
            conn = connect(path)
            base_rows(conn, claims, sources, speakers)
            spent = load_statements(conn, total, 7, claims, sources, speakers)
            conn.close()
            indexing = 0.0
            if name == "bulk":
                began = time.perf_counter()
                with engine.begin() as sa_conn:
                    sa_conn.exec_driver_sql("PRAGMA cache_size=-262144")
                    resume_queue(sa_conn, markers)  # every statement and claim, one pass
                indexing = time.perf_counter() - began
                spent += indexing
            engine.dispose()
            timings[name] = min(spent, timings.get(name, spent))
            extra = f"  (of which indexing after the load {indexing:.1f} s)" if indexing else ""
            print(f"round {round_no + 1}: load {total:,} statements, {name:6}: {spent:8.1f} s{extra}", flush=True)

    from factdb.search import SearchFilters, count_matches, search
    from factdb.sessions import read_session

    path = args.dir / "bulk.sqlite3"
    conn = connect(path)
    speaker = conn.execute("SELECT e.name FROM statements s JOIN entities e ON e.id = s.speaker_id "
                           "WHERE s.quote LIKE ? LIMIT 1", (f"%{WORD}%",)).fetchone()[0]
    claim = conn.execute("SELECT c.key FROM claims c JOIN statements s ON s.claim_id = c.id "
                         "WHERE s.quote LIKE ? LIMIT 1", (f"%{WORD}%",)).fetchone()[0]
    cases = {
        "search": SearchFilters(limit=20),
        "--speaker": SearchFilters(speaker=speaker, limit=20),
        "--since/--until": SearchFilters(since="2010-01", until="2012-06", limit=20),
        "--stance": SearchFilters(stance="denies", limit=20),
        "--claim": SearchFilters(claim=claim, limit=20),
    }
    engine = create_engine(f"sqlite:///{path}")
    ratios: dict[str, list[float]] = {case: [] for case in cases}
    found: dict[str, int] = {}
    with read_session(engine) as session:
        fts_count = count_matches(session, WORD)
        like_scan(conn, WORD)  # warm both caches
        for filters in cases.values():
            search(session, WORD, filters)
        for run in range(5):
            like_s = time.perf_counter()
            like_scan(conn, WORD)
            like_s = time.perf_counter() - like_s
            cells = []
            for case, filters in cases.items():
                times = []
                for _ in range(5):
                    began = time.perf_counter()
                    results = search(session, WORD, filters)
                    times.append(time.perf_counter() - began)
                found[case] = len(results)
                median = statistics.median(times)
                ratios[case].append(like_s / median)
                cells.append(f"{case} {median * 1000:.2f} ms ({like_s / median:.0f}x)")
            print(f"run {run + 1}: LIKE scan {like_s * 1000:.0f} ms; " + "; ".join(cells), flush=True)
    conn.close()
    engine.dispose()

    print(f"word {WORD!r}: {fts_count:,} matching statements")
    ok = True
    for case, values in ratios.items():
        good = sum(1 for value in values if value >= 25)
        ok = ok and good == len(values)
        print(f"{case:<16} {found[case]:>3} results  min {min(values):6.0f}x  median {statistics.median(values):6.0f}x"
              f"  >= 25x in {good} of {len(values)} runs")
    if timings:
        ratio = timings["bulk"] / timings["plain"]
        print(f"load with the search index built after / without: {ratio:.2f} (target <= 1.5)")
        ok = ok and ratio <= 1.5
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

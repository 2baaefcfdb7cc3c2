"""Benchmark of the reports at scale (SQLite).

Builds its own database quickly (schema by factdb.db.migrate on a fresh file, rows by plain
sqlite3 executemany, with the full-text and claim-count triggers suspended during the load and
restored afterwards, as the bulk importer does: the time of each restore is printed), then
times, in the same run, in interleaved rounds:

1. a plain full-scan aggregate over statements (``NOT INDEXED``: no index can help it);
2. ``factdb.reports.contested_report`` (default limit 20): it reads the per-claim counts the
   database maintains (revision 0003);
3. the same with ``--tag`` (maintained counts too) and with ``--since/--until`` (a period:
   aggregates that period's statements), for information;
4. ``factdb.reports.claim_report`` for a typical claim (the median claim by statements);
5. ``factdb.reports.sourcing_report`` with ``--limit 20`` (the stored flags of
   :mod:`factdb.claim_flags`), plain and with ``--flag one-outlet``;

and prints how many times faster each is than (1). Targets: contested >= 10x, dossier >= 1000x.
``--trigger-cost`` also builds two more databases to time the plain executemany of the
statements with the count triggers live and without them.

    PYTHONPATH=. python bench/reports.py --statements 1000000 --trigger-cost

Data (for N statements): N/100 entities (some parts of others, persons with roles), N/20
sources (``--copies``, default 20%, republish an earlier source, and a statement in such a
copy repeats the last statement of the story it copies, when there is one: the same words,
folded into one by the reports), N/10 claims, N statements skewed so that a few
claims have hundreds of statements and most have one or two; 30% of claims take both sides;
15% of statements have an anonymous speaker (one of 20 descriptions); 2% are retracted; two in
three carry a quote of 8 to 35 words and 89% an editor's note of about 120 characters: the text
sizes of the seed statements (about 240 characters of text per statement, plus keys, dates and
timestamps).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

STAMP = "2026-01-01 00:00:00.000000"
WORDS = [
    "Iran",
    "weapons",
    "militias",
    "Iraq",
    "rockets",
    "supplied",
    "training",
    "forces",
    "attacks",
    "border",
    "officials",
    "government",
    "evidence",
    "smuggling",
    "networks",
    "security",
    "commanders",
    "province",
    "shipments",
    "components",
    "explosive",
    "groups",
]
TITLES = ("Defense Secretary", "foreign ministry spokesman", "military spokesman", "ambassador", None, None)
VERBS = ("said", "told", "charged", "denied", "claimed", "warned")
SUPPORT = ("asserts", "acknowledges")
OPPOSE = ("denies", "disputes", "retracts")


def build(
    path: Path, statements: int, seed: int = 7, counts: str = "suspended", fts: bool = True, copies: float = 0.2
) -> dict[str, Any]:
    """Create the schema with factdb's migrations, then bulk-insert synthetic rows.

    ``counts``: ``suspended`` (count triggers dropped for the load, then restored and every
    claim counted), ``live`` (the triggers count row by row) or ``off`` (dropped, never
    restored: only for timing the load). ``fts``: restore the full-text index after the load.
    Returns the sizes and the timings of the load.
    """
    from factdb.copies import mark_copies
    from factdb.counts import drop_claim_count_triggers, restore_claim_count_triggers
    from factdb.db import create_engine
    from factdb.migrate import migrate
    from factdb.search_index import resume_queue, suspend_queue

    engine = create_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()

    rng = random.Random(seed)
    n_entities = max(100, statements // 100)
    n_sources = max(50, statements // 20)
    n_claims = max(100, statements // 10)
    n_media = max(10, n_entities // 50)

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA foreign_keys=OFF")
    timings: dict[str, float] = {}
    with conn:
        fts_marker = suspend_queue(conn)
        if counts != "live":
            drop_claim_count_triggers(conn)
        entities = []
        for i in range(1, n_entities + 1):
            if i <= n_media:
                kind, part_of = "media", None
            elif i <= n_media + 50:
                kind, part_of = "government", None
            elif i % 5 == 0:
                kind, part_of = "organization", n_media + 1 + (i % 50)
            else:
                kind, part_of = "person", None
            entities.append((i, f"Entity {i}", kind, part_of, STAMP, STAMP))
        conn.executemany(
            "INSERT INTO entities (id, name, kind, part_of_id, created_at, updated_at) VALUES (?,?,?,?,?,?)", entities
        )
        conn.executemany(
            "INSERT INTO entity_names (entity_id, name, normalized, is_primary) VALUES (?,?,?,1)",
            [(i, f"Entity {i}", f"entity{i}") for i in range(1, n_entities + 1)],
        )
        persons = [e[0] for e in entities if e[2] == "person"]
        organizations = [e[0] for e in entities if e[2] in ("organization", "government")]
        conn.executemany(
            "INSERT INTO entity_roles (entity_id, title, organization_id) VALUES (?,?,?)",
            [(p, "official", rng.choice(organizations)) for p in persons if p % 2 == 0],
        )
        sources = []
        for i in range(1, n_sources + 1):
            republishes = rng.randint(1, i - 1) if i > 1 and rng.random() < copies else None
            day = dt.date(2005, 1, 1) + dt.timedelta(days=rng.randint(0, 6000))
            sources.append(
                (i, f"src-{i}", rng.randint(1, n_media), f"Story {i}", f"https://example.org/{i}", "[]",
                 day.isoformat(), "day", republishes, STAMP, STAMP)
            )  # fmt: skip
        conn.executemany(
            "INSERT INTO sources (id, key, outlet_id, title, url, authors, published_on, published_on_precision,"
            " republishes_id, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            sources,
        )
        conn.executemany(
            "INSERT INTO claims (id, key, text, created_at, updated_at) VALUES (?,?,?,?,?)",
            [(i, f"claim-{i}", f"Synthetic claim number {i}", STAMP, STAMP) for i in range(1, n_claims + 1)],
        )
        conn.executemany(
            "INSERT INTO claim_tags (claim_id, tag) VALUES (?,?)",
            [(i, f"tag-{i % 200}") for i in range(1, n_claims + 1)],
        )
        republished = {row[0]: row[8] for row in sources}
        said_in: dict[int, tuple] = {}  # source id -> (claim, speaker, anonymous, stance, quote) said there last
        batch = []
        load_cpu, load_wall = time.process_time(), time.perf_counter()
        insert_cpu = 0.0  # the executemany calls alone, not the generation of the rows
        for i in range(1, statements + 1):
            # skew: a power law over claim ids; a few claims collect hundreds of statements
            claim = min(n_claims, int(n_claims * rng.random() ** 2.5) + 1)
            if i <= n_claims:  # every claim has at least one statement
                claim = i
            contested = claim % 10 < 3
            stance = rng.choice(OPPOSE) if contested and rng.random() < 0.4 else rng.choice(SUPPORT)
            anonymous = rng.random() < 0.15
            speaker = None if anonymous else rng.choice(persons)
            day = dt.date(2005, 1, 1) + dt.timedelta(days=rng.randint(0, 6000))
            retracted = rng.random() < 0.02
            # a news quote is a sentence or two: 8 to 35 words
            quote = " ".join(rng.choices(WORDS, k=rng.randint(8, 35))) if i % 3 else None
            source = rng.randint(1, n_sources)
            original = republished[source]
            description = f"an official who asked not to be named ({i % 20})" if anonymous else None
            affiliation = rng.choice(organizations) if anonymous else None
            if original is not None and original in said_in and i > n_claims:
                # a copy carries a statement of the story it republishes: the same words
                claim, speaker, description, affiliation, stance, quote = said_in[original]
            said_in[source] = (claim, speaker, description, affiliation, stance, quote)
            # most seed statements carry an editor's note of about 120 characters (89%)
            note = " ".join(rng.choices(WORDS, k=rng.randint(8, 25))) if rng.random() < 0.89 else None
            batch.append(
                (i, f"claim-{claim}-{'anonymous' if anonymous else f'entity-{speaker}'}-{day.isoformat()}-{i:08x}",
                 claim, speaker, description, affiliation, rng.choice(TITLES), stance,
                 rng.choice(("certain", "probable", "possible", "unspecified")), rng.choice(VERBS),
                 quote, "direct" if quote else None, note, day.isoformat(), "day", source,
                 STAMP if retracted else None, "withdrawn by the outlet" if retracted else None, STAMP, STAMP)
            )  # fmt: skip
            if len(batch) == 50_000:
                insert_cpu += _insert_statements(conn, batch)
                batch = []
        insert_cpu += _insert_statements(conn, batch)
        timings["statements_insert_cpu"] = insert_cpu
        timings["statements_load_wall"] = time.perf_counter() - load_wall
        timings["statements_load_cpu"] = time.process_time() - load_cpu
        if counts == "suspended":
            # copies of one statement count once (factdb.copies), marked before the recount
            # as the bulk importer does at the end of its load
            cpu, wall = time.process_time(), time.perf_counter()
            mark_copies(conn, None)
            timings["copies_mark_cpu"], timings["copies_mark_wall"] = (
                time.process_time() - cpu,
                time.perf_counter() - wall,
            )
            cpu, wall = time.process_time(), time.perf_counter()
            restore_claim_count_triggers(conn)  # counts every claim, set-based
            timings["counts_rebuild_cpu"], timings["counts_rebuild_wall"] = (
                time.process_time() - cpu,
                time.perf_counter() - wall,
            )
        if fts:
            wall = time.perf_counter()
            resume_queue(conn, fts_marker)  # indexes the new rows (factdb.search_index)
            timings["fts_restore_wall"] = time.perf_counter() - wall
    conn.execute("ANALYZE")
    conn.close()
    if counts == "suspended":
        # each claim's sourcing flags (factdb.claim_flags), as the importer stores them at the
        # end of its load: every statement read once
        from sqlalchemy.orm import Session

        from factdb.claim_flags import store_flags

        engine = create_engine(f"sqlite:///{path}")
        cpu, wall = time.process_time(), time.perf_counter()
        with Session(engine) as session, session.begin():
            store_flags(session, None)
        timings["flags_cpu"], timings["flags_wall"] = time.process_time() - cpu, time.perf_counter() - wall
        engine.dispose()
    sizes = {"entities": n_entities, "sources": n_sources, "claims": n_claims, "statements": statements}
    return {"sizes": sizes, "timings": timings}


def _insert_statements(conn: sqlite3.Connection, rows: list[tuple]) -> float:
    """Insert a batch; returns the CPU seconds it took."""
    cpu = time.process_time()
    conn.executemany(
        "INSERT INTO statements (id, key, claim_id, speaker_id, speaker_description, speaker_affiliation_id,"
        " speaker_title, stance, certainty, verb, quote, quote_kind, note, said_on, said_on_precision, source_id,"
        " retracted_at, retraction_reason, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    return time.process_time() - cpu


def best_of(repeat: int, run) -> tuple[float, float]:  # noqa: ANN001
    """The fastest of ``repeat`` runs as (CPU seconds of this process, wall seconds).

    SQLite runs inside this process, so its CPU time is the work done; on a shared machine the
    wall clock also counts the time spent waiting for a core, which says more about the
    neighbours than about the query.
    """
    cpu_times, wall_times = [], []
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        run()
        cpu_times.append(time.process_time() - cpu)
        wall_times.append(time.perf_counter() - wall)
    return min(cpu_times), min(wall_times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="database file (default: a temporary file)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved timing rounds (best is kept)")
    parser.add_argument("--reuse", action="store_true", help="reuse --db as built by an earlier run")
    parser.add_argument("--copies", type=float, default=0.2, help="share of sources republishing another")
    parser.add_argument(
        "--trigger-cost", action="store_true", help="also time the load with and without count triggers"
    )
    args = parser.parse_args()

    from factdb.db import create_engine
    from factdb.migrate import migrate
    from factdb.reports import claim_report, contested_report, sourcing_report
    from factdb.sessions import read_session

    path = args.db or Path(tempfile.mkdtemp()) / "bench.sqlite3"
    if not (args.reuse and path.exists()):
        _remove(path)
        start = time.perf_counter()
        built = build(path, args.statements, copies=args.copies)
        t = built["timings"]
        print(f"built {path} in {time.perf_counter() - start:.1f} s: {built['sizes']}")
        print(
            "  statements loaded (count and FTS triggers suspended): "
            f"executemany cpu {t['statements_insert_cpu']:.1f} s"
        )
        print(
            f"  copies marked (factdb.copies.mark_copies, every claim): cpu {t['copies_mark_cpu']:.2f} s, "
            f"wall {t['copies_mark_wall']:.2f} s"
        )
        print(
            f"  claim counts rebuilt (restore_claim_count_triggers): cpu {t['counts_rebuild_cpu']:.2f} s, "
            f"wall {t['counts_rebuild_wall']:.2f} s"
        )
        print(f"  full-text index restored: wall {t['fts_restore_wall']:.2f} s")
        print(f"  sourcing flags stored (factdb.claim_flags.store_flags, every claim): cpu {t['flags_cpu']:.1f} s, "
              f"wall {t['flags_wall']:.1f} s")

    else:
        migrate_engine = create_engine(f"sqlite:///{path}")
        cpu, wall = time.process_time(), time.perf_counter()
        migrate(migrate_engine)  # a database built by an older checkout gets the new revisions
        print(f"migrated {path} to the newest revision: cpu {time.process_time() - cpu:.1f} s, "
              f"wall {time.perf_counter() - wall:.1f} s")
        migrate_engine.dispose()

    plain = sqlite3.connect(path)
    copies, total = plain.execute("SELECT count(copy_of_id), count(*) FROM statements").fetchone()
    print(f"{total:,} statements, {copies:,} of them copies of another statement of their story")
    scan_sql = (
        "SELECT claim_id, count(*),"
        " sum(CASE WHEN stance IN ('asserts','acknowledges') THEN 1 ELSE 0 END),"
        " sum(CASE WHEN stance IN ('denies','disputes','retracts') THEN 1 ELSE 0 END)"
        " FROM statements NOT INDEXED WHERE retracted_at IS NULL GROUP BY claim_id"
    )
    # a typical claim: the median number of statements per claim
    counts = plain.execute("SELECT claim_id, count(*) FROM statements GROUP BY claim_id ORDER BY 2, 1").fetchall()
    typical_id, typical_count = counts[len(counts) // 2]
    heavy_id, heavy_count = counts[-1]
    median = statistics.median(c for _, c in counts)

    engine = create_engine(f"sqlite:///{path}")
    with read_session(engine) as session:
        # Interleaved rounds, best of each: the machine's load changes between minutes, so the
        # two sides of a ratio are measured under the same conditions.
        runs = {
            "scan": lambda: plain.execute(scan_sql).fetchall(),
            "contested": lambda: contested_report(session),
            "tag": lambda: contested_report(session, tag="tag-7"),
            "period": lambda: contested_report(session, since="2015-01", until="2015-06"),
            "sourcing": lambda: sourcing_report(session, limit=20),
            "sourcing_flag": lambda: sourcing_report(session, flag="one-outlet", limit=20),
        }
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
        for _ in range(args.rounds):
            for name, run in runs.items():
                times[name].append(best_of(1, run))
        best = {name: (min(t[0] for t in ts), min(t[1] for t in ts)) for name, ts in times.items()}
        top = contested_report(session)["claims"][0]
        folded = claim_report(session, top["claim"])["summary"]
        assert (folded["supporting"], folded["opposing"]) == (top["supporting"], top["opposing"]), (folded, top)
        dossier = best_of(50, lambda: claim_report(session, f"claim-{typical_id}"))
        heavy = best_of(3, lambda: claim_report(session, f"claim-{heavy_id}"))
    engine.dispose()
    plain.close()
    scan = best["scan"]

    def line(label: str, timing: tuple[float, float], ratio: bool = True) -> str:
        cpu, wall = timing
        text = f"{label:<52} cpu {cpu * 1000:9.2f} ms  wall {wall * 1000:9.2f} ms"
        if ratio:
            text += f"  {scan[0] / cpu:7.0f}x (cpu)  {scan[1] / wall:7.0f}x (wall)"
        return text

    print(f"statements per claim: median {median}, max {heavy_count}; best of {args.rounds} interleaved rounds")
    print(line("plain full-scan GROUP BY claim_id", scan, ratio=False))
    print(line("report contested (top 20, maintained counts)", best["contested"]))
    print(line("report contested --tag (maintained counts)", best["tag"]))
    print(line("report contested --since/--until (6-month aggregate)", best["period"]))
    print(line("report sourcing --limit 20 (stored flags)", best["sourcing"]))
    print(line("report sourcing --flag one-outlet --limit 20", best["sourcing_flag"]))
    print(line(f"claim dossier, typical ({typical_count} statements)", dossier))
    print(line(f"claim dossier, largest ({heavy_count} statements)", heavy))
    print(
        f"top contested claim: {top['claim']}, {top['supporting_speakers']}/{top['opposing_speakers']} speakers,"
        f" {top['supporting']}/{top['opposing']} statements (copies once: the dossier's folded counts agree)"
    )
    if args.db is None:  # a temporary database is not left behind (300 MB at 1M statements)
        _remove(path)
        path.parent.rmdir()
    if args.trigger_cost:
        trigger_cost(args.statements)


def trigger_cost(statements: int) -> None:
    """Time the statements' executemany with the count triggers live and without them (the
    full-text triggers off in both), each on a fresh database, one after the other."""
    folder = Path(tempfile.mkdtemp())
    results = {}
    for mode in ("off", "live", "off", "live"):  # twice each, alternating; best kept
        path = folder / f"{mode}.sqlite3"
        t = build(path, statements, counts=mode, fts=False)["timings"]
        _remove(path)
        previous = results.get(mode)
        if previous is None or t["statements_insert_cpu"] < previous["statements_insert_cpu"]:
            results[mode] = t
    folder.rmdir()
    off, live = results["off"], results["live"]
    print(f"executemany of {statements:,} statements (FTS triggers off), best of 2 fresh databases each:")
    print(
        f"  without count triggers: cpu {off['statements_insert_cpu']:.1f} s "
        f"(load wall {off['statements_load_wall']:.1f} s)"
    )
    print(
        f"  with count triggers:    cpu {live['statements_insert_cpu']:.1f} s "
        f"(load wall {live['statements_load_wall']:.1f} s)"
    )
    extra = live["statements_insert_cpu"] - off["statements_insert_cpu"]
    print(f"  the triggers cost {extra:.1f} s cpu ({extra / off['statements_insert_cpu'] * 100:.0f}% more,"
          f" {extra / statements * 1e6:.1f} us per statement)")


def _remove(path: Path) -> None:
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()


if __name__ == "__main__":
    main()

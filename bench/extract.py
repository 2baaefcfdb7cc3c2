"""Attribution extraction measured on real news, with its speed and memory.

    python bench/extract.py [--split dev] [--data DIR] [--runs 7] [--seeds-only] [--verbose]

- quality: runs ``factdb.extract.find_attributions`` over a PolNeAR split (default dev) in
  one process, writes the predictions to ``bench/out/extract-<split>.jsonl`` and prints the
  shared scorer's table (``../shared/tools/score_attribution.py``);
- speed: words per second over the split, and the cost of extracting a typical 1,000-word
  article against ``factdb info``'s start-up measured in the same run (target: at most a
  quarter of it);
- memory: tracemalloc peak while extracting a 10 MB input against a 1 MB input: streaming
  (``iter_attributions``, the working memory: flat, a ratio near 1) and as one list
  (``find_attributions``, which holds every proposal: grows with the output, ratio near 10);
- the whole proposal path (``factdb.extract.proposals.propose``: speakers resolved against a
  seeded database, claim candidates, quotes anchored) on the same article, against the same
  ``factdb info`` start-up (target: at most a quarter);
- seed recall: see ``seed_recall()`` (``--seeds-only`` runs it alone).

The data is research-use only and lives outside the project (see its README); without it
the bench says so in one line and exits.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from factdb.extract import find_attributions, iter_attributions

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parent.parent

DEFAULT_DATA = ROOT / ".." / "shared" / "data" / "attribution"
SCORER = ROOT / ".." / "shared" / "tools" / "score_attribution.py"
OUT = ROOT / "bench" / "out"
STARTUP_SHARE_TARGET = 0.25
WORD = re.compile(r"\w+")


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def predict(docs: list[dict]) -> tuple[list[dict], float]:
    """Predictions in the scorer's shape, and the seconds extraction took."""
    out = []
    elapsed = 0.0
    for d in docs:
        t0 = time.perf_counter()
        atts = find_attributions(d["text"])
        elapsed += time.perf_counter() - t0
        rows = []
        for a in atts:
            row: dict = {
                "source": a.source.as_list() if a.source else None,
                "cue": a.cue.as_list(),
                "content": a.content.as_list(),
                "kind": a.kind,
                "rule": a.rule,
                "confidence": a.confidence,
            }
            if a.content_parts:
                row["content_parts"] = [p.as_list() for p in a.content_parts]
            rows.append(row)
        out.append({"id": d["id"], "attributions": rows})
    return out, elapsed


def typical_article(docs: list[dict], words: int = 1000) -> str:
    """Whole articles of the split joined to about ``words`` words (real text, real density)."""
    parts, n = [], 0
    for d in docs:
        parts.append(d["text"])
        n += len(WORD.findall(d["text"]))
        if n >= words:
            break
    text = "\n\n".join(parts)
    # cut at a paragraph boundary near the target
    ms = list(WORD.finditer(text))
    if len(ms) > words:
        cut = text.find("\n", ms[words].start())
        text = text[: cut if cut > 0 else len(text)]
    return text


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def info_startup(runs: int) -> float:
    """Median wall time of the installed ``factdb info`` on a fresh initialised SQLite file."""
    env = dict(os.environ)
    exe = Path(sys.executable).with_name("factdb")
    factdb = [str(exe)] if exe.exists() else [sys.executable, "-m", "factdb"]
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.sqlite3")
        subprocess.run(factdb + ["--db", db, "init"], check=True, stdout=subprocess.DEVNULL, env=env)
        argv = factdb + ["--db", db, "info"]

        def run() -> None:
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)

        run()  # warm the file cache
        return median_seconds(run, runs)


def memory_peaks(docs: list[dict]) -> dict[str, tuple[float, float]]:
    """tracemalloc peaks (MB, the input text itself not counted) for a ~1 MB and a ~10 MB
    input built from the split: streaming (``iter_attributions``, each proposal dropped
    once seen: the working memory) and the full list (``find_attributions``)."""
    base = "\n\n".join(d["text"] for d in docs)
    peaks: dict[str, list[float]] = {"streaming": [], "list": []}
    for mb in (1, 10):
        size = mb * 1_000_000
        text = (base * (size // max(1, len(base)) + 1))[:size]
        for name, found in peaks.items():
            tracemalloc.start()
            if name == "streaming":
                for _ in iter_attributions(text):
                    pass
            else:
                find_attributions(text)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            found.append(peak / 1e6)
        del text
    return {k: (v[0], v[1]) for k, v in peaks.items()}


@contextlib.contextmanager
def seeded_database() -> Iterator[Engine]:
    """A fresh SQLite file holding the seed dataset (``factdb seed``'s path), for ``propose``."""
    from factdb.db import connect
    from factdb.migrate import migrate
    from factdb.sessions import transaction
    from factdb.transfer import load_seed

    with tempfile.TemporaryDirectory() as tmp:
        engine = connect(f"sqlite:///{Path(tmp) / 'seeded.sqlite3'}", must_exist=False)
        try:
            migrate(engine)
            with transaction(engine) as session:
                load_seed(session)
            yield engine
        finally:
            engine.dispose()


def seed_recall(engine: Engine, verbose: bool = False) -> dict:
    """Recall of the seed dataset's direct-quote statements on the five seed articles, through
    the whole proposal path a user runs (``factdb extract --source KEY``).

    Each article of ``../shared/seeds/`` is read by ``factdb.extract.proposals.propose``
    against a database holding the seed dataset (``engine``), with the seed source of its
    statements (its publication date and outlet). A seed statement with ``quote_kind: direct``
    counts as recovered when a proposal has the same speaker entity (the seed's speaker and
    the proposal's both resolved by the database's resolver: names and aliases) or, for an
    anonymous speaker, the same head noun of the description, and its content covers at least
    half of the seed quote's place in the text. One proposal may recover several seed
    statements (the seeds split one quotation into claims). On the recovered ones: stance
    agreement (target >= 85%), and, reported only, certainty, via and date agreement.
    Prints the figures and returns them.
    """
    import yaml

    from factdb.dates import parse_partial_date
    from factdb.extract.proposals import propose
    from factdb.quotes import locate
    from factdb.resolver import find_entity
    from factdb.sessions import read_session

    seeds_dir = ROOT / "seeds"
    articles_dir = ROOT / ".." / "shared" / "seeds"
    if not articles_dir.is_dir():
        print(f"seed recall: no seed articles at {articles_dir}")
        return {}
    bundles = {
        path.name[:3]: yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(seeds_dir.glob("[0-9][0-9][0-9]-*.yaml"))
    }

    def head(description: str | None) -> str:
        words = re.findall(r"[a-z]+", (description or "").lower().split(" who ")[0])
        return words[-1] if words else ""

    totals = {"direct": 0, "recovered": 0, "stance": 0, "certainty": 0, "via": 0, "said_on": 0, "unhedged_certain": 0}
    misses: list[str] = []
    disagreements: list[str] = []
    with read_session(engine) as session:

        def entity(name: str | None) -> str | None:
            found = find_entity(session, name) if name else None
            return found.name if found is not None else name

        for number, bundle in sorted(bundles.items()):
            article = next(articles_dir.glob(f"{number}_*.txt"), None)
            if article is None:
                continue
            text = article.read_text(encoding="utf-8")
            statements = [st for st in bundle.get("statements") or [] if st.get("quote_kind") == "direct"]
            if not statements:
                continue
            proposals = propose(session, text, statements[0]["source"]).proposals
            for st in statements:
                totals["direct"] += 1
                where = locate(st["quote"], text)
                if where is None:
                    misses.append(f"{st['key']}: seed quote not found in the article")
                    continue
                wanted = entity(st.get("speaker"))
                best = None
                for p in proposals:
                    a = p.fields.attribution
                    parts = a.content_parts or [a.content]
                    covered = sum(max(0, min(where.end, q.end) - max(where.start, q.start)) for q in parts)
                    if covered * 2 < where.end - where.start:
                        continue
                    if wanted is not None:
                        same = p.speaker is not None and p.speaker.name == wanted
                    else:
                        same = p.speaker is None and head(p.speaker_description) == head(st.get("speaker_description"))
                    if same:
                        best = p
                        break
                    best = best or ("near", p)
                if best is None or isinstance(best, tuple):
                    got = best[1] if isinstance(best, tuple) else None
                    said = f"proposed {got.who!r}" if got else "no proposal covers the quote"
                    misses.append(f"{st['key']}: {st.get('speaker') or st.get('speaker_description')!r}; {said}")
                    continue
                totals["recovered"] += 1
                agree = {
                    "stance": best.stance == st.get("stance", "asserts"),
                    "certainty": best.certainty == st.get("certainty", "unspecified"),
                    "via": sorted(v.name for v in best.via) == sorted(entity(v) or "" for v in st.get("via") or []),
                }
                for name, ok in agree.items():
                    totals[name] += ok
                seed_date = parse_partial_date(st.get("said_on"))
                totals["said_on"] += (best.said_on or None) == (seed_date.iso() if seed_date else None)
                # the seeds call an unhedged statement certain; the rules say unspecified
                unhedged = best.certainty if best.certainty != "unspecified" else "certain"
                totals["unhedged_certain"] += unhedged == st.get("certainty", "unspecified")
                wrong = [
                    f"{name} {getattr(best, name) if name != 'via' else [v.name for v in best.via]!r} "
                    f"(seed {st.get(name)!r})"
                    for name, ok in agree.items()
                    if not ok
                ]
                if wrong:
                    disagreements.append(f"{st['key']}: " + "; ".join(wrong))

    direct, recovered = totals["direct"], totals["recovered"]

    def pct(n: int, d: int) -> str:
        return f"{100 * n / d:.1f}%" if d else "n/a"

    print("\nseed recall (factdb.extract.proposals.propose on the five seed articles against the seeded database;")
    print("seeds/*.yaml direct-quote statements):")
    print(f"  recovered: {recovered}/{direct} = {pct(recovered, direct)} (target >= 80%) "
          f"{'ok' if direct and recovered / direct >= 0.8 else 'MISSED'}")
    print(f"  stance agreement on those: {totals['stance']}/{recovered} = {pct(totals['stance'], recovered)} "
          f"(target >= 85%) {'ok' if recovered and totals['stance'] / recovered >= 0.85 else 'MISSED'}")
    print(f"  certainty agreement: {totals['certainty']}/{recovered} = {pct(totals['certainty'], recovered)}; "
          f"via agreement: {totals['via']}/{recovered} = {pct(totals['via'], recovered)}; "
          f"date agreement: {totals['said_on']}/{recovered} = {pct(totals['said_on'], recovered)} "
          "(reported, no target)")
    print(f"  (the seeds mark an unhedged statement 'certain', the rules 'unspecified'; counting unhedged as "
          f"certain, certainty agreement would be {pct(totals['unhedged_certain'], recovered)})")
    if verbose:
        for line in misses:
            print(f"  missed  {line}")
        for line in disagreements:
            print(f"  differs {line}")
    return totals


def propose_seconds(engine: Engine, article: str, runs: int) -> tuple[float, int]:
    """Median seconds of the whole ``propose`` (extraction, the name index, claim candidates,
    quote anchoring) on ``article`` against the seeded database, and its proposal count."""
    from factdb.extract.proposals import propose
    from factdb.sessions import read_session

    source = "afp-2011-07-10-us-forces-pursue"
    with read_session(engine) as session:
        count = len(propose(session, article, source).proposals)  # warm: compiled queries, caches

        def run() -> None:
            propose(session, article, source)

        return median_seconds(run, runs), count


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="dev", help="train or dev (default dev)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="directory of the attribution data")
    ap.add_argument("--runs", type=int, default=7, help="runs of each timed measurement (median)")
    ap.add_argument("--no-timing", action="store_true", help="quality only: skip speed and memory")
    ap.add_argument("--no-memory", action="store_true", help="skip the memory measurement (its 10 MB runs are slow)")
    ap.add_argument("--seeds-only", action="store_true", help="only the seed recall (no PolNeAR data needed)")
    ap.add_argument("--verbose", action="store_true", help="list the seed statements missed and the disagreements")
    args = ap.parse_args()
    if args.seeds_only:
        with seeded_database() as engine:
            totals = seed_recall(engine, verbose=args.verbose)
        return 0 if totals else 2
    gold = args.data / f"{args.split}.jsonl"
    if not gold.exists():
        print(f"bench/extract.py: no attribution data at {gold} (see ../shared/data/attribution/README.md)",
              file=sys.stderr)
        return 2
    if not SCORER.exists():
        print(f"bench/extract.py: the scorer is missing at {SCORER}", file=sys.stderr)
        return 2
    docs = load(gold)
    preds, elapsed = predict(docs)
    OUT.mkdir(parents=True, exist_ok=True)
    pred_path = OUT / f"extract-{args.split}.jsonl"
    with pred_path.open("w", encoding="utf-8") as f:
        for p in preds:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    print(f"predictions: {pred_path.relative_to(ROOT)}")
    if subprocess.run([sys.executable, str(SCORER), str(gold), str(pred_path)], check=False).returncode != 0:
        return 1
    if args.no_timing:
        return 0

    words = sum(len(WORD.findall(d["text"])) for d in docs)
    print(f"\nspeed: {words:,} words in {elapsed:.2f} s = {words / elapsed:,.0f} words/s")
    article = typical_article(docs)
    n_words = len(WORD.findall(article))
    find_attributions(article)
    per_article = median_seconds(lambda: find_attributions(article), max(args.runs, 5))
    info_s = info_startup(args.runs)
    share = per_article / info_s
    print(f"a {n_words}-word article: {per_article * 1000:.1f} ms; factdb info start-up: {info_s * 1000:.0f} ms; "
          f"ratio {share:.3f} (target <= {STARTUP_SHARE_TARGET}) {'ok' if share <= STARTUP_SHARE_TARGET else 'MISSED'}")
    with seeded_database() as engine:
        whole, count = propose_seconds(engine, article, max(args.runs, 5))
        whole_share = whole / info_s
        print(f"the whole proposal path (factdb.extract.proposals.propose: {count} proposals, speakers resolved, "
              f"claim candidates, quotes anchored) on the same article against the seeded database: "
              f"{whole * 1000:.1f} ms; ratio to factdb info {whole_share:.3f} (target <= {STARTUP_SHARE_TARGET}) "
              f"{'ok' if whole_share <= STARTUP_SHARE_TARGET else 'MISSED'}")
        for name, (p1, p10) in ({} if args.no_memory else memory_peaks(docs)).items():
            print(f"memory, {name} (tracemalloc peak): 1 MB input {p1:.1f} MB, 10 MB input {p10:.1f} MB, "
                  f"ratio {p10 / p1:.2f}")
        seed_recall(engine, verbose=args.verbose)
    return 0 if max(share, whole_share) <= STARTUP_SHARE_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())

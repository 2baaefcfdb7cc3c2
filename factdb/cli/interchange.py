"""``factdb seed``, ``factdb import`` and ``factdb export``: bundles, spreadsheets and ClaimReview in and out."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import click
import orjson

from factdb.cli.common import App, Choice, FilePath, echo, pass_app
from factdb.db import sqlite_path
from factdb.errors import BundleInvalid
from factdb.render import text_table, to_json
from factdb.transfer import (
    EXPORT_FORMATS,
    IMPORT_FORMATS,
    ImportSummary,
    export_to,
    import_report,
    load_seed,
    open_import,
    seed_paths,
)
from factdb.transfer.writing import check_output_path, output_file
from factdb.vocab import STANCES


def _force_option(what: str) -> Any:
    return click.option("--force", is_flag=True, help=f"Replace {what} when it exists (refused by default).")


def _summary_option(function: Any) -> Any:
    return click.option(
        "--summary-format",
        type=Choice(("table", "json")),
        default="table",
        show_default=True,
        help="How to print what the import did.",
    )(function)


def _dry_run_option(function: Any) -> Any:
    return click.option("--dry-run", is_flag=True, help="Validate and report what would change; write nothing.")(
        function
    )


def _render_summary(summary: ImportSummary, what: str, fmt: str) -> str:
    if fmt == "json":
        return to_json({"input": what, **summary.as_dict()})
    head = f"Dry run of {what}: nothing was written." if summary.dry_run else f"Imported {what}."
    if summary.dry_run:
        head += " It would do:"
    rows = summary.rows()
    table = text_table(("kind", "created", "updated", "unchanged"), rows) if rows else "(no records)\n"
    text = head + "\n" + table
    checked = summary.text_line()
    if checked:
        text += checked + "\n"
    if summary.rejected:
        text += f"{summary.rejected} invalid record{'s' if summary.rejected != 1 else ''} skipped.\n"
    return text


def _refuse(error: BundleInvalid, what: str) -> click.ClickException:
    """Every problem on stderr, then the one-line failure."""
    for problem in error.problems:
        click.echo(problem, err=True)
    count = error.count
    return click.ClickException(
        f"{count} problem{'s' if count != 1 else ''} in {what}; nothing was written "
        "(fix them, or use --skip-invalid to write the valid records)."
    )


@click.command()
@_dry_run_option
@_summary_option
@pass_app
def seed(app: App, dry_run: bool, summary_format: str) -> None:
    """Load the seed dataset (every seeds/*.yaml file, as one bundle). Idempotent.

    \b
    Example:
      factdb seed
      factdb seed --dry-run
    """
    try:
        with app.transaction() as session:
            summary = load_seed(session, dry_run=dry_run)
    except BundleInvalid as error:
        raise _refuse(error, "the seed dataset") from None
    echo(_render_summary(summary, f"the seed dataset ({len(seed_paths())} files)", summary_format))


@click.command("import")
@click.argument("file", type=FilePath(dir_okay=False, allow_dash=True))
@click.option(
    "--format",
    "fmt",
    type=Choice(IMPORT_FORMATS),
    help="Input format (default: from the ending and the content; the error says what was seen when it cannot tell).",
)
@_dry_run_option
@click.option("--skip-invalid", is_flag=True, help="Write the valid records; list the others in the reject file.")
@click.option(
    "--reject-file",
    type=FilePath(dir_okay=False),
    help="Where --skip-invalid lists refused records, as JSON Lines (default: FILE.rejects.jsonl).",
)
@_force_option("the reject file")
@_summary_option
@click.option("--map", "mapping", metavar="COLUMN=FIELD,...", help="Spreadsheets: which column feeds which field.")
@click.option(
    "--preset",
    type=Choice(("liar", "liar-plus")),
    help="Spreadsheets: a known layout (liar: the LIAR dataset; liar-plus: LIAR-PLUS, with justifications).",
)
@click.option(
    "--delimiter",
    metavar="CHAR",
    help="Spreadsheets: the field separator (\\t or tab for tabs; default , or tab for .tsv).",
)
@click.option(
    "--quoting",
    type=Choice(("minimal", "none", "all")),
    help="Spreadsheets: how fields are quoted (default minimal).",
)
@click.option("--no-header", is_flag=True, help="Spreadsheets: no header row; --map uses 1-based column positions.")
@click.option(
    "--stance", type=Choice(STANCES), help="Spreadsheets: the stance of rows without one (default asserts)."
)
@click.option("--reviewer", metavar="NAME", help="Spreadsheets: who rated the claims (an entity of kind media).")
@click.option("--outlet", metavar="NAME", help="Spreadsheets: the outlet of the sources (an entity of kind media).")
@click.option("--encoding", metavar="NAME", help="Spreadsheets: the file's text encoding (default utf-8).")
@click.option(
    "--base-url",
    metavar="URL",
    help="ClaimReview and HTML: the page's own URL, to resolve relative URLs (default: the page's canonical URL).",
)
@click.option("-v", "--verbose", is_flag=True, help="List every field the import could not keep.")
@pass_app
def import_bundle(
    app: App,
    file: str,
    fmt: str | None,
    dry_run: bool,
    skip_invalid: bool,
    reject_file: str | None,
    force: bool,
    summary_format: str,
    verbose: bool,
    **options: Any,
) -> None:
    """Import a bundle, a spreadsheet, ClaimReview or a fact-checkers' feed in one transaction. Idempotent.

    Bundles are YAML, JSON or JSON Lines; spreadsheets CSV or TSV (--map says which column
    feeds which field; --preset liar or liar-plus); ClaimReview is schema.org JSON-LD, also as
    a DataCommons DataFeed or an HTML page's markup; factcheck-api is a Google Fact Check
    Tools claims:search response; claimskg a ClaimsKG export. Records are matched by natural key
    (entity names and aliases, source, claim, statement and verdict keys): importing the same
    file twice changes nothing. A bad record or row is reported with its file, line and
    field, and by default nothing is written.

    \b
    Example:
      factdb import all.yaml
      factdb import statements.jsonl --dry-run
      factdb import statements.jsonl --skip-invalid --reject-file rejected.jsonl
      factdb export --format jsonl | factdb --db other.sqlite3 import - --format jsonl
      factdb import valid.tsv --preset liar
      factdb import claims.csv --map "statement=claim,who=speaker" --outlet AFP
      factdb import review.jsonld
      factdb import page.html --base-url https://checker.example/2023/03/lead-water --verbose
      factdb import search-response.json --format factcheck-api
    """
    if skip_invalid and reject_file is None:
        reject_file = ("rejects" if file == "-" else file) + ".rejects.jsonl"
    reject_path = None
    if skip_invalid:
        assert reject_file is not None
        reject_path = check_output_path(
            reject_file, database=sqlite_path(app.url), inputs=[file], force=force, option="the reject file"
        )
    what = "standard input" if file == "-" else file
    with _open_input(file) as stream, _RejectFile(reject_path) as rejects:
        source = open_import(file, fmt, options, stream)
        try:
            with app.transaction(bulk=True) as session, _progress(stream, source.total()) as progress:
                summary = source.load(
                    session,
                    dry_run=dry_run,
                    skip_invalid=skip_invalid,
                    reject_sink=rejects.write if skip_invalid else None,
                    progress=progress,
                    label=what,
                )
        except BundleInvalid as error:
            refused = _refuse(error, what)
            for line in source.summary_lines(verbose=verbose):
                click.echo(line, err=True)
            _warn(source)
            raise refused from None
    if summary_format == "json":
        echo(to_json(import_report(what, summary, source)))
    else:
        lines = source.summary_lines(verbose=verbose)
        echo("".join(line + "\n" for line in lines) + _render_summary(summary, what, "table"))
    _warn(source)
    if rejects.count:
        click.echo(
            f"{rejects.count} refused record{'s' if rejects.count != 1 else ''} listed in {reject_file}", err=True
        )
    if summary.rejected and not any(any(counts.values()) for counts in summary.counts.values()):
        raise click.ClickException(f"Nothing was imported from {what}: every record was refused.")


def _warn(source: Any) -> None:
    """The converter's warnings (two rows whose keys collide ...), one line each on stderr."""
    for warning in source.warnings():
        click.echo(f"warning: {warning}", err=True)


@contextlib.contextmanager
def _open_input(file: str) -> Iterator[IO[bytes]]:
    if file == "-":
        yield sys.stdin.buffer
        return
    try:
        stream = open(file, "rb")  # noqa: SIM115 - closed below
    except OSError as error:
        raise click.ClickException(f"Cannot read {file}: {error.strerror}") from None
    with stream:
        yield stream


class _RejectFile:
    """The reject file, created only when a record is refused, and put in place only when the
    import ends without an error (a refused import leaves none)."""

    def __init__(self, path: Path | None):
        self.path = path
        self.stream: IO[bytes] | None = None
        self.count = 0
        self._files = contextlib.ExitStack()

    def write(self, rejected: dict[str, Any]) -> None:
        if self.stream is None:
            assert self.path is not None  # --skip-invalid always names the reject file
            self.stream = self._files.enter_context(output_file(self.path))
        self.stream.write(orjson.dumps(rejected, default=str) + b"\n")
        self.count += 1

    def __enter__(self) -> _RejectFile:
        return self

    def __exit__(self, *exc: Any) -> None:
        self._files.__exit__(*exc)


@contextlib.contextmanager
def _progress(stream: IO[bytes], total: int | None) -> Iterator[Any]:
    """A progress bar on a terminal's stderr, moved as records are read: over the records
    when their number is known (a converted file), else over the bytes read of a streamed
    bundle of 1 MB or more (the furthest position reached: a YAML file out of order is read
    once per section)."""
    if not _on_terminal():
        yield None
        return
    if total:
        with click.progressbar(length=total, label="Importing", file=sys.stderr) as bar:
            yield bar.update
        return
    size = _size(stream)
    if size < 1_000_000:
        yield None
        return
    with click.progressbar(length=size, label="Importing", file=sys.stderr) as bar:
        done = [0]

        def advance(_records: int) -> None:
            position = stream.tell()
            if position > done[0]:
                bar.update(position - done[0])
                done[0] = position

        yield advance


def _on_terminal() -> bool:
    return sys.stderr.isatty()


def _size(stream: IO[bytes]) -> int:
    try:
        return os.fstat(stream.fileno()).st_size
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        return 0


@click.command()
@click.option(
    "--format",
    "fmt",
    type=Choice(EXPORT_FORMATS),
    default="yaml",
    show_default=True,
    help="A bundle (yaml, json, jsonl) or ClaimReview JSON-LD (one ClaimReview per verdict).",
)
@click.option("--claim", metavar="CLAIM", help="Only this claim (key or id) and what it needs.")
@click.option(
    "-o", "--output", type=FilePath(dir_okay=False, allow_dash=True), default="-", help="File (default: stdout)."
)
@_force_option("the output file")
@click.option(
    "--with-texts",
    is_flag=True,
    help="Bundles: put each source's stored text and its quote anchors in the bundle (import re-checks them).",
)
@click.option(
    "--allow-incomplete",
    is_flag=True,
    help="ClaimReview: also write verdicts that lack a property Google requires (by default listed and skipped).",
)
@pass_app
def export(
    app: App, fmt: str, claim: str | None, output: str, force: bool, allow_incomplete: bool, with_texts: bool
) -> None:
    """Export the database (or one claim with everything it needs) as a bundle or ClaimReview.

    Importing a bundle export into an empty database and exporting again gives the same
    bytes. --format claimreview writes schema.org ClaimReview JSON-LD for the verdicts that
    have what Google's fact-check markup requires (claimReviewed, url, a textual rating, an
    author's name); the others are listed on stderr and left out, or written with
    --allow-incomplete. Importing it and exporting again gives the same document.

    Source texts (`source attach-text`) stay local unless --with-texts puts them, and their
    statements' quote anchors, in the bundle: importing it stores the texts and re-checks
    every direct quote of those sources, so another database can check the quotes too.

    -o never writes over the database, its -wal or -shm file, or (without --force) an
    existing file; the file is written beside the target and renamed into place when the
    export is complete, so a failed export leaves what was there.

    \b
    Example:
      factdb export > all.yaml
      factdb export --format jsonl -o all.jsonl
      factdb export --format jsonl -o all.jsonl --force
      factdb export --claim iran-arms-militias --format json
      factdb export --with-texts -o with-texts.yaml
      factdb export --format claimreview -o reviews.jsonld
      factdb export --format claimreview --allow-incomplete -o all-reviews.jsonld
    """
    if allow_incomplete and fmt != "claimreview":
        raise click.UsageError("--allow-incomplete is for --format claimreview")
    if with_texts and fmt == "claimreview":
        raise click.UsageError("--with-texts is for bundles (yaml, json, jsonl); ClaimReview has no source texts")
    options: dict[str, Any] = {"claim": claim, "allow_incomplete": allow_incomplete, "with_texts": with_texts}
    target = None if output == "-" else check_output_path(output, database=sqlite_path(app.url), force=force)
    with app.reading() as session:
        if target is None:
            skipped = export_to(session, sys.stdout.buffer, fmt, **options)
            sys.stdout.buffer.flush()
        else:
            with output_file(target) as stream:
                skipped = export_to(session, stream, fmt, **options)
    for key, problems in skipped:
        click.echo(f"skipped verdict {key}: {'; '.join(problems)}", err=True)
    if skipped:
        count = len(skipped)
        click.echo(
            f"{count} verdict{'s' if count != 1 else ''} not written: incomplete for Google's ClaimReview "
            "(--allow-incomplete writes them)",
            err=True,
        )

"""``factdb extract``: propose the statements of an article; review and accept them, or write
them as a bundle for ``factdb import``.

The library (:mod:`factdb.extract.proposals`) proposes; this module only reads the input,
renders and reviews. Nothing reaches the database without ``--review`` (and the reviewer's
acceptance) or a later ``factdb import``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import click

from factdb.cli.common import App, FilePath, WrongCall, echo, is_interactive, pass_app
from factdb.db import sqlite_path
from factdb.errors import InvalidInput
from factdb.extract import iter_attributions
from factdb.extract.mentions import guess_kind
from factdb.extract.proposals import (
    Article,
    Named,
    Proposal,
    accept_proposals,
    draft_claim_text,
    parse_said_on,
    propose,
    sentence_of,
    write_proposals_yaml,
)
from factdb.extract.text import MAX_ARTICLE_BYTES, decode_article, html_to_text, read_article
from factdb.keys import claim_key_for
from factdb.render import text_table, to_json
from factdb.resolver import entity_name_index, find_entity_near, resolve_claim, resolve_source
from factdb.vocab import CERTAINTIES, ENTITY_KINDS, STANCES

TABLE_COLUMNS = ("n", "speaker", "stance", "certainty", "said_on", "claim", "quote")
REVIEW_KEYS = {"a": "accept", "e": "edit a field", "c": "choose the claim", "s": "skip", "q": "quit"}
EDITABLE = ("speaker", "stance", "certainty", "claim", "via", "date")


@click.command()
@click.argument("file", metavar="FILE|-", type=FilePath(dir_okay=False, allow_dash=True))
@click.option("--source", metavar="KEY", help="The article's source (key or URL): its date and outlet.")
@click.option(
    "--format", "fmt", type=click.Choice(("table", "json", "spans")), default="table", show_default=True,
    help="table or json: the proposals; spans: the attribution spans only (the scorer's shape).",
)
@click.option("-o", "--output", metavar="FILE", type=FilePath(dir_okay=False),
              help="Write the proposals as a YAML bundle for `factdb import` (jsonl input: the spans).")
@click.option("--review", is_flag=True, help="At a terminal: review the proposals one by one and record them.")
@click.option(
    "--input-format", type=click.Choice(("text", "html", "jsonl")),
    help="Default: html when the input looks like HTML, else text. jsonl: one {id, text} article per line.",
)
@pass_app
def extract(app: App, file: str, source: str | None, fmt: str, output: str | None, review: bool,
            input_format: str | None) -> None:
    """Propose the statements of an article: speaker, cue, content, stance, certainty, via, date, claim.

    Reads plain text or HTML (FILE, or - for standard input); writes nothing to the database
    unless --review is used and proposals are accepted. --source gives the publication date
    (relative dates: "on Monday") and the outlet.

    \b
    Example:
      factdb extract article.txt --source afp-2011-07-10-us-forces-pursue
      factdb extract article.txt --source afp-2011-07-10-us-forces-pursue --format json
      factdb extract article.txt --source afp-2011-07-10-us-forces-pursue -o proposals.yaml
      factdb extract article.txt --source afp-2011-07-10-us-forces-pursue --review
      cat article.html | factdb extract - --source afp-2011-07-10-us-forces-pursue --format json
      factdb extract corpus.jsonl --input-format jsonl --format spans -o predictions.jsonl
    """
    if output is not None:
        _check_output(app, output, file)
    if input_format == "jsonl":
        if review or fmt != "spans":
            raise WrongCall("factdb extract: --input-format jsonl writes --format spans (no review, no table)")
        _corpus(file, output)
        return
    if review and output is not None:
        raise WrongCall("factdb extract: use --review or -o FILE, not both")
    if output is not None and fmt != "table":
        raise WrongCall(f"factdb extract: -o writes the YAML bundle; drop --format {fmt} (or redirect: > FILE)")
    if review and not _at_terminal():
        raise WrongCall(
            "factdb extract: --review needs a terminal; write the proposals with -o proposals.yaml, "
            "edit them and run factdb import proposals.yaml"
        )
    if (review or output is not None) and source is None:
        raise WrongCall("factdb extract: --review and -o need --source KEY (the statements' source)")
    raw = _read_bytes(file)
    name = "standard input" if file == "-" else file
    if input_format == "html":
        text = html_to_text(decode_article(raw, name=name))
        if not text.strip():
            raise InvalidInput(f"{name}: HTML page with no readable text")
        converted = True
    elif input_format == "text":
        text, converted = decode_article(raw, name=name), False
    else:
        text = read_article(raw, name=name)
        converted = text != raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    if fmt == "spans":
        if source is not None:
            with app.reading() as session:
                resolve_source(session, source)
        echo(json.dumps(_spans_record(Path(file).stem if file != "-" else "-", text), ensure_ascii=False))
        return
    with app.reading() as session:
        article = propose(session, text, source)
    if review:
        _review(app, article)
    elif output is not None:
        _write_bundle(article, output, file, converted)
    elif fmt == "json":
        echo(to_json(article.as_dict()))
    else:
        _table(article, name)


# --- input and output ---------------------------------------------------------------------------


def _at_terminal() -> bool:
    """Is a person at the keyboard? (Tests patch this.)"""
    return is_interactive()


def _read_bytes(file: str) -> bytes:
    """At most one byte more than an article may have: a larger input is refused without
    reading it whole."""
    if file == "-":
        return sys.stdin.buffer.read(MAX_ARTICLE_BYTES + 1)
    try:
        with open(file, "rb") as stream:
            return stream.read(MAX_ARTICLE_BYTES + 1)
    except FileNotFoundError:
        raise InvalidInput(f"{file}: no such file") from None
    except IsADirectoryError:
        raise InvalidInput(f"{file}: is a directory; give an article file") from None


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def _check_output(app: App, output: str, file: str) -> None:
    """-o never overwrites the input or the database."""
    if output == "-":
        raise WrongCall("factdb extract: -o needs a file name (the table and JSON go to standard output)")
    if file != "-" and _same_file(output, file):
        raise InvalidInput(f"{output}: is the input file; choose another output file")
    database = sqlite_path(app.url)
    if database is not None and _same_file(output, str(database)):
        raise InvalidInput(f"{output}: is the database file; choose another output file")


@contextlib.contextmanager
def _atomic(path: str) -> Iterator[IO[str]]:
    """A file written whole or not at all (a temporary file renamed at the end)."""
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=".factdb-extract-", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as open() would create it, not mkstemp's 0600
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _spans_record(doc_id: Any, text: str) -> dict[str, Any]:
    """One article in the attribution scorer's shape."""
    return {
        "id": doc_id,
        "attributions": [
            {
                "source": a.source.as_list() if a.source else None,
                "cue": a.cue.as_list(),
                "content": a.content.as_list(),
                "kind": a.kind,
            }
            for a in iter_attributions(text)
        ],
    }


def _corpus_lines(stream: IO[bytes], name: str) -> Iterator[tuple[Any, str]]:
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            record = json.loads(line)
        except (UnicodeDecodeError, ValueError) as error:
            raise InvalidInput(f"{where}: not a JSON object ({str(error).splitlines()[0]})") from None
        if not isinstance(record, dict) or "id" not in record or not isinstance(record.get("text"), str):
            raise InvalidInput(f'{where}: expected an object with "id" and "text" (a string)')
        if len(record["text"]) >= MAX_ARTICLE_BYTES:
            raise InvalidInput(f"{where}: the article is too large (one article must be under 10.0 MB)")
        yield record["id"], record["text"]


def _corpus(file: str, output: str | None) -> None:
    """JSON Lines of articles in, one scorer-shaped line per article out, in one process.
    Every line is checked before anything is written."""
    with contextlib.ExitStack() as stack:
        if file == "-":
            spool = stack.enter_context(tempfile.TemporaryFile())
            while chunk := sys.stdin.buffer.read(1 << 20):
                spool.write(chunk)
            spool.seek(0)
            stream: IO[bytes] = spool
            name = "standard input"
        else:
            try:
                stream = stack.enter_context(open(file, "rb"))
            except FileNotFoundError:
                raise InvalidInput(f"{file}: no such file") from None
            name = file
        count = sum(1 for _ in _corpus_lines(stream, name))
        if count == 0:
            raise InvalidInput(f"{name}: is empty; give one JSON object per line")
        stream.seek(0)
        out = stack.enter_context(_atomic(output)) if output is not None else None
        target = out if out is not None else sys.stdout
        for doc_id, text in _corpus_lines(stream, name):
            target.write(json.dumps(_spans_record(doc_id, text), ensure_ascii=False) + "\n")
    if output is not None:
        click.echo(f"Wrote the attributions of {count} article{'s' if count != 1 else ''} to {output}.", err=True)


def _short(text: str | None, limit: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _table(article: Article, name: str) -> None:
    rows = []
    for p in article.proposals:
        who = p.who + (" (new)" if p.speaker is not None and p.speaker.new else "")
        rows.append({
            "n": p.number,
            "speaker": who,
            "stance": p.stance,
            "certainty": p.certainty,
            "said_on": p.said_on,
            "claim": "(new)" if p.claim_new else p.claim,
            "quote": _short(p.quote),
        })
    if rows:
        echo(text_table(TABLE_COLUMNS, rows))
    count = len(article.proposals)
    against = f"source {article.source}" if article.source else "no source (no date inferred)"
    echo(f"{count} proposal{'s' if count != 1 else ''} from {name}, read against {against}; nothing was written. "
         "Record them with --review, or -o proposals.yaml and factdb import.")


def _write_bundle(article: Article, output: str, file: str, converted: bool) -> None:
    """The bundle, and (when the input is not a plain text file) the article's text beside it,
    so that the quotes can be anchored after the import."""
    assert article.source is not None
    text_path = file
    if file == "-" or converted:
        text_path = str(Path(output).with_suffix(".article.txt"))
        if file != "-" and _same_file(text_path, file):
            raise InvalidInput(f"{text_path}: is the input file; choose another output file")
    attach = f"factdb source attach-text {shlex.quote(article.source)} {shlex.quote(text_path)}"
    header = [
        f"factdb extract: {len(article.proposals)} proposals from {file if file != '-' else 'standard input'}, "
        f"source {article.source}.",
        "Edit what the comments point at, then import, then attach the article text so that every",
        "direct quote is anchored (the bundle format carries no article text):",
        f"  factdb import {shlex.quote(output)}",
        f"  {attach}",
    ]
    if text_path != file:
        with _atomic(text_path) as stream:
            stream.write(article.text)
    with _atomic(output) as stream:
        counts = write_proposals_yaml(article, stream, header=header)
    written = f"Wrote {output}: {counts['statements']} statements, {counts['entities']} new entities, " \
              f"{counts['claims']} drafted claims; nothing was written to the database."
    if text_path != file:
        written += f" The article text is in {text_path}."
    echo(written + f" Next: factdb import {shlex.quote(output)} && {attach}")


# --- review ---------------------------------------------------------------------------------------


_STYLES = {"source": {"fg": "cyan", "bold": True}, "cue": {"fg": "yellow", "bold": True},
           "content": {"underline": True}}


_PLAIN_MARKS = {"source": "[{}]", "cue": "{{{}}}", "content": "<{}>"}


def _mark(text: str, kind: str) -> str:
    """Colours at a terminal; with NO_COLOR (no-color.org) set, [source] {cue} <content>."""
    if os.environ.get("NO_COLOR"):
        return _PLAIN_MARKS[kind].format(text)
    return click.style(text, **_STYLES[kind])  # type: ignore[arg-type]


def _marked_sentence(article: Article, p: Proposal) -> str:
    """The sentence(s) of a proposal, its source, cue and content styled (at a terminal)."""
    a = p.fields.attribution
    spans = [(a.cue.start, a.cue.end, "cue")]
    if a.source is not None:
        spans.append((a.source.start, a.source.end, "source"))
    for part in a.content_parts or [a.content]:
        spans.append((part.start, part.end, "content"))
    start = min(s for s, _, _ in spans)
    end = max(e for _, e, _ in spans)
    s0, _ = sentence_of(article.text, a.cue if a.source is None else a.source)
    s0 = min(s0, sentence_of(article.text, a.content)[0], start)
    _, s1 = sentence_of(article.text, a.content)
    s1 = max(s1, end)
    out = []
    at = s0
    for begin, finish, kind in sorted(spans):
        if begin < at:
            continue
        out.append(article.text[at:begin])
        out.append(_mark(article.text[begin:finish], kind))
        at = finish
    out.append(article.text[at:s1])
    return " ".join("".join(out).split())


def _describe(article: Article, p: Proposal, total: int) -> str:
    legend = " (marked: [source] {cue} <content>)" if os.environ.get("NO_COLOR") else ""
    lines = [f"Proposal {p.number} of {total} (confidence {p.confidence:.2f}){legend}", _marked_sentence(article, p)]
    speaker = p.who
    if p.speaker is not None:
        how = {"name": "known", "alias": f"known, as '{p.speaker.printed}'", "surname": f"known, surname "
               f"'{p.speaker.printed}'", "fuzzy": f"spelled '{p.speaker.printed}'", "new": f"new {p.speaker.kind}",
               "role": f"known, holder of the role '{p.speaker.printed}'"}
        speaker += f" ({how[p.speaker.how]})"
    if p.fields.speaker_resolved_by in ("pronoun", "surname", "title", "relative", "quoted"):
        speaker += f"; '{p.fields.speaker_mention}' read as {p.who}"
    fields = [
        ("speaker", speaker),
        ("title", p.speaker_title),
        ("affiliation", p.affiliation.name if p.affiliation else None),
        ("stance", f"{p.stance} ({p.fields.stance_because})"),
        ("certainty", p.certainty + (f" (hedge: {p.hedge})" if p.hedge else "")),
        ("verb", p.verb),
        ("quote", f"{p.quote_kind}: {_short(p.quote, 200)}" if p.quote else None),
        ("via", ", ".join(v.name + (" (new)" if v.new else "") for v in p.via) or None),
        ("date", f"{p.said_on} ({p.date_note})" if p.said_on else None),
        ("claim", f"{p.claim}" + (" (new): " if p.claim_new else ": ") + _short(p.claim_text, 100)),
    ]
    lines += [f"  {name:<12}{value}" for name, value in fields if value]
    if p.recorded:
        lines.append(f"  {'recorded':<12}already in the database ({p.recorded}); accepting changes nothing")
    for note in p.notes:
        lines.append(f"  {'note':<12}{note}")
    return "\n".join(lines)


def _named(app: App, printed: str, person: bool = True) -> Named:
    with app.reading() as session:
        match = find_entity_near(entity_name_index(session, [printed]), printed, person=None if person else False)
    if match is not None:
        return Named(match.entity, match.kind, match.how, printed)
    kind = click.prompt(f"  '{printed}' is not in the database; kind of the new entity",
                        type=click.Choice(ENTITY_KINDS), default=guess_kind(printed))
    return Named(" ".join(printed.split()), kind, "new", printed)


def _edit(app: App, p: Proposal) -> None:
    name = click.prompt("  Field", type=click.Choice(EDITABLE))
    if name == "speaker":
        typed = click.prompt("  Speaker (a name or alias; [description] for an anonymous speaker)").strip()
        if typed.startswith("[") and typed.endswith("]") and typed[1:-1].strip():
            p.speaker, p.speaker_description = None, typed[1:-1].strip()
        else:
            p.speaker, p.speaker_description = _named(app, typed), None
    elif name == "stance":
        p.stance = click.prompt("  Stance", type=click.Choice(STANCES), default=p.stance)
    elif name == "certainty":
        p.certainty = click.prompt("  Certainty", type=click.Choice(CERTAINTIES), default=p.certainty)
    elif name == "claim":
        typed = click.prompt("  Claim key (or 'new' to word a new claim)").strip()
        if typed == "new":
            p.claim_text = click.prompt("  Claim text", default=p.claim_text).strip()
            p.claim, p.claim_new = claim_key_for(p.claim_text), True
        else:
            with app.reading() as session:
                claim = resolve_claim(session, typed)
                p.claim, p.claim_text, p.claim_new = claim.key, claim.text, False
    elif name == "via":
        typed = click.prompt("  Via (names, nearest the speaker first, separated by ';'; - for none)")
        p.via = [] if typed.strip() == "-" else [_named(app, n.strip(), False) for n in typed.split(";") if n.strip()]
    else:
        typed = click.prompt("  Date (YYYY-MM-DD, YYYY-MM or YYYY; - for unknown)").strip()
        p.said_on, p.said_on_precision = parse_said_on("" if typed == "-" else typed)
        p.date_note = "set in review" if p.said_on else None


def _choose_claim(p: Proposal) -> None:
    options = {str(i): c for i, c in enumerate(p.candidates, 1)}
    for number, candidate in options.items():
        echo(f"  {number}  {candidate['key']} ({candidate['score']:.2f}): {_short(candidate['text'], 90)}")
    draft = draft_claim_text(p.fields.attribution.content.text)
    echo(f"  n  a new claim: {_short(draft, 90)}")
    picked = click.prompt("  Claim", type=click.Choice([*options, "n"]), show_choices=False)
    if picked == "n":
        p.claim_text, p.claim, p.claim_new = draft, claim_key_for(draft), True
    else:
        chosen = options[picked]
        p.claim, p.claim_text, p.claim_new = chosen["key"], chosen["text"], False


def _review(app: App, article: Article) -> None:
    """One proposal at a time; the accepted ones are written together at the end."""
    accepted: list[Proposal] = []
    total = len(article.proposals)
    keys = ", ".join(f"[{k}] {v}" for k, v in REVIEW_KEYS.items())
    quit_early = False
    for p in article.proposals:
        while True:
            echo("\n" + _describe(article, p, total))
            action = click.prompt(keys, type=click.Choice(list(REVIEW_KEYS)), show_choices=False)
            if action == "a":
                if not p.complete:
                    echo("  A statement needs a speaker: edit the speaker first.")
                    continue
                accepted.append(p)
                break
            if action == "e":
                _edit(app, p)
                continue
            if action == "c":
                _choose_claim(p)
                continue
            if action == "q":
                quit_early = True
            break
        if quit_early:
            break
    if not accepted:
        echo("\nNothing accepted; nothing was written.")
        return
    if quit_early and not click.confirm(f"Write the {len(accepted)} accepted proposal(s)?", default=False):
        echo("Nothing was written.")
        return
    with app.transaction() as session:
        done = accept_proposals(session, article, accepted)
    echo(f"\nRecorded {done['statements']} statement{'s' if done['statements'] != 1 else ''} in {article.source} "
         f"({done['entities']} new entities, {done['claims']} new claims"
         + (f", {done['unchanged']} already recorded" if done["unchanged"] else "") + "). " + done["text"])


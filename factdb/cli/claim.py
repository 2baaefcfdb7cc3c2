"""``factdb claim``: add, list, show, edit, delete, link, unlink, merge."""

from __future__ import annotations

from typing import Any

import click

from factdb.claims import (
    CLAIM_COLUMNS,
    add_claim,
    claim_record,
    claim_rows,
    delete_claim,
    edit_claim,
    link_claims,
    merge_claims,
    unlink_claims,
)
from factdb.cli.common import (
    App,
    Choice,
    echo,
    format_option,
    include_retracted_option,
    is_interactive,
    limit_option,
    limited,
    pass_app,
    require_a_change,
)
from factdb.cli.completion import claim_keys
from factdb.cli.prompting import ask
from factdb.records import speakers_text
from factdb.render import render_listing, render_record
from factdb.vocab import CLAIM_LINK_KINDS


@click.group()
def claim() -> None:
    """Propositions, worded neutrally, that people assert or dispute.

    \b
    Example:
      factdb claim add "Iran supplies weapons to Shiite militias in Iraq" --key iran-arms-militias --tag iran
      factdb claim show iran-arms-militias --format json
    """


@claim.command("add")
@click.argument("text", required=False)
@click.option("--key", help="A short unique key (default: made from the text).")
@click.option("--tag", "tags", multiple=True, help="A tag (repeatable).")
@click.option("--note")
@pass_app
def add(app: App, text: str | None, key: str | None, tags: tuple[str, ...], note: str | None) -> None:
    """Add a claim.

    \b
    Example:
      factdb claim add "Iran supplies weapons to Shiite militias in Iraq" \\
          --key iran-arms-militias --tag iran --tag weapons
    """
    text = ask(text, "TEXT", "Claim text")
    with app.transaction() as session:
        created = add_claim(session, text, key=key, tags=tags, note=note)
        done = f'Added claim {created.id} "{created.key}".'
    echo(done)  # after COMMIT


@claim.command("list")
@click.option("--tag", help="Only claims with this tag.")
@limit_option("claims (by key)")
@format_option()
@pass_app
def list_(app: App, tag: str | None, limit: int | None, fmt: str) -> None:
    """List claims with their current statements for and against.

    \b
    Example:
      factdb claim list --tag iran --format csv
      factdb claim list --limit 20
    """
    with app.reading() as session:
        rows = claim_rows(session, tag=tag, limit=None if limit is None else limit + 1)
    echo(render_listing(CLAIM_COLUMNS, limited(rows, limit, "claims"), fmt))


def _statement_line(statement: dict[str, Any]) -> dict[str, Any]:
    """A statement as one table row (JSON keeps the full record)."""
    speaker = speakers_text(statement["speakers"])
    return {
        "id": statement["id"],
        "speaker": speaker,
        "stance": statement["stance"],
        "certainty": statement["certainty"],
        "said_on": statement["said_on"],
        "source": statement["source"]["key"],
        "via": statement["via"],
        "quote": statement["quote"],
        "retracted": statement["retracted"]["reason"] if statement["retracted"] else None,
    }


def _verdict_line(verdict: dict[str, Any]) -> dict[str, Any]:
    """A verdict as one table row: who rated it, how (value on its scale), when."""
    scale = "" if verdict["rating_value"] is None else f"{verdict['rating_value']:g}"
    if scale and verdict["best_rating"] is not None:
        worst = verdict["worst_rating"]
        scale += (
            f" ({worst:g}..{verdict['best_rating']:g})" if worst is not None else f" (best {verdict['best_rating']:g})"
        )
    statement = verdict["statement"]
    rates = "the claim"
    if statement is not None:
        rates = statement["speaker"] or statement["speaker_description"] or statement["key"]
    return {
        "reviewer": verdict["reviewer"]["name"],
        "rates": rates,
        "rating": verdict["rating"],
        "value": scale,
        "reviewed_on": verdict["reviewed_on"],
        "url": verdict["url"],
    }


@claim.command("show")
@click.argument("key", shell_complete=claim_keys)
@include_retracted_option()
@format_option()
@pass_app
def show(app: App, key: str, include_retracted: bool, fmt: str) -> None:
    """Show a claim with its statements in date order (undated last) and its verdicts.

    \b
    Example:
      factdb claim show iran-arms-militias --format json
    """
    with app.reading() as session:
        record = claim_record(session, key, include_retracted=include_retracted)
    if fmt != "json":
        record = dict(record, statements=[_statement_line(s) for s in record["statements"]])
        record["links"] = [f"{link['kind']} {link['claim']} ({link['direction']})" for link in record["links"]]
        record["verdicts"] = [_verdict_line(v) for v in record["verdicts"]]
    echo(render_record(record, fmt, title=record["key"]))


@claim.command("edit")
@click.argument("key")
@click.option("--text")
@click.option("--key", "new_key", help="A new key (the old key stops resolving).")
@click.option("--tag", "add_tags", multiple=True, help="Add a tag (repeatable).")
@click.option("--untag", "remove_tags", multiple=True, help="Remove a tag (repeatable).")
@click.option("--note", help="New note (\"\" clears it).")
@pass_app
def edit(
    app: App,
    key: str,
    text: str | None,
    new_key: str | None,
    add_tags: tuple[str, ...],
    remove_tags: tuple[str, ...],
    note: str | None,
) -> None:
    """Change a claim's text, key, tags or note.

    \b
    Example:
      factdb claim edit iran-arms-militias --tag militias --untag weapons
    """
    require_a_change(text=text, new_key=new_key, add_tags=add_tags, remove_tags=remove_tags, note=note)
    with app.transaction() as session:
        changed = edit_claim(
            session, key, text=text, new_key=new_key, add_tags=add_tags, remove_tags=remove_tags, note=note
        )
        done = f'Updated claim {changed.id} "{changed.key}".'
    echo(done)  # after COMMIT


@claim.command("delete")
@click.argument("key")
@pass_app
def delete(app: App, key: str) -> None:
    """Delete a claim without statements or verdicts (otherwise: refused, naming them).

    \b
    Example:
      factdb claim delete iran-arms-duplicate
    """
    with app.transaction() as session:
        deleted = delete_claim(session, key)
    echo(f'Deleted claim "{deleted}".')


@claim.command("link")
@click.argument("key")
@click.argument("kind", type=Choice(CLAIM_LINK_KINDS))
@click.argument("other")
@pass_app
def link(app: App, key: str, kind: str, other: str) -> None:
    """Link two claims: KEY same-as|part-of|narrower-than|contradicts|supports|counters OTHER.

    supports: KEY is evidence for OTHER; counters: KEY is a counter-accusation answering OTHER.

    \b
    Example:
      factdb claim link iran-denies-arms contradicts iran-arms-militias
    """
    with app.transaction() as session:
        link_claims(session, key, kind, other)
    echo(f"Linked: {key} {kind} {other}.")


@claim.command("unlink")
@click.argument("key")
@click.argument("kind", type=Choice(CLAIM_LINK_KINDS))
@click.argument("other")
@pass_app
def unlink(app: App, key: str, kind: str, other: str) -> None:
    """Remove a link between two claims.

    \b
    Example:
      factdb claim unlink iran-denies-arms contradicts iran-arms-militias
    """
    with app.transaction() as session:
        unlink_claims(session, key, kind, other)
    echo(f"Unlinked: {key} {kind} {other}.")


@claim.command("merge")
@click.argument("loser")
@click.argument("winner")
@click.option("--yes", is_flag=True, help="Merge even two claims linked as contradicting (for scripts).")
@pass_app
def merge(app: App, loser: str, winner: str, yes: bool) -> None:
    """Merge the duplicate claim LOSER into WINNER: statements, tags, links and verdicts move;
    LOSER's key stops resolving (history records it). Two claims linked `contradicts` are
    merged only when confirmed (at the prompt, or --yes).

    \b
    Example:
      factdb claim merge iran-arms-iraq iran-arms-militias
    """

    def confirm(question: str) -> bool:
        return yes or (is_interactive() and click.confirm(question, default=False))

    with app.transaction() as session:
        kept = merge_claims(session, loser, winner, confirm=confirm)
        done = f'Merged claim "{loser}" into {kept.id} "{kept.key}".'
    echo(done)  # after COMMIT

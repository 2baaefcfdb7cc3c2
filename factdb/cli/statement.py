"""``factdb attribute``, ``factdb dispute`` and ``factdb statement list|show|edit|delete|retract``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import click

from factdb.cli.common import (
    App,
    Choice,
    WrongCall,
    echo,
    format_option,
    include_retracted_option,
    limit_option,
    limited,
    pass_app,
    require_a_change,
    warn,
)
from factdb.cli.completion import claim_keys, entity_names, source_keys
from factdb.cli.prompting import (
    ask,
    choose_entity,
    created_messages,
)
from factdb.records import speakers_text
from factdb.render import render_listing, render_record
from factdb.statements import (
    STATEMENT_COLUMNS,
    AnonymousSpeaker,
    JointSpeaker,
    attribute_claims,
    delete_statement,
    edit_statement,
    retract_statement,
    statement_record,
    statement_records,
    statement_speaker,
    statement_warnings,
)
from factdb.vocab import ANONYMOUS_KINDS, CERTAINTIES, ENTITY_KINDS, POSITIONS, QUOTE_KINDS, STANCES

_OPTIONS = [
    click.argument("claim", required=False, shell_complete=claim_keys),
    click.option("--claim", "also_claims", metavar="CLAIM", multiple=True, shell_complete=claim_keys,
                 help="A claim the words answer (repeatable: one utterance, several claims, recorded once each)."),
    click.option("--speaker", metavar="NAME", multiple=True, shell_complete=entity_names,
                 help="Who speaks (any name or alias); repeat it for joint speakers, first speaker first."),
    click.option("--anonymous", metavar="TEXT", multiple=True,
                 help="An unnamed speaker, as the source describes them (repeatable; after any --speaker: "
                      "joint speakers)."),
    click.option("--affiliation", metavar="NAME", multiple=True, shell_complete=entity_names,
                 help="Who an anonymous speaker speaks for (after the --anonymous it describes)."),
    click.option("--anonymous-kind", type=Choice(("",) + ANONYMOUS_KINDS), multiple=True,
                 help='The anonymous speaker is a plural group ("officials") or unspecified reports '
                      '("media reports said": nobody\'s words, never counted as a speaker); after the '
                      '--anonymous it describes ("" for one unnamed person).'),
    click.option("--anon-id", "anonymous_id", metavar="ID", multiple=True,
                 help='One anonymous speaker within the source across descriptions ("a senior official", '
                      '"the official"): give its statements the same ID (e.g. A1); after the --anonymous '
                      'it describes.'),
    click.option("--title", help="The speaker's title as the source gives it."),
    click.option(
        "--certainty", type=Choice(CERTAINTIES), help="How sure the speaker sounds (default unspecified)."
    ),
    click.option("--hedge", help='The hedge words, e.g. "My suspicion would be".'),
    click.option("--verb", help="The reporting verb as printed: said, told, denied ..."),
    click.option("--quote", help="The quoted words, stored exactly."),
    click.option("--quote-kind", type=Choice(QUOTE_KINDS), help="direct (default with --quote) or paraphrase."),
    click.option(
        "--via", multiple=True, metavar="NAME", help="An intermediary, nearest the speaker first (repeatable).",
        shell_complete=entity_names,
    ),
    click.option("--said-on", metavar="DATE", help="YYYY-MM-DD, YYYY-MM or YYYY."),
    click.option("--source", metavar="SOURCE", help="The source's key or URL.", shell_complete=source_keys),
    click.option(
        "--position", type=Choice(POSITIONS), help="Where in the source: headline, standfirst or body."
    ),
    click.option("--responds-to", metavar="STATEMENT", help="Id or key of the statement this one answers."),
    click.option("--note"),
    click.option("--key", help="The statement's key (default: derived from its content)."),
    click.option("--create", is_flag=True, help="Create unknown speakers, affiliations and via entities."),
    click.option(
        "--create-kind",
        type=Choice(ENTITY_KINDS),
        help="Kind of created entities "
        "(default: person for a speaker, organization for an affiliation, media for via).",
    ),
]


@dataclass
class Speakers:
    """Who speaks, as ``--speaker``, ``--anonymous`` and their options give it: the first
    speaker (a name, or an anonymous description with its affiliation, kind and id) and the
    joint speakers after it."""

    speaker: str | None = None
    anonymous: str | None = None
    affiliation: str | None = None
    anonymous_kind: str | None = None
    anonymous_id: str | None = None
    joint: list[JointSpeaker] = field(default_factory=list)


# the options that describe an anonymous speaker: each goes with the --anonymous it follows
_DESCRIBING = {"--affiliation": "affiliation", "--anonymous-kind": "anonymous_kind", "--anon-id": "anonymous_id"}
_ORDER = "factdb.speaker_options"


class SpeakersInOrder(click.Command):
    """A command whose ``--anonymous`` may be repeated, each followed by the options that
    describe it: records the order in which they were given (``ctx.meta``), which Click's
    parsed values (a tuple per option) lose."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta[_ORDER] = _speaker_options(self, args)
        return super().parse_args(ctx, args)


def _speaker_options(command: click.Command, args: list[str]) -> list[tuple[str, str]]:
    """(option, value) of each ``--anonymous`` and describing option, in the order given."""
    takes_value: dict[str, bool] = {}
    for param in command.params:
        if isinstance(param, click.Option):
            for name in (*param.opts, *param.secondary_opts):
                takes_value[name] = not param.is_flag and not param.count
    found: list[tuple[str, str]] = []
    tokens = iter(args)
    for token in tokens:
        if token == "--":
            break
        name, equals, value = token.partition("=")
        if not takes_value.get(name):
            continue
        if not equals:
            following = next(tokens, None)
            if following is None:
                break
            value = following
        if name == "--anonymous" or name in _DESCRIBING:
            found.append((name, value))
    return found


def joint_speakers(speakers: list[str], options: list[tuple[str, str]]) -> Speakers:
    """The speakers from ``--speaker`` (repeated) and ``options``, the ``--anonymous`` and
    describing options in the order given: the named speakers in order, then the anonymous
    ones. ``--affiliation``, ``--anonymous-kind`` and ``--anon-id`` describe the
    ``--anonymous`` they follow (given before any, the first one); without ``--anonymous``,
    the first speaker. One of each per speaker."""
    described: list[dict[str, str]] = []
    before: dict[str, str] = {}  # given before any --anonymous

    def add(target: dict[str, str], option: str, value: str) -> None:
        name = _DESCRIBING[option]
        if name in target:
            whom = f' "{target["description"]}"' if "description" in target else ""
            raise WrongCall(f"{option} is given twice for the speaker{whom}; "
                            "give it once, after the --anonymous it describes.")
        target[name] = value

    for option, value in options:
        if option == "--anonymous":
            described.append({"description": value})
        else:
            add(described[-1] if described else before, option, value)
    if described:
        for option, name in _DESCRIBING.items():
            if name in before:
                add(described[0], option, before[name])
    anonymous = [AnonymousSpeaker(d["description"], d.get("affiliation"), d.get("anonymous_kind"),
                                  d.get("anonymous_id")) for d in described]
    if not anonymous:
        return Speakers(speakers[0] if speakers else None, None, before.get("affiliation"),
                        before.get("anonymous_kind"), before.get("anonymous_id"), joint=list(speakers[1:]))
    if speakers:
        return Speakers(speakers[0], joint=[*speakers[1:], *anonymous])
    first = anonymous[0]
    return Speakers(None, first.description, first.affiliation, first.kind, first.anonymous_id,
                    joint=list(anonymous[1:]))


def _given_speakers(speakers: list[str], parsed: dict[str, tuple[str, ...]]) -> Speakers:
    """:func:`joint_speakers` from the command line's order, checked against Click's values."""
    options = click.get_current_context().meta.get(_ORDER, [])
    for option in ("--anonymous", *_DESCRIBING):
        name = "anonymous" if option == "--anonymous" else _DESCRIBING[option]
        if tuple(value for given, value in options if given == option) != tuple(parsed[name]):
            raise WrongCall(f"Could not tell which speaker each {option} describes; "
                            f"give it as {option} VALUE after its --anonymous.")
    return joint_speakers(speakers, options)


def _statement_options(command: Callable) -> Callable:
    for option in reversed(_OPTIONS):
        command = option(command)
    return command


def _record(app: App, stance_choices: tuple[str, ...], stance: str | None, options: dict[str, Any]) -> None:
    first = options.pop("claim")
    claims = ([first] if first else []) + list(options.pop("also_claims"))
    if not claims:
        claims = [ask(None, "CLAIM", "Claim (key)")]
    stance = ask(stance, "--stance", "Stance", choices=stance_choices)
    speakers = list(options.pop("speaker"))
    who = _given_speakers(speakers, {name: options.pop(name) for name in ("anonymous", *_DESCRIBING.values())})
    if who.speaker is None and who.anonymous is None:
        who.speaker = ask(None, "--speaker NAME or --anonymous TEXT", "Speaker (name or alias)")
    source = ask(options.pop("source"), "--source", "Source (key or URL)")
    certainty = ask(options.pop("certainty"), "--certainty", "Certainty", choices=CERTAINTIES, default="unspecified")
    create_kind = options.pop("create_kind")
    with app.transaction() as session:
        recorded = attribute_claims(
            session,
            claims,
            source=source,
            stance=stance,
            speaker=who.speaker,
            speaker_description=who.anonymous,
            affiliation=who.affiliation,
            anonymous_kind=who.anonymous_kind,
            anonymous_id=who.anonymous_id,
            joint=who.joint,
            certainty=certainty,
            title=options.pop("title"),
            via=options.pop("via"),
            create=options.pop("create") or create_kind is not None,
            create_kind=create_kind,
            choose=choose_entity,
            **options,
        )
        warnings = [message for statement in recorded for message in statement_warnings(session, statement)]
        speaking = statement_speaker(session, recorded[0])
        created = created_messages(session)
    for line in created:
        echo(line)
    for statement, claim in zip(recorded, claims, strict=True):
        echo(f"Recorded statement {statement.id} ({statement.key}): {speaking} {stance} {claim}.")
    if len(recorded) > 1:
        echo(f"One utterance, {len(recorded)} claims: the statements share utterance {recorded[0].key}.")
    for message in warnings:
        warn(message)


@click.command(cls=SpeakersInOrder)
@_statement_options
@click.option("--stance", type=Choice(STANCES), help="What the speaker does to the claim.")
@pass_app
def attribute(app: App, stance: str | None, **options: Any) -> None:
    """Record that a speaker takes a stance on a claim, in a source.

    \b
    Example:
      factdb attribute iran-arms-militias --speaker "Leon Panetta" --title "Defence Secretary" \\
          --stance asserts --quote "We are very concerned about Iran ..." \\
          --source afp-2011-07-10 --said-on 2011-07-11
      factdb attribute iran-arms-militias --anonymous "a Maysan security official" \\
          --affiliation "Maysan security forces" --stance asserts --source reuters-2011-07-05
      factdb attribute russia-ran-bot-network --speaker CNN --speaker "Clemson Media Forensics Hub" \\
          --stance asserts --source cnn-2024-10-01
      factdb attribute --claim russia-hacked-emails --claim russia-paid-trolls --speaker Kremlin \\
          --stance denies --quote "malicious slander" --source afp-2024-10-02
    """
    _record(app, STANCES, stance, options)


@click.command(cls=SpeakersInOrder)
@_statement_options
@click.option("--stance", type=Choice(("denies", "disputes")), default="denies", show_default=True)
@pass_app
def dispute(app: App, stance: str, **options: Any) -> None:
    """Record a denial (or, with --stance disputes, a doubt): attribute with stance denies.

    \b
    Example:
      factdb dispute iran-arms-militias --speaker Tehran --source afp-2011-07-10 --via "Iran state television"
    """
    _record(app, ("denies", "disputes"), stance, options)


@click.group()
def statement() -> None:
    """List, show, edit, delete and retract statements.

    \b
    Example:
      factdb statement list --claim iran-arms-militias
      factdb statement retract 3 --reason "misattributed: the quote is Austin's"
    """


@statement.command("list")
@click.option("--claim", metavar="CLAIM", help="Only statements on this claim.")
@click.option("--speaker", metavar="NAME", help="Only statements by (or via, or affiliated with) this entity.")
@click.option("--source", metavar="SOURCE", help="Only statements in this source.")
@include_retracted_option()
@limit_option("statements (the earliest)")
@format_option()
@pass_app
def list_(
    app: App, claim: str | None, speaker: str | None, source: str | None, include_retracted: bool,
    limit: int | None, fmt: str,
) -> None:
    """List statements in date order (undated last).

    \b
    Example:
      factdb statement list --speaker Tehran --format json
      factdb statement list --claim iran-arms-militias --limit 5
    """
    with app.reading() as session:
        records = statement_records(
            session, claim=claim, speaker=speaker, source=source, include_retracted=include_retracted, with_claim=True
        )
    records = limited(records, limit, "statements")
    rows = [_row(r) for r in records]
    echo(render_listing(STATEMENT_COLUMNS, rows, fmt, json_rows=records))


def _row(record: dict[str, Any]) -> dict[str, Any]:
    speaker = speakers_text(record["speakers"])
    return dict(
        record,
        speaker=speaker,
        source=record["source"]["key"],
        retracted=record["retracted"]["reason"] if record["retracted"] else None,
    )


@statement.command("show")
@click.argument("statement_id", metavar="STATEMENT")
@format_option()
@pass_app
def show(app: App, statement_id: str, fmt: str) -> None:
    """Show one statement by id or key.

    \b
    Example:
      factdb statement show 1 --format json
    """
    with app.reading() as session:
        record = statement_record(session, statement_id)
    echo(render_record(record, fmt, title=f"statement {record['id']}"))


@statement.command("edit", cls=SpeakersInOrder)
@click.argument("statement_id", metavar="STATEMENT")
@click.option("--speaker", metavar="NAME", multiple=True, shell_complete=entity_names,
              help="The speakers instead (any name or alias, a surname, a role title); repeat for joint speakers.")
@click.option("--anonymous", metavar="TEXT", multiple=True,
              help="An unnamed speaker instead, as the source describes them (repeatable; after any --speaker: "
                   "joint ones).")
@click.option("--affiliation", metavar="NAME", multiple=True,
              help="Who an anonymous speaker speaks for (\"\" clears it); after the --anonymous it describes.")
@click.option("--anonymous-kind", type=Choice(("",) + ANONYMOUS_KINDS), multiple=True,
              help="group, reports, or \"\" (one unnamed person), as for attribute; after its --anonymous.")
@click.option("--anon-id", "anonymous_id", metavar="ID", multiple=True,
              help="The anonymous speaker's id in its source (\"\" clears it); after its --anonymous.")
@click.option("--source", metavar="SOURCE", help="Another source (key or URL).", shell_complete=source_keys)
@click.option("--claim", metavar="CLAIM", help="Another claim (key).", shell_complete=claim_keys)
@click.option("--via", multiple=True, metavar="NAME", help="The new via chain, nearest the speaker first (repeatable).")
@click.option("--no-via", is_flag=True, help="Clear the via chain.")
@click.option("--stance", type=Choice(STANCES))
@click.option("--certainty", type=Choice(CERTAINTIES))
@click.option("--hedge")
@click.option("--verb")
@click.option("--quote")
@click.option("--quote-kind", type=Choice(QUOTE_KINDS))
@click.option("--said-on", metavar="DATE", help="(\"\" makes it unknown)")
@click.option("--title")
@click.option("--responds-to", metavar="STATEMENT")
@click.option("--note")
@click.option("--create", is_flag=True, help="Create unknown speakers, affiliations and via entities.")
@click.option("--create-kind", type=Choice(ENTITY_KINDS), help="Kind of created entities (as for attribute).")
@pass_app
def edit(app: App, statement_id: str, speaker: tuple[str, ...], anonymous: tuple[str, ...],
         affiliation: tuple[str, ...], source: str | None, claim: str | None, via: tuple[str, ...], no_via: bool,
         create: bool, create_kind: str | None, anonymous_kind: tuple[str, ...], anonymous_id: tuple[str, ...],
         **changes: str | None) -> None:
    """Change fields of a statement (an empty value clears an optional field).

    Speaker, affiliation, via, source and claim resolve as in `attribute`; the key stays and
    history records before and after.

    \b
    Example:
      factdb statement edit 2 --certainty probable --hedge "is believed"
      factdb statement edit 2 --speaker "Kremlin spokesman" --via "Iran state television" --said-on 2011-07-10

    --speaker (repeatable) and --anonymous (repeatable) replace every speaker of the
    statement: the named ones in order, then the anonymous ones, as in `attribute`.
    """
    if via and no_via:
        raise WrongCall("Give --via or --no-via, not both.")
    chain = list(via) if via else [] if no_via else None
    require_a_change(speaker=speaker or None, anonymous=anonymous or None, affiliation=affiliation or None,
                     source=source, claim=claim, via=chain, anonymous_kind=anonymous_kind or None,
                     anonymous_id=anonymous_id or None, **changes)
    who = _given_speakers(list(speaker), {"anonymous": anonymous, "affiliation": affiliation,
                                          "anonymous_kind": anonymous_kind, "anonymous_id": anonymous_id})
    # neither --speaker nor --anonymous: the speakers stay; either: they are replaced
    joint = None if not speaker and not anonymous else who.joint
    with app.transaction() as session:
        changed = edit_statement(
            session, statement_id, speaker=who.speaker, anonymous=who.anonymous, affiliation=who.affiliation,
            source=source, claim=claim, via=chain, joint=joint, anonymous_kind=who.anonymous_kind,
            anonymous_id=who.anonymous_id, create=create or create_kind is not None, create_kind=create_kind,
            choose=choose_entity, **changes,
        )
        warnings = statement_warnings(session, changed)
        created = created_messages(session)
        done = f"Updated statement {changed.id} ({changed.key})."
    for line in created:
        echo(line)
    echo(done)  # after COMMIT
    for message in warnings:
        warn(message)


@statement.command("delete")
@click.argument("statement_id", metavar="STATEMENT")
@pass_app
def delete(app: App, statement_id: str) -> None:
    """Delete a statement entered by mistake (one its speaker took back: retract it instead).

    \b
    Example:
      factdb statement delete 7
    """
    with app.transaction() as session:
        deleted = delete_statement(session, statement_id)
    echo(f"Deleted statement {deleted}.")


@statement.command("retract")
@click.argument("statement_id", metavar="STATEMENT")
@click.option("--reason", help="Why it is retracted (required).")
@click.option("--on", "on", metavar="DATE", help="When the correction was published: YYYY-MM-DD, YYYY-MM or YYYY.")
@pass_app
def retract(app: App, statement_id: str, reason: str | None, on: str | None) -> None:
    """Mark a statement retracted with a reason; it stays visible, marked, in `claim show`.

    \b
    Example:
      factdb statement retract 3 --reason "the outlet corrected the attribution" --on 2011-07-14
    """
    reason = ask(reason, "--reason", "Reason")
    with app.transaction() as session:
        changed = retract_statement(session, statement_id, reason, on=on)
        done = f"Retracted statement {changed.id} ({changed.key})."
    echo(done)  # after COMMIT


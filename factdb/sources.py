"""Sources: documents that report statements (an article, a statement, a press release, a
transcript, an assessment...: :data:`factdb.vocab.SOURCE_KINDS`). Its publisher (``outlet``) is
any entity, resolved like every other name: a media outlet for an article, the FBI for its
statement; or none, for an original nobody has seen (reports then say ``(no outlet)``).

Versions: a source may ``update`` an earlier version of the same document (an article
updated from "two" to "five" evacuations); :mod:`factdb.sourcing` counts the newest version
of a chain. A source has at most one later version, and a chain never loops."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from factdb import vocab
from factdb.dates import format_partial_date, parse_partial_date, parse_time_of_day
from factdb.entities import Choose, entity_or_create
from factdb.errors import InUse, InvalidInput
from factdb.models import Entity, Source, SourceText, Statement
from factdb.normalize import check_text
from factdb.resolver import resolve_entity, resolve_source

__all__ = [
    "add_source",
    "edit_source",
    "republish_cycle",
    "republished_by",
    "updated_by",
    "version_chain",
    "delete_source",
    "source_record",
    "source_rows",
    "SOURCE_COLUMNS",
]

SOURCE_COLUMNS = ("key", "outlet", "title", "published_on", "authors", "statements")
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$")


def check_key(key: str, what: str) -> str:
    """Keys appear in files and commands: letters, digits and ``. _ : / -`` only."""
    text = check_text(key, f"{what} key", max_length=200)
    if not _KEY.match(text):
        raise InvalidInput(
            f'{what} key: "{text[:60]}" may contain only letters, digits and . _ : / - (start with a letter or digit)'
        )
    return text


def _url(url: str | None) -> str | None:
    if url is None:
        return None
    text = check_text(url, "url")
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*://\S+$", text):
        raise InvalidInput(f'url: "{text[:60]}" is not a URL (expected https://...)')
    return text


# kinds of source whose unknown publisher is created as a media outlet (else an organization)
_MEDIA_KINDS = ("article", "transcript", "interview", "broadcast")


def _kind(kind: str) -> str:
    if kind not in vocab.SOURCE_KINDS:
        raise InvalidInput(f'source kind: "{kind[:40]}" is not one of {", ".join(vocab.SOURCE_KINDS)}')
    return kind


def _text_state(state: str | None) -> str | None:
    if state is None or not state.strip():
        return None
    if state not in vocab.TEXT_STATES:
        raise InvalidInput(f'text state: "{state[:40]}" is not one of {", ".join(vocab.TEXT_STATES)}')
    return state


def _authors(authors: list[str] | tuple[str, ...]) -> list[str]:
    """The authors checked, in order, each once (a bundle's ``authors`` list drops repeats
    too: ``--author X --author X`` is one author, and export then import keeps it so)."""
    return list(dict.fromkeys(check_text(a, "author", max_length=500) for a in authors))


def add_source(
    session: Session,
    key: str,
    outlet: str | None,
    *,
    title: str | None = None,
    url: str | None = None,
    authors: list[str] | tuple[str, ...] = (),
    published_on: str | None = None,
    republishes: str | None = None,
    note: str | None = None,
    kind: str = "article",
    published_time: str | None = None,
    modified_time: str | None = None,
    text_state: str | None = None,
    create: bool = False,
    create_kind: str | None = None,
    choose: Choose | None = None,
    updates: str | None = None,
) -> Source:
    """Record a source of ``kind``; ``outlet`` (its publisher) is any name or alias of an
    entity (``create`` adds it: a media outlet for an article, transcript, interview or broadcast,
    else an organization, unless ``create_kind`` says otherwise), or None when no outlet is
    known. ``updates``: the key or URL of the earlier version this source is a later version of."""
    key = check_key(key, "source")
    kind = _kind(kind)
    existing = session.scalars(select(Source).where(Source.key == key)).first()
    if existing is not None:
        raise InvalidInput(f'A source with key "{key}" already exists (source {existing.id}); use `source edit`.')
    published = parse_partial_date(published_on, "published")
    source = Source(
        key=key,
        kind=kind,
        published_time=parse_time_of_day(published_time, "published time"),
        modified_time=parse_time_of_day(modified_time, "modified time"),
        text_state=_text_state(text_state),
        title=check_text(title, "title") if title is not None else None,
        url=_url(url),
        authors=_authors(authors),
        published_on=published.value if published else None,
        published_on_precision=published.precision if published else None,
        note=check_text(note, "note", allow_newlines=True) if note is not None else None,
    )
    publisher_kind = "media" if kind in _MEDIA_KINDS else "organization"
    if outlet is not None and outlet.strip():
        source.outlet = entity_or_create(
            session, outlet, publisher_kind, create=create, create_kind=create_kind, choose=choose
        )
    if republishes:
        source.republishes = resolve_source(session, republishes)
    earlier = _earlier_version(session, source, updates) if updates else None
    session.add(source)
    session.flush()
    if earlier is not None:
        source.updates_id = earlier.id
        session.flush()
    return source


def _earlier_version(session: Session, source: Source, updates: str) -> Source:
    """The source ``updates`` names, checked as the earlier version of ``source``: not the
    source itself, not already updated by another source, not a later version of it."""
    earlier = resolve_source(session, updates)
    if source.id is not None and earlier.id == source.id:
        raise InvalidInput(f'source "{source.key}" cannot be a later version of itself')
    query = select(Source.key).where(Source.updates_id == earlier.id)
    later = session.scalars(query if source.id is None else query.where(Source.id != source.id)).first()
    if later is not None:
        raise InvalidInput(
            f'source "{earlier.key}" already has a later version, "{later}"; make "{source.key}" update "{later}"'
        )
    if source.id is not None:
        _refuse_cycle(session, updated_by(session), source, earlier, "update", "is already a later version of it")
    return earlier


def _refuse_cycle(
    session: Session, parents: dict[int, int], source: Source, target: Source, verb: str, already: str
) -> None:
    """Refuse linking ``source`` to ``target`` (``republishes`` or ``updates``) when the chain
    of ``parents`` would then loop, naming the chain."""
    cycle = republish_cycle(parents, source.id, target.id)
    if cycle is not None:
        keys = dict(session.execute(select(Source.id, Source.key).where(Source.id.in_(cycle))).all())
        chain = " -> ".join(f'"{keys[i]}"' for i in [source.id, *cycle])
        raise InvalidInput(
            f'source "{source.key}" cannot {verb} "{target.key}", which {already} (the chain {chain} would be a cycle)'
        )


def edit_source(
    session: Session,
    key_or_url: str,
    *,
    outlet: str | None = None,
    title: str | None = None,
    url: str | None = None,
    authors: list[str] | None = None,
    published_on: str | None = None,
    republishes: str | None = None,
    note: str | None = None,
    kind: str | None = None,
    published_time: str | None = None,
    modified_time: str | None = None,
    text_state: str | None = None,
    updates: str | None = None,
) -> Source:
    """Change the given fields of a source (an empty string clears an optional field: the
    outlet too, for a source whose publisher is not known)."""
    source = resolve_source(session, key_or_url)
    if kind is not None:
        source.kind = _kind(kind)
    if published_time is not None:
        source.published_time = parse_time_of_day(published_time, "published time")
    if modified_time is not None:
        source.modified_time = parse_time_of_day(modified_time, "modified time")
    if text_state is not None:
        source.text_state = _text_state(text_state)
    if outlet is not None:
        source.outlet_id = resolve_entity(session, outlet).id if outlet.strip() else None
    if updates is not None:
        source.updates_id = _earlier_version(session, source, updates).id if updates.strip() else None
    if title is not None:
        source.title = check_text(title, "title") if title.strip() else None
    if url is not None:
        source.url = _url(url) if url.strip() else None
    if authors is not None:
        source.authors = _authors(authors)
    if published_on is not None:
        published = parse_partial_date(published_on, "published")
        source.published_on = published.value if published else None
        source.published_on_precision = published.precision if published else None
    if republishes is not None:
        if republishes.strip():
            original = resolve_source(session, republishes)
            if original.id == source.id:
                raise InvalidInput(f'source "{source.key}" cannot republish itself')
            _refuse_cycle(session, republished_by(session), source, original, "republish", "already republishes it")
            source.republishes_id = original.id
        else:
            source.republishes_id = None
    if note is not None:
        source.note = check_text(note, "note", allow_newlines=True) if note.strip() else None
    session.flush()
    return source


def republished_by(session_or_connection: Any) -> dict[int, int]:
    """Every copy's id -> the id of the source it republishes (one query)."""
    query = select(Source.id, Source.republishes_id).where(Source.republishes_id.is_not(None))
    return dict(session_or_connection.execute(query).all())


def updated_by(session_or_connection: Any) -> dict[int, int]:
    """Every later version's id -> the id of the version it updates (one query)."""
    query = select(Source.id, Source.updates_id).where(Source.updates_id.is_not(None))
    return dict(session_or_connection.execute(query).all())


def version_chain(session: Session, source: Source) -> list[Source]:
    """Every version of ``source``'s document, oldest first (just ``[source]`` when it has
    no other version); two queries."""
    earlier = updated_by(session)
    later = {old: new for new, old in earlier.items()}
    first = source.id
    seen = {first}
    while first in earlier and earlier[first] not in seen:
        first = earlier[first]
        seen.add(first)
    ids, current = [first], first
    while current in later and later[current] not in ids:
        current = later[current]
        ids.append(current)
    rows = {s.id: s for s in session.scalars(select(Source).where(Source.id.in_(ids)))}
    return [rows[i] for i in ids]


def republish_cycle(parents: dict[int, int], source_id: int, original_id: int) -> list[int] | None:
    """The chain ``original -> ... -> source`` when making ``source_id`` republish
    ``original_id`` would close a cycle (the original already copies the source, directly or
    through a chain), else None. ``parents``: :func:`republished_by`. A cycle makes the
    independent-source count depend on where one starts reading it, so it is refused."""
    chain, current = [original_id], original_id
    while current != source_id:
        nxt = parents.get(current)
        if nxt is None or nxt in chain:  # the chain ends, or loops without the source
            return None
        chain.append(nxt)
        current = nxt
    return chain


def delete_source(session: Session, key_or_url: str) -> str:
    """Delete a source nothing refers to; InUse names the statements and copies that do."""
    source = resolve_source(session, key_or_url)
    users = []
    statements = session.scalars(
        select(Statement.key).where(Statement.source_id == source.id).order_by(Statement.id)
    ).all()
    if statements:
        users.append(
            f"{len(statements)} statement(s) ({', '.join(statements[:3])}{', ...' if len(statements) > 3 else ''})"
        )
    copies = session.scalars(select(Source.key).where(Source.republishes_id == source.id).order_by(Source.id)).all()
    if copies:
        users.append(f"{len(copies)} source(s) republishing it ({', '.join(copies[:3])})")
    later = session.scalars(select(Source.key).where(Source.updates_id == source.id).order_by(Source.id)).all()
    if later:
        users.append(f"its later version {later[0]}")
    if users:
        raise InUse(f'Source "{source.key}" is still used by {"; ".join(users)}. Delete or move those first.')
    text = session.get(SourceText, source.id)
    if text is not None:
        session.delete(text)
    session.delete(source)
    session.flush()
    return source.key


def _record(
    source: Any, outlet: str | None, republishes: str | None, updates: str | None, count: int
) -> dict[str, Any]:
    return {
        "id": source.id,
        "key": source.key,
        "kind": source.kind,
        "outlet": outlet,  # None: no outlet known
        "title": source.title,
        "url": source.url,
        "authors": list(source.authors or []),
        "published_on": format_partial_date(source.published_on, source.published_on_precision),
        "published_on_precision": source.published_on_precision,
        "published_time": source.published_time,
        "modified_time": source.modified_time,
        "text_state": source.text_state,
        "republishes": republishes,
        "updates": updates,
        "note": source.note,
        "statements": count,
    }


def _query() -> Select[Source, str | None, str | None, str | None, int]:
    original = aliased(Source)
    earlier = aliased(Source)
    count = select(func.count()).where(Statement.source_id == Source.id).scalar_subquery()
    return (
        select(Source, Entity.name, original.key, earlier.key, count)
        .outerjoin(Entity, Entity.id == Source.outlet_id)
        .outerjoin(original, original.id == Source.republishes_id)
        .outerjoin(earlier, earlier.id == Source.updates_id)
    )


def source_record(session: Session, key_or_url: str) -> dict[str, Any]:
    """``{id, key, kind, outlet, title, url, authors, published_on, published_on_precision,
    published_time, modified_time, text_state, republishes, updates, note, statements,
    versions}``; ``outlet`` is None when no outlet is known; ``versions`` lists every version
    of the document, oldest first (``[]`` for a source with no other version):
    ``{key, published_on, modified_time, statements, current}`` (``current``: this source)."""
    source = resolve_source(session, key_or_url)
    row = session.execute(_query().where(Source.id == source.id)).one()
    record = _record(*row)
    chain = version_chain(session, source)
    counts = dict(
        session.execute(
            select(Statement.source_id, func.count()).where(Statement.source_id.in_([s.id for s in chain]))
            .group_by(Statement.source_id)
        ).all()
    )  # fmt: skip
    record["versions"] = [
        {"key": s.key, "published_on": format_partial_date(s.published_on, s.published_on_precision),
         "modified_time": s.modified_time, "statements": counts.get(s.id, 0), "current": s.id == source.id}
        for s in chain
    ] if len(chain) > 1 else []  # fmt: skip
    return record


def source_rows(session: Session, *, outlet: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """Every source (optionally of one outlet, any alias; the first ``limit``), newest first,
    undated last."""
    query = _query()
    if outlet is not None:
        query = query.where(Source.outlet_id == resolve_entity(session, outlet).id)
    query = query.order_by(Source.published_on.is_(None), Source.published_on.desc(), Source.key).limit(limit)
    return [_record(*row) for row in session.execute(query).all()]

"""One resolver for every name a user types: entities by name or alias, claims by key or id,
sources by key or URL, statements by id or key.

Entity names match after :func:`factdb.normalize.normalize_name` (case, accents, apostrophes,
hyphens, spaces), exactly: "Kata'ib Hizballah" finds Kataib Hezbollah through its alias. A name
that matches no name exactly may still name one entity as people type it: a surname
("Peskov": the one person whose name ends so) or a role title ("Kremlin spokesman", "the
defence secretary": whoever held that role on the statement's date, see :func:`role_holders`).
An unknown or ambiguous name raises :class:`factdb.errors.NotFound` with the closest known
entities (each once); the resolver never creates anything.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process, utils
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from factdb.dates import period_end
from factdb.errors import NotFound
from factdb.models import Claim, Entity, EntityName, EntityRole, Source, Statement
from factdb.normalize import normalize_name

__all__ = [
    "find_entity",
    "typed_entities",
    "role_holders",
    "suggestions",
    "resolve_entity",
    "resolve_claim",
    "resolve_source",
    "resolve_statement",
    "closest",
    "EntityNameIndex",
    "NameMatch",
    "entity_name_index",
    "find_entity_near",
]

SUGGESTIONS = 3
SUGGESTION_CUTOFF = 70  # rapidfuzz WRatio score (0-100)
SUGGESTION_SPREAD = 8  # keep only suggestions this close to the best one


def closest(name: str, candidates: Iterable[str], limit: int = SUGGESTIONS) -> list[str]:
    """The candidates closest to ``name`` (fuzzy, case- and accent-insensitive), best first.

    WRatio scores a short candidate found inside a long query highly ("US" inside "Lloyd
    Austin"); such partial-match artefacts are dropped, and so is anything much worse than the
    best match, so that a suggestion is always worth reading.
    """
    choices = list(dict.fromkeys(candidates))
    if not choices:
        return []
    found = process.extract(
        name,
        choices,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=limit * 4,
        score_cutoff=SUGGESTION_CUTOFF,
    )
    kept: list[str] = []
    best: float | None = None
    for choice, score, _index in found:
        if 2 * len(choice) < len(name) and score < 95:
            continue
        if best is None:
            best = score
        if score < best - SUGGESTION_SPREAD:
            break
        kept.append(choice)
    return kept[:limit]


def find_entity(session: Session, name: str) -> Entity | None:
    """The entity with this name or alias (normalized), or None."""
    key = normalize_name(name)
    if not key:
        return None
    query = select(Entity).join(EntityName, EntityName.entity_id == Entity.id).where(EntityName.normalized == key)
    return session.scalars(query).first()


# Words a role title is written with or without: "the defence secretary", "Secretary of Defense".
_ROLE_FILLER = frozenset({"the", "a", "an", "of", "for", "s"})
# British and American spellings of the words role titles use.
_SPELLINGS = {"defence": "defense", "offence": "offense", "labour": "labor", "organisation": "organization"}
_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> list[str]:
    """The matching words of a title or name: normalized, British spellings folded, filler dropped."""
    found = [_SPELLINGS.get(w, w) for w in (normalize_name(w) for w in _WORD.findall(text)) if w]
    return [w for w in found if w not in _ROLE_FILLER]


def _on_date(role: EntityRole, on: dt.date) -> bool:
    if role.started_on is not None and role.started_on > on:
        return False
    return role.ended_on is None or period_end(role.ended_on, role.ended_on_precision or "day") >= on


def role_holders(session: Session, title: str, *, on: dt.date | None = None) -> list[Entity]:
    """The entities holding a role called ``title`` on ``on`` (without a date: now, i.e. the
    roles without an end), each once, by name.

    A role matches when every typed word is a word of its title or of its organization's
    names, and the typed words include the title's (two of them, for a longer title):
    "Kremlin spokesman" is the "spokesman" of "Kremlin"; "the defence secretary" matches
    "US Secretary of Defense" and the "Secretary of Defense" of the United States. Articles,
    "of" and British or American spelling do not matter.
    """
    typed = set(_words(title))
    if not typed:
        return []
    matched: list[EntityRole] = []
    org_words: dict[int, set[str]] = {}
    for role in session.scalars(select(EntityRole)):
        own = set(_words(role.title))
        if len(typed & own) < min(2, len(own)) or not own:
            continue
        rest = typed - own
        if rest:
            if role.organization_id is None:
                continue
            if role.organization_id not in org_words:
                names = session.scalars(select(EntityName.name).where(EntityName.entity_id == role.organization_id))
                org_words[role.organization_id] = {w for n in names for w in _words(n)}
            if not rest <= org_words[role.organization_id]:
                continue
        matched.append(role)
    if on is not None:
        matched = [r for r in matched if _on_date(r, on)]
    else:
        matched = [r for r in matched if r.ended_on is None] or matched
    return _entities(session, {r.entity_id for r in matched})


def _entities(session: Session, ids: Iterable[int]) -> list[Entity]:
    wanted = list(ids)
    if not wanted:
        return []
    return list(session.scalars(select(Entity).where(Entity.id.in_(wanted)).order_by(Entity.name, Entity.id)))


def _surname_matches(session: Session, name: str) -> list[Entity]:
    """The persons one of whose names ends with the single word ``name`` ("Peskov"): the
    surname rule of :func:`find_entity_near` (``_last_word``), queried rather than indexed."""
    key = normalize_name(name)
    if len(name.replace("-", " ").split()) != 1 or not key:
        return []
    query = (
        select(EntityName.entity_id, EntityName.name)
        .join(Entity, Entity.id == EntityName.entity_id)
        .where(Entity.kind == "person", EntityName.normalized.endswith(key, autoescape=True))
    )
    ids = {entity_id for entity_id, full in session.execute(query) if _surname(full) == key}
    return _entities(session, ids)


def _last_word(name: str) -> str:
    """The matching form of a name's last word: "Moqtada al-Sadr" -> "sadr"."""
    words = _WORD.findall(name)
    return normalize_name(words[-1]) if words else ""


def _surname(full_name: str) -> str | None:
    """The surname of a name of two words or more (its last word), for surname lookups."""
    return _last_word(full_name) if len(_WORD.findall(full_name)) > 1 else None


def typed_entities(session: Session, name: str, *, on: dt.date | None = None) -> list[Entity]:
    """The entities a name that is no entity's name stands for, as people type names: the
    person with that surname, else the holder(s) of that role on ``on``. One entity resolves;
    several are a choice for the user; none, the name is unknown."""
    return _surname_matches(session, name) or role_holders(session, name, on=on)


def suggestions(session: Session, name: str, kind: str | None = None) -> list[str]:
    """The closest names, one per entity (the name that matched best)."""
    query = select(EntityName.name, EntityName.entity_id)
    if kind is not None:
        query = query.join(Entity, Entity.id == EntityName.entity_id).where(Entity.kind == kind)
    owner: dict[str, int] = {}
    for text, entity_id in session.execute(query):
        owner.setdefault(text, entity_id)
    seen: set[int] = set()
    kept = []
    for text in closest(name, owner, limit=len(owner)):
        if owner[text] not in seen:
            seen.add(owner[text])
            kept.append(text)
        if len(kept) == SUGGESTIONS:
            break
    return kept


def resolve_entity(session: Session, name: str, *, kind: str | None = None, on: dt.date | None = None) -> Entity:
    """The entity called ``name`` (any alias), or the one it stands for as typed (a surname,
    a role title held on ``on``: :func:`typed_entities`); NotFound with suggestions otherwise,
    each entity once.

    >>> resolve_entity(session, "Tehran").name  # doctest: +SKIP
    'Iran'
    >>> resolve_entity(session, "Peskov").name  # doctest: +SKIP
    'Dmitry Peskov'
    """
    entity = find_entity(session, name)
    if entity is None:
        typed = [e for e in typed_entities(session, name, on=on) if kind is None or e.kind == kind]
        if len(typed) == 1:
            return typed[0]
        if typed:
            what = "entity" if kind is None else f"{kind} entity"
            raise NotFound(what, name, [e.name for e in typed])
    if entity is not None and (kind is None or entity.kind == kind):
        return entity
    what = "entity" if kind is None else f"{kind} entity"
    if entity is not None:  # found, but of another kind
        raise NotFound(what, name, [f"{entity.name} is a {entity.kind}"])
    raise NotFound(what, name, suggestions(session, name, kind))


def resolve_claim(session: Session, key_or_id: str | int) -> Claim:
    """A claim by its key, or by its numeric id."""
    text = str(key_or_id).strip()
    claim = session.scalars(select(Claim).where(Claim.key == text)).first()
    if claim is None and text.isdigit():
        claim = session.get(Claim, int(text))
    if claim is None:
        raise NotFound("claim", text, closest(text, session.scalars(select(Claim.key).order_by(Claim.id))))
    return claim


def resolve_source(session: Session, key_or_url: str) -> Source:
    """A source by its key or its URL."""
    text = key_or_url.strip()
    source = session.scalars(select(Source).where(Source.key == text)).first()
    if source is None and "://" in text:
        source = session.scalars(select(Source).where(Source.url == text)).first()
    if source is None:
        raise NotFound("source", text, closest(text, session.scalars(select(Source.key).order_by(Source.id))))
    return source


def resolve_statement(session: Session, id_or_key: str | int) -> Statement:
    """A statement by its numeric id or its key."""
    text = str(id_or_key).strip()
    statement = session.get(Statement, int(text)) if text.isdigit() else None
    if statement is None:
        statement = session.scalars(select(Statement).where(Statement.key == text)).first()
    if statement is None:
        raise NotFound("statement", text)
    return statement


# --- names printed in an article ----------------------------------------------------------


@dataclass(frozen=True)
class NameMatch:
    """An entity found for a name as printed: ``how`` is ``name`` (its primary name),
    ``alias``, ``surname`` (the last word of one person's name, and of no other's) or
    ``fuzzy`` (spelled nearly alike: a choice for the reviewer)."""

    entity: str
    kind: str
    how: str


@dataclass
class EntityNameIndex:
    """The entity names and aliases that the names printed in one article can match, read in
    one query (per article, not per proposal): exact matches, persons by surname and the
    names near a spelling (same last word)."""

    exact: dict[str, tuple[str, str, bool]] = field(default_factory=dict)  # normalized -> (entity, kind, primary)
    surnames: dict[str, set[str]] = field(default_factory=dict)  # last word (normalized) -> person entities
    spellings: dict[str, tuple[str, str]] = field(default_factory=dict)  # name as stored -> (entity, kind)


def entity_name_index(session: Session, names: Iterable[str] | None = None) -> EntityNameIndex:
    """The index :func:`find_entity_near` looks names up in.

    With ``names`` (the names printed in an article), only the rows they can match are read:
    their normalized forms (also without a leading "the"), and the names that end with the
    same last word (a surname; a near spelling). Without, every name (small databases, tests).
    """
    index = EntityNameIndex()
    query = select(EntityName.normalized, EntityName.name, EntityName.is_primary, Entity.name, Entity.kind).join(
        Entity, Entity.id == EntityName.entity_id
    )
    if names is not None:
        wanted: set[str] = set()
        endings: set[str] = set()
        for name in names:
            text = " ".join(name.split())
            for attempt in (text, text[4:] if text.lower().startswith("the ") else ""):
                if normalize_name(attempt):
                    wanted.add(normalize_name(attempt))
            last = _last_word(text)
            if len(last) >= 3:
                endings.add(last)
        if not wanted:
            return index
        query = query.where(or_(
            EntityName.normalized.in_(sorted(wanted)),
            *(EntityName.normalized.endswith(ending, autoescape=True) for ending in sorted(endings)),
        ))
    for normalized, name, primary, entity, kind in session.execute(query):
        index.exact[normalized] = (entity, kind, bool(primary))
        index.spellings[name] = (entity, kind)
        surname = _surname(name) if kind == "person" else None
        if surname:
            index.surnames.setdefault(surname, set()).add(entity)
    return index


FUZZY_CUTOFF = 90  # rapidfuzz ratio (0-100) on the processed names


def find_entity_near(index: EntityNameIndex, name: str, *, person: bool | None = None) -> NameMatch | None:
    """The entity a name printed in an article stands for, or None.

    Exact (normalized) on the name or any alias, also without a leading "the"; then, for a
    single word that may be a person's surname ("Panetta"), the one person whose name ends
    with it; then a near spelling of a name of two words or more ("Moqtada al Sadr").
    ``person`` False skips the surname match (an anonymous speaker's affiliation).
    """
    text = " ".join(name.split())
    tries = [text]
    if text.lower().startswith("the "):
        tries.append(text[4:])
    for attempt in tries:
        found = index.exact.get(normalize_name(attempt))
        if found is not None:
            entity, kind, primary = found
            return NameMatch(entity, kind, "name" if primary else "alias")
    words = _WORD.findall(tries[-1])
    if person is not False and len(words) == 1:
        people = index.surnames.get(normalize_name(words[0]), set())
        if len(people) == 1:
            entity = next(iter(people))
            return NameMatch(entity, "person", "surname")
    last = _last_word(text)
    near = [name for name in index.spellings if _last_word(name) == last]
    if len(words) >= 2 and len(text) >= 6 and near:
        best = process.extractOne(
            text, near, scorer=fuzz.ratio, processor=utils.default_process, score_cutoff=FUZZY_CUTOFF
        )
        if best is not None:
            entity, kind = index.spellings[best[0]]
            return NameMatch(entity, kind, "fuzzy")
    return None

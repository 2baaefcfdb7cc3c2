"""No N+1: a report issues the same number of SQL statements for 1 and for 500 statements
(each with a copy in a republishing source and a verdict)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from report_data import add_claim, add_entity, add_role, add_source, add_statement
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from factdb.claim_flags import store_flags
from factdb.copies import mark_copies
from factdb.models import Verdict
from factdb.reports import (
    claim_report,
    contested_report,
    entity_report,
    sourcing_report,
    timeline_report,
)
from factdb.sourcing import FLAG_BITS


def build(engine, statements: int) -> None:
    """One claim with ``statements`` statements, each by its own speaker, via, source and outlet."""
    with Session(engine) as session, session.begin():
        country = add_entity(session, "Country", "government")
        rival = add_entity(session, "Rival", "government")
        ministry = add_entity(session, "Ministry", "government", part_of=country)
        claim = add_claim(session, "the-claim", "Something happened", ("tag",))
        wire = None
        for i in range(statements):
            outlet = add_entity(session, f"Outlet {i}", "media")
            person = add_entity(session, f"Person {i}", "person")
            add_role(session, person, "official", ministry if i % 2 else rival)
            source = add_source(session, f"src-{i}", outlet, published="2011-07-10", republishes=wire)
            wire = wire or source
            said = {
                "stance": "asserts" if i % 3 else "denies", "speaker": None if i % 4 == 3 else person,
                "description": "an official" if i % 4 == 3 else None, "affiliation": country if i % 4 == 3 else None,
                "said": "2011-07-11", "quote": f"words {i}", "quote_kind": "direct",
            }  # fmt: skip
            add_statement(session, f"st-{i}", claim, source, said.pop("stance"), via=(outlet,), **said)
            # every statement carried by a copying site too, and rated by a reviewer
            copy = add_source(session, f"copy-{i}", outlet, republishes=source)
            add_statement(session, f"copy-st-{i}", claim, copy, "asserts" if i % 3 else "denies", **said)
            session.add(Verdict(key=f"verdict-{i}", claim_id=claim.id, reviewer_id=outlet.id, rating="False",
                                reviewed_on=dt.date(2011, 7, 1), reviewed_on_precision="day"))  # fmt: skip
        session.flush()
        # what the write paths derive (a plain session does not): copy markers, stored flags
        mark_copies(session.connection(), None)
        store_flags(session, None)
        assert session.execute(text("SELECT count(copy_of_id) FROM statements")).scalar() == statements
        if statements > 1:  # supported, and rated False before: listed by --flag rated-false
            assert session.execute(text("SELECT sourcing_flags FROM claims")).scalar() & FLAG_BITS["rated-false"]


REPORTS: list[tuple[str, Callable]] = [
    ("claim", lambda s: claim_report(s, "the-claim", include_retracted=True)),
    ("entity", lambda s: entity_report(s, "Person 0", include_retracted=True)),
    ("contested", lambda s: contested_report(s, tag="tag", since="2011", speaker="Person 0")),
    ("sourcing", lambda s: sourcing_report(s, tag="tag")),
    # the stored ranking (factdb.claim_flags): the first N claims, whatever their number
    ("sourcing-limit", lambda s: sourcing_report(s, tag="tag", flag="rated-false", limit=3)),
    ("timeline", lambda s: timeline_report(s, claim="the-claim", by="month")),
]


def count_queries(engine, report: Callable) -> int:
    executed: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        executed.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        with Session(engine) as session:
            report(session)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return len([s for s in executed if not s.upper().startswith(("BEGIN", "PRAGMA"))])


def _rebuild(url: str, statements: int) -> None:
    """Empty the database, then :func:`build` with ``statements`` statements."""
    from factdb.db import create_engine

    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("UPDATE entities SET part_of_id = NULL")
            conn.exec_driver_sql("UPDATE sources SET republishes_id = NULL")
            for table in ("verdicts", "quote_anchors", "statement_via", "statements", "sources", "claim_tags", "claims", "entity_roles",
                          "entity_names", "entities"):  # fmt: skip
                conn.exec_driver_sql(f"DELETE FROM {table}")
        build(engine, statements)
    finally:
        engine.dispose()


def one_statement(url: str) -> None:
    _rebuild(url, 1)


def five_hundred_statements(url: str) -> None:
    _rebuild(url, 500)


@pytest.mark.parametrize(("name", "report"), REPORTS, ids=[n for n, _ in REPORTS])
def test_query_count_does_not_grow(db_url: str, dataset, name: str, report: Callable) -> None:
    from factdb.db import create_engine

    counts = {}
    for size, data in ((1, one_statement), (500, five_hundred_statements)):
        dataset(data)  # each size built once per backend, then restored for every report
        engine = create_engine(db_url)
        counts[size] = count_queries(engine, report)
        engine.dispose()
    assert counts[1] == counts[500], counts
    # the dossier: claim with tags and links, statements, their context (via, parties, groups),
    # verdicts
    assert counts[1] == 4 if name == "claim" else counts[1] <= 15

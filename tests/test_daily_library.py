"""The daily-use library without the CLI: entities, sources, claims, statements (both backends)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from factdb import claims, entities, sources, statements
from factdb.db import create_engine
from factdb.entities import CREATE
from factdb.errors import InUse, InvalidInput, NotFound
from factdb.models import ClaimTag, EntityName, EntityRole, Statement, Verdict
from factdb.sessions import Actor, read_session, transaction


def _build_base(url: str) -> None:
    """Seed 000's cast: Iran (Tehran), Panetta, AFP, one source, one claim, Panetta's statement."""
    engine = create_engine(url)
    try:
        with transaction(engine, Actor("test")) as session:
            entities.add_entity(session, "Iran", "government", aliases=["Tehran"])
            entities.add_entity(session, "United States", "government")
            entities.add_entity(session, "Leon Panetta", "person", roles=[{"title": "Secretary", "of": "United States"}])
            sources.add_source(session, "afp-2011-07-10", "AFP", published_on="2011-07-10", create=True)
            claims.add_claim(session, "Iran supplies weapons to Shiite militias in Iraq", key="iran-arms-militias")
            statements.attribute(
                session, "iran-arms-militias", speaker="Leon Panetta", stance="asserts", source="afp-2011-07-10",
                said_on="2011-07-11",
            )
    finally:
        engine.dispose()


@pytest.fixture
def base(engine, dataset):
    dataset(_build_base)
    return engine


def test_an_alias_gives_the_same_statement_key_as_the_primary_name(base) -> None:
    with transaction(base, Actor("test")) as session:
        first = statements.attribute(session, "iran-arms-militias", speaker="Tehran", stance="denies", source="afp-2011-07-10")
        key = first.key
        session.delete(first)
        session.flush()
        second = statements.attribute(session, "iran-arms-militias", speaker="Iran", stance="denies", source="afp-2011-07-10")
        assert second.key == key
        with pytest.raises(InvalidInput, match=f'already recorded as statement {second.id}'):
            statements.attribute(session, "iran-arms-militias", speaker="TEHRAN", stance="denies", source="afp-2011-07-10")


def test_unknown_names_are_never_created_silently(base) -> None:
    with transaction(base, Actor("test")) as session:
        with pytest.raises(NotFound, match='No entity named "Lloyd Austin"'):
            statements.attribute(session, "iran-arms-militias", speaker="Lloyd Austin", stance="asserts", source="afp-2011-07-10")
        asked = []
        statements.attribute(
            session, "iran-arms-militias", speaker="Lloyd Austin", stance="asserts", source="afp-2011-07-10",
            choose=lambda name, kind, suggestions: asked.append((name, kind)) or CREATE,
        )
        assert asked == [("Lloyd Austin", "person")]


def test_said_after_publication_is_a_warning(base) -> None:
    with read_session(base) as session:
        statement = session.scalars(select(Statement)).one()
        assert statements.statement_warnings(session, statement) == [
            'statement 1 is dated 2011-07-11, after its source "afp-2011-07-10" was published (2011-07-10); kept as given.'
        ]


def test_a_month_precision_date_within_the_month_is_no_warning(base) -> None:
    with transaction(base, Actor("test")) as session:
        sources.edit_source(session, "afp-2011-07-10", published_on="2011-07")
        statement = session.scalars(select(Statement)).one()
        assert statements.statement_warnings(session, statement) == []


def test_merge_entities_moves_every_reference(base) -> None:
    with transaction(base, Actor("test")) as session:
        entities.add_entity(session, "USA", "government", aliases=["Washington"], note="dup")
        entities.add_entity(session, "Pentagon", "government", part_of="USA")
        entities.add_role(session, "Leon Panetta", "Envoy", of="USA")
        sources.add_source(session, "usa-release", "USA")
        statements.attribute(session, "iran-arms-militias", speaker="Washington", stance="asserts", source="usa-release")
        statements.attribute(
            session, "iran-arms-militias", speaker_description="officials", affiliation="USA", via=["USA"],
            stance="asserts", source="afp-2011-07-10",
        )
        usa = entities.entity_or_create(session, "USA", "government")
        claim_id = claims.claim_record(session, "iran-arms-militias")["id"]
        session.add(Verdict(key="v1", claim_id=claim_id, reviewer_id=usa.id, rating="unproven"))
        session.flush()
        kept = entities.merge_entities(session, "USA", "United States")
        record = entities.entity_record(session, "Washington")
        assert (record["name"], sorted(record["aliases"]), record["note"], record["statements"]) == (
            "United States", ["USA", "Washington"], "dup", 1,
        )
        assert session.scalar(select(func.count()).select_from(EntityName).where(EntityName.entity_id == kept.id)) == 3
        assert session.scalar(select(Verdict.reviewer_id)) == kept.id
        assert set(session.scalars(select(EntityRole.organization_id))) == {kept.id}
        assert entities.entity_record(session, "Pentagon")["part_of"] == "United States"
        rows = statements.statement_records(session, speaker="United States")
        assert [(r["speaker_affiliation"], r["via"], r["source"]["outlet"]) for r in rows] == [
            ("United States", ["United States"], "AFP"),
            (None, [], "United States"),
        ]


def test_delete_in_use_names_every_user(base) -> None:
    with transaction(base, Actor("test")) as session:
        with pytest.raises(InUse) as refused:
            entities.delete_entity(session, "United States")
        assert "1 role as organization (Leon Panetta)" in str(refused.value)
        with pytest.raises(InUse, match="1 statement as speaker"):
            entities.delete_entity(session, "Leon Panetta")


def test_merge_claims_moves_statements_tags_links_verdicts(base) -> None:
    with transaction(base, Actor("test")) as session:
        claims.add_claim(session, "Iran arms insurgents", key="dup", tags=["iran"])
        claims.add_claim(session, "Other", key="other")
        claims.link_claims(session, "other", "contradicts", "dup")
        claims.link_claims(session, "dup", "same-as", "iran-arms-militias")
        statements.attribute(session, "dup", speaker="Iran", stance="denies", source="afp-2011-07-10")
        dup_id = claims.claim_record(session, "dup")["id"]
        usa = entities.entity_or_create(session, "United States", "government")
        session.add(Verdict(key="v2", claim_id=dup_id, reviewer_id=usa.id, rating="false"))
        session.flush()
        claims.merge_claims(session, "dup", "iran-arms-militias")
        record = claims.claim_record(session, "iran-arms-militias")
        assert record["tags"] == ["iran"]
        assert record["links"] == [{"kind": "contradicts", "direction": "incoming", "claim": "other"}]
        assert len(record["statements"]) == 2
        assert session.scalar(select(Verdict.claim_id)) == record["id"]
        assert session.scalar(select(func.count()).select_from(ClaimTag)) == 1
        with pytest.raises(NotFound):
            claims.claim_record(session, "dup")


def test_retract_never_deletes(base) -> None:
    with transaction(base, Actor("test")) as session:
        statements.retract_statement(session, "1", "misquoted")
    with read_session(base) as session:
        (record,) = statements.statement_records(session, include_retracted=True)
        assert record["retracted"]["reason"] == "misquoted"
        assert statements.statement_records(session) == []  # hidden by default, as everywhere


def test_merging_a_parent_into_its_part_leaves_no_self_reference(base) -> None:
    with transaction(base, Actor("test")) as session:
        entities.add_entity(session, "Iranian government", "government")
        entities.edit_entity(session, "Iran", part_of="Iranian government")
        entities.merge_entities(session, "Iranian government", "Iran")
        record = entities.entity_record(session, "Iranian government")
        assert (record["name"], record["part_of"], record["aliases"]) == ("Iran", None, ["Tehran", "Iranian government"])

"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-21 21:10:03.748913
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claims')),
    sa.UniqueConstraint('key', name=op.f('uq_claims_key'))
    )
    op.create_table('entities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('part_of_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('person', 'organization', 'government', 'military-unit', 'armed-group', 'media', 'other')", name=op.f('ck_entities_kind')),
    sa.ForeignKeyConstraint(['part_of_id'], ['entities.id'], name=op.f('fk_entities_part_of_id_entities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entities')),
    sa.UniqueConstraint('name', name=op.f('uq_entities_name'))
    )
    with op.batch_alter_table('entities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entities_part_of_id'), ['part_of_id'], unique=False)

    op.create_table('history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('command', sa.Text(), nullable=True),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('table_name', sa.String(length=50), nullable=False),
    sa.Column('row_id', sa.Integer(), nullable=True),
    sa.Column('row_key', sa.Text(), nullable=True),
    sa.Column('claim_id', sa.Integer(), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.CheckConstraint("action IN ('insert', 'update', 'delete', 'merge', 'retract', 'import')", name=op.f('ck_history_action')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_history'))
    )
    with op.batch_alter_table('history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_history_claim_id'), ['claim_id'], unique=False)

    op.create_table('claim_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('from_claim_id', sa.Integer(), nullable=False),
    sa.Column('to_claim_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.CheckConstraint("kind IN ('same-as', 'part-of', 'narrower-than', 'contradicts')", name=op.f('ck_claim_links_kind')),
    sa.CheckConstraint('from_claim_id <> to_claim_id', name=op.f('ck_claim_links_not_self')),
    sa.ForeignKeyConstraint(['from_claim_id'], ['claims.id'], name=op.f('fk_claim_links_from_claim_id_claims'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_claim_id'], ['claims.id'], name=op.f('fk_claim_links_to_claim_id_claims'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_links')),
    sa.UniqueConstraint('from_claim_id', 'to_claim_id', 'kind', name=op.f('uq_claim_links_from_claim_id_to_claim_id_kind'))
    )
    with op.batch_alter_table('claim_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_links_to_claim_id'), ['to_claim_id'], unique=False)

    op.create_table('claim_tags',
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_claim_tags_claim_id_claims'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('claim_id', 'tag', name=op.f('pk_claim_tags'))
    )
    with op.batch_alter_table('claim_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_tags_tag'), ['tag'], unique=False)

    op.create_table('entity_names',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('normalized', sa.String(length=500), nullable=False),
    sa.Column('is_primary', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], name=op.f('fk_entity_names_entity_id_entities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entity_names')),
    sa.UniqueConstraint('normalized', name=op.f('uq_entity_names_normalized'))
    )
    with op.batch_alter_table('entity_names', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entity_names_entity_id'), ['entity_id'], unique=False)

    op.create_table('entity_roles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('started_on', sa.Date(), nullable=True),
    sa.Column('started_on_precision', sa.String(length=5), nullable=True),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('ended_on_precision', sa.String(length=5), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint("(ended_on IS NULL AND ended_on_precision IS NULL) OR (ended_on IS NOT NULL AND ended_on_precision IS NOT NULL AND ended_on_precision IN ('day', 'month', 'year'))", name=op.f('ck_entity_roles_ended_on_precision')),
    sa.CheckConstraint("(started_on IS NULL AND started_on_precision IS NULL) OR (started_on IS NOT NULL AND started_on_precision IS NOT NULL AND started_on_precision IN ('day', 'month', 'year'))", name=op.f('ck_entity_roles_started_on_precision')),
    sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], name=op.f('fk_entity_roles_entity_id_entities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['entities.id'], name=op.f('fk_entity_roles_organization_id_entities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entity_roles'))
    )
    with op.batch_alter_table('entity_roles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entity_roles_entity_id'), ['entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_entity_roles_organization_id'), ['organization_id'], unique=False)

    op.create_table('sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('outlet_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('authors', sa.JSON(), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('published_on_precision', sa.String(length=5), nullable=True),
    sa.Column('republishes_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(published_on IS NULL AND published_on_precision IS NULL) OR (published_on IS NOT NULL AND published_on_precision IS NOT NULL AND published_on_precision IN ('day', 'month', 'year'))", name=op.f('ck_sources_published_on_precision')),
    sa.ForeignKeyConstraint(['outlet_id'], ['entities.id'], name=op.f('fk_sources_outlet_id_entities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['republishes_id'], ['sources.id'], name=op.f('fk_sources_republishes_id_sources'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources')),
    sa.UniqueConstraint('key', name=op.f('uq_sources_key'))
    )
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sources_outlet_id'), ['outlet_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sources_republishes_id'), ['republishes_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sources_url'), ['url'], unique=False)

    op.create_table('verdicts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=500), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.String(length=200), nullable=False),
    sa.Column('rating_value', sa.Float(), nullable=True),
    sa.Column('best_rating', sa.Float(), nullable=True),
    sa.Column('worst_rating', sa.Float(), nullable=True),
    sa.Column('reviewed_on', sa.Date(), nullable=True),
    sa.Column('reviewed_on_precision', sa.String(length=5), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(reviewed_on IS NULL AND reviewed_on_precision IS NULL) OR (reviewed_on IS NOT NULL AND reviewed_on_precision IS NOT NULL AND reviewed_on_precision IN ('day', 'month', 'year'))", name=op.f('ck_verdicts_reviewed_on_precision')),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_verdicts_claim_id_claims'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['entities.id'], name=op.f('fk_verdicts_reviewer_id_entities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_verdicts')),
    sa.UniqueConstraint('key', name=op.f('uq_verdicts_key'))
    )
    with op.batch_alter_table('verdicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_verdicts_claim_id'), ['claim_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_verdicts_reviewer_id'), ['reviewer_id'], unique=False)

    op.create_table('source_texts',
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('attached_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_source_texts_source_id_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('source_id', name=op.f('pk_source_texts'))
    )
    op.create_table('statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('speaker_id', sa.Integer(), nullable=True),
    sa.Column('speaker_description', sa.Text(), nullable=True),
    sa.Column('speaker_affiliation_id', sa.Integer(), nullable=True),
    sa.Column('speaker_title', sa.Text(), nullable=True),
    sa.Column('stance', sa.String(length=20), nullable=False),
    sa.Column('certainty', sa.String(length=20), nullable=False),
    sa.Column('hedge', sa.Text(), nullable=True),
    sa.Column('verb', sa.String(length=200), nullable=True),
    sa.Column('quote', sa.Text(), nullable=True),
    sa.Column('quote_kind', sa.String(length=20), nullable=True),
    sa.Column('said_on', sa.Date(), nullable=True),
    sa.Column('said_on_precision', sa.String(length=5), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('responds_to_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('retracted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('retraction_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(said_on IS NULL AND said_on_precision IS NULL) OR (said_on IS NOT NULL AND said_on_precision IS NOT NULL AND said_on_precision IN ('day', 'month', 'year'))", name=op.f('ck_statements_said_on_precision')),
    sa.CheckConstraint("certainty IN ('certain', 'probable', 'possible', 'unspecified')", name=op.f('ck_statements_certainty')),
    sa.CheckConstraint("quote_kind IS NULL OR quote_kind IN ('direct', 'paraphrase')", name=op.f('ck_statements_quote_kind')),
    sa.CheckConstraint("stance IN ('asserts', 'acknowledges', 'denies', 'disputes', 'retracts')", name=op.f('ck_statements_stance')),
    sa.CheckConstraint('(retracted_at IS NULL AND retraction_reason IS NULL) OR (retracted_at IS NOT NULL AND retraction_reason IS NOT NULL)', name=op.f('ck_statements_retraction_reason')),
    sa.CheckConstraint('speaker_id IS NOT NULL OR speaker_description IS NOT NULL', name=op.f('ck_statements_has_speaker')),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_statements_claim_id_claims'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['responds_to_id'], ['statements.id'], name=op.f('fk_statements_responds_to_id_statements'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_statements_source_id_sources'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['speaker_affiliation_id'], ['entities.id'], name=op.f('fk_statements_speaker_affiliation_id_entities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['speaker_id'], ['entities.id'], name=op.f('fk_statements_speaker_id_entities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statements')),
    sa.UniqueConstraint('key', name=op.f('uq_statements_key'))
    )
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.create_index('ix_statements_claim_cover', ['claim_id', 'stance', 'speaker_id', 'retracted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_statements_responds_to_id'), ['responds_to_id'], unique=False)
        batch_op.create_index('ix_statements_said_on', ['said_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_statements_source_id'), ['source_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_statements_speaker_affiliation_id'), ['speaker_affiliation_id'], unique=False)
        batch_op.create_index('ix_statements_speaker_said', ['speaker_id', 'said_on'], unique=False)

    op.create_table('quote_anchors',
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('exact', sa.Text(), nullable=True),
    sa.Column('prefix', sa.Text(), nullable=True),
    sa.Column('suffix', sa.Text(), nullable=True),
    sa.Column('start_offset', sa.Integer(), nullable=True),
    sa.Column('end_offset', sa.Integer(), nullable=True),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('found', 'missing')", name=op.f('ck_quote_anchors_status')),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_quote_anchors_statement_id_statements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('statement_id', name=op.f('pk_quote_anchors'))
    )
    op.create_table('statement_via',
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], name=op.f('fk_statement_via_entity_id_entities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_statement_via_statement_id_statements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('statement_id', 'position', name=op.f('pk_statement_via'))
    )
    with op.batch_alter_table('statement_via', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_via_entity_id'), ['entity_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('statement_via', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_via_entity_id'))

    op.drop_table('statement_via')
    op.drop_table('quote_anchors')
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.drop_index('ix_statements_speaker_said')
        batch_op.drop_index(batch_op.f('ix_statements_speaker_affiliation_id'))
        batch_op.drop_index(batch_op.f('ix_statements_source_id'))
        batch_op.drop_index('ix_statements_said_on')
        batch_op.drop_index(batch_op.f('ix_statements_responds_to_id'))
        batch_op.drop_index('ix_statements_claim_cover')

    op.drop_table('statements')
    op.drop_table('source_texts')
    with op.batch_alter_table('verdicts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_verdicts_reviewer_id'))
        batch_op.drop_index(batch_op.f('ix_verdicts_claim_id'))

    op.drop_table('verdicts')
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sources_url'))
        batch_op.drop_index(batch_op.f('ix_sources_republishes_id'))
        batch_op.drop_index(batch_op.f('ix_sources_outlet_id'))

    op.drop_table('sources')
    with op.batch_alter_table('entity_roles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entity_roles_organization_id'))
        batch_op.drop_index(batch_op.f('ix_entity_roles_entity_id'))

    op.drop_table('entity_roles')
    with op.batch_alter_table('entity_names', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entity_names_entity_id'))

    op.drop_table('entity_names')
    with op.batch_alter_table('claim_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_tags_tag'))

    op.drop_table('claim_tags')
    with op.batch_alter_table('claim_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_links_to_claim_id'))

    op.drop_table('claim_links')
    with op.batch_alter_table('history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_history_claim_id'))

    op.drop_table('history')
    with op.batch_alter_table('entities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entities_part_of_id'))

    op.drop_table('entities')
    op.drop_table('claims')

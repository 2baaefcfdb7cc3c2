"""verdicts keep every ClaimReview field the model has

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 01:10:00

An import of a fact-checker's page dropped the reviewer's url and sameAs, the claimant's
sameAs, the publisher beside the review's author, the headline, description, body and
language, the rating's explanation, itemReviewed.name (where the claim was made) and the
appearances after the first. These columns keep them; all nullable, so existing verdicts are
unchanged (re-importing a page fills them). ``normalized_rating`` holds a rating on a scale
shared across fact-checkers (ClaimsKG's TRUE / FALSE / MIXTURE / OTHER).

Downgrade drops the columns (and with them what only they held).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEXTS = ('reviewer_url', 'title', 'description', 'review_body', 'rating_explanation', 'claim_venue')
LISTS = ('reviewer_same_as', 'authors', 'claimant_same_as', 'appearances')


def upgrade() -> None:
    with op.batch_alter_table('verdicts', schema=None) as batch_op:
        for name in TEXTS:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=True))
        for name in LISTS:
            batch_op.add_column(sa.Column(name, sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('language', sa.String(length=35), nullable=True))
        batch_op.add_column(sa.Column('normalized_rating', sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column('publisher_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_verdicts_publisher_id'), ['publisher_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_verdicts_publisher_id_entities'), 'entities', ['publisher_id'], ['id'], ondelete='RESTRICT'
        )


def downgrade() -> None:
    with op.batch_alter_table('verdicts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_verdicts_publisher_id_entities'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_verdicts_publisher_id'))
        for name in ('publisher_id', 'normalized_rating', 'language', *LISTS, *TEXTS):
            batch_op.drop_column(name)

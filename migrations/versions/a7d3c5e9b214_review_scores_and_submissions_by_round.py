"""curation: a submitted review's scores as rows (review_scores), and submissions by round
and date in one index, for the programme figures

Revision ID: a7d3c5e9b214
Revises: f2b7c9d4e518
Create Date: 2026-12-04 19:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import app.core.db


# revision identifiers, used by Alembic.
revision = 'a7d3c5e9b214'
down_revision = 'f2b7c9d4e518'
branch_labels = None
depends_on = None

BATCH = 2000


def upgrade():
    op.create_table('review_scores',
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('submitted_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['rubric_criteria.id'], name=op.f('fk_review_scores_criterion_id_rubric_criteria'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_review_scores_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('review_id', 'criterion_id', name=op.f('pk_review_scores'))
    )
    with op.batch_alter_table('review_scores', schema=None) as batch_op:
        batch_op.create_index('ix_review_scores_criterion_score_at', ['criterion_id', 'score', 'submitted_at'], unique=False)

    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index('ix_submissions_round_submitted', ['round_id', 'submitted_at', 'state', 'published_at'], unique=False)

    # The submitted reviews' scores so far, read from their JSON in batches.
    reviews = sa.table(
        'reviews',
        sa.column('id', sa.Integer),
        sa.column('scores', sa.JSON),
        sa.column('submitted_at', app.core.db.UTCDateTime(timezone=True)),
    )
    scores = sa.table(
        'review_scores',
        sa.column('review_id', sa.Integer),
        sa.column('criterion_id', sa.Integer),
        sa.column('score', sa.Integer),
        sa.column('submitted_at', app.core.db.UTCDateTime(timezone=True)),
    )
    criteria = sa.table('rubric_criteria', sa.column('id', sa.Integer))
    connection = op.get_bind()
    known = {row[0] for row in connection.execute(sa.select(criteria.c.id))}
    last = 0
    while True:
        batch = connection.execute(
            sa.select(reviews.c.id, reviews.c.scores, reviews.c.submitted_at)
            .where(reviews.c.submitted_at.is_not(None), reviews.c.id > last)
            .order_by(reviews.c.id)
            .limit(BATCH)
        ).all()
        if not batch:
            break
        last = batch[-1][0]
        rows = [
            {'review_id': rid, 'criterion_id': int(key), 'score': int(value), 'submitted_at': at}
            for rid, given, at in batch
            for key, value in (given or {}).items()
            if value is not None and int(key) in known
        ]
        if rows:
            connection.execute(scores.insert(), rows)


def downgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index('ix_submissions_round_submitted')

    with op.batch_alter_table('review_scores', schema=None) as batch_op:
        batch_op.drop_index('ix_review_scores_criterion_score_at')

    op.drop_table('review_scores')

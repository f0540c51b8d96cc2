"""events: schedule runs (what the scheduler placed, left out and why)

Revision ID: a7c3e91f2b40
Revises: eb1162f833d6
Create Date: 2026-12-02 05:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import app.core.db


# revision identifiers, used by Alembic.
revision = 'a7c3e91f2b40'
down_revision = 'eb1162f833d6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event_schedule_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('placed', sa.Integer(), nullable=False),
    sa.Column('unplaced', sa.JSON(), nullable=False),
    sa.Column('is_optimal', sa.Boolean(), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.Column('error', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_schedule_runs_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_event_schedule_runs_requested_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_schedule_runs'))
    )
    with op.batch_alter_table('event_schedule_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_schedule_runs_event_id'), ['event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('event_schedule_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_schedule_runs_event_id'))

    op.drop_table('event_schedule_runs')

"""events: meeting outcomes (what each side says came of a meeting)

Revision ID: c4e8a1d9f305
Revises: c4e8d1a7f903
Create Date: 2026-12-02 06:05:00.000000

"""
from alembic import op
import sqlalchemy as sa

import app.core.db


# revision identifiers, used by Alembic.
revision = 'c4e8a1d9f305'
down_revision = 'c4e8d1a7f903'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event_meeting_outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=True),
    sa.Column('unit', sa.String(length=10), nullable=True),
    sa.Column('value', sa.BigInteger(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('buyer_request_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['buyer_request_id'], ['buyer_requests.id'], name=op.f('fk_event_meeting_outcomes_buyer_request_id_buyer_requests'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['event_meetings.id'], name=op.f('fk_event_meeting_outcomes_meeting_id_event_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['event_participants.id'], name=op.f('fk_event_meeting_outcomes_participant_id_event_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_event_meeting_outcomes_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_meeting_outcomes')),
    sa.UniqueConstraint('meeting_id', 'participant_id', name=op.f('uq_event_meeting_outcomes_meeting_id_participant_id'))
    )
    with op.batch_alter_table('event_meeting_outcomes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_meeting_outcomes_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_meeting_outcomes_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_meeting_outcomes_participant_id'), ['participant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('event_meeting_outcomes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_meeting_outcomes_participant_id'))
        batch_op.drop_index(batch_op.f('ix_event_meeting_outcomes_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_event_meeting_outcomes_kind'))

    op.drop_table('event_meeting_outcomes')

"""events: invitations by email (one per address and event)

Revision ID: f2b7c9d4e518
Revises: c4e8a1d9f305
Create Date: 2026-12-02 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import app.core.db


# revision identifiers, used by Alembic.
revision = 'f2b7c9d4e518'
down_revision = 'c4e8a1d9f305'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('invited_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_invitations_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_event_invitations_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_event_invitations_organisation_id_organisations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_invitations')),
    sa.UniqueConstraint('event_id', 'email', name=op.f('uq_event_invitations_event_id_email'))
    )
    with op.batch_alter_table('event_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_invitations_event_id'), ['event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('event_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_invitations_event_id'))
    op.drop_table('event_invitations')

"""events: each participant's check-in token (its QR code at the venue)

Revision ID: c4e8d1a7f903
Revises: a7c3e91f2b40
Create Date: 2026-12-02 06:05:00.000000

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e8d1a7f903'
down_revision = 'a7c3e91f2b40'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('event_participants', sa.Column('checkin_token', sa.String(length=32), nullable=True))
    connection = op.get_bind()
    participants = sa.table('event_participants', sa.column('id', sa.Integer), sa.column('checkin_token', sa.String))
    for (participant_id,) in connection.execute(sa.select(participants.c.id)).all():
        connection.execute(
            participants.update()
            .where(participants.c.id == participant_id)
            .values(checkin_token=secrets.token_urlsafe(16))
        )
    with op.batch_alter_table('event_participants', schema=None) as batch_op:
        batch_op.alter_column('checkin_token', existing_type=sa.String(length=32), nullable=False)
        batch_op.create_index(batch_op.f('ix_event_participants_checkin_token'), ['checkin_token'], unique=True)


def downgrade():
    with op.batch_alter_table('event_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_participants_checkin_token'))
        batch_op.drop_column('checkin_token')

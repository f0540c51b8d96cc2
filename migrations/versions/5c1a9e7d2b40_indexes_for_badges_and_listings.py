"""indexes for badges and listings: submissions by product and state, by IKM and state

Revision ID: 5c1a9e7d2b40
Revises: 453ff224b80c
Create Date: 2026-12-02 00:45:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5c1a9e7d2b40'
down_revision = '453ff224b80c'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index('ix_submissions_product_state', ['product_id', 'state', 'published_at'], unique=False)
        batch_op.create_index('ix_submissions_ikm_state', ['ikm_id', 'state'], unique=False)


def downgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index('ix_submissions_ikm_state')
        batch_op.drop_index('ix_submissions_product_state')

"""matching shortlist: saved IKMs and saved products of a buyer organisation

Revision ID: b7d3f2a9c611
Revises: 5c1a9e7d2b40
Create Date: 2026-12-02 04:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

import app.core.db


# revision identifiers, used by Alembic.
revision = 'b7d3f2a9c611'
down_revision = '5c1a9e7d2b40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('saved_ikms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('buyer_org_id', sa.Integer(), nullable=False),
    sa.Column('ikm_id', sa.Integer(), nullable=False),
    sa.Column('saved_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('saved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['buyer_org_id'], ['organisations.id'], name=op.f('fk_saved_ikms_buyer_org_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ikm_id'], ['organisations.id'], name=op.f('fk_saved_ikms_ikm_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['saved_by_id'], ['users.id'], name=op.f('fk_saved_ikms_saved_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_ikms')),
    sa.UniqueConstraint('buyer_org_id', 'ikm_id', name=op.f('uq_saved_ikms_buyer_org_id_ikm_id'))
    )
    with op.batch_alter_table('saved_ikms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_ikms_buyer_org_id'), ['buyer_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_saved_ikms_ikm_id'), ['ikm_id'], unique=False)

    op.create_table('saved_products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('buyer_org_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('saved_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('saved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['buyer_org_id'], ['organisations.id'], name=op.f('fk_saved_products_buyer_org_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_saved_products_product_id_products'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['saved_by_id'], ['users.id'], name=op.f('fk_saved_products_saved_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_products')),
    sa.UniqueConstraint('buyer_org_id', 'product_id', name=op.f('uq_saved_products_buyer_org_id_product_id'))
    )
    with op.batch_alter_table('saved_products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_products_buyer_org_id'), ['buyer_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_saved_products_product_id'), ['product_id'], unique=False)


def downgrade():
    with op.batch_alter_table('saved_products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_products_product_id'))
        batch_op.drop_index(batch_op.f('ix_saved_products_buyer_org_id'))
    op.drop_table('saved_products')
    with op.batch_alter_table('saved_ikms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_ikms_ikm_id'))
        batch_op.drop_index(batch_op.f('ix_saved_ikms_buyer_org_id'))
    op.drop_table('saved_ikms')

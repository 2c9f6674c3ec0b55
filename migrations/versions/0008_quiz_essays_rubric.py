"""Quiz essay answers can be graded with a rubric

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 08:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempt_slots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rubric_grade_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_attempt_slots_rubric_grade_id_rubric_grades'), 'rubric_grades',
                                    ['rubric_grade_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('attempt_slots', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_attempt_slots_rubric_grade_id_rubric_grades'), type_='foreignkey')
        batch_op.drop_column('rubric_grade_id')

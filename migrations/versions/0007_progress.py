"""Progress: grade overrides (each row a logged change of a student's grade on an assigned quiz)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 07:34:50.208093

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
# grade_overrides refers to quiz_assignments, made by the quizzes' revision on its own branch.
depends_on = '0003'


def upgrade():
    op.create_table('grade_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('percent', sa.Float(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('teacher_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['quiz_assignments.id'], name=op.f('fk_grade_overrides_assignment_id_quiz_assignments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['student_id'], ['users.id'], name=op.f('fk_grade_overrides_student_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['teacher_id'], ['users.id'], name=op.f('fk_grade_overrides_teacher_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grade_overrides'))
    )
    with op.batch_alter_table('grade_overrides', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grade_overrides_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grade_overrides_student_id'), ['student_id'], unique=False)


def downgrade():
    with op.batch_alter_table('grade_overrides', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grade_overrides_student_id'))
        batch_op.drop_index(batch_op.f('ix_grade_overrides_assignment_id'))

    op.drop_table('grade_overrides')

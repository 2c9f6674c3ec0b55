"""Practice: practice sessions and their questions, study cards (fsrs) and their reviews

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 07:12:42.512730

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('practice_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('length', sa.Integer(), nullable=False),
    sa.Column('unit_ids', sa.JSON(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_practice_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_sessions'))
    )
    with op.batch_alter_table('practice_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('practice_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('order', sa.JSON(), nullable=False),
    sa.Column('response', sa.JSON(), nullable=True),
    sa.Column('fraction', sa.Float(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_practice_items_question_id_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['practice_sessions.id'], name=op.f('fk_practice_items_session_id_practice_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_items')),
    sa.UniqueConstraint('session_id', 'position', name=op.f('uq_practice_items_session_id'))
    )
    with op.batch_alter_table('practice_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_items_question_id'), ['question_id'], unique=False)

    op.create_table('study_cards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('term', sa.String(length=200), nullable=True),
    sa.Column('state', sa.JSON(), nullable=False),
    sa.Column('due', sa.DateTime(), nullable=False),
    sa.Column('reps', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_review_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("(kind = 'question' AND question_id IS NOT NULL AND term IS NULL) OR (kind = 'term' AND question_id IS NULL AND unit_id IS NOT NULL AND term IS NOT NULL)", name=op.f('ck_study_cards_one_kind')),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_study_cards_question_id_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_study_cards_unit_id_units'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_study_cards_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_study_cards')),
    sa.UniqueConstraint('question_id', 'user_id', name=op.f('uq_study_cards_question_id')),
    sa.UniqueConstraint('unit_id', 'term', 'user_id', name=op.f('uq_study_cards_unit_id'))
    )
    with op.batch_alter_table('study_cards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_study_cards_due'), ['due'], unique=False)
        batch_op.create_index(batch_op.f('ix_study_cards_user_id'), ['user_id'], unique=False)

    op.create_table('card_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('fraction', sa.Float(), nullable=True),
    sa.Column('response', sa.JSON(), nullable=True),
    sa.Column('order', sa.JSON(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['card_id'], ['study_cards.id'], name=op.f('fk_card_reviews_card_id_study_cards'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_card_reviews'))
    )
    with op.batch_alter_table('card_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_card_reviews_card_id'), ['card_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_card_reviews_reviewed_at'), ['reviewed_at'], unique=False)


def downgrade():
    with op.batch_alter_table('card_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_card_reviews_reviewed_at'))
        batch_op.drop_index(batch_op.f('ix_card_reviews_card_id'))

    op.drop_table('card_reviews')
    with op.batch_alter_table('study_cards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_study_cards_user_id'))
        batch_op.drop_index(batch_op.f('ix_study_cards_due'))

    op.drop_table('study_cards')
    with op.batch_alter_table('practice_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_items_question_id'))

    op.drop_table('practice_items')
    with op.batch_alter_table('practice_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_sessions_user_id'))

    op.drop_table('practice_sessions')

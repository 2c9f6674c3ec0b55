"""Debates and essays: prompts, assignments, discussions, essays, rubrics, live debates

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-23 07:07:55.318517

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('prompts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('framing', sa.Text(), nullable=False),
    sa.Column('positions', sa.JSON(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_prompts_owner_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_prompts_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prompts'))
    )
    with op.batch_alter_table('prompts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prompts_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_prompts_unit_id'), ['unit_id'], unique=False)

    op.create_table('rubrics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('prompt_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_rubrics_owner_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['prompt_id'], ['prompts.id'], name=op.f('fk_rubrics_prompt_id_prompts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rubrics'))
    )
    with op.batch_alter_table('rubrics', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rubrics_owner_id'), ['owner_id'], unique=False)

    op.create_table('prompt_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('classroom_id', sa.Integer(), nullable=False),
    sa.Column('prompt_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('instructions', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('target_posts', sa.Integer(), nullable=False),
    sa.Column('target_cited_posts', sa.Integer(), nullable=False),
    sa.Column('target_replies', sa.Integer(), nullable=False),
    sa.Column('rubric_id', sa.Integer(), nullable=True),
    sa.Column('min_words', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['classroom_id'], ['classrooms.id'], name=op.f('fk_prompt_assignments_classroom_id_classrooms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_prompt_assignments_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['prompt_id'], ['prompts.id'], name=op.f('fk_prompt_assignments_prompt_id_prompts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rubric_id'], ['rubrics.id'], name=op.f('fk_prompt_assignments_rubric_id_rubrics'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prompt_assignments')),
    sa.UniqueConstraint('classroom_id', 'prompt_id', 'kind', name=op.f('uq_prompt_assignments_classroom_id'))
    )
    with op.batch_alter_table('prompt_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prompt_assignments_classroom_id'), ['classroom_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_prompt_assignments_prompt_id'), ['prompt_id'], unique=False)

    op.create_table('prompt_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prompt_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('source_ref', sa.String(length=40), nullable=False),
    sa.Column('quote_hint', sa.Text(), nullable=False),
    sa.Column('passage_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['passage_id'], ['passages.id'], name=op.f('fk_prompt_evidence_passage_id_passages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['prompt_id'], ['prompts.id'], name=op.f('fk_prompt_evidence_prompt_id_prompts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prompt_evidence'))
    )
    with op.batch_alter_table('prompt_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prompt_evidence_prompt_id'), ['prompt_id'], unique=False)

    op.create_table('rubric_criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rubric_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['rubric_id'], ['rubrics.id'], name=op.f('fk_rubric_criteria_rubric_id_rubrics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rubric_criteria'))
    )
    with op.batch_alter_table('rubric_criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rubric_criteria_rubric_id'), ['rubric_id'], unique=False)

    op.create_table('rubric_grades',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rubric_id', sa.Integer(), nullable=True),
    sa.Column('grader_id', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('max_points', sa.Integer(), nullable=False),
    sa.Column('graded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['grader_id'], ['users.id'], name=op.f('fk_rubric_grades_grader_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['rubric_id'], ['rubrics.id'], name=op.f('fk_rubric_grades_rubric_id_rubrics'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rubric_grades'))
    )
    op.create_table('essays',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('word_count', sa.Integer(), nullable=False),
    sa.Column('saved_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('grade_id', sa.Integer(), nullable=True),
    sa.Column('released_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['assignment_id'], ['prompt_assignments.id'], name=op.f('fk_essays_assignment_id_prompt_assignments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['grade_id'], ['rubric_grades.id'], name=op.f('fk_essays_grade_id_rubric_grades'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['student_id'], ['users.id'], name=op.f('fk_essays_student_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_essays')),
    sa.UniqueConstraint('assignment_id', 'student_id', name=op.f('uq_essays_assignment_id'))
    )
    with op.batch_alter_table('essays', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_essays_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_essays_student_id'), ['student_id'], unique=False)

    op.create_table('live_debates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('join_code', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('rounds', sa.JSON(), nullable=False),
    sa.Column('round_index', sa.Integer(), nullable=False),
    sa.Column('round_started_at', sa.DateTime(), nullable=True),
    sa.Column('students_choose_side', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['prompt_assignments.id'], name=op.f('fk_live_debates_assignment_id_prompt_assignments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_debates')),
    sa.UniqueConstraint('assignment_id', name=op.f('uq_live_debates_assignment_id')),
    sa.UniqueConstraint('join_code', name=op.f('uq_live_debates_join_code'))
    )
    op.create_table('posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('depth', sa.Integer(), nullable=False),
    sa.Column('stance', sa.String(length=16), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('pinned', sa.Boolean(), nullable=False),
    sa.Column('removed', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['assignment_id'], ['prompt_assignments.id'], name=op.f('fk_posts_assignment_id_prompt_assignments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_posts_author_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['posts.id'], name=op.f('fk_posts_parent_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posts'))
    )
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_posts_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_posts_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_posts_parent_id'), ['parent_id'], unique=False)

    op.create_table('rubric_levels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['rubric_criteria.id'], name=op.f('fk_rubric_levels_criterion_id_rubric_criteria'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rubric_levels'))
    )
    with op.batch_alter_table('rubric_levels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rubric_levels_criterion_id'), ['criterion_id'], unique=False)

    op.create_table('debate_participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('debate_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=16), nullable=False),
    sa.Column('joined_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['debate_id'], ['live_debates.id'], name=op.f('fk_debate_participants_debate_id_live_debates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_debate_participants_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_debate_participants')),
    sa.UniqueConstraint('debate_id', 'user_id', name=op.f('uq_debate_participants_debate_id'))
    )
    with op.batch_alter_table('debate_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_debate_participants_user_id'), ['user_id'], unique=False)

    op.create_table('debate_speakers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('debate_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['debate_id'], ['live_debates.id'], name=op.f('fk_debate_speakers_debate_id_live_debates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_debate_speakers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_debate_speakers'))
    )
    with op.batch_alter_table('debate_speakers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_debate_speakers_debate_id'), ['debate_id'], unique=False)

    op.create_table('debate_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('debate_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('phase', sa.String(length=8), nullable=False),
    sa.Column('side', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['debate_id'], ['live_debates.id'], name=op.f('fk_debate_votes_debate_id_live_debates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_debate_votes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_debate_votes')),
    sa.UniqueConstraint('debate_id', 'user_id', 'phase', name=op.f('uq_debate_votes_debate_id'))
    )
    with op.batch_alter_table('debate_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_debate_votes_debate_id'), ['debate_id'], unique=False)

    op.create_table('discussion_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['prompt_assignments.id'], name=op.f('fk_discussion_events_assignment_id_prompt_assignments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_discussion_events_post_id_posts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_discussion_events_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_events'))
    )
    with op.batch_alter_table('discussion_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_events_assignment_id'), ['assignment_id'], unique=False)

    op.create_table('post_citations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('passage_id', sa.Integer(), nullable=True),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('source_title', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['passage_id'], ['passages.id'], name=op.f('fk_post_citations_passage_id_passages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_citations_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_citations')),
    sa.UniqueConstraint('post_id', 'passage_id', name=op.f('uq_post_citations_post_id'))
    )
    with op.batch_alter_table('post_citations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_post_citations_post_id'), ['post_id'], unique=False)

    op.create_table('post_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('voter_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_votes_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['voter_id'], ['users.id'], name=op.f('fk_post_votes_voter_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_votes')),
    sa.UniqueConstraint('post_id', 'voter_id', name=op.f('uq_post_votes_post_id'))
    )
    with op.batch_alter_table('post_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_post_votes_post_id'), ['post_id'], unique=False)

    op.create_table('rubric_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grade_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=True),
    sa.Column('level_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('criterion_title', sa.String(length=200), nullable=False),
    sa.Column('level_title', sa.String(length=120), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('max_points', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['rubric_criteria.id'], name=op.f('fk_rubric_scores_criterion_id_rubric_criteria'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['grade_id'], ['rubric_grades.id'], name=op.f('fk_rubric_scores_grade_id_rubric_grades'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['level_id'], ['rubric_levels.id'], name=op.f('fk_rubric_scores_level_id_rubric_levels'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rubric_scores')),
    sa.UniqueConstraint('grade_id', 'criterion_id', name=op.f('uq_rubric_scores_grade_id'))
    )
    with op.batch_alter_table('rubric_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rubric_scores_grade_id'), ['grade_id'], unique=False)


def downgrade():
    with op.batch_alter_table('rubric_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rubric_scores_grade_id'))

    op.drop_table('rubric_scores')
    with op.batch_alter_table('post_votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_post_votes_post_id'))

    op.drop_table('post_votes')
    with op.batch_alter_table('post_citations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_post_citations_post_id'))

    op.drop_table('post_citations')
    with op.batch_alter_table('discussion_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discussion_events_assignment_id'))

    op.drop_table('discussion_events')
    with op.batch_alter_table('debate_votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_debate_votes_debate_id'))

    op.drop_table('debate_votes')
    with op.batch_alter_table('debate_speakers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_debate_speakers_debate_id'))

    op.drop_table('debate_speakers')
    with op.batch_alter_table('debate_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_debate_participants_user_id'))

    op.drop_table('debate_participants')
    with op.batch_alter_table('rubric_levels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rubric_levels_criterion_id'))

    op.drop_table('rubric_levels')
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_posts_parent_id'))
        batch_op.drop_index(batch_op.f('ix_posts_author_id'))
        batch_op.drop_index(batch_op.f('ix_posts_assignment_id'))

    op.drop_table('posts')
    op.drop_table('live_debates')
    with op.batch_alter_table('essays', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_essays_student_id'))
        batch_op.drop_index(batch_op.f('ix_essays_assignment_id'))

    op.drop_table('essays')
    op.drop_table('rubric_grades')
    with op.batch_alter_table('rubric_criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rubric_criteria_rubric_id'))

    op.drop_table('rubric_criteria')
    with op.batch_alter_table('prompt_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prompt_evidence_prompt_id'))

    op.drop_table('prompt_evidence')
    with op.batch_alter_table('prompt_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prompt_assignments_prompt_id'))
        batch_op.drop_index(batch_op.f('ix_prompt_assignments_classroom_id'))

    op.drop_table('prompt_assignments')
    with op.batch_alter_table('rubrics', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rubrics_owner_id'))

    op.drop_table('rubrics')
    with op.batch_alter_table('prompts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prompts_unit_id'))
        batch_op.drop_index(batch_op.f('ix_prompts_owner_id'))

    op.drop_table('prompts')

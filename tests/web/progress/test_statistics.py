"""Quiz statistics checked against values worked out by hand on a small fixed data set."""

from __future__ import annotations

import math

import pytest

from question_bank.statistics import (
    ItemStats,
    correlation,
    cronbach_alpha,
    discrimination_index,
    flag_item,
    item_stats,
    kr20,
    mastery,
    mean,
    median,
    point_biserial,
    quiz_stats,
    recency_weighted_mean,
    standard_deviation,
)

# Six attempts at three right/wrong questions A, B, C; totals 3, 2, 2, 1, 1, 0.
ROWS = [
    {"A": 1, "B": 1, "C": 1},
    {"A": 1, "B": 1, "C": 0},
    {"A": 1, "B": 0, "C": 1},
    {"A": 1, "B": 0, "C": 0},
    {"A": 0, "B": 1, "C": 0},
    {"A": 0, "B": 0, "C": 0},
]
MATRIX = [[row["A"], row["B"], row["C"]] for row in ROWS]
TOTALS = [3, 2, 2, 1, 1, 0]


def test_mean_median_and_sample_standard_deviation():
    """Mean 62.5, median 62.5 and SD √(3125/3) for 50, 100, 75, 25."""
    values = [50, 100, 75, 25]
    assert mean(values) == 62.5
    assert median(values) == 62.5
    assert median([3, 1, 2]) == 2
    assert standard_deviation(values) == pytest.approx(math.sqrt(3125 / 3))


def test_empty_and_single_values_have_no_spread():
    """No values: no mean or median; one value: a mean but no standard deviation."""
    assert mean([]) is None and median([]) is None
    assert mean([0.4]) == 0.4 and standard_deviation([0.4]) is None


def test_facility_and_standard_deviation_per_question():
    """Facility 4/6, 3/6, 2/6; question A's SD is √(4/15)."""
    stats = item_stats(ROWS)
    assert [stats[key].facility for key in "ABC"] == pytest.approx([4 / 6, 3 / 6, 2 / 6])
    assert stats["A"].sd == pytest.approx(math.sqrt(4 / 15))
    assert stats["B"].sd == pytest.approx(math.sqrt(0.3))
    assert all(stats[key].attempts == 6 for key in "ABC")


def test_discrimination_index_compares_top_and_bottom_thirds():
    """Top two attempts (totals 3, 2) against the bottom two (1, 0): A 1.0, B 0.5, C 0.5."""
    stats = item_stats(ROWS)
    assert [stats[key].discrimination for key in "ABC"] == pytest.approx([1.0, 0.5, 0.5])
    assert discrimination_index([1, 0], [2, 1]) is None  # fewer than three attempts: no thirds


def test_point_biserial_correlates_with_the_rest_of_the_quiz():
    """A against B + C: r = (2/3) / √((4/3)(17/6)) ≈ 0.343."""
    expected = (2 / 3) / math.sqrt((4 / 3) * (17 / 6))
    assert point_biserial([row["A"] for row in ROWS], TOTALS) == pytest.approx(expected)
    assert item_stats(ROWS)["A"].point_biserial == pytest.approx(0.34300, abs=1e-5)


def test_cronbach_alpha_and_kr20_agree_on_right_wrong_items():
    """Σ item variances 5/6, total variance 11/10: alpha = 3/2 · (1 − 25/33) = 4/11, and so is KR-20."""
    assert cronbach_alpha(MATRIX) == pytest.approx(4 / 11)
    assert kr20(MATRIX) == pytest.approx(4 / 11)


def test_kr20_refuses_partial_credit():
    """KR-20 is for 0/1 items only."""
    with pytest.raises(ValueError, match="0 or 1"):
        kr20([[0.5, 1], [1, 0]])


def test_a_single_attempt_gives_facility_but_nothing_that_needs_spread():
    """One attempt: facility is its score; SD, discrimination, correlation and alpha are undefined."""
    stats = item_stats([{"A": 1, "B": 0.5}])
    assert stats["B"].facility == 0.5
    assert stats["B"].sd is None and stats["B"].discrimination is None and stats["B"].point_biserial is None
    summary = quiz_stats([75.0], [{"A": 1, "B": 0.5}])
    assert (summary.mean, summary.median, summary.sd, summary.alpha) == (75.0, 75.0, None, None)


def test_all_correct_means_zero_variance_and_no_correlation():
    """Everyone right on everything: facility 1, SD 0, no correlation, no alpha (nothing varies)."""
    rows = [{"A": 1, "B": 1} for _ in range(4)]
    stats = item_stats(rows)
    assert stats["A"].facility == 1 and stats["A"].sd == 0
    assert stats["A"].point_biserial is None and stats["A"].discrimination == 0
    assert quiz_stats([100.0] * 4, rows).alpha is None
    assert correlation([1, 1, 1], [0, 1, 2]) is None


def test_alpha_uses_only_the_questions_every_attempt_had():
    """With random questions, alpha is taken over the common ones; with fewer than two it is undefined."""
    rows = [{**row, f"extra{n}": 1} for n, row in enumerate(ROWS)]
    summary = quiz_stats([50.0] * 6, rows)
    assert summary.alpha_items == 3 and summary.alpha == pytest.approx(4 / 11)
    assert quiz_stats([1.0, 2.0], [{"A": 1}, {"B": 0}]).alpha is None


def test_flags_for_easy_hard_negative_and_unused_distractors():
    """Each flag fires on its own condition, and none below the minimum number of attempts."""
    easy = ItemStats(attempts=10, facility=0.95, sd=0.2, discrimination=0.1, point_biserial=0.1)
    assert flag_item(easy) == ["too easy"]
    hard = ItemStats(attempts=10, facility=0.1, sd=0.3, discrimination=-0.2, point_biserial=-0.1)
    assert flag_item(hard) == ["too hard", "negative discrimination"]
    mc = ItemStats(attempts=10, facility=0.5, sd=0.5, discrimination=0.4, point_biserial=0.3,
                   choice_counts={"Oslo": 5, "Bergen": 5, "Lima": 0, "": 0}, correct_choice="Oslo")
    assert flag_item(mc) == ["distractor nobody picks"]
    assert flag_item(ItemStats(attempts=3, facility=1.0, sd=0.0, discrimination=None, point_biserial=None)) == []


def test_recent_answers_weigh_more_in_mastery():
    """Newest first with decay 0.8: right then two wrong gives 1 / 2.44; no answers give None."""
    assert recency_weighted_mean([1, 0, 0]) == pytest.approx(1 / 2.44)
    assert recency_weighted_mean([0, 0, 1]) == pytest.approx(0.64 / 2.44)
    assert recency_weighted_mean([]) is None


def test_answers_given_together_weigh_the_same_in_mastery():
    """Two answers of one attempt count equally; an earlier attempt counts 0.8 as much."""
    assert mastery([(2, 1.0), (2, 0.0)]) == pytest.approx(0.5)
    assert mastery([(1, 1.0), (2, 0.0), (2, 0.0)]) == pytest.approx(0.8 / 2.8)
    assert mastery([]) is None

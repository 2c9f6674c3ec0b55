"""Test statistics for quizzes, as Moodle's quiz statistics report computes them, and topic mastery.

Scores are fractions of a question's marks (0 to 1) unless said otherwise. Every function takes plain
lists and returns ``None`` where a figure is undefined (too few attempts, or no variance to divide by)
rather than raising, so a report can print a dash. No Flask and no database here.

Terms, for the docs and the tests:

* **Facility index**: the mean score on a question (0 = nobody got it, 1 = everybody did).
* **Standard deviation**: the sample standard deviation (``n - 1``) of the scores on a question.
* **Discrimination index**: mean score on the question of the top third of attempts (ranked by
  their total) minus that of the bottom third; from -1 to 1.
* **Point-biserial correlation**: the Pearson correlation of a question's score with the score on
  the *rest* of the quiz (the question itself left out, as Moodle does, so an item does not
  correlate with itself).
* **Cronbach's alpha**: the quiz's internal consistency, ``k/(k-1) · (1 - Σ var(item) / var(total))``;
  on right/wrong items it is the same number as KR-20.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

EASY_FACILITY = 0.9
"""A question more than 90 % of attempts get right tells the teacher little."""
HARD_FACILITY = 0.2
"""A question fewer than 20 % get right is too hard, or wrong."""
MIN_ATTEMPTS_FOR_FLAGS = 5
"""Below this many answers the figures are too rough to flag a question."""
MASTERY_DECAY = 0.8
"""Each older answer on a topic counts this much less than the one after it."""


def mean(values: Sequence[float]) -> float | None:
    """The arithmetic mean, or None for no values."""
    return math.fsum(values) / len(values) if values else None


def median(values: Sequence[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count), or None."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def variance(values: Sequence[float]) -> float | None:
    """The sample variance (``n - 1``), or None for fewer than two values."""
    if len(values) < 2:
        return None
    centre = mean(values)
    return math.fsum((value - centre) ** 2 for value in values) / (len(values) - 1)


def standard_deviation(values: Sequence[float]) -> float | None:
    """The sample standard deviation, or None for fewer than two values."""
    spread = variance(values)
    return None if spread is None else math.sqrt(spread)


def correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r, or None when either list has no variance (or there are fewer than two pairs)."""
    if len(xs) != len(ys):
        raise ValueError("correlation needs pairs: the lists differ in length")
    if len(xs) < 2:
        return None
    mean_x, mean_y = mean(xs), mean(ys)
    sxy = math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    sxx = math.fsum((x - mean_x) ** 2 for x in xs)
    syy = math.fsum((y - mean_y) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)


def discrimination_index(item: Sequence[float], totals: Sequence[float]) -> float | None:
    """Top third's mean item score minus the bottom third's, ranking attempts by total (None below 3).

    Ties in the total keep the attempts' given order, so the result is repeatable.
    """
    if len(item) != len(totals):
        raise ValueError("one total per item score is needed")
    group = len(item) // 3
    if group == 0:
        return None
    ranked = sorted(range(len(item)), key=lambda n: -totals[n])
    top = [item[n] for n in ranked[:group]]
    bottom = [item[n] for n in ranked[-group:]]
    return mean(top) - mean(bottom)


def point_biserial(item: Sequence[float], totals: Sequence[float]) -> float | None:
    """Correlation of the item's score with the rest of the quiz (total minus the item)."""
    rest = [total - score for score, total in zip(item, totals, strict=True)]
    return correlation(item, rest)


def cronbach_alpha(matrix: Sequence[Sequence[float]]) -> float | None:
    """Cronbach's alpha of attempts (rows) × items (columns); KR-20 when items score 0 or 1.

    None for fewer than two attempts or items, or when the totals do not vary.
    """
    if len(matrix) < 2:
        return None
    k = len(matrix[0])
    if k < 2 or any(len(row) != k for row in matrix):
        return None
    item_variances = [variance([row[j] for row in matrix]) for j in range(k)]
    total_variance = variance([math.fsum(row) for row in matrix])
    if not total_variance or total_variance <= 1e-12:
        return None
    return k / (k - 1) * (1 - math.fsum(item_variances) / total_variance)


def kr20(matrix: Sequence[Sequence[float]]) -> float | None:
    """Kuder–Richardson 20 for right/wrong (0/1) items: ``k/(k-1) · (1 - Σ p·q / var(total))``."""
    if any(value not in (0, 1) for row in matrix for value in row):
        raise ValueError("KR-20 needs items scored 0 or 1; use cronbach_alpha for partial credit")
    if len(matrix) < 2 or len(matrix[0]) < 2:
        return None
    k, n = len(matrix[0]), len(matrix)
    totals = [math.fsum(row) for row in matrix]
    centre = mean(totals)
    total_variance = math.fsum((total - centre) ** 2 for total in totals) / n  # population, as p·q is
    if total_variance <= 1e-12:
        return None
    pq = math.fsum(p * (1 - p) for p in (math.fsum(row[j] for row in matrix) / n for j in range(k)))
    return k / (k - 1) * (1 - pq / total_variance)


# --------------------------------------------------------------------------- item analysis


@dataclass
class ItemStats:
    """One question's figures over the attempts that were given it."""

    attempts: int
    facility: float | None
    sd: float | None
    discrimination: float | None
    point_biserial: float | None
    choice_counts: dict[str, int] = field(default_factory=dict)
    """For multiple choice: how often each choice was picked (and "" for no answer)."""
    correct_choice: str | None = None
    flags: list[str] = field(default_factory=list)


@dataclass
class QuizStats:
    """The whole quiz's figures over the attempts analysed (scores as percentages)."""

    attempts: int
    mean: float | None
    median: float | None
    sd: float | None
    alpha: float | None
    alpha_items: int
    """How many questions every analysed attempt had: alpha is computed over these."""


def item_stats(scores: Sequence[dict[Hashable, float]]) -> dict[Hashable, ItemStats]:
    """Per question: facility, SD, discrimination and point-biserial over the attempts that had it.

    ``scores`` holds one dict per attempt, question key → fraction scored. An attempt's total is the
    sum of its fractions, so each question weighs the same (as Moodle's "% of the item's marks").
    """
    totals = [math.fsum(attempt.values()) for attempt in scores]
    keys: list[Hashable] = []
    for attempt in scores:
        keys.extend(key for key in attempt if key not in keys)
    result = {}
    for key in keys:
        pairs = [(attempt[key], total) for attempt, total in zip(scores, totals, strict=True) if key in attempt]
        item = [score for score, _ in pairs]
        with_totals = [total for _, total in pairs]
        result[key] = ItemStats(
            attempts=len(item), facility=mean(item), sd=standard_deviation(item),
            discrimination=discrimination_index(item, with_totals),
            point_biserial=point_biserial(item, with_totals))
    return result


def quiz_stats(percents: Sequence[float], scores: Sequence[dict[Hashable, float]]) -> QuizStats:
    """Mean, median and SD of the attempts' percentages, and alpha over the questions all of them had."""
    common: set[Hashable] | None = None
    for attempt in scores:
        common = set(attempt) if common is None else common & set(attempt)
    ordered = sorted(common or (), key=str)
    matrix = [[attempt[key] for key in ordered] for attempt in scores]
    return QuizStats(attempts=len(percents), mean=mean(percents), median=median(percents),
                     sd=standard_deviation(percents),
                     alpha=cronbach_alpha(matrix) if ordered else None, alpha_items=len(ordered))


def flag_item(stats: ItemStats, min_attempts: int = MIN_ATTEMPTS_FOR_FLAGS) -> list[str]:
    """What looks wrong with a question: too easy, too hard, negatively discriminating, an unused distractor."""
    if stats.attempts < min_attempts or stats.facility is None:
        return []
    flags = []
    if stats.facility > EASY_FACILITY:
        flags.append("too easy")
    if stats.facility < HARD_FACILITY:
        flags.append("too hard")
    if (stats.point_biserial is not None and stats.point_biserial < 0) or (
            stats.discrimination is not None and stats.discrimination < 0):
        flags.append("negative discrimination")
    unused = [choice for choice, count in stats.choice_counts.items()
              if choice and choice != stats.correct_choice and count == 0]
    if unused:
        flags.append("distractor nobody picks")
    return flags


# --------------------------------------------------------------------------- mastery


def recency_weighted_mean(values_newest_first: Iterable[float], decay: float = MASTERY_DECAY) -> float | None:
    """A mean in which each older value counts ``decay`` times the one after it (None for none)."""
    weight, weights, total = 1.0, 0.0, 0.0
    for value in values_newest_first:
        total += weight * value
        weights += weight
        weight *= decay
    return total / weights if weights else None


def mastery(answers: Iterable[tuple[Any, float]], decay: float = MASTERY_DECAY) -> float | None:
    """Recency-weighted mean of ``(when, score)`` answers (None for none).

    Answers given at the same moment (one quiz attempt) weigh the same; each earlier moment counts
    ``decay`` times the one after it.
    """
    ordered = sorted(answers, key=lambda answer: answer[0], reverse=True)
    total = weights = 0.0
    rank, previous = -1, object()
    for when, score in ordered:
        if when != previous:
            rank, previous = rank + 1, when
        weight = decay ** rank
        total += weight * score
        weights += weight
    return total / weights if weights else None

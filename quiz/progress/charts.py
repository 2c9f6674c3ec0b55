"""Chart geometry for the progress pages: the templates draw it as inline SVG, no script needed.

Each chart goes beside a table of the same figures, which is what screen readers and printouts use.
"""

from __future__ import annotations

from quiz.templating import local_time

WIDTH = 640
SCORE_HEIGHT = 240
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 48, 16, 16, 36
MAX_POINTS = 40
"""The score chart shows the latest 40 attempts; the table beside it has them all."""
BAR_HEIGHT, BAR_GAP, LABEL_WIDTH = 22, 8, 190


def band(fraction: float | None) -> str:
    """A word for a score or mastery level, used for colour classes and read out beside the number."""
    if fraction is None:
        return "none"
    if fraction < 0.5:
        return "low"
    if fraction < 0.8:
        return "mid"
    return "high"


def score_line(attempts: list) -> dict | None:
    """Points of a line chart of finished attempts' percentages over time (None for no attempts)."""
    graded = [a for a in attempts if a.percent is not None][-MAX_POINTS:]
    if not graded:
        return None
    plot_w, plot_h = WIDTH - PAD_LEFT - PAD_RIGHT, SCORE_HEIGHT - PAD_TOP - PAD_BOTTOM
    step = plot_w / (len(graded) - 1) if len(graded) > 1 else 0
    points = []
    for n, attempt in enumerate(graded):
        x = PAD_LEFT + (n * step if len(graded) > 1 else plot_w / 2)
        y = PAD_TOP + plot_h * (1 - attempt.percent / 100)
        points.append({"x": round(x, 1), "y": round(y, 1), "band": band(attempt.percent / 100),
                       "label": f"{attempt.assignment.quiz.title}, {local_time(attempt.finished_at, '%d %b')}: "
                                f"{attempt.percent:.0f}%"})
    grid = [{"y": round(PAD_TOP + plot_h * (1 - level / 100), 1), "label": f"{level}%"} for level in (0, 50, 100)]
    first, last = graded[0].finished_at, graded[-1].finished_at
    return {"width": WIDTH, "height": SCORE_HEIGHT, "left": PAD_LEFT, "right": WIDTH - PAD_RIGHT,
            "bottom": SCORE_HEIGHT - PAD_BOTTOM, "points": points, "grid": grid,
            "line": " ".join(f"{p['x']},{p['y']}" for p in points),
            "first": local_time(first, "%d %b %Y"), "last": local_time(last, "%d %b %Y"),
            "count": len(graded), "total": len([a for a in attempts if a.percent is not None])}


def _short(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mastery_bars(topics: list) -> dict | None:
    """Bars of mastery per topic, one row each (None for no topics)."""
    if not topics:
        return None
    plot_w = WIDTH - LABEL_WIDTH - PAD_RIGHT - 48
    bars = []
    for n, topic in enumerate(topics):
        answers = f"{topic.answers} answer{'s' if topic.answers != 1 else ''}"
        y = PAD_TOP + n * (BAR_HEIGHT + BAR_GAP)
        bars.append({"y": y, "text_y": y + BAR_HEIGHT * 0.7, "width": round(max(plot_w * topic.mastery, 2), 1),
                     "label": _short(topic.tag), "value": f"{topic.mastery * 100:.0f}%",
                     "value_x": round(LABEL_WIDTH + max(plot_w * topic.mastery, 2) + 6, 1),
                     "band": band(topic.mastery), "title": f"{topic.tag}: {topic.mastery * 100:.0f}% from {answers}"})
    height = PAD_TOP * 2 + len(topics) * (BAR_HEIGHT + BAR_GAP)
    return {"width": WIDTH, "height": height, "left": LABEL_WIDTH, "bars": bars, "bar_height": BAR_HEIGHT}

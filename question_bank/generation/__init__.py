"""Question generation: readings and unit notes in, cited questions out (no Flask).

``generate(documents, types=..., max_questions=..., seed=..., topics=..., glossary=...,
timeline=..., tags_for=...)`` returns a ``GenerationResult`` whose ``questions`` are best first
and whose ``stats`` count what was generated, kept and dropped (by reason), per type.
"""

from question_bank.generation.core import (
    GENERATED_TYPES,
    NEAR_DUPLICATE,
    GenerationResult,
    generate,
)

__all__ = ["GENERATED_TYPES", "NEAR_DUPLICATE", "GenerationResult", "generate"]

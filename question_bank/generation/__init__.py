"""Question generation: readings and unit notes in, cited questions out (no Flask).

``generate(documents, types=..., max_questions=..., seed=..., topics=..., glossary=...,
timeline=..., tags_for=...)`` returns a ``GenerationResult`` whose ``questions`` are best first
and whose ``stats`` count what was generated, kept and dropped (by reason), per type.
``generate_with_unit(readings, unit, ...)`` adds a loaded unit's notes, glossary, timeline,
topic pack and passage tags.
"""

from question_bank.generation.core import (
    GENERATED_TYPES,
    NEAR_DUPLICATE,
    GenerationResult,
    generate,
    generate_with_unit,
    unit_inputs,
)

__all__ = ["GENERATED_TYPES", "NEAR_DUPLICATE", "GenerationResult", "generate",
           "generate_with_unit", "unit_inputs"]

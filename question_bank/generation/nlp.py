"""The one spaCy pipeline the generator uses: a blank English tokenizer and a sentencizer.

No statistical model is loaded (nothing downloads at run time); the pipeline is built once per
process on first use.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def pipeline():
    """``spacy.blank("en")`` with a sentencizer, built on first use."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences in ``text``."""
    doc = pipeline()(text)
    spans = []
    for sent in doc.sents:
        start = sent.start_char
        end = sent.end_char
        # Keep a closing quote or bracket with the sentence it ends.
        while end < len(text) and text[end] in "”\"’)]":
            end += 1
        if spans and start < spans[-1][1]:
            start = spans[-1][1]
        while start < end and text[start].isspace():
            start += 1
        if start < end:
            spans.append((start, end))
    return spans

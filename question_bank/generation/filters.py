"""Quality rules a generated question must pass; each returns a reason string or ``""``.

The generator overgenerates, then drops what these rules catch and records the reasons in
``GenerationResult.stats["dropped"]``.
"""

from __future__ import annotations

import re

from question_bank.generation.entities import norm

PRONOUNS = {
    "it", "its", "this", "that", "these", "those", "he", "she", "they", "them", "his", "her",
    "their", "such", "we", "our", "us", "i", "you", "your", "here", "there", "both", "another",
    "which", "whose",
}
_AUX = {
    "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did",
    "will", "would", "can", "could", "may", "might", "must", "shall", "should", "says", "said",
}
_VERBS = set("""
agree agrees allow allows appear appears ask asks become becomes begin begins believe believes
bring brings call calls cause causes claim claims come comes condemn condemns continue continues
create creates deliver delivers describe describes drive drives emphasise emphasises emphasize
emphasizes entail entails estimate estimates expect expects face faces fear fears fill fills find
finds follow follows force forces give gives go goes grow grows help helps highlight highlights
hold holds include includes indicate indicates involve involves keep keeps know knows lead leads
leave leaves make makes mark marks mean means meet meets need needs offer offers paint paints
pose poses promise promises provide provides raise raises reflect reflects remain remains
represent represents require requires say seek seeks seem seems see sees serve serves show shows
sign signs signify signifies state states suggest suggests support supports take takes tell
tells think thinks threaten threatens underscore underscores undermine undermines upend upends
want wants warn warns weaken weakens worry worries shape shapes sit sits stand stands
""".split())
_IRREGULAR_PAST = set("""
spent met made took gave went came sent held led left built bought brought won lost paid told
found began became rose fell grew knew wrote ran saw set put kept felt thought sold struck drew
chose broke spoke stood understood fought meant sought got hit cut shut won't can't
""".split())
_FUNCTION = set("""
of the a an and or in on at for with by from to between since its their his her our many several
two three four some few these those other new more most such as into over under about after
before during against without within each every all any both this that
""".split())
_NOT_VERBS_ED = {"red", "bed", "need", "speed", "seed", "feed", "hundred", "shed", "sled", "bred",
                 "creed", "greed", "breed", "deed", "indeed", "weed"}
_TERMINAL = (".", "!", "?", "”", '"', "’", "'", ")")


def has_verb(text: str) -> bool:
    """A rough test for a finite verb, good enough to tell a sentence from a heading."""
    words = re.findall(r"[A-Za-z’'-]+", text)
    for i, word in enumerate(words):
        low = word.lower().replace("’", "'")
        if low in _AUX or low in _VERBS or low in _IRREGULAR_PAST or low.endswith("n't"):
            return True
        if word.islower() and len(low) > 4 and low.endswith("ed") and low not in _NOT_VERBS_ED:
            return True
        # "the agreement commits...": a lowercase -s word right after a noun, not a preposition.
        if (i > 0 and word.islower() and len(low) > 3 and low.endswith("s")
                and not low.endswith(("ss", "us", "is", "ics", "'s"))
                and words[i - 1].lower() not in _FUNCTION and not words[i - 1].endswith("s")):
            return True
    return False


def unbalanced(text: str) -> bool:
    """Quotes or brackets that open and never close (or the reverse)."""
    pairs = (("“", "”"), ("(", ")"), ("[", "]"))
    if any(text.count(a) != text.count(b) for a, b in pairs):
        return True
    return text.count('"') % 2 == 1


def fragment_reason(text: str) -> str:
    """Why a statement is not a whole sentence, or ``""`` when it is."""
    words = text.split()
    if len(words) < 6:
        return "fragment:too_short"
    first = text.lstrip("“\"‘'(")[:1]
    if first.islower():
        return "fragment:starts_lowercase"
    if unbalanced(text):
        return "fragment:unbalanced"
    if not text.rstrip().endswith(_TERMINAL):
        return "fragment:no_end_punctuation"
    if not has_verb(text):
        return "fragment:no_verb"
    return ""


_CONNECTIVE = re.compile(
    r"(?:thus|however|moreover|furthermore|therefore|consequently|additionally|meanwhile|instead|"
    r"still|yet|also|hence|nonetheless|nevertheless|similarly|likewise|indeed|besides|"
    r"in addition|as a result|in turn|at the same time|for example|for instance|in fact|above all|"
    r"in particular|in short|overall|finally|first|second|third),?\s+", re.IGNORECASE)


def pronoun_start(text: str) -> bool:
    """True when a statement opens with a pronoun whose referent is in another sentence.

    A link word before it changes nothing: "Thus, it will..." is as unresolved as "It will...".
    """
    text = text.strip().lstrip("“\"‘'")
    connective = _CONNECTIVE.match(text)
    if connective:
        text = text[connective.end():]
    match = re.match(r"([A-Za-z]+)", text)
    return bool(match) and match.group(1).lower() in PRONOUNS


def answer_in_stem(stem: str, answers: list[str]) -> bool:
    """True when the stem gives the answer (or one of its accepted forms) away."""
    flat = " " + re.sub(r"[^\w\s]", " ", norm(stem)) + " "
    flat = re.sub(r"\s+", " ", flat)
    for answer in answers:
        key = re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", norm(answer))).strip()
        if key and f" {key} " in flat:
            return True
    return False


def statement_reason(text: str) -> str:
    """All sentence-level rules together: fragment, pronoun start, or a question."""
    reason = fragment_reason(text)
    if reason:
        return reason
    if pronoun_start(text):
        return "pronoun_start"
    if text.rstrip("”\"’' ").endswith("?"):
        return "is_a_question"
    if re.search(r"https?://|www\.", text):
        return "has_link"
    return ""

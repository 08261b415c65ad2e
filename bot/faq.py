"""Choosing the FAQ answer that fits a question, by its keywords in content/faq.yml."""

from __future__ import annotations

from bot.content.kinds.faq import FaqTopic
from nlu.normalise import normalise_with_origin


def best_topic(question: str, topics: dict[str, FaqTopic]) -> str | None:
    """The topic whose keywords the question uses most; None when none fits.

    On a tie the longer keywords win: "phạt bao nhiêu năm" says more than "mua bán người".
    """
    normalised = normalise_with_origin(question)
    scores: dict[str, tuple[int, int]] = {}
    for topic_id, topic in topics.items():
        matched = {m.phrase: m.end - m.start for m in topic.keywords.find(normalised)}
        scores[topic_id] = (len(matched), sum(matched.values()))
    best = max(scores, key=scores.__getitem__, default=None)
    return best if best is not None and scores[best][0] > 0 else None

"""Choosing the FAQ answer that fits a question, by its keywords in content/faq.yml."""
from __future__ import annotations

from typing import Dict, Optional

from bot.content.model import FaqTopic
from nlu.normalise import normalise_with_origin


def best_topic(question: str, topics: Dict[str, FaqTopic]) -> Optional[str]:
    """The topic whose keywords the question uses most; None when none fits."""
    normalised = normalise_with_origin(question)
    scores = {
        topic_id: len({m.phrase for m in topic.keywords.find(normalised)})
        for topic_id, topic in topics.items()
    }
    best = max(scores, key=scores.get, default=None)
    return best if best is not None and scores[best] > 0 else None

"""Which policy decides each turn? Every pair of intents (earlier turn, this turn), predicted by a model.

    .venv/bin/python scripts/which_policy.py MODEL [--compare OTHER_MODEL]

For every intent the assistant knows (but the EXTERNAL_ ones, which the
hand-off loop handles), after a fresh session and after every other intent,
it predicts the actions up to the next action_listen and counts which policy
won each prediction. With --compare it does the same with a second model and
lists the pairs whose actions differ: this is how removing TEDPolicy was
checked (docs/benchmarks.md, "Without TEDPolicy"). Actions are predicted, not
run, so slots they would set (the open question) stay empty: the whole
conversations are in tests/conversations. Results/which_policy.json.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

from rasa.core.agent import Agent
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

ROOT = Path(__file__).resolve().parent.parent
MAX_ACTIONS_PER_TURN = 5

# (earlier intent or "", intent) -> [(action, winning policy), ...] up to action_listen
Predictions = dict[str, list[tuple[str, str]]]


def predict_turn(agent: Agent, tracker: DialogueStateTracker) -> list[tuple[str, str]]:
    """The actions the model runs after the latest user message, each with the policy that chose it."""
    chain = []
    for _ in range(MAX_ACTIONS_PER_TURN):
        prediction = agent.processor._predict_next_with_tracker(tracker)
        action = agent.domain.action_names_or_texts[prediction.max_confidence_index]
        chain.append((action, prediction.policy_name))
        tracker.update(ActionExecuted(action))
        if action == "action_listen":
            return chain
    tracker.update(ActionExecuted("action_listen"))
    return chain


def all_pairs(model: str) -> Predictions:
    agent = Agent.load(model)
    intents = [intent for intent in agent.domain.intents if not intent.startswith("EXTERNAL_")]
    predictions: Predictions = {}
    for earlier in ["", *intents]:
        for intent in intents:
            tracker = DialogueStateTracker("which-policy", agent.domain.slots)
            for event in (ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")):
                tracker.update(event)
            if earlier:
                tracker.update(UserUttered("earlier", {"name": earlier, "confidence": 1.0}))
                predict_turn(agent, tracker)
            tracker.update(UserUttered("this", {"name": intent, "confidence": 1.0}))
            predictions[f"{earlier or '(start)'} -> {intent}"] = predict_turn(agent, tracker)
    return predictions


def winners(predictions: Predictions) -> dict[str, int]:
    return dict(collections.Counter(policy for chain in predictions.values() for _, policy in chain))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("--compare", help="a second model: list the pairs whose actions differ")
    args = parser.parse_args()
    ours = all_pairs(args.model)
    result: dict = {"pairs": len(ours), "winning policy, predictions": winners(ours)}
    if args.compare:
        other = all_pairs(args.compare)
        result["compared: winning policy, predictions"] = winners(other)
        result["pairs whose actions differ"] = {
            pair: {"model": ours[pair], "compared": other[pair]}
            for pair in ours
            if [action for action, _ in ours[pair]] != [action for action, _ in other[pair]]
        }
    (ROOT / "results").mkdir(exist_ok=True)
    (ROOT / "results" / "which_policy.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))
    json.dump({k: v for k, v in result.items() if k != "pairs whose actions differ"}, sys.stdout, indent=1)
    print(f"\npairs whose actions differ: {len(result.get('pairs whose actions differ', {}))}")


if __name__ == "__main__":
    main()

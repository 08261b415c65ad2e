"""Rasa pipeline components for Vietnamese, and the dialogue policy that reads them. The only module of `nlu` that imports Rasa."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.core.constants import ACTION_LISTEN_NAME, IS_EXTERNAL
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu import answers
from nlu.danger import DEFAULT_SIGNALS_FILE, PROJECT_ROOT, DangerNet
from nlu.normalise import emoji_words, normalise

DANGER_INTENT = "report_danger"
MAX_TOKENS = 300


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class VietnameseTokenizer(WhitespaceTokenizer):
    """One token per syllable as typed; the normalised form goes in the lemma.

    Token text and offsets stay verbatim so entity values are the user's own
    words; featurizers read the lemma, so "ko", "k" and "không" look alike.
    Emoji that carry meaning (🆘, 😭) become tokens instead of being dropped.
    """

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text = message.get(attribute)
        tokens = super().tokenize(message, attribute)
        # The classifier reads at most MAX_TOKENS: Rasa runs NLU inside its event loop,
        # and a few thousand tokens would hold every other user up for a second. A
        # message that long is a pasted offer, which the checker reads whole.
        tokens = sorted(tokens + self._emoji_tokens(text, tokens), key=lambda t: t.start)[:MAX_TOKENS]
        previous = ""
        for token in tokens:
            token.lemma = normalise(token.text, after_number=previous.isdigit()) or token.text
            previous = token.text
        return tokens

    @staticmethod
    def _emoji_tokens(text: str, tokens: list[Token]) -> list[Token]:
        covered = {i for t in tokens for i in range(t.start, t.end)}
        known = emoji_words()
        return [
            Token(char, position) for position, char in enumerate(text) if char in known and position not in covered
        ]


def _set_intent(message: Message, name: str) -> None:
    """Make `name` the intent with full confidence, keeping the rest of the ranking."""
    chosen = {"name": name, "confidence": 1.0}
    ranking = [i for i in message.get(INTENT_RANKING_KEY) or [] if i.get("name") != name]
    message.set(INTENT, chosen, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [chosen] + ranking, add_to_output=True)


class _RuleOverride(GraphComponent):
    """An untrained component that may replace the classifier's guess."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> _RuleOverride:
        return cls(config)

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._override(message)
        return messages

    def _override(self, message: Message) -> None:
        raise NotImplementedError


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class PastedOfferOverride(_RuleOverride):
    """A long message with pay, a contact platform or a place is a pasted offer; so is a phone number alone.

    When the classifier is unsure about such a message (or fell back), the
    checker sees it: people often paste an ad without a word of their own.
    A phone number alone is a recruiter's number to look up, whatever the
    classifier makes of it: to it, digits look like a quiz choice ("2").
    """

    KEEP = {"check_job_offer", DANGER_INTENT}
    # 9 to 15 digits with the spaces, dots and dashes people type: never a quiz choice or an amount in words.
    ONLY_A_PHONE_NUMBER = re.compile(r"(?:\+|00)?\d(?:[ .\-]?\d){8,14}")

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"min_words": 15, "below_confidence": 0.8, "cue_entities": ["salary", "platform", "country", "place"]}

    def _override(self, message: Message) -> None:
        predicted = message.get(INTENT) or {}
        if predicted.get("name") in self.KEEP:
            return
        if self.ONLY_A_PHONE_NUMBER.fullmatch((message.get(TEXT) or "").strip()):
            _set_intent(message, "check_job_offer")
            return
        if len((message.get(TEXT) or "").split()) < self.config["min_words"]:
            return
        unsure = (
            predicted.get("name") == "nlu_fallback" or predicted.get("confidence", 0) < self.config["below_confidence"]
        )
        has_cue = any(e.get("entity") in self.config["cue_entities"] for e in message.get("entities") or [])
        if unsure and has_cue:
            _set_intent(message, "check_job_offer")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class OwnLiabilityQuestionOverride(_RuleOverride):
    """Someone who was forced to scam asks whether they will be punished: the victim's answer, not a verdict.

    "e tung bi ep lam lua dao ben cpc, gio ve vn r, e co bi di tu ko" names a country
    and scam work, so the classifier takes it for a pasted offer. Both a forced-work
    phrase and a question about punishment must be there (`answers.asks_own_liability`);
    the danger net still runs after this.
    """

    REPLACES = {"check_job_offer", "nlu_fallback", "out_of_scope"}

    def _override(self, message: Message) -> None:
        predicted = (message.get(INTENT) or {}).get("name")
        if predicted in self.REPLACES and answers.asks_own_liability(message.get(TEXT) or ""):
            _set_intent(message, "ask_trafficking_info")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class DangerSignalOverride(_RuleOverride):
    """Danger always wins: a message with a danger phrase becomes `report_danger`.

    Placed last in the pipeline, after the classifier and the fallback, so a
    person asking for help is never lost to low confidence or a wrong guess.
    The phrases that matched are added to the parse result as `danger_signals`.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"signals_file": str(DEFAULT_SIGNALS_FILE.relative_to(PROJECT_ROOT))}

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.net = DangerNet(Path(config["signals_file"]))

    def _override(self, message: Message) -> None:
        matches = self.net.find(message.get(TEXT) or "")
        if not matches:
            return
        message.set("danger_signals", [m.signal_id for m in matches], add_to_output=True)
        if (message.get(INTENT) or {}).get("name") != DANGER_INTENT:
            _set_intent(message, DANGER_INTENT)


def since_previous_user_message(tracker: DialogueStateTracker) -> list[Event]:
    """The events from the user message before the latest one: all `answers.open_question` reads.

    Serialising the whole conversation instead would make every turn cost more than the one before.
    """
    tail: list[Event] = []
    user_messages = 0
    for event in reversed(tracker.events):
        tail.append(event)
        if isinstance(event, UserUttered):
            user_messages += 1
            if user_messages == 2:
                break
    return tail[::-1]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class OpenQuestionPolicy(Policy):
    """A message that answers the question on screen goes to the action that asked it.

    One yes/no question is open at a time: the one the assistant asked in its
    latest turn (nlu/answers.py). Rules map intents to actions without knowing
    what was asked, so "o lao" at the consent prompt, a one-line offer after
    "paste the ad here" or the words of a quiz option would each be taken as a
    new topic. This policy sends such messages to `action_answer_open_question`
    and lets everything else (and a running hand-off) follow the rules.
    Its priority is above the RulePolicy's, so it wins the ties it claims.
    """

    ACTION = "action_answer_open_question"
    # After these the assistant waits for the user: they end the turn it claimed.
    ENDS_A_CLAIMED_TURN = ("action_answer_open_question", "action_delete_my_data", "action_handoff")

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": 7}

    def train(self, *args: Any, **kwargs: Any) -> Resource:
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        abstain = self._prediction(self._default_predictions(domain))
        if tracker.active_loop_name:
            return abstain
        latest = tracker.latest_action_name
        if latest == ACTION_LISTEN_NAME:
            message = tracker.latest_message
            if (message.metadata or {}).get(IS_EXTERNAL):
                # News the bot service triggers (a report confirmed) is nobody's answer to the question.
                return abstain
            question = answers.open_question([event.as_dict() for event in since_previous_user_message(tracker)])
            intent = (message.intent or {}).get("name") or ""
            if question and answers.answers_open_question(question, message.text or "", intent):
                return self._predict(domain, self.ACTION)
            return abstain
        if latest in self.ENDS_A_CLAIMED_TURN and self._claimed_this_turn(tracker):
            return self._predict(domain, ACTION_LISTEN_NAME)
        return abstain

    def _predict(self, domain: Domain, action: str) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities)

    def _claimed_this_turn(self, tracker: DialogueStateTracker) -> bool:
        for event in reversed(tracker.events):
            if isinstance(event, UserUttered):
                return False
            if isinstance(event, ActionExecuted) and event.action_name == self.ACTION:
                return True
        return False

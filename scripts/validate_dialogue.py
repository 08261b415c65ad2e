"""`rasa data validate --fail-on-warnings`, less the warnings about intents nobody types.

`EXTERNAL_*` intents are triggered by the bot service through Rasa's API
(staff news during a hand-off) and the hand-off loop handles them without a
rule; the platform-event intents are sent by the channel connectors as
"/<intent>" (a sticker, a new follower). None has NLU examples, and Rasa warns
about that. Any other warning fails, as `--fail-on-warnings` would.
"""

import re
import sys
import warnings

from rasa.cli.utils import validate_files
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.utils.common import EXPECTED_WARNINGS

from contract.names import EXTERNAL_PREFIX, PLATFORM_EVENT_INTENTS

# Rasa's warnings quote the intent's name.
NOT_TYPED = (f"'{EXTERNAL_PREFIX}", *(f"'{intent}'" for intent in PLATFORM_EVENT_INTENTS))


def main() -> int:
    importer = TrainingDataImporter.load_from_dict(
        config_path="config.yml", domain_path="domain.yml", training_data_paths=["nlu/data", "stories"]
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        validate_files(fail_on_warnings=False, max_history=None, importer=importer)
    problems = [str(w.message) for w in caught if _counts(w)]
    for problem in problems:
        print(f"validation warning: {problem}", file=sys.stderr)
    return 1 if problems else 0


def _counts(warning: warnings.WarningMessage) -> bool:
    message = str(warning.message)
    expected_by_rasa = any(
        issubclass(warning.category, category) and re.match(pattern, message) for category, pattern in EXPECTED_WARNINGS
    )
    return (
        issubclass(warning.category, UserWarning)
        and not expected_by_rasa
        and not any(intent in message for intent in NOT_TYPED)
    )


if __name__ == "__main__":
    sys.exit(main())

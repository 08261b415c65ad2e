"""Campaign analytics: events recorded for counting, not for watching people.

`events` holds the one table and the `record_*` functions the actions and the
bot service call; `indicators` the queries campaign staff read, every count of
people passing through one small-number suppression. See docs/analytics.md.
"""

from bot.analytics.events import Recorder, purge
from bot.analytics.indicators import INDICATORS, Filters, compute_all, suppress

__all__ = ["INDICATORS", "Filters", "Recorder", "compute_all", "purge", "suppress"]

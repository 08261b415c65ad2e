"""A case's states by name: what the columns of `cases` and `case_messages` may hold.

Apart from the state machine (cases.py) so that modules recording about cases
(bot/analytics) can name them without importing the machine. cases.py
re-exports them: `cases.Status` and the others keep working.
"""

from __future__ import annotations

from typing import Final


class Status:
    """cases.status."""

    NEW: Final = "new"
    CLAIMED: Final = "claimed"
    CLOSED: Final = "closed"


class Notice:
    """cases.unclaimed_notice: the one notice a danger case nobody claimed gets."""

    NONE: Final = "none"
    DUE: Final = "due"  # the background pass found it late; the user has not been told
    SENT: Final = "sent"


class Reason:
    """cases.reason: why the user was offered a person."""

    DANGER: Final = "danger"
    REQUEST: Final = "request"


class Author:
    """case_messages.author, and cases.closed_by: whose side wrote it or ended the case."""

    USER: Final = "user"
    STAFF: Final = "staff"

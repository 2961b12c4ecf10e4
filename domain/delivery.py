"""Why our own code did not simply deliver an outbox message: the codes it records in
`OutboxMessage.last_error`.

The store and the sender record these codes, never a sentence; cards/cycle_wording.py
(`delivery_words`) says them on the progress card and on the command line. The same column also
holds the connector's own error texts ("HTTP 403: ...") and, in rows written by older versions,
the sentences these codes replaced: both are shown as they were recorded. The codes are single
lower-case words, which neither of those ever is, so a stored text is never mistaken for one.
"""

from __future__ import annotations

__all__ = [
    "RECIPIENT_LEFT",
    "NOT_INSTALLED",
    "IN_DOUBT",
    "CYCLE_CLOSED",
    "WITHDRAWN",
    "UNKNOWN_KIND",
    "UNREADABLE",
    "CODES",
]

RECIPIENT_LEFT = "recipient_left"  # not sent: inactive in the People sheet when it was queued
NOT_INSTALLED = "not_installed"  # no personal conversation with the bot to send it to
IN_DOUBT = "in_doubt"  # a worker's lease ran out before it recorded an outcome: sent again
CYCLE_CLOSED = "cycle_closed"  # cancelled: its update cycle closed before it was sent
WITHDRAWN = "withdrawn"  # every item of the request was reassigned to another owner before sending
# The row could not become a message (domain/messages.py): failed at once, never retried.
UNKNOWN_KIND = "unknown_kind"  # a kind this version has no message for (queued by a newer one?)
UNREADABLE = "unreadable"  # a known kind whose stored JSON lacks what it needs

CODES = (RECIPIENT_LEFT, NOT_INSTALLED, IN_DOUBT, CYCLE_CLOSED, WITHDRAWN, UNKNOWN_KIND, UNREADABLE)

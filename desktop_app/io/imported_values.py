"""Values that annotation files of other tools carry: times, and lists of names to report.

Shared by the W3C and REFI-QDA importers, so that both read a time the same way and say the
same thing when they cannot use one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

# How many names a one-line report lists before it says "and N more".
_NAMES_SHOWN = 3


class TimeReader:
    """Reads ISO-8601 times (`2026-12-07T17:32:30Z`) as aware UTC datetimes.

    A time that cannot be used becomes None, and the importer puts its own in its place (the
    import time, or the creation time for a modification). That happens to a time that is not
    one, and to a time at the edge of the calendar whose UTC equivalent falls outside the
    years 1 to 9999 (`0001-01-01T00:00:00+14:00`): Python cannot hold those, and leaving the
    time out keeps the annotation, which is what the file is for. `replaced` counts them so
    that the report can say so (`note()`).
    """

    def __init__(self, *, zoneless_is_utc: bool) -> None:
        # REFI-QDA's xsd:dateTime may omit the zone (read as UTC); a W3C time must have one.
        self._zoneless_is_utc = zoneless_is_utc
        self.replaced = 0

    def read(self, value: object) -> datetime | None:
        """The time in UTC; None when there is none (not counted) or it cannot be used."""
        if value is None:
            return None
        moment = self._parse(value)
        if moment is None:
            self.replaced += 1
        return moment

    def _parse(self, value: object) -> datetime | None:
        if not isinstance(value, str):
            return None
        try:
            moment = datetime.fromisoformat(value.strip())
            if moment.tzinfo is None:
                return moment.replace(tzinfo=UTC) if self._zoneless_is_utc else None
            return moment.astimezone(UTC)
        except (ValueError, OverflowError):
            return None

    def note(self) -> str | None:
        """One line for the report when a time was replaced, else None."""
        if not self.replaced:
            return None
        times = "time" if self.replaced == 1 else "times"
        return (
            f"{self.replaced:,} {times} not usable (not a date and time"
            f"{'' if self._zoneless_is_utc else ' with a time zone'}, or outside the years "
            "1 to 9999 in UTC): a creation time became the time of import, a modification "
            "time the creation time."
        )


def names_summary(names: Sequence[str]) -> str:
    """`names` for one line: all of a few, else the first three and how many more.

    A codebook of thousands of tags must not turn a report into a page-long line.
    """
    if len(names) <= _NAMES_SHOWN + 2:
        return ", ".join(names)
    return f"{', '.join(names[:_NAMES_SHOWN])} and {len(names) - _NAMES_SHOWN:,} more"


def count(number: int, noun: str) -> str:
    """`1 tag`, `3,000 tags`."""
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"

"""The plain text inside a REFI-QDA project, and how its selections' positions count in it.

Two questions the importer answers for every TextSource, kept here so they can be read (and
tested) on their own:

- What is an element's text? All of it: lxml's `.text` stops at the first entity reference,
  comment or processing instruction, and the importer used to drop whatever followed. Entities
  the file declares in its own DTD with plain text as their value are put in, as any XML
  reader would; an external entity is never read (an import opens no file a project names),
  and one whose value holds markup or other references, or that would grow the project past
  twice its size, is not expanded either. Those are left out, and listed (`ElementText.left_out`)
  so that the report says exactly what.
- Where does a position point? REFI-QDA counts positions in characters of the plain text, and
  a byte-order mark is not text: QualCoder strips it on import (its code says a BOM left in
  makes positions drift), and PRODUCT.md stores texts without one. So positions count from
  after the leading marks, whether the text is inline or a `sources/` file, with CRLF as two
  characters (what Windows tools write). A selection's `name` (our export and QualCoder put
  the selected text there) or Description can vouch for another reading: when more of a
  source's selections fit it, the source is read that way, and the report says so.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from desktop_app.core.text_normalise import normalise_text

_LEADING_MARKS = "\ufeff\ufffe"
# A selection name that shortens a long quote ends with this (see refi_export._selection_name).
_ELLIPSIS = "…"
# Beyond this many characters a quote is not flattened whole to compare with a name.
_NAME_SLACK = 4096


class ElementText:
    """Text content of the project's elements, with its own plain-text entities put in."""

    def __init__(self, root: etree._Element, budget: int) -> None:
        # The value of each plain-text entity; for the others, why it is not expanded.
        self._entities: dict[str, str] = {}
        self._not_expanded: dict[str, str] = {}
        dtd = root.getroottree().docinfo.internalDTD
        for entity in dtd.iterentities() if dtd is not None else ():
            value = entity.content
            if entity.name in self._entities or entity.name in self._not_expanded:
                continue  # the first declaration counts, as in XML
            if entity.system_url is not None or value is None:
                self._not_expanded[entity.name] = "an external entity: never read"
            elif set("&<") & set(value):
                self._not_expanded[entity.name] = "its value holds markup or references"
            else:
                self._entities[entity.name] = value
        self._budget = budget
        self.left_out: list[str] = []

    def of(self, element: etree._Element, where: str) -> str:
        """Everything `element` says as text; `where` names it in `left_out`."""
        parts = [element.text or ""]
        for child in element:
            if isinstance(child, etree._Entity):
                parts.append(self._expanded(str(child.name), where))
            elif isinstance(child.tag, str):  # an element the schema does not put here
                parts.append(self.of(child, where))
            # A comment or processing instruction is no text; what follows it is.
            parts.append(child.tail or "")
        return "".join(parts)

    def _expanded(self, name: str, where: str) -> str:
        value = self._entities.get(name)
        if value is None:
            why = self._not_expanded.get(name, "not declared in the file")
            self.left_out.append(f"&{name}; in {where} ({why})")
            return ""
        if len(value) > self._budget:
            self.left_out.append(
                f"&{name}; in {where} (the project would grow past twice its size)"
            )
            return ""
        self._budget -= len(value)
        return value


class OffsetMap:
    """Maps a position counted one way in a raw text to the normalised text."""

    def __init__(self, dropped: Sequence[int], length: int) -> None:
        # The counted positions of the characters the normalised text does not have.
        self._dropped = dropped
        self.length = length  # how far positions may go

    def __call__(self, position: int) -> int:
        return position - bisect_left(self._dropped, position)


@dataclass(frozen=True, slots=True)
class PositionRule:
    """One way of counting positions in a source's text; `said` is "" for the standard one."""

    map: OffsetMap
    said: str


def position_rules(raw: str) -> tuple[str, list[PositionRule]]:
    """The text as the library stores it, and the ways its positions may count: the standard
    one first (after leading byte-order marks, CRLF as two), then the others that differ."""
    text = normalise_text(raw)
    lead = len(raw) - len(raw.lstrip(_LEADING_MARKS))
    crs: list[int] = []
    index = raw.find("\r\n", lead)
    while index != -1:
        crs.append(index)
        index = raw.find("\r\n", index + 2)
    rules = [PositionRule(OffsetMap([i - lead for i in crs], len(raw) - lead), "")]
    if lead:
        rules.append(
            PositionRule(OffsetMap(list(range(lead)) + crs, len(raw)), "count its byte-order mark")
        )
    if crs:
        rules.append(
            PositionRule(OffsetMap([], len(text)), "count each line break as one character")
        )
    return text, rules


def best_rule(
    text: str, rules: Sequence[PositionRule], spans: Sequence[tuple[int, int, Sequence[str]]]
) -> PositionRule:
    """The rule under which most selections' own texts (name, Description) fit their span;
    the standard one unless another fits strictly more. `spans` are file positions."""
    if len(rules) == 1:
        return rules[0]
    best, best_fits = rules[0], -1
    for rule in rules:
        fits = 0
        for start, end, own_texts in spans:
            if not 0 <= start < end <= rule.map.length:
                continue
            quote = text[rule.map(start) : rule.map(end)]
            fits += any(_fits(own, quote) for own in own_texts)
        if fits > best_fits:
            best, best_fits = rule, fits
    return best


def _fits(own: str, quote: str) -> bool:
    """True when `own` is the quote on one line, whole or shortened with an ellipsis."""
    flat_own = " ".join(own.split())
    if not flat_own:
        return False
    flat_quote = " ".join(quote[: 2 * len(flat_own) + _NAME_SLACK].split())
    if flat_own.endswith(_ELLIPSIS) and len(flat_own) > 1:
        return flat_quote.startswith(flat_own[:-1])
    return flat_quote == flat_own and len(quote) <= 2 * len(flat_own) + _NAME_SLACK

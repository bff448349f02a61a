"""Case- and accent-insensitive text search in SQL, as `shared.domain.identity.fold` compares in Python.

The search text is folded in Python and each letter that has accented forms becomes a character
class holding all of them, in both cases ("cafe" → `c[aáàâäãAÁÀÂÄÃ]f[eéèêëEÉÈÊË]`); PostgreSQL then
matches the stored text as it is with one case-insensitive regular expression (`~*`), compiled once
per query. Folding every stored value instead (`lower(translate(…))`) cost about 15 µs a value,
most of a filtered review-queue page.
"""

import re
from typing import Any

from sqlalchemy import ColumnElement, Text, bindparam

from shared.domain.identity import fold

_FORMS = {
    "a": "aáàâäã",
    "e": "eéèêë",
    "i": "iíìîï",
    "o": "oóòôöõ",
    "u": "uúùûü",
    "n": "nñ",
    "c": "cç",
}


def pattern(text: str) -> str:
    """The regular expression that finds `text` whatever its accents and case (its other characters literal)."""
    parts = []
    for character in fold(text.strip()):
        forms = _FORMS.get(character)
        parts.append(f"[{forms}{forms.upper()}]" if forms else re.escape(character))
    return "".join(parts)


def holds_text(column: Any, name: str) -> ColumnElement[bool]:
    """A condition: `column` holds the text whose `pattern` is bound as `name`."""
    condition: ColumnElement[bool] = column.op("~*")(bindparam(name, type_=Text))
    return condition

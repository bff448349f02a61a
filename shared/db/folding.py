"""Case- and accent-insensitive text search in SQL, folding as `shared.domain.identity.fold` does in Python."""

from typing import Any

from sqlalchemy import ColumnElement, func

from shared.domain.identity import fold

#: Accented letters of the programme's languages and their plain forms ("Café" and "cafe" meet).
_ACCENTED = "ÁÀÂÄÃÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÑÇáàâäãéèêëíìîïóòôöõúùûüñç"
_PLAIN = "AAAAAEEEEIIIIOOOOOUUUUNCaaaaaeeeeiiiiooooouuuunc"


def folded(column: Any) -> ColumnElement[str]:
    """The column's text lower-cased and stripped of the accents above."""
    return func.lower(func.translate(column, _ACCENTED, _PLAIN))


def contains_value(text: str) -> str:
    """A search text as a `folded(column).contains(…, escape="\\\\")` value: folded, LIKE's wildcards literal."""
    return fold(text.strip()).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

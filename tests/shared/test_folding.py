"""Accent- and case-insensitive search patterns: what they find, and that the searcher's text stays literal."""

import re

from shared.db.folding import pattern


def _finds(query: str, stored: str) -> bool:
    # Python's `re` with IGNORECASE reads these patterns as PostgreSQL's `~*` does
    return re.search(pattern(query), stored, flags=re.IGNORECASE) is not None


def test_accents_and_case_do_not_matter() -> None:
    assert _finds("cafe", "Café Los Altos")
    assert _finds("CAFÉ", "cafe los altos")
    assert _finds("compañia", "COMPANIA")
    assert _finds("corazon", "Corazón de Jesús")
    assert not _finds("cafe", "Caffe")


def test_the_searchers_text_is_taken_literally() -> None:
    assert pattern("a.b*(c)") == r"[aáàâäãAÁÀÂÄÃ]\.b\*\([cçCÇ]\)"
    assert not _finds("a.b", "axb")
    assert _finds("100%", "100% coffee")
    assert pattern("  x  ") == "x"

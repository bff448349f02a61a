"""Every sentence the regions, maps and feedback say exists in English and Spanish, with the same blanks."""

import string

from services.api.regions.messages import MESSAGES, say


def _blanks(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_has_both_languages_with_the_same_blanks() -> None:
    for key, templates in MESSAGES.items():
        assert set(templates) == {"en", "es"}, key
        assert _blanks(templates["en"]) == _blanks(templates["es"]), key


def test_an_unknown_language_falls_back_to_english() -> None:
    assert say("map.no_data", "fr") == "no data"
    assert say("map.no_data", "es") == "sin datos"

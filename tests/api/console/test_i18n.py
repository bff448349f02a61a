"""Spanish and English throughout: every message the console shows has its Spanish, placeholders intact."""

import re
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from services.api.console.i18n import LABELS, translations
from services.api.kit.language import negotiate
from shared.enums import Language

CONSOLE = Path(__file__).resolve().parents[3] / "services" / "api" / "console"
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "gettext": (2,)}
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _messages() -> set[str | tuple[str, ...]]:
    found: set[str | tuple[str, ...]] = set()
    for _, _, message, _, _ in extract_from_dir(str(CONSOLE), METHODS, keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def _catalogue(language: str) -> dict[str | tuple[str, ...], str | tuple[str, ...]]:
    with (CONSOLE / "locales" / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return {m.id: m.string for m in read_po(po) if m.id}


def test_every_message_has_its_spanish_with_the_same_placeholders() -> None:
    messages = _messages()
    assert len(messages) > 300
    spanish = _catalogue("es")
    missing = [m for m in messages if not spanish.get(m)]
    assert not missing, f"messages without Spanish (extract and update the catalogues): {missing[:10]}"
    for message, translated in spanish.items():
        sources = message if isinstance(message, tuple) else (message,)
        targets = translated if isinstance(translated, tuple) else (translated,)
        wanted = set(PLACEHOLDER.findall(sources[0]))
        for target in targets:
            assert set(PLACEHOLDER.findall(target)) == wanted, (message, target)


def test_every_message_is_listed_in_the_english_catalogue_too() -> None:
    assert _messages() <= set(_catalogue("en"))


def test_catalogues_hold_no_stale_messages() -> None:
    assert set(_catalogue("es")) <= _messages(), "remove messages no page shows any more"


def test_labels_translate() -> None:
    spanish = translations(Language.ES)
    for vocabulary in LABELS.values():
        for text in vocabulary.values():
            assert spanish.gettext(text), text
    assert spanish.gettext("Proposed") == "Propuesta"
    assert translations(Language.EN).gettext("Proposed") == "Proposed"


def test_language_from_the_browser() -> None:
    assert negotiate("en-US,en;q=0.9,es;q=0.8") is Language.EN
    assert negotiate("es-GT;q=0.9, en;q=0.8") is Language.ES
    assert negotiate("fr-FR, de;q=0.5") is Language.ES
    assert negotiate("fr, en;q=0.1") is Language.EN
    assert negotiate("en;q=0, es;q=bad") is Language.ES
    assert negotiate(None) is Language.ES

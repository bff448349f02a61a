"""Which records name the same organisation: name normalisation, aliases, domains and identifiers.

Pure functions over names and addresses. A *key* is the organisation's name with everything that
varies between spellings of the same legal person taken away (case, accents, punctuation, legal-form
words such as S.A., S.A. de C.V., S. de R.L., Inc., Ltd.), so "BANCO INDUSTRIAL SA" and
"Banco Industrial S.A." share the key ``banco industrial``. Two records are the *same organisation*
when an identifier, a website domain or a key (of the name or an alias) agrees; they are *likely the
same* when their names are close enough for a person to look (``LIKELY_SIMILARITY``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

#: Legal-form words, longest first; removed wherever they end a name (and repeatedly, so
#: "S.A. de C.V." and "S. de R.L. de C.V." go whole). Written as normalised token sequences.
LEGAL_FORMS: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            tuple(form.split())
            for form in (
                "s a de c v",
                "sa de cv",
                "s de r l de c v",
                "s de rl de cv",
                "s de r l",
                "s de rl",
                "de c v",
                "de cv",
                "c v",
                "cv",
                "s a s",
                "sas",
                "s a",
                "sa",
                "s r l",
                "srl",
                "r l",
                "sociedad anonima",
                "sociedad anonima de capital variable",
                "limitada",
                "ltda",
                "inc",
                "incorporated",
                "ltd",
                "limited",
                "llc",
                "plc",
                "corp",
                "l p",
                "lp",
                "limited partnership",
                "cia",
                "gmbh",
                "ag",
                "bv",
                "n v",
                "nv",
            )
        ),
        key=len,
        reverse=True,
    )
)

#: Words that say nothing about which organisation is meant; ignored when comparing names loosely.
FILLER_WORDS = frozenset(
    [
        "de",
        "del",
        "la",
        "las",
        "el",
        "los",
        "y",
        "e",
        "the",
        "of",
        "and",
        "for",
        "en",
        "para",
        "a",
        "da",
        "do",
        "das",
        "dos",
    ]
)

_PARENTHESISED = re.compile(r"\(([^()]*)\)")
#: A parenthesised part is another name of the organisation only when it reads as an acronym
#: ("(BEL)", "(INVEST-H)", "(MEPyD)"): one word of 2 to 12 letters, digits or hyphens with at least
#: two capitals. Places and remarks ("(Guatemala)", "(formerly HSBC)", "(HOLDING)") are not names.
_ACRONYM = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Za-z0-9-]{2,12}$")
#: Acronym-shaped words that name a place or a kind of organisation, not one organisation.
NOT_NAMES = frozenset(
    [
        "guatemala",
        "honduras",
        "salvador",
        "nicaragua",
        "panama",
        "belize",
        "costa",
        "rica",
        "dominicana",
        "mexico",
        "usa",
        "us",
        "uk",
        "eu",
        "holding",
        "holdings",
        "group",
        "grupo",
        "bank",
        "banco",
        "fund",
        "fondo",
        "trust",
    ]
)
#: Mail and web hosts that many organisations share: a domain there proves nothing.
SHARED_DOMAINS = frozenset(
    {
        "gmail.com",
        "hotmail.com",
        "outlook.com",
        "yahoo.com",
        "live.com",
        "icloud.com",
        "protonmail.com",
        "facebook.com",
        "linkedin.com",
        "wordpress.com",
        "blogspot.com",
        "wixsite.com",
    }
)
#: Names at least this close (``name_similarity``) are listed as likely the same organisation.
LIKELY_SIMILARITY = 0.75


def fold(text: str) -> str:
    """Case- and accent-insensitive form: NFKD, combining marks dropped, casefolded ("Café" → "cafe")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def tokens(name: str) -> list[str]:
    """Folded words of a name: dots inside abbreviations joined ("S.A." → "sa"), other punctuation a space."""
    folded = fold(name).replace("&", " and ")
    folded = re.sub(r"(?<=\b\w)\.(?=\w\b)", "", folded)  # s.a. → sa. ; c.v → cv
    folded = folded.replace(".", " ")
    return re.findall(r"[0-9a-z]+", folded)


def _strip_legal_forms(words: list[str]) -> list[str]:
    """Drop legal-form word sequences from the end, repeatedly; never leave the name empty."""
    changed = True
    while changed and words:
        changed = False
        for form in LEGAL_FORMS:
            n = len(form)
            if len(words) > n and tuple(words[-n:]) == form:
                words = words[:-n]
                changed = True
                break
    return words


def split_remarks(name: str) -> tuple[str, list[str]]:
    """The name without parenthesised parts, and those parts that are other names (acronyms)."""
    aliases = [
        part.strip()
        for part in _PARENTHESISED.findall(name)
        if _ACRONYM.match(part.strip()) and fold(part.strip()) not in NOT_NAMES
    ]
    return _PARENTHESISED.sub(" ", name), aliases


def name_key(name: str) -> str:
    """The organisation key of a name: folded words without legal forms or parenthesised parts."""
    bare, _ = split_remarks(name)
    words = _strip_legal_forms(tokens(bare))
    if not words:  # a name made only of remarks, e.g. "(BEST)"
        words = tokens(name)
    return " ".join(words)


def name_keys(name: str, aliases: Iterable[str] = ()) -> frozenset[str]:
    """Every key a record answers to: its name's, its parenthesised other names', its aliases'."""
    _, remarks = split_remarks(name)
    keys = {name_key(name)} | {name_key(alias) for alias in (*remarks, *aliases)}
    return frozenset(key for key in keys if key)


def _content_words(key: str) -> set[str]:
    return {word for word in key.split() if word not in FILLER_WORDS}


def _trigrams(key: str) -> set[str]:
    squeezed = f"  {key.replace(' ', '')} "
    return {squeezed[i : i + 3] for i in range(len(squeezed) - 2)}


def name_similarity(a: str, b: str) -> float:
    """How alike two names are, in [0, 1]: the larger of the word overlap (Jaccard of content words)
    and the Dice coefficient of character trigrams, on their keys. 1.0 for equal keys."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    wa, wb = _content_words(ka), _content_words(kb)
    words = len(wa & wb) / len(wa | wb) if wa | wb else 0.0
    ta, tb = _trigrams(ka), _trigrams(kb)
    grams = 2 * len(ta & tb) / (len(ta) + len(tb)) if ta and tb else 0.0
    return max(words, grams)


def domain(address: str | None) -> str | None:
    """The host of a website or e-mail address, lowercased, without ``www.``; None when there is
    none or it is a shared mail/web host (which proves nothing)."""
    if not address or not address.strip():
        return None
    text = address.strip().lower()
    if "@" in text and "://" not in text:
        host = text.rsplit("@", 1)[1]
    else:
        host = urlsplit(text if "://" in text else f"//{text}").hostname or ""
    host = host.removeprefix("www.").rstrip(".")
    if not host or "." not in host or host in SHARED_DOMAINS:
        return None
    return host


def identifier_key(identifier: str) -> str:
    """An identifier (tax number, registry number, LEI) compared without case, spaces or punctuation."""
    return re.sub(r"[^0-9A-Z]", "", fold(identifier).upper())


@dataclass(frozen=True)
class Identity:
    """What a record says about who it is."""

    name: str
    aliases: Sequence[str] = ()
    website: str | None = None
    identifiers: Sequence[str] = ()
    keys: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "keys", name_keys(self.name, self.aliases))


@dataclass(frozen=True)
class Evidence:
    """Why two records are taken for one organisation: ``kind`` is identifier, domain, name or
    similar_name; ``confident`` is True for all but similar_name; ``detail`` names what agreed."""

    kind: str
    confident: bool
    similarity: float
    detail: str


def compare(a: Identity, b: Identity) -> Evidence | None:
    """The strongest evidence that ``a`` and ``b`` are one organisation, or None."""
    ids = {identifier_key(i) for i in a.identifiers} & {identifier_key(i) for i in b.identifiers}
    ids.discard("")
    if ids:
        return Evidence("identifier", True, 1.0, sorted(ids)[0])
    da, db = domain(a.website), domain(b.website)
    if da and da == db:
        return Evidence("domain", True, 1.0, da)
    shared = a.keys & b.keys
    if shared:
        return Evidence("name", True, 1.0, sorted(shared)[0])
    similarity = name_similarity(a.name, b.name)
    if similarity >= LIKELY_SIMILARITY:
        return Evidence("similar_name", False, round(similarity, 3), f"{a.name} ~ {b.name}")
    return None


def group(identities: Sequence[Identity], *, include_likely: bool = False) -> list[int]:
    """A group number per identity: records linked by confident evidence (and, with
    ``include_likely``, by similar names) share a number, transitively. Numbers are dense from 0 in
    order of first appearance. Quadratic in comparisons by design: used on catalogues and evaluation
    sets of thousands, not in the matcher's hot path (which compares keys)."""
    parent = list(range(len(identities)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_key: dict[str, int] = {}
    for i, identity in enumerate(identities):
        for key in identity.keys:
            j = by_key.setdefault(key, i)
            parent[find(i)] = find(j)
    for i in range(len(identities)):
        for j in range(i + 1, len(identities)):
            if find(i) == find(j):
                continue
            evidence = compare(identities[i], identities[j])
            if evidence and (evidence.confident or include_likely):
                parent[find(j)] = find(i)
    numbers: dict[int, int] = {}
    return [numbers.setdefault(find(i), len(numbers)) for i in range(len(identities))]

"""The story model's word lists, read from ``assets/story/lexicon.json`` (data, not code).

Every list is lower case except ``languages`` and the keys of ``countries`` (proper nouns, matched
case-insensitively). ``languages`` and ``places`` are ordered: a word's position fixes its code (see
``codes.py``), so each list holds at most ``MAX_CODED`` words. ``lowercase_common`` (optional) names the
countries and languages that are a common word when written in lower case ("turkey", "china", "polish"):
only those need a capital letter to be read as the country or language.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

LEXICON_PATH = Path(__file__).resolve().parents[2] / "assets" / "story" / "lexicon.json"
MAX_CODED = 16  # ±(8 rows of an 8×8 Hadamard matrix)
_LISTS = ("pronouns", "facts", "fillers", "language_cues", "languages", "places")
_MAPS = ("countries", "place_things")


@dataclass(frozen=True)
class Lexicon:
    """Lower-cased word sets and maps. ``countries``: country → language; ``place_things``: thing →
    the place it is usually in (clouds → sky)."""

    pronouns: frozenset[str]
    facts: frozenset[str]
    fillers: frozenset[str]
    language_cues: frozenset[str]
    languages: tuple[str, ...]  # ordered, lower case
    places: tuple[str, ...]  # ordered, lower case
    countries: MappingProxyType[str, str]  # lower-case country -> lower-case language
    place_things: MappingProxyType[str, str]  # lower-case thing -> lower-case place
    lowercase_common: frozenset[str] = frozenset()  # read as a country/language only when capitalised

    def known(self, word: str) -> bool:
        """Whether ``word`` (any case) is in some list: a capitalised known word is not a name."""
        w = word.casefold()
        return (
            w in self.pronouns
            or w in self.facts
            or w in self.fillers
            or w in self.language_cues
            or w in self.languages
            or w in self.places
            or w in self.countries
            or w in self.place_things
        )


def _words(raw: dict, key: str) -> list[str]:
    value = raw.get(key)
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise ValueError(f"lexicon: {key!r} must be a list of non-empty words")
    return [w.strip().casefold() for w in value]


def _map(raw: dict, key: str, targets: tuple[str, ...], target_name: str) -> MappingProxyType[str, str]:
    value = raw.get(key)
    if not isinstance(value, dict):
        raise ValueError(f"lexicon: {key!r} must be an object mapping words to {target_name}")
    out = {}
    for word, target in value.items():
        if not isinstance(target, str) or target.casefold() not in targets:
            raise ValueError(f"lexicon: {key}[{word!r}] = {target!r} is not one of the {target_name}")
        out[word.casefold()] = target.casefold()
    return MappingProxyType(out)


def parse_lexicon(raw: object) -> Lexicon:
    """Validate a decoded lexicon JSON object; ``ValueError`` naming the bad entry otherwise."""
    if not isinstance(raw, dict):
        raise ValueError("lexicon: the file must hold a JSON object")
    missing = [k for k in (*_LISTS, *_MAPS) if k not in raw]
    if missing:
        raise ValueError(f"lexicon: missing {', '.join(missing)}")
    lists = {k: _words(raw, k) for k in _LISTS}
    for key in ("languages", "places"):
        if len(lists[key]) > MAX_CODED or len(set(lists[key])) != len(lists[key]):
            raise ValueError(f"lexicon: {key!r} must hold at most {MAX_CODED} distinct words")
    languages, places = tuple(lists["languages"]), tuple(lists["places"])
    return Lexicon(
        pronouns=frozenset(lists["pronouns"]),
        facts=frozenset(lists["facts"]),
        fillers=frozenset(lists["fillers"]),
        language_cues=frozenset(lists["language_cues"]),
        languages=languages,
        places=places,
        countries=_map(raw, "countries", languages, "languages"),
        place_things=_map(raw, "place_things", places, "places"),
        lowercase_common=frozenset(_words(raw, "lowercase_common") if "lowercase_common" in raw else ()),
    )


def read_json(path: Path, what: str) -> object:
    """The JSON in ``path``; ``ValueError`` naming ``what`` and the file if it cannot be read."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read the {what} {path}: {exc}") from None


@cache
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    """The lexicon in ``path`` (read once per process; the result is immutable)."""
    return parse_lexicon(read_json(path, "story lexicon"))

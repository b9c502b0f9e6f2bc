"""Normalise what parents type: numbers and units first, then the domain table, then slang.

Order matters (CHATBOT.md, "Text processing"):

1. **Numbers and units** are read from the raw text before any word is touched, because the
   general slang lexicon rewrites unit words ("cm" -> "cuma", "th" -> "tahu"). Decimal commas
   ("9,5 kg"), grams ("900 gr"), metres ("0,8 m"), mixed ages ("1 thn 8 bln", "2,5 thn",
   "1 tahun setengah") and labelled bare numbers ("bb 9,5", "tb 78") become typed
   :class:`Measures`; their spans are cut out of the text used for retrieval.
2. The **domain table** (``data/lexicon/domain.toml``: bb, tb, bumil, ttd, mpasi...) wins over
3. the **English glossary** (``data/lexicon/english.toml``) and
4. the **colloquial lexicon**: indonlp's Kamus Alay when importable (a hard dependency of the
   default install, but the code degrades to the domain table alone without it).

Everything here is pure and thread-safe; the tables are loaded once per process.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Final, Protocol

__all__ = [
    "Measures",
    "Normalised",
    "Sex",
    "normalise",
    "normalise_document",
    "parse_measures",
    "stem",
    "wordset",
]


def wordset(text: str) -> frozenset[str]:
    """The words of a space-separated list, for readable word tables in code."""
    return frozenset(text.split())


# Sex codes as the growth engine takes them.
Sex = int
MALE: Final = 1
FEMALE: Final = 2

DAYS_PER_MONTH: Final = 30.4375


@dataclass(frozen=True, slots=True)
class Measures:
    """Measurements found in one message. Every field is None when not given."""

    weight_kg: float | None = None
    lenhei_cm: float | None = None
    age_months: float | None = None
    sex: Sex | None = None
    measure: str | None = None
    """"l" (lying, panjang badan) or "h" (standing, tinggi badan) when the user said so."""
    birth_weight_kg: float | None = None
    age_without_unit: float | None = None
    """A bare age number ("umur 2") whose unit (months or years) is unclear."""
    pregnancy_months: float | None = None
    """"hamil 7 bulan": a gestational age, never a child's age."""

    @property
    def has_measurement(self) -> bool:
        return self.weight_kg is not None or self.lenhei_cm is not None

    @property
    def any(self) -> bool:
        return (
            self.has_measurement
            or self.age_months is not None
            or self.sex is not None
            or self.age_without_unit is not None
        )


@dataclass(frozen=True, slots=True)
class Normalised:
    """One message after normalisation."""

    raw: str
    text: str
    """Normalised words (measurements removed), for intent rules and retrieval."""
    tokens: tuple[str, ...]
    measures: Measures
    english: bool
    """Most words are English: answer in Indonesian with a short English note."""
    full_text: str = field(default="")
    """Normalised words *including* the measurement spans (units spelled out)."""

    def has(self, *words: str) -> bool:
        """True when any of ``words`` (single normalised tokens) occurs."""
        present = set(self.tokens)
        return any(w in present for w in words)


# ---------------------------------------------------------------- numbers and units

_NUM = r"(\d+(?:\.\d+)?)"
_NUM_NAMED = r"(?P<{name}>\d+(?:\.\d+)?)"
_WORD_END = r"(?![a-z])"

_YEAR_UNITS = r"(?:tahun|thn|thun|tahunan|th|tn|years?|yrs?|yo|y)"
_MONTH_UNITS = r"(?:bulan|bln|bulanan|bl|blan|bulanan|months?|mos?|mo|mth)"
_WEEK_UNITS = r"(?:minggu|mgg|mg|weeks?|wks?)"
_DAY_UNITS = r"(?:hari|hr|days?)"
_HALF = r"(?:setengah|stgh|stengah|stngh|1/2|half)"

_AGE_YEARS = re.compile(
    _NUM_NAMED.format(name="y")
    + r"\s*"
    + _YEAR_UNITS
    + _WORD_END
    + r"(?:\s*(?:dan|lebih|lbh|\+|and)?\s*"
    + r"(?:"
    + _NUM_NAMED.format(name="m")
    + r"\s*"
    + _MONTH_UNITS
    + _WORD_END
    + r"|(?P<half>"
    + _HALF
    + r")(?![a-z])))?"
)
_AGE_MONTHS = re.compile(
    _NUM_NAMED.format(name="m")
    + r"\s*"
    + _MONTH_UNITS
    + _WORD_END
    + r"(?:\s*(?:dan|lebih|lbh|\+|and)?\s*"
    + _NUM_NAMED.format(name="d")
    + r"\s*"
    + _DAY_UNITS
    + _WORD_END
    + r")?"
)
_AGE_WEEKS = re.compile(_NUM_NAMED.format(name="w") + r"\s*" + _WEEK_UNITS + _WORD_END)
_AGE_DAYS = re.compile(_NUM_NAMED.format(name="d") + r"\s*" + _DAY_UNITS + _WORD_END)

_KG = re.compile(
    _NUM + r"\s*(?:kg|kgs|kilo|kilos|kilogram|kilograms|kilogr|kilo\s*gram)" + _WORD_END
)
_GRAM = re.compile(_NUM + r"\s*(?:gr|gram|grams|grm|g|gm)" + _WORD_END)
_ONS = re.compile(_NUM + r"\s*(?:ons)" + _WORD_END)
_CM = re.compile(
    _NUM
    + r"\s*(?:cm|cms|centi|centimeter|centimetre|senti|sentimeter|senti\s*meter|sm)"
    + _WORD_END
)
_METRE = re.compile(_NUM + r"\s*(?:m|meter|metre|mtr)" + _WORD_END)
_MM = re.compile(_NUM + r"\s*(?:mm|milimeter|millimeter)" + _WORD_END)

_LABEL_SEP = (
    r"\s*(?:nya|anak|anaknya|badan|badannya|sekarang|skrg|skg|saat ini|cuma|hanya|baru)?\s*"
)
_LABEL_SEP += r"(?::|=|-|adalah|ada|sekitar|kurang lebih|kira2|kira-kira|±|~)?\s*"
_WEIGHT_LABEL = re.compile(
    r"(?<![a-z])(?:bb|berat|beratnya|weight|weighs|timbangan|timbangannya|ditimbang|nimbang)"
    + _LABEL_SEP
    + _NUM
    + r"(?!\s*(?:cm|m\b|mm|bln|bulan|thn|tahun|th\b|hari|minggu|\.\d|\d))"
)
_HEIGHT_LABEL = re.compile(
    r"(?<![a-z])(?:tb|pb|tinggi|tingginya|panjang|panjangnya|height|length|tall)"
    + _LABEL_SEP
    + _NUM
    + r"(?!\s*(?:kg|kilo|gr|gram|bln|bulan|thn|tahun|th\b|hari|minggu|\.\d|\d))"
)
_AGE_LABEL = re.compile(
    r"(?<![a-z])(?:umur|usia|umurnya|usianya|umr|age|aged)"
    + _LABEL_SEP
    + _NUM
    + r"(?!\s*(?:kg|kilo|gr|gram|cm|m\b|mm|bln|bulan|thn|tahun|th\b|hari|minggu|tn|y\b|\.\d|\d))"
)
_KOMA = re.compile(r"(\d+)\s*koma\s*(\d+)")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
_ANAK2 = re.compile(r"(?<=[a-z])2(?=[a-z]|\b)")

_BIRTH_CONTEXT = re.compile(r"(?:lahir|lahirnya|bbl|bblr|birth|born)\W*(?:\w+\W+){0,3}$")
_PREGNANCY_CONTEXT = re.compile(
    r"(?:hamil|kandungan|kehamilan|mengandung|bumil|pregnant|hpl|janin)\W*(?:\w+\W+){0,2}$"
)

_CIRCUMFERENCE_CONTEXT = re.compile(
    r"(?:lingkar|lila|lla|lengan|kepala|\blk\b|circumference|muac)\W*(?:\w+\W+){0,3}$"
)

_MALE = re.compile(
    r"(?<![a-z])(?:laki[\s-]*laki|laki2|lakilaki|lelaki|laki|cowok|cowo|cwo|putra|pria|jagoan|"
    r"anak lk|jk\s*:?\s*l|boy|son|male|lk)(?![a-z])"
)
_FEMALE = re.compile(
    r"(?<![a-z])(?:perempuan|prempuan|perempuan|cewek|cewe|cwe|wanita|"
    r"(?<!remaja )putri|jk\s*:?\s*p|girl|daughter|female|pr)(?![a-z])"
)
_STANDING = re.compile(r"(?<![a-z])(?:berdiri|standing)(?![a-z])")
_LYING = re.compile(
    r"(?<![a-z])(?:berbaring|baring|telentang|terlentang|tiduran|dibaringkan|lying|"
    r"recumbent)(?![a-z])"
)


def _prep(text: str) -> str:
    text = text.lower().replace("½", ".5").replace("\u00a0", " ")
    text = _KOMA.sub(r"\1.\2", text)
    return _DECIMAL_COMMA.sub(".", text)


def _preceded_by(text: str, start: int, pattern: re.Pattern[str]) -> bool:
    return pattern.search(text[max(0, start - 40) : start]) is not None


def parse_measures(text: str) -> tuple[Measures, str]:
    """Read measurements from one message; return them and the text with their spans blanked.

    The returned text is already lower-cased with decimal commas turned into points.
    """
    t = _prep(text)
    spans: list[tuple[int, int]] = []

    def free(m: re.Match[str]) -> bool:
        return all(m.end() <= a or m.start() >= b for a, b in spans)

    def take(m: re.Match[str]) -> None:
        spans.append((m.start(), m.end()))

    age: float | None = None
    pregnancy: float | None = None
    for pattern in (_AGE_YEARS, _AGE_MONTHS, _AGE_WEEKS, _AGE_DAYS):
        for m in pattern.finditer(t):
            if not free(m):
                continue
            groups = m.groupdict()
            months = 0.0
            if groups.get("y"):
                months += float(groups["y"]) * 12.0
                if groups.get("half"):
                    months += 6.0
            if groups.get("m"):
                months += float(groups["m"])
            if groups.get("w"):
                months += float(groups["w"]) * 7.0 / DAYS_PER_MONTH
            if groups.get("d"):
                months += float(groups["d"]) / DAYS_PER_MONTH
            take(m)
            if _preceded_by(t, m.start(), _PREGNANCY_CONTEXT):
                pregnancy = months if pregnancy is None else pregnancy
                continue
            if age is None:
                age = months

    weight: float | None = None
    birth_weight: float | None = None

    def set_weight(kg: float, m: re.Match[str]) -> None:
        nonlocal weight, birth_weight
        take(m)
        if _preceded_by(t, m.start(), _BIRTH_CONTEXT):
            birth_weight = kg if birth_weight is None else birth_weight
        elif weight is None:
            weight = kg

    for m in _KG.finditer(t):
        if free(m):
            set_weight(float(m.group(1)), m)
    for m in _GRAM.finditer(t):
        if free(m):
            set_weight(float(m.group(1)) / 1000.0, m)
    for m in _ONS.finditer(t):
        if free(m):
            set_weight(float(m.group(1)) / 10.0, m)

    lenhei: float | None = None
    for m in _CM.finditer(t):
        if free(m):
            take(m)
            if _preceded_by(t, m.start(), _CIRCUMFERENCE_CONTEXT):
                continue  # LiLA or head circumference, not length/height
            lenhei = float(m.group(1)) if lenhei is None else lenhei
    for m in _MM.finditer(t):
        if free(m):
            take(m)
            lenhei = float(m.group(1)) / 10.0 if lenhei is None else lenhei
    for m in _METRE.finditer(t):
        value = float(m.group(1))
        if free(m) and value < 3.0:
            take(m)
            lenhei = value * 100.0 if lenhei is None else lenhei

    # Labelled bare numbers: "bb 9.5", "tb 78", "umur 20".
    for m in _WEIGHT_LABEL.finditer(t):
        if not free(m):
            continue
        value = float(m.group(1))
        kg = value / 1000.0 if value >= 300 else value
        set_weight(kg, m)
    for m in _HEIGHT_LABEL.finditer(t):
        if not free(m):
            continue
        value = float(m.group(1))
        take(m)
        if lenhei is None:
            lenhei = value * 100.0 if value < 3.0 else value
    age_without_unit: float | None = None
    for m in _AGE_LABEL.finditer(t):
        if not free(m) or age is not None:
            continue
        value = float(m.group(1))
        take(m)
        if value > 6:
            age = value  # "umur 20": nobody writes a child's age as 20 years here
        else:
            age_without_unit = value

    sex: Sex | None = None
    male = _MALE.search(t)
    female = _FEMALE.search(t)
    if male and not female:
        sex = MALE
    elif female and not male:
        sex = FEMALE
    elif male and female:
        sex = MALE if male.start() < female.start() else FEMALE

    measure: str | None = None
    if _STANDING.search(t):
        measure = "h"
    elif _LYING.search(t):
        measure = "l"

    if spans:
        chars = list(t)
        for a, b in spans:
            for i in range(a, b):
                chars[i] = " "
        rest = "".join(chars)
    else:
        rest = t
    measures = Measures(
        weight_kg=weight,
        lenhei_cm=lenhei,
        age_months=age,
        sex=sex,
        measure=measure,
        birth_weight_kg=birth_weight,
        age_without_unit=age_without_unit,
        pregnancy_months=pregnancy,
    )
    return measures, rest


# ---------------------------------------------------------------- words


def _load_toml(name: str) -> dict[str, object]:
    path = resources.files("tumbuh.chatbot") / "data" / "lexicon" / name
    with path.open("rb") as fh:
        return tomllib.load(fh)


def _str_table(data: Mapping[str, object], key: str, file: str) -> Mapping[str, str]:
    table = data.get(key, {})
    if not isinstance(table, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in table.items()
    ):
        raise ValueError(f"{file}: [{key}] must map words to strings")
    return MappingProxyType({k.lower(): v.lower() for k, v in table.items()})


@cache
def domain_table() -> Mapping[str, str]:
    """Abbreviations of the domain (bb, tb, bumil, ttd...): applied before the slang lexicon."""
    return _str_table(_load_toml("domain.toml"), "words", "domain.toml")


@cache
def english_tables() -> tuple[Mapping[str, str], Mapping[str, str]]:
    """(phrases, words) of the English glossary."""
    data = _load_toml("english.toml")
    return (
        _str_table(data, "phrases", "english.toml"),
        _str_table(data, "words", "english.toml"),
    )


@cache
def slang_table() -> Mapping[str, str]:
    """Kamus Alay (indonlp 0.3.4) when installed, else empty."""
    try:
        from indoNLP.preprocessing import SLANG_DATA
    except ImportError:  # pragma: no cover - indonlp is a default dependency
        return MappingProxyType({})
    return MappingProxyType({str(k).lower(): str(v).lower() for k, v in SLANG_DATA.items()})


_ENGLISH_FUNCTION_WORDS: Final = wordset(
    "the a an is are was my your i you me we it its of to for in on and or do does did can "
    "could should would will this that with from not no "
    "be been have has had should than there their they he she his her our us please hello "
    "hi thanks thank"
)

_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ELONGATION = re.compile(r"([a-z])\1{2,}")
_URL = re.compile(r"https?://\S+|www\.\S+")


def _map_token(token: str) -> str:
    domain = domain_table()
    if token in domain:
        return domain[token]
    _phrases, english = english_tables()
    if token in english:
        return english[token]
    if token.endswith("nya") and len(token) > 4 and token[:-3] in domain:
        return domain[token[:-3]]
    slang = slang_table()
    if token in slang:
        return slang[token]
    if "2" in token and not token.isdigit():
        base = _ANAK2.sub("", token)
        if base in domain:
            return domain[base]
        return base
    return token


def _words(text: str) -> tuple[list[str], bool]:
    text = _URL.sub(" ", text)
    text = _ELONGATION.sub(r"\1", text)
    raw = _TOKEN.findall(text)
    phrases, english_words = english_tables()
    domain = domain_table()
    hits = sum(
        1
        for token in raw
        if token in _ENGLISH_FUNCTION_WORDS or (token in english_words and token not in domain)
    )
    english = len(raw) >= 2 and hits / len(raw) >= 0.5
    out: list[str] = []
    i = 0
    while i < len(raw):
        token = raw[i]
        if i + 1 < len(raw):
            pair = f"{token} {raw[i + 1]}"
            if pair in phrases:
                out.extend(phrases[pair].split())
                i += 2
                continue
        if english and token in _ENGLISH_FUNCTION_WORDS and token not in domain:
            i += 1
            continue
        out.extend(_map_token(token).split())
        i += 1
    return out, english


@lru_cache(maxsize=4096)
def normalise(text: str) -> Normalised:
    """Normalise one message (cached: the same text always gives the same result)."""
    measures, rest = parse_measures(text)
    words, english = _words(rest)
    full_words, _ = _words(_prep(text))
    return Normalised(
        raw=text,
        text=" ".join(words),
        tokens=tuple(words),
        measures=measures,
        english=english,
        full_text=" ".join(full_words),
    )


class _Stemmer(Protocol):
    def stem(self, text: str) -> str: ...


@cache
def _stemmer() -> _Stemmer | None:
    try:
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
    except ImportError:  # pragma: no cover - pysastrawi is a default dependency
        return None
    stemmer: _Stemmer = StemmerFactory().create_stemmer()  # Sastrawi ships no types
    return stemmer


@lru_cache(maxsize=65536)
def _stem_word(word: str) -> str:
    stemmer = _stemmer()
    if stemmer is None or "-" in word or word.isdigit() or len(word) <= 3:
        return word
    return str(stemmer.stem(word)) or word


def stem(text: str) -> str:
    """Sastrawi stems of normalised words ("pemberian" -> "beri"); cached per word."""
    return " ".join(_stem_word(w) for w in text.split())


def normalise_document(text: str) -> str:
    """Normalise curated text (titles, question variants, answers) like a message, numbers kept."""
    words, _ = _words(_prep(text))
    return " ".join(words)

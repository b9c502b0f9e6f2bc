"""Greetings and small talk answered in kind ("assalamualaikum" -> "Wa'alaikumsalam").

A message that opens with a greeting is split into the greeting and the rest: a greeting
alone ("pagi kak", "assalamualaikum, mau tanya bu", "punten bu bidan") gets the answer in
kind and the menu; a greeting before a question gets the answer in kind before the answer to
the question. Rules as data: each greeting family maps to the key of its reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

__all__ = ["Greeting", "split_greeting"]

#: (pattern of the greeting itself, message key of the reply in kind), first match wins.
_FAMILIES: Final = (
    (r"as+alamu\W*\s*alaikum|as+alamualaikum|as+alamu alaikum|asswr\w*|ass\b|salam", "kind_salam"),
    (r"(?:selamat|slmt|met|mat) pagi|pagi", "kind_pagi"),
    (r"(?:selamat|slmt|met|mat) siang|siang", "kind_siang"),
    (r"(?:selamat|slmt|met|mat) sore|sore", "kind_sore"),
    (r"(?:selamat|slmt|met|mat) malam|malam", "kind_malam"),
    (r"good (?:morning|afternoon|evening)|hello+|hi+|hey+", "kind_hello"),
    (r"hal+o+|hai+|helo+|hi+", "kind_halo"),
    (r"punten|permisi|sampurasun|misi", "kind_permisi"),
)
_HEAD: Final = re.compile(
    r"^\s*(?P<greet>" + "|".join(f"(?:{p})" for p, _ in _FAMILIES) + r")\b"
    r"(?:\s*(?:wr\.?\s*wb\.?|warahmatullahi\S*(?:\s+wabarakatuh\S*)?|wb))?"
)
_ADDRESS: Final = (
    r"(?:kak|kakak|ka|min|mimin|admin|bu|ibu|bunda|bun|pak|bapak|bot|semua|dok|dokter|bidan|"
    r"sis|gan|bos|mbak|mba|teh|teteh|aa|akang|kang|mas|bu bidan|bu kader|kader|tim)"
)
#: Filler that carries no question: "mau tanya", "maaf ganggu", "izin bertanya".
_FILLER: Final = re.compile(
    r"^(?:\s*(?:,|\.|!|\?|-)?\s*(?:"
    + _ADDRESS
    + r"|(?:saya |sy |aku |gw )?(?:mau|ingin|pengen|izin|ijin|boleh|numpang|mo)\s+"
    r"(?:nanya|tanya|bertanya|konsultasi|konsul|tanya-tanya)(?:2|-nanya| nanya)?"
    r"|maaf(?: (?:ganggu|mengganggu|menganggu|ganggu waktunya))?|nih|dong|ya|yah|deh|sedikit|"
    r"dikit|lagi|juga|nanya|tanya|sebentar|bentar|semuanya|all|there|everyone|apa kabar|"
    r"sehat|sehat\?|mau nanya2|boleh tanya|bisa bantu|tolong|please))+\s*[,.!?]*\s*$"
)
_THANKS: Final = re.compile(
    r"^\s*(?:oke+|ok|baik|sip|siap|wah|oh|iya|ya)?\s*,?\s*"
    r"(?:terima\s*kasih|terimakasih|trimakasih|makasih|makasi|mksh|mks|tq|thanks?|thank you|"
    r"thx|nuhun|hatur nuhun|matur nuwun|suwun)\b(?P<rest>.*)$"
)
_THANKS_TAIL: Final = re.compile(
    r"^(?:\s*(?:,|\.|!)?\s*(?:"
    + _ADDRESS
    + r"|banyak|bnyk|ya|yah|sekali|banget|bgt|atas|infonya|informasinya|jawabannya|"
    r"penjelasannya|sangat|membantu|bermanfaat|jelas|so much|very much|a lot|sudah|udah|"
    r"dibantu|bantuannya|semoga|berkah|sehat selalu|nya))*\s*[.!🙏]*\s*$"
)


@dataclass(frozen=True, slots=True)
class Greeting:
    reply_key: str
    """Message key of the answer in kind."""
    rest: str
    """What the message says after the greeting ("" when it is only a greeting)."""


def split_greeting(raw: str) -> Greeting | None:
    """The greeting a message opens with, and the rest of the message; None without one."""
    text = raw.strip().lower()
    head = _HEAD.match(text)
    if head is None:
        return None
    word = head.group("greet")
    key = next(k for p, k in _FAMILIES if re.fullmatch(p, word))
    rest = text[head.end() :]
    if _FILLER.match(rest) or not rest.strip(" ,.!?"):
        return Greeting(key, "")
    # Drop the address and filler words that follow the greeting, keep the question.
    rest = re.sub(
        r"^(?:\s*[,.!?-]?\s*(?:" + _ADDRESS + r"|mau (?:nanya|tanya)|izin (?:bertanya|tanya)"
        r"|maaf(?: ganggu| mengganggu)?)\b)+",
        "",
        rest,
    )
    rest = rest.strip(" ,.!?-")
    if len(rest) < 3:
        return Greeting(key, "")
    return Greeting(key, rest)


def is_thanks(raw: str) -> bool:
    """ "makasih ya bu", "terima kasih bu bidan sangat membantu", "oke makasih kak infonya"."""
    match = _THANKS.match(raw.strip().lower())
    return bool(match and _THANKS_TAIL.match(match.group("rest")))

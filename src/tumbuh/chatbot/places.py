"""Local services from the city's directory: posyandu days, puskesmas address, hours, phone.

Answers only what the :class:`~tumbuh.chatbot.interfaces.ServiceDirectory` holds (issue 10:
never invent a place or a number). A message about a posyandu or puskesmas that names a
kecamatan ("puskesmas di kec bogor utara apa aja"), a puskesmas ("no telp puskesmas bogor
timur") or a kelurahan ("jadwal posyandu sempur") is answered from the directory; when the
directory lacks the hours, the phone or the schedule asked for, the reply says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from tumbuh.chatbot.interfaces import AreaServices, KecamatanDirectory, Service
from tumbuh.chatbot.messages import Messages
from tumbuh.chatbot.understand import Intent, find_kelurahan

if TYPE_CHECKING:
    from tumbuh.chatbot.engine import Bot, Reply

__all__ = ["describe", "find_kecamatan", "query"]

_SERVICE: Final = re.compile(r"\b(posyandu|puskesmas|pkm|pustu|health cent(er|re))\w*")
#: What the person wants to know, by words (rules as data).
_WANTS: Final = (
    ("hours", re.compile(r"\b(jam|buka|tutup|operasional|open|opening|hours)\b")),
    ("phone", re.compile(r"\b(telp|telpon|telepon|tlp|nomor|no|nmr|kontak|wa|whatsapp|phone)\b")),
    ("schedule", re.compile(r"\b(jadwal|kapan|tanggal|hari apa|minggu ke|schedule|when)\b")),
)
#: A question about posyandu or puskesmas in general is for the knowledge base.
_GENERAL: Final = re.compile(
    r"\b(apa itu|manfaat|kenapa|mengapa|fungsi|gunanya|ngapain|kegiatan|bayar|gratis|wajib|"
    r"perlu|harus|sampai umur|berapa kali|seberapa sering|what is|why|how often)\b"
)
_KEC_PREFIX: Final = r"(?:kecamatan|kec\.?|kcmtn|district)\s*"


def _key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def find_kecamatan(raw: str, names: Sequence[str]) -> str | None:
    """A kecamatan named after "kec"/"kecamatan" ("kec bogor utara", "kecamatan Tanah Sareal")."""
    text = raw.lower()
    for name in sorted(names, key=len, reverse=True):
        words = r"\s*".join(re.escape(w) for w in name.lower().split())
        if re.search(rf"\b{_KEC_PREFIX}{words}\b", text):
            return name
    return None


def _puskesmas_named(
    raw: str, directory: KecamatanDirectory, kecamatan_names: Sequence[str]
) -> tuple[Service, AreaServices] | None:
    """A puskesmas named right after the word ("puskesmas bogor timur", "pkm tegal gundil")."""
    match = re.search(r"\b(?:puskesmas|pkm)\s+((?:[a-z]+\s*){1,3})", raw.lower())
    if match is None:
        return None
    said = _key(match.group(1))
    best: tuple[Service, AreaServices] | None = None
    for kecamatan in kecamatan_names:
        area = directory.services_in_kecamatan(kecamatan)
        if area is None:
            continue
        for service in area.puskesmas:
            key = _key(service.name.removeprefix("Puskesmas "))
            if (
                key
                and said.startswith(key)
                and (best is None or len(key) > len(_key(best[0].name)))
            ):
                best = (service, area)
    return best


def describe(messages: Messages, service: Service) -> str:
    """One line per service: only the facts the directory holds."""
    parts = [
        messages.text(key, value=value)
        for key, value in (
            ("services_address", service.address),
            ("services_schedule", service.schedule),
            ("services_hours", service.hours),
            ("services_phone", service.phone),
        )
        if value
    ]
    details = "".join(f", {p}" for p in parts)
    return messages.text("services_item", name=service.name, details=details)


def _missing(messages: Messages, wants: set[str], services: Sequence[Service]) -> list[str]:
    """Say plainly what the directory does not hold, for what was asked."""
    out = []
    puskesmas = [s for s in services if s.kind == "puskesmas"]
    posyandu = [s for s in services if s.kind == "posyandu"]
    if "phone" in wants and puskesmas and not any(s.phone for s in puskesmas):
        out.append(messages.text("services_no_phone"))
    if "hours" in wants and puskesmas and not any(s.hours for s in puskesmas):
        out.append(messages.text("services_no_hours"))
    if "schedule" in wants and not any(s.schedule for s in posyandu):
        out.append(messages.text("services_no_schedule"))
    return out


def _area_text(messages: Messages, area: AreaServices, wants: set[str], *, kelurahan: bool) -> str:
    if kelurahan:
        lines = [messages.text("services_head", kelurahan=area.kelurahan, kecamatan=area.kecamatan)]
        if area.posyandu:
            lines.append(messages.text("services_posyandu"))
            lines += [describe(messages, s) for s in area.posyandu]
        else:
            lines.append(messages.text("services_none"))
    else:
        lines = [messages.text("services_kecamatan_head", kecamatan=area.kecamatan)]
    if area.puskesmas:
        lines.append(messages.text("services_puskesmas"))
        lines += [describe(messages, s) for s in area.puskesmas]
    lines += _missing(messages, wants, (*area.posyandu, *area.puskesmas))
    if area.note:
        lines.append(area.note)
    return "\n".join(lines)


def query(bot: Bot, raw: str, kelurahan: str | None) -> Reply | None:
    """The directory's answer to a message about a named place's services, or None."""
    from tumbuh.chatbot.engine import Reply

    directory = bot.directory
    text = raw.lower()
    if directory is None or not _SERVICE.search(text) or _GENERAL.search(text):
        return None
    m = bot.messages
    wants = {name for name, pattern in _WANTS if pattern.search(text)}
    if isinstance(directory, KecamatanDirectory):
        kecamatan = find_kecamatan(raw, bot._kecamatan)
        if kecamatan is not None:
            area = directory.services_in_kecamatan(kecamatan)
            if area is not None:
                body = _area_text(m, area, wants, kelurahan=False)
                return Reply(body, Intent.WHERE_TO_GO, confidence=1.0)
        found = _puskesmas_named(raw, directory, bot._kecamatan)
        named_kelurahan = re.search(r"\b(kel|kelurahan|desa)\b", text) is not None
        if found is not None and not named_kelurahan:
            service, area = found
            lines = [m.text("services_one_head", kecamatan=area.kecamatan), describe(m, service)]
            lines += _missing(m, wants, (service,))
            if area.note:
                lines.append(area.note)
            return Reply("\n".join(lines), Intent.WHERE_TO_GO, confidence=1.0)
    place = kelurahan or find_kelurahan(raw, bot._kelurahan)
    if place is None:
        return None
    area = directory.services_for(place)
    if area is None:
        return None
    return Reply(_area_text(m, area, wants, kelurahan=True), Intent.WHERE_TO_GO, confidence=1.0)

"""The main menu as data: which role sees which entry (issue 12 item 11).

Each entry names its URL, its label and who sees it; ``menu_for(user)`` is what the base
template draws. A role sees only what it can use: an OPD sees no child search (ADR 0011), a
parent sees their own children and the chatbot but no API tokens and no empty list of
pregnant women, and everyone signed in finds the chatbot. Other areas add their entries here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tumbuh.accounts.models import Role, User
from tumbuh.registry.selectors import can_see_mothers, pregnancies_visible_to
from tumbuh.registry.services import can_record

ALL = frozenset(Role)
OFFICERS = frozenset({Role.TPPS, Role.KECAMATAN_OFFICER, Role.KELURAHAN_OFFICER,
                      Role.NUTRITION_OFFICER, Role.KADER})  # fmt: skip
CHILD_ROLES = ALL - {Role.OPD}
AREA_OFFICERS = frozenset({Role.TPPS, Role.KECAMATAN_OFFICER, Role.KELURAHAN_OFFICER})
CASE_ROLES = OFFICERS
TASK_ROLES = (OFFICERS - {Role.KADER}) | {Role.OPD}


def _mothers(user: User) -> bool:
    if not can_see_mothers(user):
        return False
    if user.role == Role.PARENT:  # only when there is a pregnancy to show
        return pregnancies_visible_to(user).exists()
    return True


@dataclass(frozen=True, slots=True)
class Entry:
    url_name: str
    label: Promise
    roles: frozenset[str]
    #: An extra condition beyond the role (``None``: the role is enough).
    when: Callable[[User], bool] | None = None
    #: Another label for some roles ("Anak saya" for a parent).
    labels: tuple[tuple[str, Promise], ...] = ()
    staff_only: bool = False


MENU: tuple[Entry, ...] = (
    Entry("dashboard:home", _("Beranda"), ALL),
    Entry("registry:child_list", _("Cari anak"), CHILD_ROLES,
          labels=((Role.PARENT, _("Anak saya")), (Role.PARTNER, _("Anak asuh")))),
    Entry("registry:mother_list", _("Ibu hamil"), ALL, when=_mothers),
    Entry("registry:weigh", _("Penimbangan"), ALL, when=can_record),
    Entry("imports:upload", _("Impor e-PPGBM"), ALL, when=can_record),
    Entry("komando:home", _("Komando"), AREA_OFFICERS),
    Entry("cases:case_list", _("Kasus"), CASE_ROLES),
    Entry("cases:prevention", _("Berisiko"), CASE_ROLES),
    Entry("cases:task_list", _("Tugas OPD"), TASK_ROLES,
          labels=((Role.OPD, _("Tugas saya")),)),
    Entry("partners:needs", _("Kebutuhan terbuka"), frozenset({Role.PARTNER, Role.TPPS})),
    Entry("partners:pledges", _("Janji bantuan"), frozenset({Role.PARTNER})),
    Entry("partners:my_contributions", _("Kontribusi saya"), frozenset({Role.PARTNER})),
    Entry("partners:tpps_partners", _("Mitra"), frozenset({Role.TPPS})),
    Entry("partners:tpps_pledges", _("Persetujuan bantuan"), frozenset({Role.TPPS})),
    Entry("partners:verify_list", _("Verifikasi bantuan"),
          frozenset({Role.KADER, Role.NUTRITION_OFFICER})),
    Entry("messaging:handoff_list", _("Antrian chat"), OFFICERS),
    Entry("messaging:lead_list", _("Kunjungan dari chat"), OFFICERS),
    Entry("registry:link_list", _("Tautan keluarga"), AREA_OFFICERS | {Role.NUTRITION_OFFICER}),
    Entry("messaging:chat", _("Chatbot"), ALL),
    Entry("api_tokens:list", _("Token API"), ALL - {Role.PARENT}),
    Entry("admin:index", _("Admin"), ALL, staff_only=True),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    label: str
    current: bool


def menu_for(user: User | None, path: str = "") -> list[Link]:
    """The entries ``user`` sees, in order (empty when signed out)."""
    if user is None or not user.is_authenticated:
        return []
    links = []
    for entry in MENU:
        if entry.staff_only and not user.is_staff:
            continue
        if not user.is_superuser and user.role not in entry.roles:
            continue
        if entry.when is not None and not entry.when(user):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:  # an app that is not installed
            continue
        label = dict(entry.labels).get(user.role, entry.label)
        current = url == path if url == "/" else path.startswith(url)
        links.append(Link(url, str(label), current))
    return links


__all__ = ["MENU", "Entry", "Link", "menu_for"]

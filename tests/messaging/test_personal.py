"""Personal data only after a one-time code and consent, and only the person's own child;
codes hashed, expiring, rate-limited; a bapak asuh's fortnightly visits; the directory."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.messaging.conftest import OTHER_PHONE, PARENT_PHONE
from tumbuh.audit.models import AuditEvent
from tumbuh.messaging.directory import RegistryPersonalData, WilayahDirectory
from tumbuh.messaging.models import ChatConsent, LoggedMessage, OneTimeCode
from tumbuh.messaging.verification import (
    MAX_CODES_PER_HOUR,
    MemoryCodeSender,
    OtpVerifier,
    user_for_phone,
)

pytestmark = pytest.mark.django_db


def say(client: Client, text: str, conversation: str = "p-1") -> str:
    response = client.post(
        "/api/v1/chat",
        data={"conversation": conversation, "text": text},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return str(response.json()["reply"])


def test_parent_sees_only_their_own_child_after_code_and_consent(client: Client, town) -> None:  # type: ignore[no-untyped-def]
    asked = say(client, "data anak saya")
    assert "Aditya" not in asked
    say(client, PARENT_PHONE)
    code = MemoryCodeSender.sent[PARENT_PHONE]
    stored = OneTimeCode.objects.get(phone=PARENT_PHONE)
    assert code not in stored.code_hash and len(stored.code_hash) == 64
    before_consent = say(client, code)
    assert "Aditya" not in before_consent  # consent is asked first
    answer = say(client, "ya")
    assert "Aditya" in answer and "Bagus" not in answer
    assert "9,4" in answer
    assert ChatConsent.objects.filter(purpose="personal_data", granted=True).exists()
    assert AuditEvent.objects.filter(
        object_type="registry.child", object_id=str(town.adit.pk), detail__via="chatbot"
    ).exists()
    assert not AuditEvent.objects.filter(
        object_type="registry.child", object_id=str(town.bagus.pk), detail__via="chatbot"
    ).exists()


def test_declining_consent_shows_nothing(client: Client, town) -> None:  # type: ignore[no-untyped-def]
    say(client, "data anak saya", "p-2")
    say(client, PARENT_PHONE, "p-2")
    say(client, MemoryCodeSender.sent[PARENT_PHONE], "p-2")
    assert "Aditya" not in say(client, "tidak", "p-2")


def test_wrong_code_shows_nothing_and_unknown_numbers_get_no_code(client: Client, town) -> None:  # type: ignore[no-untyped-def]
    say(client, "data anak saya", "p-3")
    say(client, PARENT_PHONE, "p-3")
    wrong = "000000" if MemoryCodeSender.sent[PARENT_PHONE] != "000000" else "111111"
    assert "Aditya" not in say(client, wrong, "p-3")
    say(client, "data anak saya", "p-4")
    say(client, "081255550000", "p-4")
    assert "081255550000" not in MemoryCodeSender.sent


def test_codes_expire_are_used_once_and_are_rate_limited(town) -> None:  # type: ignore[no-untyped-def]
    verifier = OtpVerifier()
    assert verifier.start("+62 812-9999-0002")
    code = MemoryCodeSender.sent[OTHER_PHONE]
    user = verifier.check(OTHER_PHONE, code)
    assert user is not None and user.person_id == f"p{town.bagus.mother.person_id}"
    assert verifier.check(OTHER_PHONE, code) is None  # used once
    assert verifier.start(OTHER_PHONE)
    OneTimeCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert verifier.check(OTHER_PHONE, MemoryCodeSender.sent[OTHER_PHONE]) is None
    assert verifier.start(OTHER_PHONE)
    assert OneTimeCode.objects.filter(phone=OTHER_PHONE).count() == MAX_CODES_PER_HOUR
    assert not verifier.start(OTHER_PHONE)


def test_too_many_wrong_attempts_burn_the_code(town) -> None:  # type: ignore[no-untyped-def]
    verifier = OtpVerifier()
    verifier.start(PARENT_PHONE)
    code = MemoryCodeSender.sent[PARENT_PHONE]
    wrong = "999999" if code != "999999" else "888888"
    for _ in range(5):
        assert verifier.check(PARENT_PHONE, wrong) is None
    assert verifier.check(PARENT_PHONE, code) is None


def test_personal_data_is_scoped_to_the_person(town) -> None:  # type: ignore[no-untyped-def]
    data = RegistryPersonalData()
    mother = user_for_phone(PARENT_PHONE)
    assert mother is not None
    [child] = data.children_of(mother.person_id)
    assert child.name == "Aditya" and child.latest is not None
    assert child.latest.weight_kg == 9.4 and child.previous is not None
    assert child.latest.tbu_label  # the registry's stored Permenkes label
    assert data.children_of("p999999") == () and data.children_of("u1") == ()


def test_bapak_asuh_sees_fortnightly_visits_pseudonymised(town) -> None:  # type: ignore[no-untyped-def]
    patron = user_for_phone("081299990009")
    assert patron is not None and patron.role.value == "bapak_asuh"
    today = timezone.localdate()
    [visit] = RegistryPersonalData().due_visits(patron.person_id, today)
    assert visit.child_label.startswith("Anak B. S.")
    assert visit.kelurahan == "Batu Tulis"
    assert visit.due == today + dt.timedelta(days=4)  # assigned 10 days ago: day 14


def test_directory_lists_only_what_wilayah_holds(town) -> None:  # type: ignore[no-untyped-def]
    directory = WilayahDirectory()
    assert "Sempur" in directory.kelurahan_names()
    area = directory.services_for("sempur")
    assert area is not None and area.kecamatan == "Bogor Tengah"
    assert [s.name for s in area.posyandu] == ["Posyandu Mawar"]
    assert [s.name for s in area.puskesmas] == ["Puskesmas Sempur"]
    assert directory.services_for("Atlantis") is None


def test_conversation_is_logged_only_with_consent(client: Client, town) -> None:  # type: ignore[no-untyped-def]
    say(client, "apa itu stunting", "log-1")
    assert not LoggedMessage.objects.exists()
    say(client, "saya setuju percakapan disimpan", "log-1")
    assert ChatConsent.objects.filter(purpose="conversation_log", granted=True).exists()
    say(client, "apa itu stunting", "log-1")
    assert LoggedMessage.objects.filter(conversation_id="web:log-1").exists()
    say(client, "tarik persetujuan", "log-1")
    assert not LoggedMessage.objects.filter(conversation_id="web:log-1").exists()
    say(client, "apa itu stunting", "log-1")
    assert not LoggedMessage.objects.exists()

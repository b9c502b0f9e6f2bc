"""Fixtures for the messaging platform: Kota Bogor loaded once, a small town with two
families and one officer per role, channels configured with test secrets, every outbound
send and one-time code captured in memory (no network)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, TestCase
from django.utils import timezone

from tumbuh.accounts.models import Role, User
from tumbuh.messaging.bot import reset_bot
from tumbuh.messaging.senders import MemorySender
from tumbuh.messaging.verification import MemoryCodeSender
from tumbuh.registry.models import Child
from tumbuh.wilayah.models import Posyandu, Puskesmas, Region
from tumbuh.wilayah.services import region_load

FIXTURES = Path(__file__).parent / "fixtures"
APP_SECRET = "uji-rahasia-aplikasi-meta"
VERIFY_TOKEN = "uji-token-verifikasi"
TG_SECRET = "uji-rahasia-telegram_123"
PARENT_PHONE = "081299990001"
OTHER_PHONE = "081299990002"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        region_load(code="32.71")


@pytest.fixture(autouse=True)
def _channels(settings: Any) -> Any:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.WHATSAPP_VERIFY_TOKEN = VERIFY_TOKEN
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.WHATSAPP_TOKEN = "uji-token"
    settings.WHATSAPP_PHONE_NUMBER_ID = "106540352242922"
    settings.TELEGRAM_SECRET_TOKEN = TG_SECRET
    settings.TELEGRAM_BOT_TOKEN = "123:uji"
    settings.MESSAGING_SENDER = "tumbuh.messaging.senders.MemorySender"
    settings.MESSAGING_SEND_IN_BACKGROUND = "0"
    settings.OTP_SENDER = "tumbuh.messaging.verification.MemoryCodeSender"
    MemorySender.outbox.clear()
    MemoryCodeSender.sent.clear()
    cache.clear()
    reset_bot()
    yield settings
    reset_bot()


class CommitClient(Client):
    """A test client that runs on-commit callbacks (the sends) as each request finishes, as a
    real request's transaction commit would; the test's own transaction never commits."""

    def request(self, **request: Any) -> Any:
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


@pytest.fixture
def client() -> Client:
    return CommitClient(REMOTE_ADDR="10.1.2.3")


def committed(func: Any, /, **kwargs: Any) -> Any:
    """Call a service and run what it scheduled on commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return func(**kwargs)


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def signed(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post_whatsapp(client: Client, body: bytes, signature: str | None = None) -> Any:
    headers = {"HTTP_X_HUB_SIGNATURE_256": signature if signature is not None else signed(body)}
    return client.post("/webhooks/whatsapp", data=body, content_type="application/json", **headers)


def whatsapp_text(text: str, *, sender: str = "6281299990001", wamid: str = "wamid.X1") -> bytes:
    payload = json.loads(fixture_bytes("whatsapp_text.json"))
    message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    message["from"] = sender
    message["id"] = wamid
    message["text"]["body"] = text
    payload["entry"][0]["changes"][0]["value"]["contacts"][0]["wa_id"] = sender
    return json.dumps(payload).encode()


def sent_texts(channel: str | None = None) -> list[str]:
    out = []
    for name, payload in MemorySender.outbox:
        if channel and name != channel:
            continue
        if payload.get("type") == "text":
            out.append(payload["text"]["body"])
        elif payload.get("type") == "interactive":
            out.append(payload["interactive"]["body"]["text"])
        elif "text" in payload and isinstance(payload["text"], str):
            out.append(payload["text"])
        elif payload.get("type") == "template":
            out.append("TEMPLATE:" + payload["template"]["name"])
    return out


@dataclass
class Town:
    sempur: Region
    batu_tulis: Region
    mawar: Posyandu  # Sempur
    anggrek: Posyandu  # Batu Tulis
    adit: Child  # the parent's child (phone PARENT_PHONE), Sempur
    bagus: Child  # another family's child (phone OTHER_PHONE), Batu Tulis
    users: dict[str, User]


@pytest.fixture
def town(db: Any) -> Town:
    from tumbuh.registry.services import child_register, measurement_record

    today = timezone.localdate()
    r = Region.objects.get
    sempur, batu_tulis = r(code="32.71.03.1006"), r(code="32.71.01.1001")
    pusk_a = Puskesmas.objects.get(name="Sempur")
    pusk_a.service_area.add(sempur)
    pusk_b = Puskesmas.objects.get(name="Bogor Selatan")
    pusk_b.service_area.add(batu_tulis)
    mawar = Posyandu.objects.create(name="Mawar", kelurahan=sempur, puskesmas=pusk_a)
    anggrek = Posyandu.objects.create(name="Anggrek", kelurahan=batu_tulis, puskesmas=pusk_b)
    common: dict[str, Any] = {
        "actor": None,
        "consent_given_by": "Ibu kandung",
        "consent_relationship": "Ibu",
        "is_demo": True,
        "today": today,
    }
    adit = child_register(
        name="Aditya Pratama",
        sex=1,
        birth_date=today - dt.timedelta(days=610),
        mother_name="Dewi Lestari",
        kelurahan=sempur,
        posyandu=mawar,
        phone=PARENT_PHONE,
        **common,
    )
    bagus = child_register(
        name="Bagus Saputra",
        sex=1,
        birth_date=today - dt.timedelta(days=900),
        mother_name="Sri Wahyuni",
        kelurahan=batu_tulis,
        posyandu=anggrek,
        phone=OTHER_PHONE,
        **common,
    )
    for days_ago, weight, length in ((40, "9.3", "76.9"), (10, "9.4", "77.5")):
        measurement_record(
            actor=None,
            child=adit,
            measured_on=today - dt.timedelta(days=days_ago),
            weight_kg=weight,
            length_cm=length,
            position="h",
            today=today,
        )
    measurement_record(
        actor=None,
        child=bagus,
        measured_on=today,
        weight_kg="12.0",
        length_cm="88",
        position="h",
        today=today,
    )
    make = User.objects.create_user
    users = {
        "kader_a": make("kader_a", password="x", role=Role.KADER, posyandu=mawar),
        "kader_b": make("kader_b", password="x", role=Role.KADER, posyandu=anggrek),
        "gizi_a": make("gizi_a", password="x", role=Role.NUTRITION_OFFICER, puskesmas=pusk_a),
        "kelurahan_b": make("kel_b", password="x", role=Role.KELURAHAN_OFFICER, region=batu_tulis),
        "tpps": make("tpps", password="x", role=Role.TPPS, region=r(code="32.71")),
        "opd": make("opd", password="x", role=Role.OPD),
        "partner": make("partner", password="x", role=Role.PARTNER, phone="081299990009"),
    }
    users["partner"].child_assignments.create(child=bagus, started_on=today - dt.timedelta(10))
    return Town(sempur, batu_tulis, mawar, anggrek, adit, bagus, users)


def logged_in(user: User) -> Client:
    client = CommitClient(REMOTE_ADDR="10.9.8.7")
    client.force_login(user)
    return client

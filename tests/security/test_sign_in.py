"""Finding 7 of issue 11: sign-in throttling (django-axes) with an audited lockout and an
administrator's unlock; weak staff passwords refused; TOTP second step required for
administrators and TPPS when DEBUG is off (demo accounts exempt only by a setting)."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from factories import PASSWORD

from tumbuh.accounts.lockout import unlock
from tumbuh.accounts.passwords import LocalWordPasswordValidator
from tumbuh.audit.models import Action, AuditEvent


def _login(username: str, password: str, ip: str = "10.9.9.9") -> int:
    client = Client(REMOTE_ADDR=ip)
    return client.post("/akun/masuk/", {"username": username, "password": password}).status_code


def test_wrong_passwords_lock_the_account_and_the_right_one_is_refused_after(world, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(5):
        assert _login("tpps", "salah-terus-menerus") in (200, 429)
    assert _login("tpps", PASSWORD, ip="10.8.8.8") == 429  # locked even from elsewhere
    assert AuditEvent.objects.filter(action=Action.LOCKOUT, detail__username="tpps").exists()
    # an administrator unlocks: the right password works again
    removed = unlock(actor=world.users["admin"], user=world.users["tpps"])
    assert removed >= 1
    assert AuditEvent.objects.filter(action=Action.UNLOCK, object_id=str(world.users["tpps"].pk))
    assert _login("tpps", PASSWORD, ip="10.8.8.8") == 302


def test_admin_unlock_action(world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        _login("kader", "bukan-sandinya")
    assert _login("kader", PASSWORD, ip="10.7.7.7") == 429
    admin = Client()
    admin.force_login(world.users["admin"])
    response = admin.post(
        "/admin/accounts/user/",
        {"action": "unlock_sign_in", "_selected_action": [world.users["kader"].pk]},
    )
    assert response.status_code == 302
    assert _login("kader", PASSWORD, ip="10.7.7.7") == 302


@pytest.mark.parametrize(
    "password", ["Bogor2026", "kader123", "Bogor2026!!!", "P0syandu2026!", "bogorkader2026",
                 "TumbuhStunting1", "123456789012"]
)  # fmt: skip
def test_weak_staff_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["kopi pagi di teras rumah", "Lampu-Hijau-Sungai-88"])
def test_good_passphrases_pass(password):
    validate_password(password)
    LocalWordPasswordValidator().validate(password)


def _code(device: TOTPDevice) -> str:
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=6)).zfill(6)


@pytest.mark.parametrize("role", ["admin", "tpps"])
def test_second_step_is_required_for_admin_and_tpps(world, settings, role):
    settings.TWO_FACTOR_REQUIRED = True
    client = Client()
    client.force_login(world.users[role])
    page = client.get("/anak/")
    assert page.status_code == 302 and page["Location"].startswith("/akun/dua-langkah/")
    assert client.get("/admin/").status_code == 302
    setup = client.get("/akun/dua-langkah/")
    assert setup.status_code == 200 and "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=world.users[role])
    assert not device.confirmed
    wrong = client.post("/akun/dua-langkah/", {"otp_token": "000000", "next": "/anak/"})
    assert wrong.status_code == 422
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    ok = client.post("/akun/dua-langkah/", {"otp_token": _code(device), "next": "/anak/"})
    assert ok.status_code == 302 and ok["Location"] == "/anak/"
    assert client.get("/anak/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action=Action.VERIFY, detail__ok=True).exists()


def test_kader_is_not_asked_and_demo_exemption_is_a_setting(world, settings):
    settings.TWO_FACTOR_REQUIRED = True
    kader = Client()
    kader.force_login(world.users["kader"])
    assert kader.get("/timbang/").status_code == 200
    tpps = world.users["tpps"]
    tpps.is_demo = True
    tpps.save()
    client = Client()
    client.force_login(tpps)
    assert client.get("/anak/").status_code == 302  # demo, but no exemption set
    settings.TWO_FACTOR_EXEMPT_DEMO = True
    assert client.get("/anak/").status_code == 200


def test_not_required_with_debug_defaults(settings, world):
    settings.TWO_FACTOR_REQUIRED = False
    client = Client()
    client.force_login(world.users["tpps"])
    assert client.get("/anak/").status_code == 200

"""Issue 12 item 2: with DEBUG off (as ``make run`` serves) error pages are Indonesian and
show no URL patterns or tracebacks."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.views import defaults


@pytest.fixture
def production(settings):  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    return settings


@pytest.mark.django_db
def test_404_is_indonesian_without_debug_details(production, client: Client) -> None:
    response = client.get("/halaman-yang-tidak-ada/")
    assert response.status_code == 404
    text = response.content.decode()
    assert '<html lang="id">' in text
    assert "Tidak ditemukan" in text
    assert "Kembali ke beranda" in text
    assert "URLconf" not in text and "Page not found" not in text


def test_500_page_is_indonesian_and_self_contained(production) -> None:
    request = RequestFactory().get("/")
    response = defaults.server_error(request)
    assert response.status_code == 500
    text = response.content.decode()
    assert "Terjadi kesalahan" in text
    assert "Traceback" not in text and "Server Error" not in text


@pytest.mark.django_db
def test_400_and_403_pages_are_indonesian(production) -> None:
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    bad = defaults.bad_request(request, exception=Exception("x"))
    assert bad.status_code == 400
    assert "Permintaan tidak sah" in bad.content.decode()
    denied = defaults.permission_denied(request, exception=Exception(""))
    assert denied.status_code == 403
    assert "Tidak diizinkan" in denied.content.decode()


@pytest.mark.django_db
def test_csrf_failure_is_indonesian(production) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/akun/masuk/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Formulir kedaluwarsa" in response.content.decode()

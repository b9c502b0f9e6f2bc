"""Issue 12 item 11: each role's menu shows what it can use."""

from __future__ import annotations

import pytest

from tumbuh.dashboard.menu import menu_for


def _labels(world, name):  # type: ignore[no-untyped-def]
    return [link.label for link in menu_for(world.users[name], "/")]


def test_parent_sees_own_children_and_the_chatbot_but_no_tokens_or_empty_lists(world) -> None:
    labels = _labels(world, "parent")
    assert labels == ["Beranda", "Anak saya", "Chatbot"]


def test_kader_menu(world) -> None:
    labels = _labels(world, "kader")
    assert labels[:5] == ["Beranda", "Cari anak", "Ibu hamil", "Penimbangan", "Impor e-PPGBM"]
    assert "Antrian chat" in labels and "Chatbot" in labels and "Token API" in labels
    assert "Admin" not in labels


def test_opd_sees_no_child_search_and_gets_a_clear_403(world, client_for) -> None:
    labels = _labels(world, "opd")
    assert "Cari anak" not in labels and "Penimbangan" not in labels
    response = client_for("opd").get("/anak/")
    assert response.status_code == 403
    assert "OPD tidak melihat daftar anak" in response.content.decode()


@pytest.mark.parametrize("name", ["tpps", "kecamatan", "kelurahan", "tenaga_gizi", "partner"])
def test_every_role_has_the_chatbot_and_home(world, name: str) -> None:
    labels = _labels(world, name)
    assert labels[0] == "Beranda" and "Chatbot" in labels


def test_menu_is_drawn_with_the_current_page(world, client_for) -> None:
    page = client_for("kader").get("/timbang/").content.decode()
    assert '<a href="/timbang/" aria-current="page">Penimbangan</a>' in page
    assert 'href="/chat/"' in page

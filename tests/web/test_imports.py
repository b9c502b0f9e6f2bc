"""Import of e-PPGBM-style files: hostile input, all-or-nothing, idempotency, scope,
duplicates, and the numbers stored equal to the registry's own measurement service."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from importing import HEADER, TODAY, csv_bytes, report_rows, row, run, xlsx_bytes

from tumbuh.audit.models import Action, AuditEvent
from tumbuh.imports import reader
from tumbuh.imports.headers import Field, documented_table, header_key, match_headers
from tumbuh.imports.models import DuplicateCandidate, DuplicateReason, ImportJob, JobStatus
from tumbuh.imports.services import _Writer
from tumbuh.registry.models import Child, Family, Measurement, Mother, Person, Source
from tumbuh.registry.services import measurement_record
from tumbuh.registry.services.measurements import STORED

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int, int, int]:
    return (
        Child.objects.count(),
        Person.objects.count(),
        Family.objects.count(),
        Mother.objects.count(),
        Measurement.objects.count(),
    )


def second(**values: object) -> dict[str, object]:
    """A second weighing of the default child."""
    return row(**{"Tanggal Pengukuran": "2026-11-02", "Berat (kg)": "9.4", "Tinggi (cm)": "77.3",
                  **values})  # fmt: skip


# -- headers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("Tgl. Lahir (dd/mm/yyyy)", Field.BIRTH_DATE),
        ("TGL_LAHIR", Field.BIRTH_DATE),
        ("tanggal lahir", Field.BIRTH_DATE),
        ("Nama Balita", Field.NAME),
        ("Nama Anak", Field.NAME),
        ("JK (L/P)", Field.SEX),
        ("Jenis Kelamin", Field.SEX),
        ("BB (kg)", Field.WEIGHT),
        ("Berat", Field.WEIGHT),
        ("TB (cm)", Field.LENGTH),
        ("PB", Field.LENGTH),
        ("Nama Ortu", Field.MOTHER_NAME),
        ("NIK Ortu", Field.MOTHER_NIK),
        ("No. KK", Field.KK_NUMBER),
        ("Kelurahan/Desa", Field.KELURAHAN),
        ("Desa", Field.KELURAHAN),
        ("Tanggal Pengukuran", Field.MEASURED_ON),
        ("LiLA (cm)", Field.ARM),
        ("Lingkar Kepala", Field.HEAD),
        ("Cara Ukur", Field.POSITION),
        ("weight_kg", Field.WEIGHT),
        ("measured_on", Field.MEASURED_ON),
    ],
)
def test_headers_match_eppgbm_and_english_names(text: str, field: Field) -> None:
    assert match_headers([text]).columns == {field: 0}


def test_header_key_ignores_case_spaces_dots_underscores_and_units() -> None:
    assert header_key(" Tgl._Lahir (dd/mm/yyyy) ") == header_key("tgllahir") == "tgllahir"


def test_documented_mapping_is_in_the_docs() -> None:
    from pathlib import Path

    doc = (Path(__file__).parents[2] / "docs" / "import-eppgbm.md").read_text()
    for name, _label, aliases in documented_table():
        assert f"`{name}`" in doc
        for alias in aliases.split(", "):
            assert alias in doc, alias


def test_wrong_headers_say_what_is_missing_and_what_was_not_recognised(world) -> None:
    data = csv_bytes([{"Nama": "Budi", "Tgl Lhr": "2025-01-01", "Brt": "9"}],
                     header=["Nama", "Tgl Lhr", "Brt"])  # fmt: skip
    job = run(data, world.users["tenaga_gizi"])
    assert job.status == JobStatus.REJECTED
    assert "Jenis kelamin" in job.message and "Tanggal pengukuran" in job.message
    assert "Brt" in job.message  # not recognised
    assert "Nama anak" not in job.message.split("tidak ditemukan:")[1].split(".")[0]
    assert report_rows(job)[0][3] == job.message


def test_two_columns_for_one_field_are_refused(world) -> None:
    header = [*HEADER, "BB"]
    job = run(csv_bytes([row(BB="9")], header=header), world.users["tenaga_gizi"])
    assert job.status == JobStatus.REJECTED
    assert "'Berat (kg)' dan 'BB'" in job.message


# -- a good file ---------------------------------------------------------------------------


def test_import_creates_child_family_mother_and_measurements(world) -> None:
    before = counts()
    job = run(csv_bytes([row(), second()]), world.users["tenaga_gizi"])
    assert job.status == JobStatus.DONE, job.message
    assert (job.children_created, job.measurements_created, job.error_count) == (1, 2, 0)
    after = counts()
    assert after[0] - before[0] == 1 and after[4] - before[4] == 2
    child = Child.objects.get(person__nik="3271031003250001")
    assert child.person.name == "Budi Santoso" and child.person.sex == 1
    assert child.person.birth_date == dt.date(2025, 3, 10)
    assert child.mother.person.name == "Siti Aminah"
    assert child.posyandu == world.pos_a
    family = child.person.family
    assert family.kelurahan == world.kel_a
    assert (family.rw.name, family.rt.name) == ("003", "002")
    series = list(child.measurements.order_by("measured_on"))
    assert [m.source for m in series] == [Source.IMPORT, Source.IMPORT]
    assert series[0].weight_kg == Decimal("9.10") and series[0].position == "l"
    assert child.latest_measurement == series[1]
    assert series[1].trend in ("N", "T")
    assert job.content == b""
    events = AuditEvent.objects.filter(action=Action.CREATE, detail__import_job=job.pk)
    assert events.filter(object_type="registry.measurement").count() == 2
    assert events.filter(object_type="registry.child").count() == 1
    assert AuditEvent.objects.filter(action=Action.IMPORT, object_id=str(job.pk)).exists()


def test_stored_verdict_equals_the_registry_measurement_service(world) -> None:
    """The bulk writer stores exactly what measurement_record stores for the same input."""
    run(csv_bytes([row(**{"LiLA (cm)": "14,2", "Lingkar Kepala (cm)": "45.1"})]),
        world.users["tenaga_gizi"])  # fmt: skip
    imported = Measurement.objects.get(child__person__nik="3271031003250001")
    twin = Child.objects.get(pk=world.child_a.pk)
    Person.objects.filter(pk=twin.person_id).update(birth_date=dt.date(2025, 3, 10))
    twin.refresh_from_db()
    twin.person.refresh_from_db()
    result = measurement_record(
        actor=world.users["tenaga_gizi"], child=twin, measured_on=dt.date(2026, 10, 5),
        weight_kg="9,1", length_cm="76.5", position="l", arm_circumference_cm="14.2",
        head_circumference_cm="45.1", today=TODAY,
    )  # fmt: skip
    recorded = result.measurement
    fields = ["age_days", "weight_kg", "length_cm", "position", "head_circumference_cm",
              "arm_circumference_cm", "clenhei", "cbmi", "reasons", "is_stunted", "standard",
              "engine", "tables", "provenance"]  # fmt: skip
    for indicator, flag, index in STORED:
        fields += [indicator.value, flag] + ([f"category_{index}"] if index else [])
    for name in fields:
        assert getattr(imported, name) == getattr(recorded, name), name


def test_xlsx_with_dates_numbers_and_a_formula_cell(world) -> None:
    data = xlsx_bytes(
        [
            row(**{"Tgl Lahir": dt.date(2025, 3, 10), "Tanggal Pengukuran": dt.date(2026, 10, 5),
                   "Berat (kg)": 9.1, "Tinggi (cm)": 76.5, "RT": 2, "RW": 3,
                   "ZS TB/U": "=FORMULA:1+1"}),
        ],
        header=HEADER,
    )  # fmt: skip
    job = run(data, world.users["tenaga_gizi"], name="ekspor.xlsx")
    assert job.status == JobStatus.DONE, (job.message, report_rows(job))
    assert job.measurements_created == 1


def test_sex_spellings_and_decimal_commas_are_read_by_the_growth_engine(world) -> None:
    rows = [
        row(),
        row(NIK="3271034506240002", **{"Nama Balita": "Ani", "JK": "perempuan",
            "Tgl Lahir": "2024-06-05", "Berat (kg)": "10,25", "Tinggi (cm)": "80,4",
            "Cara Ukur": "PB"}),
    ]  # fmt: skip
    job = run(csv_bytes(rows), world.users["tenaga_gizi"])
    assert job.status == JobStatus.DONE, report_rows(job)
    ani = Child.objects.get(person__nik="3271034506240002")
    assert ani.person.sex == 2
    assert ani.latest_measurement.weight_kg == Decimal("10.25")


def test_position_from_the_length_header_when_cara_ukur_is_missing(world) -> None:
    header = [h for h in HEADER if h not in ("Cara Ukur", "Tinggi (cm)")] + ["PB (cm)"]
    job = run(csv_bytes([row(**{"PB (cm)": "76.5"})], header=header), world.users["tenaga_gizi"])
    assert job.status == JobStatus.DONE, report_rows(job)
    assert Measurement.objects.get(source=Source.IMPORT).position == "l"


def test_semicolon_csv_with_bom(world) -> None:
    text = csv_bytes([row(**{"Berat (kg)": "9.1"})]).decode().replace(",", ";")
    job = run(b"\xef\xbb\xbf" + text.encode(), world.users["tenaga_gizi"])
    assert job.status == JobStatus.DONE, report_rows(job)


# -- idempotency -------------------------------------------------------------------------------


def test_importing_the_same_file_twice_creates_nothing_new(world) -> None:
    data = csv_bytes([row(), second(), row(NIK="", **{"Nama Balita": "Tanpa Nik"})])
    first = run(data, world.users["tenaga_gizi"])
    assert first.status == JobStatus.DONE, report_rows(first)
    before = counts()
    audit_before = AuditEvent.objects.filter(action=Action.CREATE).count()
    again = run(data, world.users["tenaga_gizi"])
    assert again.status == JobStatus.DONE
    assert counts() == before
    assert (again.children_created, again.measurements_created) == (0, 0)
    assert (again.children_matched, again.measurements_skipped) == (2, 3)
    assert AuditEvent.objects.filter(action=Action.CREATE).count() == audit_before
    assert ImportJob.objects.filter(checksum=first.checksum).count() == 2


def test_a_later_file_adds_only_the_new_weighing_to_the_known_child(world) -> None:
    run(csv_bytes([row()]), world.users["tenaga_gizi"])
    job = run(csv_bytes([row(), second()]), world.users["tenaga_gizi"])
    assert (job.children_created, job.children_matched) == (0, 1)
    assert (job.measurements_created, job.measurements_skipped) == (1, 1)
    child = Child.objects.get(person__nik="3271031003250001")
    assert child.measurements.count() == 2
    assert child.latest_measurement.measured_on == dt.date(2026, 11, 2)


def test_same_date_with_other_values_is_skipped_with_a_warning(world) -> None:
    run(csv_bytes([row()]), world.users["tenaga_gizi"])
    job = run(csv_bytes([row(**{"Berat (kg)": "9.6"})]), world.users["tenaga_gizi"])
    assert job.status == JobStatus.DONE and job.measurements_created == 0
    assert any("hasil lain" in w for w in job.warnings)


def test_child_without_nik_matches_by_name_birth_mother_and_kelurahan(world) -> None:
    child = world.child_a
    person = child.person
    data = csv_bytes([row(NIK="", **{
        "Nama Balita": person.name.upper(), "Tgl Lahir": person.birth_date.isoformat(),
        "Nama Ortu": child.mother.person.name, "JK": "L"})])  # fmt: skip
    job = run(data, world.users["tenaga_gizi"])
    assert job.status == JobStatus.DONE, report_rows(job)
    assert (job.children_created, job.children_matched) == (0, 1)
    assert child.measurements.count() == 1


# -- hostile rows --------------------------------------------------------------------------------


def test_wrong_types_are_reported_with_row_column_value_and_nothing_is_written(world) -> None:
    before = counts()
    rows = [
        row(),
        row(NIK="", **{"Nama Balita": "Ayu", "Berat (kg)": "sembilan"}),
        row(NIK="", **{"Nama Balita": "Bima", "Tgl Lahir": "31/02/2025"}),
        row(NIK="", **{"Nama Balita": "Citra", "JK": "X"}),
        row(NIK="", **{"Nama Balita": "Dewi", "Cara Ukur": "miring"}),
    ]
    job = run(csv_bytes(rows), world.users["tenaga_gizi"])
    assert job.status == JobStatus.REJECTED
    assert counts() == before
    found = {(r[0], r[1]) for r in report_rows(job)}
    assert ("3", "Berat (kg)") in found
    assert ("4", "Tgl Lahir") in found
    assert ("5", "JK") in found
    assert ("6", "Cara Ukur") in found
    by_row = {r[0]: r for r in report_rows(job)}
    assert by_row["3"][2] == "sembilan" and "angka" in by_row["3"][3]
    assert "Tidak ada yang disimpan" in job.message


def test_bad_nik_kk_and_missing_required_values(world) -> None:
    rows = [
        row(NIK="3271031003250000"),  # serial 0000
        row(NIK="12345", **{"Nama Balita": "Eko"}),
        row(NIK="3271035003250001", **{"Nama Balita": "Fajar"}),  # NIK says girl, JK says boy
        row(NIK="", **{"No. KK": "99", "Nama Balita": "Gita"}),
        row(NIK="", **{"Nama Balita": "", "Nama Ortu": ""}),
    ]
    job = run(csv_bytes(rows), world.users["tenaga_gizi"])
    reasons = {(r[0], r[1]): r[3] for r in report_rows(job)}
    assert "0000" in reasons[("2", "NIK")]
    assert "16 angka" in reasons[("3", "NIK")]
    assert "Jenis kelamin" in reasons[("4", "NIK")]
    assert "16 angka" in reasons[("5", "No. KK")]
    assert "wajib" in reasons[("6", "Nama Balita")] and "wajib" in reasons[("6", "Nama Ortu")]


def test_impossible_measurements_and_dates_are_refused(world) -> None:
    rows = [
        row(),
        row(NIK="", **{"Nama Balita": "Hadi", "Berat (kg)": "900"}),
        row(NIK="", **{"Nama Balita": "Intan", "Tinggi (cm)": "7.65"}),
        row(NIK="", **{"Nama Balita": "Joko", "Tanggal Pengukuran": "2025-01-01"}),
        row(NIK="", **{"Nama Balita": "Kiki", "Tanggal Pengukuran": "2027-01-01"}),
        row(NIK="", **{"Nama Balita": "Lia", "Tgl Lahir": "2026-08-01",
                       "Cara Ukur": "berdiri", "Tinggi (cm)": "55", "Berat (kg)": "4.5"}),
        row(NIK="", **{"Nama Balita": "Mira", "Berat (kg)": "", "Tinggi (cm)": ""}),
        row(NIK="", **{"Nama Balita": "Nina", "Berat (kg)": "-3"}),
    ]  # fmt: skip
    job = run(csv_bytes(rows), world.users["tenaga_gizi"])
    assert job.status == JobStatus.REJECTED
    reasons = {(r[0], r[1]): r[3] for r in report_rows(job)}
    assert "tidak mungkin" in reasons[("3", "Berat (kg)")]
    assert "tidak mungkin" in reasons[("4", "Tinggi (cm)")]
    assert "sebelum tanggal lahir" in reasons[("5", "Tanggal Pengukuran")]
    assert "belum terjadi" in reasons[("6", "Tanggal Pengukuran")]
    assert "9 bulan" in reasons[("7", "Cara Ukur")]
    assert "Isi berat badan" in reasons[("8", "Berat (kg)")]
    assert ("9", "Berat (kg)") in reasons
    assert not any(r[0] == "2" for r in report_rows(job))


def test_formulas_in_text_cells_are_refused_and_the_report_cannot_run_them(world) -> None:
    payload = '=HYPERLINK("http://evil.example","klik")'
    rows = [row(**{"Nama Balita": payload}), row(NIK="", **{"Alamat": "@SUM(1+1)"})]
    job = run(csv_bytes(rows), world.users["tenaga_gizi"])
    assert job.status == JobStatus.REJECTED
    assert "rumus" in report_rows(job)[0][3]
    for line in csv.reader(io.StringIO(job.error_report)):
        for cell in line:
            assert not cell.startswith(("=", "+", "-", "@")), cell
    assert report_rows(job)[0][2] == "'" + payload


def test_duplicate_rows_inside_the_file(world) -> None:
    rows = [row(), row(), row(**{"Berat (kg)": "9.9"}),
            row(**{"Tgl Lahir": "11/03/2025", "NIK": "3271031003250001"})]  # fmt: skip
    job = run(csv_bytes(rows), world.users["tenaga_gizi"])
    assert job.status == JobStatus.REJECTED
    reasons = {r[0]: r[3] for r in report_rows(job)}
    assert "sama dengan baris 2" in reasons["3"]
    assert "hasil lain" in reasons["4"]
    assert "NIK" in reasons["5"]


def test_unknown_wilayah_names_the_closest_known_names(world) -> None:
    rows = [
        row(**{"Desa/Kelurahan": "Sempurr"}),
        row(NIK="", **{"Nama Balita": "Oki", "Desa/Kelurahan": "Batu Tulis"}),  # other kecamatan
        row(NIK="", **{"Nama Balita": "Putri", "Kecamatan": "Bogor Tengahh"}),
        row(NIK="", **{"Nama Balita": "Rudi", "Posyandu": "Mawarr"}),
    ]
    job = run(csv_bytes(rows), world.users["admin"])
    reasons = {(r[0], r[1]): r[3] for r in report_rows(job)}
    assert "Sempur" in reasons[("2", "Desa/Kelurahan")]
    assert "Bogor Selatan" in reasons[("3", "Desa/Kelurahan")]
    assert "Bogor Tengah" in reasons[("4", "Kecamatan")]
    assert "Mawar" in reasons[("5", "Posyandu")]


def test_kelurahan_by_code_and_without_kecamatan(world) -> None:
    rows = [row(**{"Desa/Kelurahan": "32.71.03.1006", "Kecamatan": ""})]
    job = run(csv_bytes(rows), world.users["tenaga_gizi"])
    assert job.status == JobStatus.DONE, report_rows(job)


# -- scope -------------------------------------------------------------------------------------


def test_rows_outside_the_users_area_are_errors(world) -> None:
    rows = [
        row(),
        row(NIK="", **{"Nama Balita": "Sari", "Desa/Kelurahan": "Batu Tulis",
                       "Kecamatan": "Bogor Selatan", "Posyandu": "Anggrek"}),
    ]  # fmt: skip
    for user, bad_row in (("tenaga_gizi", "3"), ("kader", "3"), ("kelurahan", "3")):
        job = run(csv_bytes(rows), world.users[user])
        assert job.status == JobStatus.REJECTED, user
        assert [r[0] for r in report_rows(job)] == [bad_row], (user, report_rows(job))
        assert "luar" in report_rows(job)[0][3] or "posyandunya" in report_rows(job)[0][3]
    assert not Child.objects.filter(person__name="Sari").exists()


def test_kader_imports_into_own_posyandu_by_default(world) -> None:
    data = csv_bytes([row(Posyandu="")])
    job = run(data, world.users["kader"])
    assert job.status == JobStatus.DONE, report_rows(job)
    assert Child.objects.get(person__nik="3271031003250001").posyandu == world.pos_a


def test_known_child_outside_the_area_is_an_error(world) -> None:
    child = world.child_b  # Batu Tulis: outside the Sempur nutrition officer's puskesmas
    data = csv_bytes([row(NIK="", **{
        "Nama Balita": child.person.name, "Tgl Lahir": child.person.birth_date.isoformat(),
        "Nama Ortu": child.mother.person.name, "Desa/Kelurahan": "Batu Tulis",
        "Kecamatan": "Bogor Selatan", "Posyandu": "Mawar"})])  # fmt: skip
    # posyandu Mawar is in Sempur, so the row itself is refused before matching
    job = run(data, world.users["tenaga_gizi"])
    assert job.status == JobStatus.REJECTED


@pytest.mark.parametrize("name", ["tpps", "kecamatan", "opd", "partner", "parent"])
def test_roles_that_do_not_record_cannot_import(world, name: str) -> None:
    job = run(csv_bytes([row()]), world.users[name])
    assert job.status == JobStatus.REJECTED
    assert "Peran Anda" in job.message


# -- whole-file problems ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"", "a.csv", "kosong"),
        (b"\n\n  \n", "a.csv", "kosong"),
        (",".join(HEADER).encode() + b"\n", "a.csv", "hanya berisi baris judul"),
        (b"PK\x03\x04garbage", "a.xlsx", "bukan XLSX"),
        (b"\xff\xfe\x00N\x00I\x00K", "a.csv", "biner"),
        ("Nama;JK\nBudi;L\n".encode("latin-1") + b"\xe9\xff\n", "a.csv", "UTF-8"),
        (b"x", "a.xls", ".xls"),
    ],
)
def test_unusable_files(world, data: bytes, name: str, words: str) -> None:
    job = run(data, world.users["tenaga_gizi"], name=name)
    assert job.status == JobStatus.REJECTED
    assert words in job.message, job.message


def test_empty_xlsx(world) -> None:
    job = run(xlsx_bytes([], header=[]), world.users["tenaga_gizi"], name="kosong.xlsx")
    assert job.status == JobStatus.REJECTED and "kosong" in job.message


@pytest.mark.slow
def test_a_file_over_the_row_cap_is_refused_early(world) -> None:
    line = ",".join(str(row()[h]) for h in HEADER) + "\n"
    data = (",".join(HEADER) + "\n" + line * (reader.MAX_ROWS + 1)).encode()
    job = run(data, world.users["tenaga_gizi"])
    assert job.status == JobStatus.REJECTED
    assert "200.000" in job.message


def test_a_generated_large_file_imports_in_one_go(world) -> None:
    rows = []
    for i in range(600):
        birth = dt.date(2024, 1, 1) + dt.timedelta(days=i)
        rows.append(row(NIK="", **{
            "Nama Balita": f"Anak Besar {i}", "Nama Ortu": f"Ibu Besar {i}",
            "Tgl Lahir": birth.isoformat(), "Tanggal Pengukuran": "2026-11-01",
            "Tinggi (cm)": "85", "Berat (kg)": "11.5", "Cara Ukur": "h"}))  # fmt: skip
    job = run(csv_bytes(rows), world.users["tenaga_gizi"])
    assert job.status == JobStatus.DONE, report_rows(job)[:3]
    assert (job.children_created, job.measurements_created) == (600, 600)


# -- all or nothing ----------------------------------------------------------------------------


def test_one_bad_row_among_good_ones_writes_nothing(world) -> None:
    before = counts()
    rows = [row(), second(), row(NIK="", **{"Nama Balita": "Tono", "Berat (kg)": "abc"})]
    job = run(csv_bytes(rows), world.users["tenaga_gizi"])
    assert job.status == JobStatus.REJECTED and job.error_count == 1
    assert counts() == before
    assert not AuditEvent.objects.filter(detail__import_job=job.pk).exists()


def test_a_failure_in_the_middle_of_writing_leaves_nothing(world, monkeypatch) -> None:
    before = counts()

    def boom(self, job):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(_Writer, "duplicates", boom)
    job = run(csv_bytes([row(), second()]), world.users["tenaga_gizi"])
    assert job.status == JobStatus.CRASHED
    assert counts() == before
    assert not AuditEvent.objects.filter(detail__import_job=job.pk).exists()


def test_dry_run_checks_everything_and_writes_nothing(world) -> None:
    before = counts()
    job = run(csv_bytes([row(), second()]), world.users["tenaga_gizi"], dry_run=True)
    assert job.status == JobStatus.CHECKED
    assert (job.children_created, job.measurements_created) == (1, 2)
    assert counts() == before


# -- probable duplicates -----------------------------------------------------------------------


def test_similar_child_is_queued_not_merged(world) -> None:
    child = world.child_a
    name = child.person.name
    data = csv_bytes([row(NIK="", **{
        "Nama Balita": name[:-1] + "x", "Tgl Lahir": child.person.birth_date.isoformat(),
        "Nama Ortu": child.mother.person.name + "h", "JK": "L"})])  # fmt: skip
    job = run(data, world.users["tenaga_gizi"])
    assert job.status == JobStatus.DONE, report_rows(job)
    assert (job.children_created, job.duplicates_queued) == (1, 1)
    candidate = DuplicateCandidate.objects.get()
    assert candidate.existing == child and candidate.reason == DuplicateReason.SIMILAR
    assert 0.8 <= candidate.score < 1
    again = run(data, world.users["tenaga_gizi"])
    assert (again.children_created, again.duplicates_queued) == (0, 0)
    assert DuplicateCandidate.objects.count() == 1


def test_nik_conflict_queues_the_pair(world) -> None:
    first = run(csv_bytes([row()]), world.users["admin"])
    assert first.status == JobStatus.DONE
    Person.objects.filter(nik="3271031003250001").update(birth_date=dt.date(2025, 3, 9))
    job = run(csv_bytes([row()]), world.users["admin"])
    assert job.status == JobStatus.DONE, report_rows(job)
    assert (job.children_created, job.duplicates_queued) == (1, 1)
    candidate = DuplicateCandidate.objects.get()
    assert candidate.reason == DuplicateReason.SAME_NIK
    assert candidate.incoming.person.nik is None
    assert candidate.detail["nik_in_file"] == "3271031003250001"
    again = run(csv_bytes([row()]), world.users["admin"])
    assert (again.children_created, again.duplicates_queued) == (0, 0)

"""Registering and changing families, children, mothers, pregnancies, breastfeeding and
consent. Every function validates first and raises ``ValidationError`` (field -> Indonesian
messages) before anything is written; the rest runs in one transaction with audit rows."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from tumbuh.accounts.models import Role, User
from tumbuh.audit.context import SYSTEM, AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_object, audit_record, object_type_of
from tumbuh.config.sqlite import writer_turn
from tumbuh.registry.duplicates import PossibleDuplicate, possible_duplicates
from tumbuh.registry.identity import check_kk, check_nik
from tumbuh.registry.models import (
    ANAEMIA_HB_BELOW_G_DL,
    KEK_LILA_BELOW_CM,
    PREGNANCY_DAYS,
    BreastfeedingKind,
    BreastfeedingPeriod,
    Child,
    ChildStatus,
    Consent,
    ConsentMethod,
    ConsentPurpose,
    Family,
    Mother,
    Person,
    Pregnancy,
    PregnancyOutcome,
    Relationship,
    Sex,
    Source,
)
from tumbuh.registry.services.links import link_request_open
from tumbuh.registry.signals import pregnancy_changed
from tumbuh.wilayah.models import Level, Posyandu, Region
from tumbuh.wilayah.services import WilayahError, rw_rt_ensure

#: Roles that register children and record measurements (besides administrators).
RECORDING_ROLES = frozenset({Role.KADER, Role.NUTRITION_OFFICER, Role.KELURAHAN_OFFICER})
LIMITS_PREGNANCY = {
    "lila_cm": (Decimal("10"), Decimal("60"), "cm", "LiLA"),
    "hb_g_dl": (Decimal("3"), Decimal("20"), "g/dL", "Hb"),
}


def can_record(user: User | None) -> bool:
    """May ``user`` register children and record measurements at all (scope aside)?"""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.role in RECORDING_ROLES


def require_recorder(
    actor: User | None, *, context: AuditContext = SYSTEM, object_id: object = ""
) -> None:
    """``PermissionDenied`` (audited as ``denied``) unless ``actor`` may record. ``None`` is a
    system job (imports, demo data) and is allowed."""
    if actor is None or can_record(actor):
        return
    audit_record(
        actor=actor,
        action=Action.DENIED,
        object_type=object_type_of(Child),
        object_id=object_id,
        detail={"reason": "role cannot record"},
        context=context,
    )
    raise PermissionDenied("Peran Anda tidak dapat mencatat data anak.")


P = ParamSpec("P")
R = TypeVar("R")


def recording_service(func: Callable[P, R]) -> Callable[P, R]:
    """Decorate a write service: refuse (and audit) an actor whose role does not record, then
    run the service in ``transaction.atomic``. The refusal is audited *before* the transaction
    opens, so the ``denied`` row is not rolled back with the error."""
    atomic = transaction.atomic(func)

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        target = kwargs.get("child") or kwargs.get("measurement") or kwargs.get("pregnancy")
        require_recorder(
            kwargs.get("actor"),  # type: ignore[arg-type]  # every service has actor=
            context=kwargs.get("context", SYSTEM),  # type: ignore[arg-type]
            object_id=getattr(target, "pk", ""),
        )
        with writer_turn():
            return atomic(*args, **kwargs)

    return wrapper


def _today() -> dt.date:
    return timezone.localdate()


#: Five years in days: registration is for balita (``over_five_confirmed`` for older).
UNDER_FIVE_DAYS = 1826


def phone_check(phone: str) -> tuple[str, str]:
    """(the number as ``08...``, "") for an Indonesian mobile or landline number written with
    spaces, dashes or +62; ("", message) otherwise; ("", "") when empty."""
    text = (phone or "").strip()
    if not text:
        return "", ""
    if any(c.isalpha() for c in text) or not set(text) <= set("0123456789 +-()."):
        return "", (
            f"Nomor HP {text!r} tidak sah: tulis angka saja, mis. 0812 3456 7890 atau "
            "+62 812 3456 7890."
        )
    digits = "".join(c for c in text if c.isdigit())
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    if not digits.startswith("0") or not 9 <= len(digits) <= 13:
        return "", (
            f"Nomor HP {text} tidak sah: nomor Indonesia diawali 0 atau +62 dan berisi 9 sampai "
            "13 angka, mis. 0812 3456 7890."
        )
    return digits, ""


def _add(errors: dict[str, list[str]], name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _nik(
    errors: dict[str, list[str]],
    name: str,
    value: str | None,
    *,
    sex: int | None = None,
    birth_date: dt.date | None = None,
    exclude_person: int | None = None,
) -> str | None:
    if not value:
        return None
    check = check_nik(value, sex=sex, birth_date=birth_date)
    for message in check.errors:
        _add(errors, name, message)
    if check.digits and check.valid:
        clash = Person.objects.filter(nik=check.digits)
        if exclude_person is not None:
            clash = clash.exclude(pk=exclude_person)
        if clash.exists():
            _add(
                errors,
                name,
                "NIK ini sudah terdaftar. Cari orangnya dengan NIK ini; jangan mendaftar dua kali.",
            )
    return check.digits if check.valid else None


def _decimal(errors: dict[str, list[str]], name: str, value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    low, high, unit, label = LIMITS_PREGNANCY[name]
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        _add(errors, name, f"{label} harus angka, mis. 24,5.")
        return None
    if not number.is_finite() or not low <= number <= high:
        _add(errors, name, f"{label} {value} {unit} tidak mungkin; isi antara {low} dan {high}.")
        return None
    return number.quantize(Decimal("0.1"))


def _consent_errors(
    errors: dict[str, list[str]],
    given_by: str,
    relationship: str,
    method: str,
    names: tuple[str, str, str] = ("consent_given_by", "consent_relationship", "consent_method"),
) -> None:
    if not given_by.strip():
        _add(errors, names[0], "Isi nama orang tua/wali yang memberi persetujuan.")
    if not relationship.strip():
        _add(errors, names[1], "Isi hubungan pemberi persetujuan (ibu, ayah, wali).")
    if method not in ConsentMethod.values:
        _add(errors, names[2], "Pilih cara persetujuan.")


def _ensure_visible(actor: User | None, child: Child) -> None:
    from tumbuh.registry.selectors import children_visible_to

    if actor is not None and not children_visible_to(actor).filter(pk=child.pk).exists():
        raise ValidationError(
            {
                "posyandu": [
                    "Anak ini akan berada di luar wilayah atau posyandu Anda. Pilih posyandu "
                    "dan alamat di wilayah Anda, atau minta petugas wilayahnya mendaftarkan."
                ]
            }
        )


@recording_service
def child_register(
    *,
    actor: User | None,
    name: str,
    sex: int,
    birth_date: dt.date,
    nik: str | None = None,
    birth_place: str = "",
    birth_weight_kg: Decimal | None = None,
    birth_length_cm: Decimal | None = None,
    birth_order: int | None = None,
    posyandu: Posyandu | None = None,
    family: Family | None = None,
    kk_number: str | None = None,
    kelurahan: Region | None = None,
    rw: int | None = None,
    rt: int | None = None,
    address_line: str = "",
    phone: str = "",
    mother: Mother | None = None,
    mother_name: str = "",
    mother_nik: str | None = None,
    mother_birth_date: dt.date | None = None,
    father_name: str = "",
    consent_given_by: str = "",
    consent_relationship: str = "",
    consent_method: str = ConsentMethod.WRITTEN,
    consent_on: dt.date | None = None,
    source: Source = Source.FORM,
    is_demo: bool = False,
    over_five_confirmed: bool = False,
    not_duplicate: bool = False,
    context: AuditContext = SYSTEM,
    today: dt.date | None = None,
) -> Child:
    """Register a child: its person, its family (new, or found by KK number), its mother (new,
    found by NIK, or given), the parent's consent, all audited.

    A child of five years or more is refused unless ``over_five_confirmed`` (Tumbuh registers
    balita; an older age is usually a wrong birth year). A phone number must be an Indonesian
    number (``phone_check``) and is stored as ``08...``. A child that is probably registered
    already (``registry.duplicates``, the import's rule) raises ``PossibleDuplicate`` unless
    ``not_duplicate``.

    The child must end up visible to ``actor`` (a kader registers at its own posyandu, an
    officer in its own area); otherwise nothing is stored.
    """
    today = today or _today()
    errors: dict[str, list[str]] = {}
    name = " ".join(name.split())
    if len(name) < 2:
        _add(errors, "name", "Isi nama lengkap anak (boleh 'Bayi Ny. ...' untuk bayi baru lahir).")
    if sex not in Sex.values:
        _add(errors, "sex", "Pilih jenis kelamin: laki-laki atau perempuan.")
    if not isinstance(birth_date, dt.date):
        _add(errors, "birth_date", "Isi tanggal lahir (TTTT-BB-HH).")
    elif birth_date > today:
        _add(errors, "birth_date", f"Tanggal lahir {birth_date:%d-%m-%Y} belum terjadi.")
    elif (today - birth_date).days > 6939:
        _add(errors, "birth_date", "Anak berumur 19 tahun atau lebih; periksa tahun lahir.")
    elif (today - birth_date).days >= UNDER_FIVE_DAYS and not over_five_confirmed:
        years = (today - birth_date).days * 4 // 1461
        _add(
            errors,
            "birth_date",
            f"Anak berumur {years} tahun (lahir {birth_date:%d-%m-%Y}), bukan balita. Periksa "
            "tahun lahir; bila benar, centang 'Anak memang berumur 5 tahun atau lebih'.",
        )
    phone_clean, phone_error = phone_check(phone)
    if phone_error:
        _add(errors, "phone", phone_error)
    valid_birth = birth_date if "birth_date" not in errors else None
    child_nik = _nik(errors, "nik", nik, sex=sex, birth_date=valid_birth)
    if birth_weight_kg is not None and not Decimal("0.3") <= Decimal(birth_weight_kg) <= 7:
        _add(errors, "birth_weight_kg", "Berat lahir harus antara 0,3 dan 7 kg.")
    if birth_length_cm is not None and not Decimal("20") <= Decimal(birth_length_cm) <= 65:
        _add(errors, "birth_length_cm", "Panjang lahir harus antara 20 dan 65 cm.")

    kk = None
    link_family: Family | None = None
    link_mother: Mother | None = None
    if family is None and kk_number:
        kk_check = check_kk(kk_number)
        for message in kk_check.errors:
            _add(errors, "kk_number", message)
        kk = kk_check.digits if kk_check.valid else None
        if kk is not None:
            family = Family.objects.filter(kk_number=kk).first()
            if family is not None and not _may_link_family(actor, family):
                # Outside the actor's area: never link (that would widen what the actor
                # sees). A family of its own now; an officer who sees both decides.
                link_family, family, kk = family, None, None
    if family is None:
        if kelurahan is None or kelurahan.level != Level.VILLAGE:
            _add(errors, "kelurahan", "Pilih kelurahan tempat tinggal anak.")
        if rt is not None and rw is None:
            _add(errors, "rw", "Isi nomor RW bila RT diisi.")
        for field_name, number in (("rw", rw), ("rt", rt)):
            if number is not None and not 1 <= number <= 999:
                _add(errors, field_name, "Nomor RW/RT harus 1 sampai 999.")
    if mother is None:
        mother_nik_clean = None
        if mother_nik:
            check = check_nik(mother_nik, sex=Sex.FEMALE, birth_date=mother_birth_date)
            for message in check.errors:
                _add(errors, "mother_nik", message)
            mother_nik_clean = check.digits if check.valid else None
            if mother_nik_clean:
                found = Person.objects.filter(nik=mother_nik_clean).first()
                if found is not None:
                    mother = Mother.objects.filter(person=found).first()
                    if mother is None:
                        _add(errors, "mother_nik", "NIK ibu terdaftar untuk orang lain.")
                    elif not _may_link_mother(actor, mother):
                        link_mother, mother, mother_nik_clean = mother, None, None
        if mother is None and len(" ".join(mother_name.split())) < 2:
            _add(errors, "mother_name", "Isi nama ibu kandung (dipakai untuk mencari anak).")
    _consent_errors(errors, consent_given_by, consent_relationship, consent_method)
    if posyandu is None and actor is not None and actor.role == Role.KADER:
        posyandu = actor.posyandu
    if errors:
        raise ValidationError(errors)
    if not not_duplicate:
        twins = possible_duplicates(
            name=name,
            birth_date=birth_date,
            mother_name=mother.person.name if mother is not None else mother_name,
            kelurahan=family.kelurahan if family is not None else kelurahan,
            nik=child_nik,
        )
        if twins:
            raise PossibleDuplicate(twins)

    made: list[Any] = []
    if family is None:
        assert kelurahan is not None
        try:
            rw_node, rt_node = (
                rw_rt_ensure(kelurahan=kelurahan, rw=rw, rt=rt, is_demo=is_demo)
                if rw is not None
                else (None, None)
            )
        except WilayahError as exc:
            raise ValidationError({"rw": [str(exc)]}) from exc
        family = Family.objects.create(
            kk_number=kk,
            head_name=" ".join(father_name.split()) or " ".join(mother_name.split()),
            kelurahan=kelurahan,
            rw=rw_node,
            rt=rt_node,
            address_line=address_line.strip(),
            phone=phone_clean,
            created_by=actor,
            is_demo=is_demo,
        )
        made.append(family)
    if mother is None:
        mother_person = Person.objects.create(
            nik=mother_nik_clean,
            name=" ".join(mother_name.split()),
            sex=Sex.FEMALE,
            birth_date=mother_birth_date,
            family=family,
            relationship=Relationship.WIFE if father_name else Relationship.HEAD,
            created_by=actor,
            is_demo=is_demo,
        )
        mother = Mother.objects.create(
            person=mother_person, posyandu=posyandu, created_by=actor, is_demo=is_demo
        )
        made += [mother_person, mother]
    father = None
    if father_name.strip():
        father = Person.objects.create(
            name=" ".join(father_name.split()),
            sex=Sex.MALE,
            family=family,
            relationship=Relationship.HEAD,
            created_by=actor,
            is_demo=is_demo,
        )
        made.append(father)
    person = Person.objects.create(
        nik=child_nik,
        name=name,
        sex=sex,
        birth_date=birth_date,
        birth_place=birth_place.strip(),
        family=family,
        relationship=Relationship.CHILD,
        phone="",
        created_by=actor,
        is_demo=is_demo,
    )
    child = Child.objects.create(
        person=person,
        mother=mother,
        father=father,
        posyandu=posyandu,
        birth_weight_kg=birth_weight_kg,
        birth_length_cm=birth_length_cm,
        birth_order=birth_order,
        created_by=actor,
        is_demo=is_demo,
    )
    consent = Consent.objects.create(
        subject=person,
        purpose=ConsentPurpose.REGISTRY,
        given_by_name=" ".join(consent_given_by.split()),
        given_by_relationship=consent_relationship.strip(),
        method=consent_method,
        given_on=consent_on or today,
        created_by=actor,
        is_demo=is_demo,
    )
    made += [person, child, consent]
    _ensure_visible(actor, child)
    for obj in made:
        audit_object(
            actor=actor,
            action=Action.CREATE,
            obj=obj,
            detail={"source": str(source), "child": child.pk},
            context=context,
        )
    if link_family is not None:
        link_request_open(actor=actor, child=child, family=link_family, context=context)
    if link_mother is not None:
        link_request_open(actor=actor, child=child, mother=link_mother, context=context)
    return child


def _may_link_family(actor: User | None, family: Family) -> bool:
    """May ``actor`` attach a new child to ``family`` (found by KK number)? Only when it
    already sees the family: linking must never widen what the actor sees. ``None`` is a
    system job."""
    from tumbuh.registry.selectors import families_visible_to

    return actor is None or families_visible_to(actor).filter(pk=family.pk).exists()


def _may_link_mother(actor: User | None, mother: Mother) -> bool:
    """As :func:`_may_link_family`, for a mother found by NIK."""
    from tumbuh.registry.selectors import mothers_visible_to

    return actor is None or mothers_visible_to(actor).filter(pk=mother.pk).exists()


#: Fields ``child_update`` may change, by model.
CHILD_PERSON_FIELDS = ("name", "nik", "sex", "birth_date", "birth_place")
CHILD_FIELDS = ("posyandu", "status", "birth_weight_kg", "birth_length_cm", "birth_order")


@recording_service
def child_update(
    *,
    actor: User | None,
    child: Child,
    changes: Mapping[str, Any],
    context: AuditContext = SYSTEM,
) -> Child:
    """Change a child's identity or registration fields; a new birth date or sex makes the
    growth engine judge every stored measurement again. ``child`` must be visible to actor."""
    from tumbuh.registry.services.measurements import recompute_child

    unknown = set(changes) - set(CHILD_PERSON_FIELDS) - set(CHILD_FIELDS)
    if unknown:
        raise ValueError(f"child_update cannot change {sorted(unknown)}")
    child = Child.objects.select_for_update().select_related("person").get(pk=child.pk)
    person = child.person
    errors: dict[str, list[str]] = {}
    wanted = {k: changes.get(k, getattr(person, k)) for k in CHILD_PERSON_FIELDS}
    if "name" in changes and len(" ".join(str(changes["name"]).split())) < 2:
        _add(errors, "name", "Isi nama lengkap anak.")
    if "status" in changes and changes["status"] not in ChildStatus.values:
        _add(errors, "status", "Status tidak dikenal.")
    if wanted["nik"] and ("nik" in changes or "sex" in changes or "birth_date" in changes):
        wanted["nik"] = _nik(
            errors,
            "nik",
            wanted["nik"],
            sex=wanted["sex"],
            birth_date=wanted["birth_date"],
            exclude_person=person.pk,
        )
    if errors:
        raise ValidationError(errors)
    changed: list[str] = []
    for key in CHILD_PERSON_FIELDS:
        if key in changes and getattr(person, key) != wanted[key]:
            setattr(person, key, wanted[key] if key != "name" else " ".join(wanted[key].split()))
            changed.append(key)
    for key in CHILD_FIELDS:
        if key in changes and getattr(child, key) != changes[key]:
            setattr(child, key, changes[key])
            changed.append(key)
    if not changed:
        return child
    person.save()
    child.save()
    if {"birth_date", "sex"} & set(changed):
        recompute_child(child)
    _ensure_visible(actor, child)
    audit_object(
        actor=actor, action=Action.UPDATE, obj=child, changed_fields=changed, context=context
    )
    return child


@recording_service
def family_update(
    *,
    actor: User | None,
    family: Family,
    address_line: str | None = None,
    rw: int | None = None,
    rt: int | None = None,
    phone: str | None = None,
    context: AuditContext = SYSTEM,
    child: Child | None = None,
) -> Family:
    """Change a family's address inside its kelurahan (street, RW, RT) or phone; audited.
    ``child``: the child whose page the change came from (for the recording check). Moving to
    another kelurahan is a change of area and is not done here."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    errors: dict[str, list[str]] = {}
    changed: list[str] = []
    if rt is not None and rw is None:
        _add(errors, "rw", "Isi nomor RW bila RT diisi.")
    for field_name, number in (("rw", rw), ("rt", rt)):
        if number is not None and not 1 <= number <= 999:
            _add(errors, field_name, "Nomor RW/RT harus 1 sampai 999.")
    phone_clean = family.phone
    if phone is not None:
        phone_clean, phone_error = phone_check(phone)
        if phone_error:
            _add(errors, "phone", phone_error)
    if errors:
        raise ValidationError(errors)
    if address_line is not None and address_line.strip() != family.address_line:
        family.address_line = address_line.strip()[:250]
        changed.append("address_line")
    if phone is not None and phone_clean != family.phone:
        family.phone = phone_clean
        changed.append("phone")
    if rw is not None:
        try:
            rw_node, rt_node = rw_rt_ensure(
                kelurahan=family.kelurahan, rw=rw, rt=rt, is_demo=family.is_demo
            )
        except WilayahError as exc:
            raise ValidationError({"rw": [str(exc)]}) from exc
        if (family.rw_id, family.rt_id) != (rw_node.pk, getattr(rt_node, "pk", None)):
            family.rw, family.rt = rw_node, rt_node
            changed += ["rw", "rt"]
    if changed:
        family.save()
        audit_object(
            actor=actor, action=Action.UPDATE, obj=family, changed_fields=changed, context=context
        )
    return family


@recording_service
def mother_register(
    *,
    actor: User | None,
    name: str,
    family: Family,
    nik: str | None = None,
    birth_date: dt.date | None = None,
    phone: str = "",
    posyandu: Posyandu | None = None,
    is_demo: bool = False,
    context: AuditContext = SYSTEM,
) -> Mother:
    """Register a woman (pregnant or breastfeeding) in an existing family."""
    errors: dict[str, list[str]] = {}
    if len(" ".join(name.split())) < 2:
        _add(errors, "name", "Isi nama lengkap ibu.")
    clean_nik = _nik(errors, "nik", nik, sex=Sex.FEMALE, birth_date=birth_date)
    phone_clean, phone_error = phone_check(phone)
    if phone_error:
        _add(errors, "phone", phone_error)
    if errors:
        raise ValidationError(errors)
    person = Person.objects.create(
        nik=clean_nik,
        name=" ".join(name.split()),
        sex=Sex.FEMALE,
        birth_date=birth_date,
        family=family,
        relationship=Relationship.WIFE,
        phone=phone_clean,
        created_by=actor,
        is_demo=is_demo,
    )
    mother = Mother.objects.create(
        person=person, posyandu=posyandu, created_by=actor, is_demo=is_demo
    )
    for obj in (person, mother):
        audit_object(actor=actor, action=Action.CREATE, obj=obj, context=context)
    return mother


def _pregnancy_values(
    errors: dict[str, list[str]], values: Mapping[str, Any], today: dt.date
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    hpht = values.get("hpht")
    if hpht is not None:
        if hpht > today:
            _add(errors, "hpht", "HPHT belum terjadi; periksa tanggalnya.")
        elif (today - hpht).days > 320:
            _add(errors, "hpht", "HPHT lebih dari 45 minggu lalu; catat akhir kehamilan ini.")
        out["hpht"] = hpht
        out["due_date"] = values.get("due_date") or hpht + dt.timedelta(days=PREGNANCY_DAYS)
    elif values.get("due_date") is not None:
        out["due_date"] = values["due_date"]
    for name in ("lila_cm", "hb_g_dl"):
        if name in values:
            out[name] = _decimal(errors, name, values[name])
    for name, label, high in (
        ("iron_tablets_taken", "Jumlah tablet tambah darah", 400),
        ("anc_visits", "Jumlah kunjungan ANC", 30),
        ("gravida", "Kehamilan ke-", 20),
    ):
        if name in values and values[name] is not None:
            number = values[name]
            if not isinstance(number, int) or not 0 <= number <= high:
                _add(errors, name, f"{label} harus bilangan bulat 0 sampai {high}.")
            out[name] = number
    return out


def _derive_risks(pregnancy: Pregnancy) -> None:
    """KEK: LiLA < 23.5 cm; anaemia: Hb < 11 g/dL (DOMAIN.md 2.7)."""
    pregnancy.is_kek = pregnancy.lila_cm is not None and pregnancy.lila_cm < Decimal(
        str(KEK_LILA_BELOW_CM)
    )
    pregnancy.is_anaemic = pregnancy.hb_g_dl is not None and pregnancy.hb_g_dl < Decimal(
        str(ANAEMIA_HB_BELOW_G_DL)
    )


@recording_service
def pregnancy_record(
    *,
    actor: User | None,
    mother: Mother,
    hpht: dt.date | None = None,
    due_date: dt.date | None = None,
    gravida: int | None = None,
    lila_cm: Decimal | str | None = None,
    hb_g_dl: Decimal | str | None = None,
    iron_tablets_taken: int = 0,
    anc_visits: int = 0,
    is_demo: bool = False,
    context: AuditContext = SYSTEM,
    today: dt.date | None = None,
) -> Pregnancy:
    """Open a pregnancy; HPL defaults to HPHT + 280 days; KEK and anaemia are derived."""
    errors: dict[str, list[str]] = {}
    if mother.pregnancies.filter(outcome=PregnancyOutcome.ONGOING).exists():
        _add(errors, "hpht", "Ibu ini masih tercatat hamil; perbarui kehamilan yang ada.")
    if hpht is None and due_date is None:
        _add(errors, "hpht", "Isi HPHT atau HPL.")
    values = _pregnancy_values(
        errors,
        {
            "hpht": hpht,
            "due_date": due_date,
            "gravida": gravida,
            "lila_cm": lila_cm,
            "hb_g_dl": hb_g_dl,
            "iron_tablets_taken": iron_tablets_taken,
            "anc_visits": anc_visits,
        },
        today or _today(),
    )
    if errors:
        raise ValidationError(errors)
    pregnancy = Pregnancy(mother=mother, created_by=actor, is_demo=is_demo, **values)
    _derive_risks(pregnancy)
    pregnancy.save()
    audit_object(actor=actor, action=Action.CREATE, obj=pregnancy, context=context)
    pregnancy_changed.send(
        sender=Pregnancy, pregnancy_ids=[pregnancy.pk], actor=actor, context=context
    )
    return pregnancy


PREGNANCY_FIELDS = (
    "hpht",
    "due_date",
    "gravida",
    "lila_cm",
    "hb_g_dl",
    "iron_tablets_taken",
    "anc_visits",
    "outcome",
    "ended_on",
)


@recording_service
def pregnancy_update(
    *,
    actor: User | None,
    pregnancy: Pregnancy,
    changes: Mapping[str, Any],
    context: AuditContext = SYSTEM,
    today: dt.date | None = None,
) -> Pregnancy:
    """Update the figures of a pregnancy or close it (``outcome`` and ``ended_on``)."""
    unknown = set(changes) - set(PREGNANCY_FIELDS)
    if unknown:
        raise ValueError(f"pregnancy_update cannot change {sorted(unknown)}")
    errors: dict[str, list[str]] = {}
    values = _pregnancy_values(
        errors,
        {k: v for k, v in changes.items() if k not in ("outcome", "ended_on")},
        today or _today(),
    )
    if "outcome" in changes:
        if changes["outcome"] not in PregnancyOutcome.values:
            _add(errors, "outcome", "Hasil kehamilan tidak dikenal.")
        values["outcome"] = changes["outcome"]
    if "ended_on" in changes:
        values["ended_on"] = changes["ended_on"]
    if values.get("outcome", pregnancy.outcome) != PregnancyOutcome.ONGOING and not values.get(
        "ended_on", pregnancy.ended_on
    ):
        _add(errors, "ended_on", "Isi tanggal berakhirnya kehamilan.")
    if errors:
        raise ValidationError(errors)
    changed = [k for k, v in values.items() if getattr(pregnancy, k) != v]
    for key, value in values.items():
        setattr(pregnancy, key, value)
    _derive_risks(pregnancy)
    pregnancy.save()
    audit_object(
        actor=actor, action=Action.UPDATE, obj=pregnancy, changed_fields=changed, context=context
    )
    pregnancy_changed.send(
        sender=Pregnancy, pregnancy_ids=[pregnancy.pk], actor=actor, context=context
    )
    return pregnancy


@recording_service
def breastfeeding_record(
    *,
    actor: User | None,
    child: Child,
    kind: str,
    started_on: dt.date,
    ended_on: dt.date | None = None,
    is_demo: bool = False,
    context: AuditContext = SYSTEM,
) -> BreastfeedingPeriod:
    """Record a period of (exclusive) breastfeeding of a child."""
    errors: dict[str, list[str]] = {}
    if kind not in BreastfeedingKind.values:
        _add(errors, "kind", "Pilih jenis menyusui.")
    if started_on < child.birth_date:
        _add(errors, "started_on", "Mulai menyusui tidak boleh sebelum tanggal lahir.")
    if ended_on is not None and ended_on < started_on:
        _add(errors, "ended_on", "Tanggal selesai sebelum tanggal mulai.")
    if errors:
        raise ValidationError(errors)
    period = BreastfeedingPeriod.objects.create(
        child=child,
        kind=kind,
        started_on=started_on,
        ended_on=ended_on,
        created_by=actor,
        is_demo=is_demo,
    )
    audit_object(actor=actor, action=Action.CREATE, obj=period, context=context)
    return period


@recording_service
def consent_record(
    *,
    actor: User | None,
    subject: Person,
    purpose: str,
    given_by_name: str,
    given_by_relationship: str,
    method: str,
    given_on: dt.date | None = None,
    context: AuditContext = SYSTEM,
) -> Consent:
    """Record a consent for one purpose (UU 27/2022 Pasal 20-25)."""
    errors: dict[str, list[str]] = {}
    if purpose not in ConsentPurpose.values:
        _add(errors, "purpose", "Tujuan persetujuan tidak dikenal.")
    _consent_errors(
        errors,
        given_by_name,
        given_by_relationship,
        method,
        names=("given_by_name", "given_by_relationship", "method"),
    )
    if errors:
        raise ValidationError(errors)
    consent = Consent.objects.create(
        subject=subject,
        purpose=purpose,
        given_by_name=given_by_name.strip(),
        given_by_relationship=given_by_relationship.strip(),
        method=method,
        given_on=given_on or _today(),
        created_by=actor,
    )
    audit_object(actor=actor, action=Action.CREATE, obj=consent, context=context)
    return consent


@recording_service
def consent_withdraw(
    *,
    actor: User | None,
    consent: Consent,
    on: dt.date | None = None,
    context: AuditContext = SYSTEM,
) -> Consent:
    """Mark a consent withdrawn (processing for that purpose must stop within 3x24 hours)."""
    if consent.withdrawn_on is None:
        consent.withdrawn_on = on or _today()
        consent.save(update_fields=["withdrawn_on", "updated_at"])
        audit_object(
            actor=actor,
            action=Action.UPDATE,
            obj=consent,
            changed_fields=["withdrawn_on"],
            context=context,
        )
    return consent

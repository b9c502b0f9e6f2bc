"""Partner sign-up (public page, chatbot) and TPPS approval: the organisation waits pending;
approval activates it and creates the partner's user account, rejection records why."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tumbuh.accounts.models import Role, User
from tumbuh.audit.context import SYSTEM, AuditContext
from tumbuh.audit.models import Action
from tumbuh.audit.services import audit_object
from tumbuh.messaging.ratelimit import allow
from tumbuh.organisations.models import PARTNER_KINDS, Membership, Organisation, Status
from tumbuh.partners.access import area_q, is_tpps
from tumbuh.partners.models import ApplicationStatus, PartnerApplication, PartnerProfile
from tumbuh.wilayah.models import Level, Region

#: Sign-ups accepted from one IP address an hour (the public page and API are unauthenticated).
SIGNUPS_PER_HOUR = 5


def partner_signup(
    *,
    name: str,
    kind: str,
    contact_name: str,
    contact_phone: str = "",
    contact_email: str = "",
    address: str = "",
    description: str = "",
    kelurahan_codes: Sequence[str],
    username: str,
    password: str,
    public_listing: bool = False,
    channel: str = "web",
    context: AuditContext = SYSTEM,
) -> PartnerApplication:
    """A pending partner and its application. Every problem is reported at once, per field;
    nothing is stored then. At most ``SIGNUPS_PER_HOUR`` sign-ups an hour from one address
    (counted when one would be stored)."""
    errors: dict[str, str] = {}
    name, username = name.strip(), username.strip()
    if not name:
        errors["name"] = _("Tulis nama organisasi atau nama lengkap Anda.")
    if kind not in PARTNER_KINDS:
        errors["kind"] = _("Pilih jenis mitra dari daftar (mis. perusahaan, komunitas).")
    if not contact_name.strip():
        errors["contact_name"] = _("Tulis nama orang yang dapat dihubungi.")
    if not contact_phone.strip() and not contact_email.strip():
        errors["contact_phone"] = _("Isi nomor HP atau e-mail agar TPPS dapat menghubungi Anda.")
    kelurahan = list(
        Region.objects.filter(code__in=[c.strip() for c in kelurahan_codes], level=Level.VILLAGE)
    )
    if not kelurahan or len(kelurahan) != len(set(kelurahan_codes)):
        errors["kelurahan"] = _("Pilih minimal satu kelurahan yang ingin Anda bantu dari daftar.")
    if not username or not username.replace("-", "").replace("_", "").replace(".", "").isalnum():
        errors["username"] = _(
            "Nama pengguna hanya huruf, angka, titik, garis bawah atau tanda hubung."
        )
    elif (
        User.objects.filter(username__iexact=username).exists()
        or PartnerApplication.objects.filter(
            username__iexact=username, status=ApplicationStatus.PENDING
        ).exists()
    ):
        errors["username"] = _("Nama pengguna ini sudah dipakai; pilih yang lain.")
    try:
        validate_password(password)
    except ValidationError as exc:
        errors["password"] = " ".join(exc.messages)
    if errors:
        raise ValidationError(errors)
    if not allow(f"partner-signup:{context.ip_address or '-'}", SIGNUPS_PER_HOUR, 3600):
        raise ValidationError(
            _("Terlalu banyak pendaftaran dari alamat ini; coba lagi satu jam lagi.")
        )
    city = kelurahan[0].parent.parent if kelurahan[0].parent else None
    try:
        with transaction.atomic():
            org = Organisation.objects.create(
                code=f"mitra-{slugify(name)[:40]}-{secrets.token_hex(3)}",
                name=name[:200],
                kind=kind,
                region=city,
                status=Status.PENDING,
                contact_name=contact_name.strip()[:150],
                contact_phone=contact_phone.strip()[:20],
                contact_email=contact_email.strip(),
                address=address.strip()[:250],
                description=description.strip(),
                source=_("pendaftaran mandiri (%(channel)s)") % {"channel": channel},
            )
            org.covers.set(kelurahan)
            application = PartnerApplication.objects.create(
                organisation=org,
                username=username,
                password_hash=make_password(password),
                channel=channel,
                public_listing=public_listing,
            )
            audit_object(
                actor=None,
                action=Action.CREATE,
                obj=application,
                detail={"kind": kind, "channel": channel},
                context=context,
            )
    except IntegrityError as exc:  # a second sign-up with the same name raced this one
        raise ValidationError(
            {"username": _("Nama pengguna ini sudah dipakai; pilih yang lain.")}
        ) from exc
    return application


def applications_for(user: User) -> list[PartnerApplication]:
    """Pending applications a TPPS user decides (its kota's kelurahan)."""
    if not is_tpps(user):
        return []
    qs = PartnerApplication.objects.filter(status=ApplicationStatus.PENDING).select_related(
        "organisation"
    )
    if not user.is_superuser:
        assert user.region is not None
        qs = qs.filter(
            organisation__in=Organisation.objects.filter(area_q(user.region, "covers")).values("pk")
        )
    return list(qs.order_by("submitted_at"))


def _check_decider(actor: User, application: PartnerApplication) -> None:
    if not any(a.pk == application.pk for a in applications_for(actor)):
        if not is_tpps(actor):
            raise PermissionDenied(_("Hanya TPPS yang dapat memutuskan pendaftaran mitra."))
        raise ValidationError(
            _("Pendaftaran ini sudah diputuskan atau bukan di wilayah Anda; muat ulang daftar.")
        )


def partner_approve(
    *,
    application: PartnerApplication,
    actor: User,
    note: str = "",
    today: dt.date | None = None,
    context: AuditContext = SYSTEM,
) -> User:
    """Activate the partner and create its user account (role partner, head of its
    organisation) with the password chosen at sign-up."""
    _check_decider(actor, application)
    with transaction.atomic():
        application = PartnerApplication.objects.select_for_update(of=("self",)).get(
            pk=application.pk
        )
        if application.status != ApplicationStatus.PENDING:
            raise ValidationError(_("Pendaftaran ini sudah diputuskan."))
        if User.objects.filter(username__iexact=application.username).exists():
            raise ValidationError(
                _(
                    "Nama pengguna %(name)s sudah dipakai akun lain; tolak pendaftaran ini dan "
                    "minta mitra mendaftar lagi dengan nama lain."
                )
                % {"name": application.username}
            )
        org = application.organisation
        user = User.objects.create(
            username=application.username,
            password=application.password_hash,
            email=org.contact_email,
            first_name=org.contact_name[:150],
            role=Role.PARTNER,
            organisation=org.name,
            phone=org.contact_phone,
        )
        Membership.objects.create(user=user, organisation=org, is_head=True)
        org.status = Status.ACTIVE
        org.save(update_fields=["status", "updated_at"])
        PartnerProfile.objects.update_or_create(
            organisation=org,
            defaults={
                "public_listing": application.public_listing,
                "joined_on": today or timezone.localdate(),
            },
        )
        application.status = ApplicationStatus.APPROVED
        application.reviewed_at = timezone.now()
        application.reviewed_by = actor
        application.review_note = note
        application.user = user
        application.password_hash = ""
        application.save()
        audit_object(
            actor=actor,
            action=Action.UPDATE,
            obj=application,
            changed_fields=["status", "user"],
            detail={"decision": "approved", "organisation": org.pk},
            context=context,
        )
    return user


def partner_reject(
    *,
    application: PartnerApplication,
    actor: User,
    note: str,
    context: AuditContext = SYSTEM,
) -> PartnerApplication:
    """Refuse a sign-up; the reason is required (the applicant is told)."""
    if not note.strip():
        raise ValidationError({"note": _("Tulis alasan penolakan agar pendaftar tahu sebabnya.")})
    _check_decider(actor, application)
    with transaction.atomic():
        application = PartnerApplication.objects.select_for_update(of=("self",)).get(
            pk=application.pk
        )
        if application.status != ApplicationStatus.PENDING:
            raise ValidationError(_("Pendaftaran ini sudah diputuskan."))
        application.status = ApplicationStatus.REJECTED
        application.reviewed_at = timezone.now()
        application.reviewed_by = actor
        application.review_note = note.strip()
        application.password_hash = ""
        application.save()
        org = application.organisation
        org.status = Status.REJECTED
        org.save(update_fields=["status", "updated_at"])
        audit_object(
            actor=actor,
            action=Action.UPDATE,
            obj=application,
            changed_fields=["status"],
            detail={"decision": "rejected"},
            context=context,
        )
    return application

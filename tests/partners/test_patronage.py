"""Bapak asuh: assignment with consent, the 14-day visit plan with the clock moved, visits,
reminders (idempotent), and consent withdrawal cutting access at once."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from tests.partners.conftest import TODAY, Town
from tumbuh.audit.models import Action, AuditEvent
from tumbuh.cases.models import CaseEvent, EventKind
from tumbuh.partners.models import Visit, VisitReminder
from tumbuh.partners.schedule import VisitState, visit_plan
from tumbuh.partners.services import (
    consent_withdraw,
    patron_assign,
    patronage_for_child,
    send_visit_reminders,
    visit_log,
)
from tumbuh.registry.models import Consent, ConsentPurpose
from tumbuh.registry.presenters import pseudonymised
from tumbuh.registry.selectors import children_visible_to

pytestmark = pytest.mark.django_db

START = dt.date(2026, 1, 1)


@pytest.mark.parametrize(
    ("today", "state", "late"),
    [
        (dt.date(2026, 1, 12), VisitState.SCHEDULED, 0),  # due 15 Jan, 3 days before
        (dt.date(2026, 1, 13), VisitState.DUE, 0),  # two days before: reminder
        (dt.date(2026, 1, 15), VisitState.DUE, 0),  # the due day itself
        (dt.date(2026, 1, 16), VisitState.OVERDUE, 1),
        (dt.date(2026, 1, 29), VisitState.OVERDUE, 14),  # a whole window late: still overdue
        (dt.date(2026, 1, 30), VisitState.MISSED, 15),
    ],
)
def test_visit_plan_boundaries(today: dt.date, state: VisitState, late: int) -> None:
    plan = visit_plan(started_on=START, every_days=14, visits=[], today=today)
    assert plan.due_on == dt.date(2026, 1, 15)
    assert plan.state is state and plan.days_late == late


def test_adherence_counts_windows_with_a_visit() -> None:
    visits = [dt.date(2026, 1, 10), dt.date(2026, 1, 12), dt.date(2026, 2, 3)]
    plan = visit_plan(started_on=START, every_days=14, visits=visits, today=dt.date(2026, 2, 26))
    # windows over: [1-14 Jan] visited, [15-28 Jan] not, [29 Jan-11 Feb] visited, [12-25 Feb] not
    assert plan.windows_over == 4 and plan.windows_visited == 2
    assert plan.adherence_percent == 50
    assert plan.due_on == dt.date(2026, 2, 17) and plan.state is VisitState.OVERDUE
    assert (
        visit_plan(started_on=START, every_days=14, visits=[], today=START).adherence_percent
        is None
    )


def test_assignment_records_consent_and_opens_the_child(town: Town) -> None:
    p = town.patronage
    assert p.pseudonym.startswith("Anak asuh ") and "Siti" not in p.pseudonym
    consent = Consent.objects.get(
        subject=town.child_a.person, purpose=ConsentPurpose.PARTNER_SHARING
    )
    assert consent.given_by_name == "Ibu Siti" and consent.is_active
    patron = town.users["patron"]
    assert list(children_visible_to(patron)) == [town.child_a]
    assert pseudonymised(patron, town.child_a)


def test_only_tpps_assigns_and_consent_is_required(town: Town) -> None:
    kw = dict(
        child=town.child_b,
        patron=town.users["patron"],
        visibility="pseudonym",
        consent_by_name="Ibu B",
        consent_relationship="ibu",
        consent_method="verbal",
        consent_on=TODAY,
        started_on=TODAY,
        today=TODAY,
    )
    with pytest.raises(PermissionDenied):
        patron_assign(actor=town.users["kader"], **kw)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        patron_assign(actor=town.users["tpps_far"], **kw)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as exc:
        patron_assign(
            actor=town.users["tpps"], **{**kw, "consent_by_name": "", "visibility": "all"}
        )  # type: ignore[arg-type]
    assert {"consent_by_name", "visibility"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError):
        patron_assign(actor=town.users["tpps"], **{**kw, "patron": town.users["kader"]})  # type: ignore[arg-type]
    assert not children_visible_to(town.users["patron"]).filter(pk=town.child_b.pk).exists()


def test_a_visit_is_logged_and_reaches_the_case(town: Town) -> None:
    patron = town.users["patron"]
    p = patronage_for_child(actor=patron, child_id=town.child_a.pk)
    visit = visit_log(
        actor=patron,
        patronage=p,
        visited_on=TODAY,
        child_seen=True,
        companions="Kader Mawar",
        note="Anak sehat, makan telur",
        today=TODAY,
    )
    assert visit.visitor == patron
    line = CaseEvent.objects.get(case=town.case_a, kind=EventKind.VISIT)
    assert "anak ditemui" in line.text
    with pytest.raises(ValidationError):  # the same day twice
        visit_log(actor=patron, patronage=p, visited_on=TODAY, child_seen=True, today=TODAY)
    with pytest.raises(ValidationError) as exc:
        visit_log(
            actor=patron,
            patronage=p,
            visited_on=TODAY + dt.timedelta(days=1),
            child_seen=True,
            today=TODAY,
        )
    assert "masa depan" in exc.value.message_dict["visited_on"][0]
    with pytest.raises(ValidationError) as exc:
        visit_log(
            actor=patron,
            patronage=p,
            visited_on=TODAY - dt.timedelta(days=1),
            child_seen=False,
            today=TODAY,
        )
    assert "sebabnya" in exc.value.message_dict["note"][0]
    assert Visit.objects.count() == 1


def test_a_visit_for_a_child_not_assigned_is_404_and_audited(town: Town) -> None:
    for who, child in (("patron", town.child_b), ("company", town.child_a)):
        with pytest.raises(Http404):
            patronage_for_child(actor=town.users[who], child_id=child.pk)
    denied = AuditEvent.objects.filter(action=Action.DENIED, object_type="registry.child")
    assert denied.count() == 2
    with pytest.raises(PermissionDenied):
        visit_log(
            actor=town.users["company"],
            patronage=town.patronage,
            visited_on=TODAY,
            child_seen=True,
            today=TODAY,
        )


def test_withdrawn_consent_ends_access_at_once(town: Town) -> None:
    patron = town.users["patron"]
    with pytest.raises(PermissionDenied):
        consent_withdraw(patronage=town.patronage, actor=patron, reason="x")
    consent_withdraw(
        patronage=town.patronage, actor=town.users["kader"], reason="Ibu menarik", on=TODAY
    )
    assert not children_visible_to(patron).exists()
    with pytest.raises(Http404):
        patronage_for_child(actor=patron, child_id=town.child_a.pk)
    with pytest.raises(PermissionDenied):
        visit_log(
            actor=patron, patronage=town.patronage, visited_on=TODAY, child_seen=True, today=TODAY
        )
    consent = Consent.objects.get(
        subject=town.child_a.person, purpose=ConsentPurpose.PARTNER_SHARING
    )
    assert consent.withdrawn_on == TODAY
    assert Visit.objects.count() == 0


def test_reminders_go_out_once_before_and_after_the_due_date(  # type: ignore[no-untyped-def]
    town: Town, settings, django_capture_on_commit_callbacks
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    town.users["patron"].email = "budi@example.test"
    town.users["patron"].save()
    started = town.patronage.started_on  # TODAY - 30: first due TODAY - 16 (already overdue)
    assert send_visit_reminders(today=started + dt.timedelta(days=11)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert send_visit_reminders(today=started + dt.timedelta(days=12)) == 1
    assert send_visit_reminders(today=started + dt.timedelta(days=13)) == 0  # same due date
    with django_capture_on_commit_callbacks(execute=True):
        assert send_visit_reminders(today=started + dt.timedelta(days=15)) == 1  # overdue now
    assert send_visit_reminders(today=started + dt.timedelta(days=16)) == 0
    kinds = sorted(VisitReminder.objects.values_list("kind", flat=True))
    assert kinds == ["due", "overdue"]
    assert len(mail.outbox) == 2 and town.patronage.pseudonym in mail.outbox[0].body
    assert "Siti" not in mail.outbox[0].body


def test_whatsapp_reminder_goes_through_the_messaging_sender(  # type: ignore[no-untyped-def]
    town: Town, settings, django_capture_on_commit_callbacks
) -> None:
    from tumbuh.messaging.senders import MemorySender

    settings.WHATSAPP_VERIFY_TOKEN = "uji"
    settings.WHATSAPP_APP_SECRET = "uji"
    settings.PARTNERS_VISIT_WHATSAPP_TEMPLATE = "tumbuh_pengingat_kunjungan"
    settings.MESSAGING_SENDER = "tumbuh.messaging.senders.MemorySender"
    settings.MESSAGING_SEND_IN_BACKGROUND = "0"
    MemorySender.outbox.clear()
    town.users["patron"].phone = "0812-3456-7890"
    town.users["patron"].save()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_visit_reminders(today=town.patronage.started_on + dt.timedelta(days=12)) == 1
    assert len(MemorySender.outbox) == 1
    channel, payload = MemorySender.outbox[0]
    assert channel == "whatsapp" and payload["to"] == "6281234567890"
    assert payload["template"]["name"] == "tumbuh_pengingat_kunjungan"
    assert "Siti" not in json.dumps(payload)
    reminder = VisitReminder.objects.get()
    assert reminder.channels == ["in_app", "whatsapp"]


def test_patron_scores_count_windows_over_all_children(town: Town) -> None:
    from tumbuh.partners.portal import patron_children, patron_scores
    from tumbuh.partners.selectors import patronages_visible_to

    patron = town.users["patron"]
    patronage = town.patronage  # started TODAY - 30: two windows over, none visited
    visit_log(
        actor=patron,
        patronage=patronage,
        visited_on=patronage.started_on + dt.timedelta(days=3),
        child_seen=True,
        today=TODAY,
    )
    cards = patron_children(
        town.users["tpps"],
        today=TODAY,
        with_growth=False,
        patronages=patronages_visible_to(town.users["tpps"]),
    )
    [score] = patron_scores(cards)
    assert score.patron == patron and score.children == 1 and score.visits == 1
    assert score.adherence_percent == 50 and score.late == 1

"""Multi-turn flows: answers to what the bot asked, handoff, verification and consent, services.

Kept apart from :mod:`tumbuh.chatbot.engine` so each stays readable. Every function takes the
:class:`~tumbuh.chatbot.engine.Bot` for its interfaces and messages, and the conversation state.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Final

from tumbuh.chatbot.growth_check import describe_age
from tumbuh.chatbot.interfaces import (
    ChatUser,
    HandoffRequest,
    HandoffStatus,
    Purpose,
    Role,
    Service,
    Turn,
)
from tumbuh.chatbot.normalise import Normalised
from tumbuh.chatbot.state import ConversationState, Pending
from tumbuh.chatbot.understand import Intent, find_kelurahan, is_no, is_yes, rule_intent

if TYPE_CHECKING:
    from tumbuh.chatbot.engine import Bot, Reply

MAX_CODE_ATTEMPTS: Final = 3
_PHONE: Final = re.compile(r"(?:\+?62|0)8\d{7,12}")
_CODE: Final = re.compile(r"^\s*(\d{4,8})\s*$")
_CANCEL: Final = re.compile(r"^(batal|batalkan|cancel|stop|berhenti|tidak jadi|gak jadi)\b")


def _reply(text: str, intent: Intent, **kw: object) -> Reply:
    from tumbuh.chatbot.engine import Reply

    return Reply(text, intent, **kw)  # type: ignore[arg-type]  # keyword fields of Reply


def subjects(state: ConversationState, channel: str) -> list[str]:
    """Consent subjects of a conversation: the verified person (if any), then the conversation."""
    out = []
    if state.user is not None:
        out.append(f"person:{state.user.person_id}")
    out.append(f"conversation:{channel}:{state.conversation_id}")
    return out


def _date(value: dt.date) -> str:
    return value.strftime("%d-%m-%Y")


# ------------------------------------------------------------------ pending answers


def pending(
    bot: Bot, state: ConversationState, n: Normalised, channel: str, now: dt.datetime
) -> Reply | None:
    """Handle a reply to what the bot asked; None when the message is something else."""
    m = bot.messages
    raw = n.raw.strip().lower()
    kind = state.pending
    if kind is Pending.CHOICE:
        state.pending = Pending.NONE
        from tumbuh.chatbot.engine import choice_of

        index = choice_of(raw)
        if index is not None and 1 <= index <= len(state.choices):
            entry = bot.entry(state.choices[index - 1])
            if entry is not None:
                return bot.answer(entry, n, Intent.QUESTION, 1.0)
        return None
    if kind is Pending.GROWTH:
        state.pending = Pending.NONE
        bare = re.fullmatch(r"\s*\d+(?:[.,]\d+)?\s*", raw) is not None
        if n.measures.any or bare:
            return bot.growth(state, n)
        return None
    if kind in (Pending.KELURAHAN, Pending.HANDOFF_KELURAHAN):
        kelurahan = find_kelurahan(n.raw, bot._kelurahan)
        if kelurahan is None:
            if rule_intent(n) is not None or len(n.tokens) > 4:
                state.pending = Pending.NONE
                return None
            if kind is Pending.HANDOFF_KELURAHAN:
                return _enqueue(bot, state, channel, now)
            state.pending = Pending.NONE
            return _reply(m.text("services_unknown_kelurahan"), Intent.WHERE_TO_GO)
        state.kelurahan = kelurahan
        if kind is Pending.HANDOFF_KELURAHAN:
            return _enqueue(bot, state, channel, now)
        state.pending = Pending.NONE
        return _reply(services_text(bot, kelurahan), Intent.WHERE_TO_GO, confidence=1.0)
    if kind in (Pending.HANDOFF_CONSENT, Pending.PERSONAL_CONSENT):
        subject = subjects(state, channel)[0]
        if is_yes(raw):
            state.pending = Pending.NONE
            if kind is Pending.HANDOFF_CONSENT:
                bot.consent.record(
                    subject,
                    Purpose.HANDOFF,
                    True,
                    channel=channel,
                    wording=m.text("handoff_consent"),
                )
                if state.kelurahan is None and bot.directory is not None:
                    state.pending = Pending.HANDOFF_KELURAHAN
                    return _reply(m.text("handoff_ask_kelurahan"), Intent.HANDOFF, handoff=False)
                return _enqueue(bot, state, channel, now)
            bot.consent.record(
                subject,
                Purpose.PERSONAL_DATA,
                True,
                channel=channel,
                wording=m.text("personal_consent"),
            )
            return _personal_answer(bot, state, state.after_verify, now)
        if is_no(raw):
            state.pending = Pending.NONE
            purpose = Purpose.HANDOFF if kind is Pending.HANDOFF_CONSENT else Purpose.PERSONAL_DATA
            wording = "handoff_consent" if kind is Pending.HANDOFF_CONSENT else "personal_consent"
            bot.consent.record(subject, purpose, False, channel=channel, wording=m.text(wording))
            key = (
                "handoff_declined"
                if kind is Pending.HANDOFF_CONSENT
                else "personal_consent_declined"
            )
            return _reply(m.text(key), Intent.ANSWER)
        if len(n.tokens) <= 2:
            return _reply(m.text("yes_no"), Intent.ANSWER, quick_replies=m.quick("yes_no"))
        state.pending = Pending.NONE
        return None
    if kind is Pending.PHONE:
        if _CANCEL.match(raw):
            state.pending = Pending.NONE
            return _reply(m.text("personal_cancelled"), Intent.ANSWER)
        phone = _PHONE.search(re.sub(r"[\s.-]", "", raw))
        if phone is None:
            if rule_intent(n) is not None or len(n.tokens) > 3:
                state.pending = Pending.NONE
                return None
            return _reply(m.text("personal_bad_phone"), Intent.VERIFY)
        assert bot.verifier is not None
        state.phone = phone.group(0)
        if not bot.verifier.start(state.phone):
            state.pending = Pending.NONE
            state.phone = None
            return _reply(m.text("personal_phone_unknown"), Intent.VERIFY)
        state.pending = Pending.CODE
        state.code_attempts = 0
        return _reply(m.text("personal_code_sent"), Intent.VERIFY)
    if kind is Pending.CODE:
        if _CANCEL.match(raw):
            state.pending = Pending.NONE
            return _reply(m.text("personal_cancelled"), Intent.ANSWER)
        code = _CODE.match(raw)
        if code is None:
            if rule_intent(n) is not None or len(n.tokens) > 3:
                state.pending = Pending.NONE
                return None
            code_text = ""
        else:
            code_text = code.group(1)
        assert bot.verifier is not None and state.phone is not None
        user = bot.verifier.check(state.phone, code_text) if code_text else None
        if user is None:
            state.code_attempts += 1
            left = MAX_CODE_ATTEMPTS - state.code_attempts
            if left <= 0:
                state.pending = Pending.NONE
                state.phone = None
                return _reply(m.text("personal_code_locked"), Intent.VERIFY)
            return _reply(m.text("personal_bad_code", left=left), Intent.VERIFY)
        state.user = user
        state.pending = Pending.NONE
        reply = personal(bot, state, state.after_verify or "my_child", channel)
        return _reply(
            m.text("personal_verified") + "\n\n" + reply.text,
            reply.intent,
            quick_replies=reply.quick_replies,
        )
    state.pending = Pending.NONE
    return None


# ------------------------------------------------------------------ consent


def withdraw(bot: Bot, state: ConversationState, channel: str) -> Reply:
    for subject in subjects(state, channel):
        bot.consent.withdraw_all(subject)
    if bot.log is not None:
        bot.log.erase(state.conversation_id)
    state.pending = Pending.NONE
    return _reply(bot.messages.text("consent_withdrawn"), Intent.WITHDRAW_CONSENT)


# ------------------------------------------------------------------ handoff


def start_handoff(
    bot: Bot, state: ConversationState, n: Normalised, channel: str, now: dt.datetime
) -> Reply:
    m = bot.messages
    if bot.handoff.status(state.conversation_id) is not HandoffStatus.NONE:
        return _reply(m.text("handoff_already"), Intent.HANDOFF, handoff=True)
    subject = subjects(state, channel)[0]
    if not bot.consent.has(subject, Purpose.HANDOFF):
        state.pending = Pending.HANDOFF_CONSENT
        return _reply(m.text("handoff_consent"), Intent.HANDOFF, quick_replies=m.quick("yes_no"))
    if state.kelurahan is None and bot.directory is not None:
        state.pending = Pending.HANDOFF_KELURAHAN
        return _reply(m.text("handoff_ask_kelurahan"), Intent.HANDOFF)
    return _enqueue(bot, state, channel, now)


def _enqueue(bot: Bot, state: ConversationState, channel: str, now: dt.datetime) -> Reply:
    m = bot.messages
    state.pending = Pending.NONE
    transcript = tuple(
        Turn(role=role, text=text, at=dt.datetime.fromisoformat(at))
        for role, text, at in state.transcript
    )
    reason = next((t.text for t in reversed(transcript) if t.role == "user"), "")
    bot.handoff.request(
        HandoffRequest(
            conversation_id=state.conversation_id,
            channel=channel,
            kelurahan=state.kelurahan,
            reason=reason,
            transcript=transcript,
            person_id=state.user.person_id if state.user else None,
        )
    )
    area = m.text("handoff_area", kelurahan=state.kelurahan) if state.kelurahan else ""
    return _reply(m.text("handoff_queued", area=area), Intent.HANDOFF, handoff=True)


# ------------------------------------------------------------------ services


def services_text(bot: Bot, kelurahan: str) -> str:
    m = bot.messages
    assert bot.directory is not None
    area = bot.directory.services_for(kelurahan)
    if area is None:
        return m.text("services_unknown_kelurahan")

    from tumbuh.chatbot.places import describe

    def item(service: Service) -> str:
        return describe(m, service)

    lines = [m.text("services_head", kelurahan=area.kelurahan, kecamatan=area.kecamatan)]
    if area.posyandu:
        lines.append(m.text("services_posyandu"))
        lines += [item(s) for s in area.posyandu]
    else:
        lines.append(m.text("services_none"))
    if area.puskesmas:
        lines.append(m.text("services_puskesmas"))
        lines += [item(s) for s in area.puskesmas]
    if area.note:
        lines.append(area.note)
    return "\n".join(lines)


def services(bot: Bot, state: ConversationState, intent: Intent) -> Reply:
    m = bot.messages
    if bot.directory is None:
        return _reply(m.text("services_none"), intent)
    if state.kelurahan:
        return _reply(services_text(bot, state.kelurahan), intent, confidence=1.0)
    state.pending = Pending.KELURAHAN
    return _reply(m.text("services_ask_kelurahan"), intent)


# ------------------------------------------------------------------ personal data


def personal(bot: Bot, state: ConversationState, kind: str, channel: str) -> Reply:
    """Verify the phone, then ask consent, then show the person's own data."""
    m = bot.messages
    intent = Intent.VISITS_DUE if kind == "visits" else Intent.MY_CHILD
    if bot.personal is None:
        return _reply(m.text("personal_unavailable"), intent)
    state.after_verify = kind
    if state.user is None:
        if bot.verifier is None:
            return _reply(m.text("personal_unavailable"), intent)
        state.pending = Pending.PHONE
        return _reply(m.text("personal_ask_phone"), Intent.VERIFY)
    if not bot.consent.has(subjects(state, channel)[0], Purpose.PERSONAL_DATA):
        state.pending = Pending.PERSONAL_CONSENT
        return _reply(m.text("personal_consent"), intent, quick_replies=m.quick("yes_no"))
    return _personal_answer(bot, state, kind, bot.clock())


def _personal_answer(bot: Bot, state: ConversationState, kind: str, now: dt.datetime) -> Reply:
    m = bot.messages
    assert bot.personal is not None and state.user is not None
    user: ChatUser = state.user
    today = now.date()
    if kind == "visits":
        if user.role is not Role.BAPAK_ASUH:
            return _reply(m.text("visits_not_patron"), Intent.VISITS_DUE)
        visits = bot.personal.due_visits(user.person_id, today)
        if not visits:
            return _reply(m.text("visits_none"), Intent.VISITS_DUE)
        lines = [m.text("visits_head")]
        for v in visits:
            lines.append(
                m.text(
                    "visits_item",
                    child=v.child_label,
                    kelurahan=v.kelurahan,
                    due=_date(v.due),
                    late=m.text("visits_late") if v.overdue(today) else "",
                    last=_date(v.last_visit) if v.last_visit else m.text("never"),
                )
            )
        return _reply("\n".join(lines), Intent.VISITS_DUE)
    children = bot.personal.children_of(user.person_id)
    if not children:
        return _reply(m.text("personal_no_children"), Intent.MY_CHILD)
    blocks = []
    for child in children:
        lines = [m.text("personal_child_head", name=child.name, birth=_date(child.birth_date))]
        latest = child.latest
        if latest is None:
            lines.append(m.text("personal_child_no_measurement"))
        else:
            lines.append(
                m.text(
                    "personal_child_latest",
                    date=_date(latest.date),
                    weight=_num(latest.weight_kg),
                    lenhei_word=m.text(
                        "lenhei_length" if latest.age_months < 24 else "lenhei_height"
                    ),
                    lenhei=_num(latest.lenhei_cm),
                    tbu=latest.tbu_label or "-",
                    bbtb=latest.bbtb_label or "-",
                )
            )
        trend = {"N": "personal_trend_up", "T": "personal_trend_flat"}.get(
            child.weight_trend, "personal_trend_unknown"
        )
        lines.append(m.text(trend))
        if child.next_posyandu is not None:
            lines.append(
                m.text(
                    "personal_next_posyandu",
                    date=_date(child.next_posyandu),
                    posyandu=child.posyandu or "posyandu Anda",
                )
            )
        else:
            lines.append(m.text("personal_next_posyandu_unknown"))
        blocks.append("\n".join(lines))
    return _reply("\n\n".join(blocks), Intent.MY_CHILD, confidence=1.0)


def _num(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")


__all__ = [
    "describe_age",
    "pending",
    "personal",
    "services",
    "services_text",
    "start_handoff",
    "subjects",
    "withdraw",
]

"""A worrying growth result becomes a kader visit, with the parent's consent (issue 10).

After a growth check that says stunted (TB/U) or severely wasted (BB/TB), or an answer about
a weight that does not go up, the bot offers a visit by the kader of the parent's posyandu.
Only after a recorded "yes" (``Purpose.VISIT_LEAD``) does it take the phone number (the
WhatsApp sender's, or one the parent types) and the kelurahan, and hand the typed values to
the platform's :class:`~tumbuh.chatbot.interfaces.LeadSink`. The reply never says whether
the registry already knows the child: the lead exposes nothing to the person chatting.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from tumbuh.chatbot.interfaces import LeadRequest, Purpose
from tumbuh.chatbot.normalise import Normalised
from tumbuh.chatbot.state import ConversationState, Pending
from tumbuh.chatbot.understand import Intent, find_kelurahan, is_no, is_yes, rule_intent

if TYPE_CHECKING:
    from tumbuh.chatbot.engine import Bot, Reply

__all__ = ["FALLING_TOPICS", "WORRYING", "offer", "pending", "worrying_reason"]

#: Categories that make a result worrying enough to offer a visit (rules as data).
WORRYING: Final[Mapping[str, frozenset[str]]] = {
    "tbu": frozenset({"stunted", "severely_stunted"}),
    "bbtb": frozenset({"severely_wasted"}),
}
#: Knowledge-base answers after which a visit is offered too (weight falling or flat).
FALLING_TOPICS: Final = frozenset({"berat-tidak-naik"})
LEAD_PENDING: Final = frozenset({Pending.LEAD_CONSENT, Pending.LEAD_PHONE, Pending.LEAD_KELURAHAN})
_PHONE: Final = re.compile(r"(?:\+?62|0)8\d{7,12}")
_CANCEL: Final = re.compile(r"^(batal|batalkan|cancel|stop|berhenti|tidak jadi|gak jadi|ga jadi)\b")


def _reply(text: str, **kw: Any) -> Reply:
    from tumbuh.chatbot.engine import Reply

    return Reply(text, Intent.VISIT_LEAD, **kw)


def worrying_reason(categories: Mapping[str, str]) -> str | None:
    """ "stunted" or "severely_wasted" when the result calls for a visit, else None."""
    if categories.get("bbtb") in WORRYING["bbtb"]:
        return "severely_wasted"
    if categories.get("tbu") in WORRYING["tbu"]:
        return "stunted"
    return None


def offer(bot: Bot, state: ConversationState, reason: str, values: Mapping[str, Any]) -> str:
    """Remember what would be passed on and ask for consent; returns the offer's text."""
    state.lead = {"reason": reason, **values}
    state.pending = Pending.LEAD_CONSENT
    return bot.messages.text("lead_offer")


def _subject(state: ConversationState, channel: str) -> str:
    from tumbuh.chatbot.flows import subjects

    return subjects(state, channel)[0]


def pending(
    bot: Bot, state: ConversationState, n: Normalised, channel: str, now: dt.datetime
) -> Reply | None:
    """A reply to the visit offer, the phone or the kelurahan question; None: something else."""
    m = bot.messages
    raw = n.raw.strip().lower()
    kind = state.pending
    if kind is Pending.LEAD_CONSENT:
        if is_yes(raw):
            bot.consent.record(
                _subject(state, channel),
                Purpose.VISIT_LEAD,
                True,
                channel=channel,
                wording=m.text("lead_offer"),
            )
            return _next(bot, state, channel, now)
        if is_no(raw):
            bot.consent.record(
                _subject(state, channel),
                Purpose.VISIT_LEAD,
                False,
                channel=channel,
                wording=m.text("lead_offer"),
            )
            state.pending = Pending.NONE
            state.lead = {}
            return _reply(m.text("lead_declined"))
        if n.measures.any:  # the rest of the growth check: judge it, the offer may come again
            state.pending = Pending.NONE
            return bot.growth(state, n)
        if rule_intent(n) is not None:  # "petugas", "menu", a new question: not an answer
            state.pending = Pending.NONE
            return None
        if len(n.tokens) <= 2:
            return _reply(m.text("yes_no"), quick_replies=m.quick("yes_no"))
        state.pending = Pending.NONE
        return None
    if _CANCEL.match(raw):
        state.pending = Pending.NONE
        state.lead = {}
        return _reply(m.text("lead_cancelled"))
    if kind is Pending.LEAD_PHONE:
        phone = _PHONE.search(re.sub(r"[\s.-]", "", raw))
        if phone is None:
            if rule_intent(n) is not None or len(n.tokens) > 3:
                state.pending = Pending.NONE
                return None
            return _reply(m.text("lead_bad_phone"))
        state.lead["phone"] = phone.group(0)
        return _next(bot, state, channel, now)
    if kind is Pending.LEAD_KELURAHAN:
        kelurahan = find_kelurahan(n.raw, bot._kelurahan)
        if kelurahan is None:
            if rule_intent(n) is not None or len(n.tokens) > 4:
                state.pending = Pending.NONE
                return None
            return _reply(m.text("lead_unknown_kelurahan"))
        state.kelurahan = kelurahan
        return _next(bot, state, channel, now)
    return None


def _next(bot: Bot, state: ConversationState, channel: str, now: dt.datetime) -> Reply:
    """Ask for what is still missing (phone, kelurahan), then send the lead."""
    m = bot.messages
    lead = state.lead
    phone = lead.get("phone") or state.sender_phone or state.phone
    if not phone:
        state.pending = Pending.LEAD_PHONE
        return _reply(m.text("lead_ask_phone"))
    lead["phone"] = phone
    if not state.kelurahan:
        state.pending = Pending.LEAD_KELURAHAN
        return _reply(m.text("lead_ask_kelurahan"))
    assert bot.leads is not None
    reference = bot.leads.submit(
        LeadRequest(
            conversation_id=state.conversation_id,
            channel=channel,
            phone=str(phone),
            kelurahan=state.kelurahan,
            reason=str(lead.get("reason", "")),
            sex=lead.get("sex"),
            age_months=lead.get("age_months"),
            weight_kg=lead.get("weight_kg"),
            lenhei_cm=lead.get("lenhei_cm"),
            categories=tuple(tuple(c) for c in lead.get("categories", ())),
            consent_wording=m.text("lead_offer"),
            consent_subject=_subject(state, channel),
        )
    )
    state.pending = Pending.NONE
    state.lead = {}
    if not reference:  # the platform refused (no consent on record, unknown kelurahan)
        return _reply(m.text("lead_failed"))
    return _reply(
        m.text("lead_created", kelurahan=state.kelurahan, reference=reference), handoff=False
    )

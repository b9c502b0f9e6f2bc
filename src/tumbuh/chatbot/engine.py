"""The conversation engine: ``Bot.reply(conversation_id, text, channel=..., user=...)``.

normalise -> safety rules -> what the bot was waiting for -> intent rules -> retrieval.
Framework-free: the platform hands in its implementations of the interfaces in
:mod:`tumbuh.chatbot.interfaces`; without them the bot still answers questions and growth
checks, and says that personal features are unavailable.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Final

from tumbuh.chatbot import flows, leads, places
from tumbuh.chatbot.growth_check import Outcome, check, merge
from tumbuh.chatbot.interfaces import (
    ChatUser,
    ConsentRegistry,
    ConversationLog,
    HandoffQueue,
    HandoffStatus,
    IdentityVerifier,
    KecamatanDirectory,
    LeadSink,
    LogRecord,
    PersonalData,
    Purpose,
    ServiceDirectory,
)
from tumbuh.chatbot.knowledge import Entry, KnowledgeSource, default_source
from tumbuh.chatbot.llm import Rephraser
from tumbuh.chatbot.messages import Messages, default_messages
from tumbuh.chatbot.normalise import Normalised, _prep, normalise, wordset
from tumbuh.chatbot.retrieval import Embedder, Hit, Retriever, load_embedder
from tumbuh.chatbot.safety import SafetyHit, SafetyKind, SafetyRules, default_rules
from tumbuh.chatbot.smalltalk import is_thanks, split_greeting
from tumbuh.chatbot.state import ConversationState, MemoryStateStore, Pending, StateStore
from tumbuh.chatbot.understand import Intent, find_kelurahan, rule_intent

__all__ = ["Bot", "Reply"]

MAX_MESSAGE_CHARS: Final = 2000
HOW_TO_HELP_ENTRY: Final = "cara-membantu-mitra"
#: Words too common to show that a message is about our domain at all.
_STOP: Final = wordset(
    "yang dan di ke dari itu ini apa apakah ada saya anda kamu sih dong deh kok ya nih tuh "
    "aja saja juga bisa tidak mau untuk dengan atau kalau jadi sudah belum lagi bagaimana "
    "berapa kapan kenapa mana siapa harus boleh buat punya cara tolong mohon min kak bu pak "
    "sama gimana gak nggak kah lah pun the a is of to how what when why do"
)
_DIGITS: Final = re.compile(r"^\D*(\d[\d\s.,]*)\D*$")
_BARE_NUMBER: Final = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*$")
_CHOICE: Final = re.compile(r"^\s*(?:no\.?\s*|nomor\s*)?([1-9])\s*[.)]?\s*$")


@dataclass(frozen=True, slots=True)
class Reply:
    """What the bot says, and what a channel needs to know about it."""

    text: str
    intent: Intent
    topics: tuple[str, ...] = ()
    quick_replies: tuple[str, ...] = ()
    handoff: bool = False
    """True when the conversation is queued for, or held by, a person."""
    silent: bool = False
    """A person holds the conversation: send nothing."""
    urgent: bool = False
    confidence: float = 0.0
    safety: tuple[str, ...] = ()
    """Ids of the safety rules that fired."""
    llm: bool = False
    growth_outcome: str = ""
    """For growth checks: "result", "missing", "age_unit", "implausible" or "too_old"."""
    categories: tuple[tuple[str, str], ...] = ()
    """For a growth result: (index, Permenkes category code), e.g. ("tbu", "stunted")."""
    missing: tuple[str, ...] = ()
    """For a growth check: the slots still asked for ("sex", "age", "weight", "lenhei")."""
    offer_visit: bool = False
    """A worrying growth result: the bot offers a kader visit (a lead, with consent)."""


class Bot:
    """One bot serves many conversations concurrently (thread-safe)."""

    def __init__(
        self,
        *,
        knowledge: KnowledgeSource | None = None,
        store: StateStore | None = None,
        directory: ServiceDirectory | None = None,
        personal: PersonalData | None = None,
        verifier: IdentityVerifier | None = None,
        consent: ConsentRegistry | None = None,
        handoff: HandoffQueue | None = None,
        log: ConversationLog | None = None,
        leads: LeadSink | None = None,
        partner_signup_url: str = "",
        messages: Messages | None = None,
        rules: SafetyRules | None = None,
        rephraser: Rephraser | None = None,
        embedder: Embedder | bool | None = None,
        clock: Callable[[], dt.datetime] | None = None,
        reload_seconds: float = 5.0,
    ) -> None:
        from tumbuh.chatbot.fakes import MemoryConsentRegistry, MemoryHandoffQueue

        self.knowledge = knowledge or default_source()
        self.store: StateStore = store or MemoryStateStore()
        self.directory = directory
        self.personal = personal
        self.verifier = verifier
        self.consent: ConsentRegistry = consent or MemoryConsentRegistry()
        self.handoff: HandoffQueue = handoff or MemoryHandoffQueue()
        self.log = log
        self.leads = leads
        self.partner_signup_url = partner_signup_url
        """Where a would-be partner or bapak asuh signs up (the partners app), if it exists."""
        self.messages = messages or default_messages()
        self.rules = rules or default_rules()
        self.rephraser = rephraser
        # None: the e5 embeddings when the optional extra is installed (ADR 0020).
        if embedder is None or embedder is True:
            self._embedder: Embedder | None = load_embedder()
        elif embedder is False:
            self._embedder = None
        else:
            self._embedder = embedder
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._reload_seconds = reload_seconds
        self._index_lock = threading.Lock()
        self._version = self.knowledge.version()
        self._retriever = Retriever(self.knowledge.entries(), embedder=self._embedder)
        self._checked = time.monotonic()
        self._kelurahan = tuple(directory.kelurahan_names()) if directory else ()
        self._kecamatan: tuple[str, ...] = (
            tuple(directory.kecamatan_names()) if isinstance(directory, KecamatanDirectory) else ()
        )

    # ------------------------------------------------------------------ knowledge

    @property
    def retriever(self) -> Retriever:
        """The current index; rebuilt when the knowledge source reports a new version."""
        now = time.monotonic()
        if now - self._checked >= self._reload_seconds and self._index_lock.acquire(blocking=False):
            try:
                self._checked = now
                version = self.knowledge.version()
                if version != self._version:
                    self._retriever = Retriever(self.knowledge.entries(), embedder=self._embedder)
                    self._version = version
            finally:
                self._index_lock.release()
        return self._retriever

    def entry(self, entry_id: str) -> Entry | None:
        for entry in self.retriever.entries:
            if entry.id == entry_id:
                return entry
        return None

    # ------------------------------------------------------------------ entry point

    def reply(
        self,
        conversation_id: str,
        text: str,
        *,
        channel: str = "api",
        user: ChatUser | None = None,
        sender_phone: str | None = None,
    ) -> Reply:
        """Answer one message of one conversation.

        ``sender_phone``: the number a phone channel reports for the sender (WhatsApp); it is
        used only for a visit lead the person agreed to, never shown or looked up.
        """
        now = self.clock()
        text = (text or "")[:MAX_MESSAGE_CHARS]
        with self.store.locked(conversation_id) as state:
            if not state.created:
                state.created = now.isoformat()
                state.channel = channel
            state.updated = now.isoformat()
            if user is not None and state.user is None:
                state.user = user
            if sender_phone:
                state.sender_phone = sender_phone
            status = self.handoff.status(conversation_id)
            if status is HandoffStatus.HELD:
                self.handoff.forward(conversation_id, text, now)
                state.add_turn("user", text, now)
                self.store.save(state)
                return Reply("", Intent.SILENT, handoff=True, silent=True)
            n = normalise(text)
            reply = self._respond(state, n, channel, now)
            if status is HandoffStatus.WAITING:
                self.handoff.forward(conversation_id, text, now)
                reply = replace(reply, handoff=True)
            state.add_turn("user", text, now)
            state.add_turn("bot", reply.text, now)
            state.add_context(n.full_text)
            state.turns += 1
            if reply.topics:
                state.last_topics = list(reply.topics)
            self.store.save(state)
            self._log(state, channel, text, reply, now)
            return reply

    def _log(
        self, state: ConversationState, channel: str, text: str, reply: Reply, now: dt.datetime
    ) -> None:
        if self.log is None:
            return
        if not any(
            self.consent.has(subject, Purpose.CONVERSATION_LOG)
            for subject in flows.subjects(state, channel)
        ):
            return
        self.log.record(
            LogRecord(
                conversation_id=state.conversation_id,
                channel=channel,
                at=now,
                text=text,
                reply=reply.text,
                intent=reply.intent.value,
                topics=reply.topics,
                confidence=reply.confidence,
            )
        )

    # ------------------------------------------------------------------ the pipeline

    def _respond(
        self, state: ConversationState, n: Normalised, channel: str, now: dt.datetime
    ) -> Reply:
        m = self.messages
        if not n.raw.strip():
            return Reply(m.text("empty"), Intent.MENU)
        hits = self.rules.check([n.full_text, _prep(n.raw)], " ".join(state.context))
        if hits:
            safety = self._safety(state, n, hits, channel, now)
            if safety is not None:
                return safety
        if state.pending in leads.LEAD_PENDING and self.leads is not None:
            answered = leads.pending(self, state, n, channel, now)
            if answered is not None:
                return answered
        elif state.pending is not Pending.NONE:
            answered = flows.pending(self, state, n, channel, now)
            if answered is not None:
                return answered
        return self._understand(state, n, channel, now)

    def _safety(
        self,
        state: ConversationState,
        n: Normalised,
        hits: list[SafetyHit],
        channel: str,
        now: dt.datetime,
    ) -> Reply | None:
        m = self.messages
        ids = tuple(h.rule for h in hits)
        top = hits[0]
        if top.kind is SafetyKind.DANGER and self.rules.is_topic_question(
            [n.full_text, _prep(n.raw)]
        ):
            # A general question about the topic, not a symptom now (issue 10): the curated
            # answer, with what to do if it is happening now. No answer: the referral.
            inner = self._understand(state, n, channel, now)
            if inner.intent is Intent.QUESTION:
                return replace(
                    inner,
                    text=inner.text + "\n\n" + m.text("danger_topic_note"),
                    safety=ids,
                )
        if top.kind is SafetyKind.DANGER:
            state.pending = Pending.NONE
            if n.measures.has_measurement:
                merge(state.growth, n.measures)
            group = top.group if top.group != "child" or not _is_pregnancy(hits) else "pregnancy"
            text = m.text(f"danger_{group}")
            if n.measures.has_measurement:
                text += "\n\n" + m.text("danger_growth_pending")
            return Reply(
                text, Intent.DANGER, quick_replies=m.quick("danger"), urgent=True, safety=ids
            )
        if top.kind is SafetyKind.PRIVACY:
            return Reply(m.text("refuse_privacy"), Intent.PRIVACY, safety=ids)
        if top.kind is SafetyKind.INJECTION:
            rest = _without(n.raw, top.matched)
            rest_n = normalise(rest)
            if [t for t in rest_n.tokens if t not in _STOP]:
                again = self.rules.check([rest_n.full_text, _prep(rest)])
                if not any(h.kind is SafetyKind.INJECTION for h in again):
                    inner = self._respond(state, rest_n, channel, now)
                    return replace(
                        inner,
                        text=m.text("injection_note") + "\n\n" + inner.text,
                        safety=ids + inner.safety,
                    )
            return Reply(m.text("refuse_injection"), Intent.INJECTION, safety=ids)
        if top.kind is SafetyKind.IDENTIFIER:
            if state.pending in (Pending.PHONE, Pending.CODE, Pending.LEAD_PHONE):
                return None
            return Reply(m.text("refuse_identifier"), Intent.IDENTIFIER, safety=ids)
        if top.kind is SafetyKind.MEDICINE:
            return Reply(m.text("refuse_medicine"), Intent.MEDICINE, safety=ids)
        return Reply(m.text("refuse_diagnosis"), Intent.DIAGNOSIS, safety=ids)

    def _understand(
        self, state: ConversationState, n: Normalised, channel: str, now: dt.datetime
    ) -> Reply:
        m = self.messages
        greeting = split_greeting(n.raw)
        if greeting is not None and greeting.rest:
            inner = self._understand(state, normalise(greeting.rest), channel, now)
            if inner.intent not in (Intent.OUT_OF_SCOPE, Intent.GREETING):
                return replace(inner, text=m.text(greeting.reply_key) + "\n\n" + inner.text)
        if greeting is not None:
            return Reply(
                m.text(greeting.reply_key) + " " + m.text("greeting"),
                Intent.GREETING,
                quick_replies=m.quick("greeting"),
            )
        if is_thanks(n.raw):
            return Reply(m.text("thanks"), Intent.THANKS)
        kelurahan = find_kelurahan(n.raw, self._kelurahan) if self._kelurahan else None
        if kelurahan:
            state.kelurahan = kelurahan
        place = frozenset(re.findall(r"[a-z]+", kelurahan.lower())) if kelurahan else frozenset()
        local = places.query(self, n.raw, kelurahan)
        if local is not None:
            if kelurahan is None and local.intent is Intent.WHERE_TO_GO:
                state.pending = Pending.NONE
            return local
        intent = rule_intent(n, place)
        if intent is None and kelurahan and len(n.tokens) <= 4:
            intent = Intent.WHERE_TO_GO
        if intent is Intent.GREETING:
            return Reply(
                m.text("kind_halo") + " " + m.text("greeting"),
                intent,
                quick_replies=m.quick("greeting"),
            )
        if intent is Intent.THANKS:
            return Reply(m.text("thanks"), intent)
        if intent is Intent.MENU:
            return Reply(m.text("menu"), intent, quick_replies=m.quick("greeting"))
        if intent is Intent.WITHDRAW_CONSENT:
            return flows.withdraw(self, state, channel)
        if intent is Intent.LOG_CONSENT:
            for subject in flows.subjects(state, channel)[:1]:
                self.consent.record(
                    subject,
                    Purpose.CONVERSATION_LOG,
                    True,
                    channel=channel,
                    wording=n.raw,
                )
            return Reply(m.text("log_consent_yes"), intent)
        if intent is Intent.HANDOFF:
            return flows.start_handoff(self, state, n, channel, now)
        if intent in (Intent.MY_CHILD, Intent.VERIFY):
            return flows.personal(self, state, "my_child", channel)
        if intent is Intent.VISITS_DUE:
            return flows.personal(self, state, "visits", channel)
        if intent is Intent.GROWTH_CHECK:
            return self.growth(state, n)
        if intent is Intent.WHERE_TO_GO:
            return flows.services(self, state, intent)
        if intent is Intent.HOW_TO_HELP:
            entry = self.entry(HOW_TO_HELP_ENTRY)
            if entry is not None:
                helped = self.answer(entry, n, intent, 1.0)
                if self.partner_signup_url:
                    signup = m.text("partner_signup", url=self.partner_signup_url)
                    helped = replace(helped, text=signup + "\n\n" + helped.text)
                return helped
        if kelurahan:  # "..., tinggal di kelurahan Sempur": the place is context, not the topic
            without_place = _without_place(n.raw, kelurahan)
            if without_place.strip():
                n = normalise(without_place)
        return self.question(state, n)

    # ------------------------------------------------------------------ answers

    def growth(self, state: ConversationState, n: Normalised) -> Reply:
        bare = _BARE_NUMBER.match(n.raw)
        number = float(bare.group(1).replace(",", ".")) if bare else None
        merge(state.growth, n.measures, bare_number=number)
        outcome = check(state.growth, self.messages)
        if outcome.outcome is not Outcome.RESULT:
            too_old = outcome.outcome is Outcome.TOO_OLD
            state.pending = Pending.NONE if too_old else Pending.GROWTH
            return Reply(
                outcome.text,
                Intent.GROWTH_CHECK,
                confidence=1.0,
                growth_outcome=outcome.outcome.value,
                missing=outcome.missing,
            )
        if outcome.missing:  # a partial result: the next number completes it
            state.pending = Pending.GROWTH
        else:
            state.pending = Pending.NONE
            state.growth.clear()
        text = outcome.text
        categories = {k: c.value for k, c in outcome.categories.items()}
        reason = leads.worrying_reason(categories) if self.leads is not None else None
        if reason is not None:
            values = {
                "sex": state.growth.sex,
                "age_months": state.growth.age_months,
                "weight_kg": state.growth.weight_kg,
                "lenhei_cm": state.growth.lenhei_cm,
                "categories": [list(c) for c in categories.items()],
            }
            text += "\n\n" + leads.offer(self, state, reason, values)
        elif state.kelurahan and self.directory is not None:
            text += "\n\n" + flows.services_text(self, state.kelurahan)
        elif self.directory is not None:
            text += "\n\n" + self.messages.text("growth_ask_kelurahan")
        return Reply(
            text,
            Intent.GROWTH_CHECK,
            offer_visit=reason is not None,
            quick_replies=self.messages.quick("yes_no" if reason else "growth"),
            urgent=outcome.urgent,
            confidence=1.0,
            topics=("anak-stunting-apa-yang-dilakukan",) if outcome.stunted else (),
            growth_outcome=outcome.outcome.value,
            categories=tuple((k, c.value) for k, c in outcome.categories.items()),
            missing=outcome.missing,
        )

    def answer(self, entry: Entry, n: Normalised, intent: Intent, score: float) -> Reply:
        m = self.messages
        body = entry.answer
        used_llm = False
        if self.rephraser is not None:
            rephrased = self.rephraser.rephrase(body)
            body, used_llm = rephrased.text, rephrased.used_llm
        sources = "; ".join(s.cite() for s in entry.sources)
        footer = m.text(
            "answer_footer", sources=sources, reviewed=entry.reviewed.strftime("%d-%m-%Y")
        )
        text = f"{body}\n\n{footer}"
        if n.english:
            text = m.text("english_note") + "\n\n" + text
        related = [e.title for e in (self.entry(r) for r in entry.related[:2]) if e is not None]
        quick = (*related, *m.quick("after_answer_human"))
        return Reply(
            text,
            intent,
            topics=(entry.id,),
            quick_replies=quick,
            confidence=score,
            llm=used_llm,
        )

    def question(self, state: ConversationState, n: Normalised) -> Reply:
        m = self.messages
        retriever = self.retriever
        query = n.full_text or n.text
        content = [t for t in n.tokens if t not in _STOP]
        hits = retriever.search(query, k=3, parts=_sentences(n))
        top = hits[0] if hits else None
        in_domain = any(t in retriever.vocabulary for t in content)
        if top is None or not content or not in_domain:
            return Reply(m.text("out_of_scope"), Intent.OUT_OF_SCOPE, confidence=0.0)
        limits = retriever.thresholds
        lead = top.score - hits[1].score if len(hits) > 1 else top.score
        if top.score >= limits.answer or (top.score >= limits.unsure and lead >= limits.margin):
            reply = self.answer(top.entry, n, Intent.QUESTION, top.score)
            if top.entry.id in leads.FALLING_TOPICS and self.leads is not None:
                offer = leads.offer(self, state, "falling", {})
                reply = replace(
                    reply,
                    text=reply.text + "\n\n" + offer,
                    offer_visit=True,
                    quick_replies=self.messages.quick("yes_no"),
                )
            return reply
        if top.score >= limits.unsure:
            return self.unsure(state, hits, top.score)
        return Reply(m.text("out_of_scope"), Intent.OUT_OF_SCOPE, confidence=top.score)

    def unsure(self, state: ConversationState, hits: list[Hit], score: float) -> Reply:
        topics = "\n".join(f"{i}. {h.entry.title}" for i, h in enumerate(hits, start=1))
        state.pending = Pending.CHOICE
        state.choices = [h.entry.id for h in hits]
        return Reply(
            self.messages.text("unsure", topics=topics),
            Intent.UNSURE,
            topics=tuple(h.entry.id for h in hits),
            quick_replies=(
                *(h.entry.title for h in hits),
                *self.messages.quick("after_answer_human"),
            ),
            confidence=score,
        )


_SENTENCE: Final = re.compile(
    r"[.?!;\n]+|,\s+(?=(?:apa|apakah|bagaimana|gimana|gmn|kenapa|kapan|berapa|boleh|bisa|ada|bener|benar|betul)\b)"
)
#: A message with at least this many words is also scored sentence by sentence.
LONG_MESSAGE: Final = 9


def _sentences(n: Normalised) -> list[str]:
    if len(n.tokens) < LONG_MESSAGE:
        return []
    parts = [normalise(p).full_text for p in _SENTENCE.split(n.raw) if p.strip()]
    return [p for p in parts if len(p.split()) >= 3] if len(parts) > 1 else []


def _is_pregnancy(hits: list[SafetyHit]) -> bool:
    return any(h.group == "pregnancy" for h in hits)


def _without(raw: str, matched: str) -> str:
    """The message with the sentence that carried an injected instruction removed."""
    sentences = re.split(r"(?<=[.!?\n])\s+", raw)
    low = matched.lower()
    kept = [s for s in sentences if low not in _prep(s)]
    if len(kept) == len(sentences):
        return re.sub(re.escape(matched), " ", _prep(raw))
    return " ".join(kept)


def digits_of(text: str) -> str | None:
    match = _DIGITS.match(text)
    if not match:
        return None
    return re.sub(r"\D", "", match.group(1))


def choice_of(text: str) -> int | None:
    match = _CHOICE.match(text)
    return int(match.group(1)) if match else None


_PLACE_LEAD = (
    r"(?:(?:saya|kami|kita)\s+)?(?:tinggal|rumah(?:nya)?|domisili|alamat)?\s*(?:di|dari)?\s*"
)
_PLACE_KIND = r"(?:kelurahan|kel\.?|desa|ds\.?)?\s*"


def _without_place(raw: str, kelurahan: str) -> str:
    """The message without the phrase naming the user's kelurahan (kept in the state)."""
    name = r"\s+".join(re.escape(part) for part in kelurahan.split())
    pattern = re.compile(rf",?\s*{_PLACE_LEAD}{_PLACE_KIND}{name}\b", re.IGNORECASE)
    return pattern.sub(" ", raw)

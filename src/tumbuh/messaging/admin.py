"""Administrators: the knowledge base (validated by the engine's rules), the consented
conversation log and turning a message into an evaluation case, handoffs, consents."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from tumbuh.audit.admin_mixins import AuditedChangelistMixin
from tumbuh.chatbot.knowledge import KnowledgeProblem, parse_entry
from tumbuh.messaging.knowledge_db import entry_mapping
from tumbuh.messaging.models import (
    ChatConsent,
    EvalCase,
    HandoffRequest,
    KnowledgeEntry,
    LoggedMessage,
)


class KnowledgeEntryForm(forms.ModelForm):
    class Meta:
        model = KnowledgeEntry
        fields = "__all__"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        row = KnowledgeEntry(**{k: v for k, v in data.items() if k != "id"})
        problems: list[KnowledgeProblem] = []
        parse_entry(entry_mapping(row), "admin", problems)
        known = set(KnowledgeEntry.objects.values_list("entry_id", flat=True)) | {row.entry_id}
        for rid in entry_mapping(row).get("related", []) or []:  # type: ignore[union-attr]
            if rid not in known:
                problems.append(KnowledgeProblem("admin", row.entry_id, "related", f"{rid}?"))
        fields = {f.name for f in KnowledgeEntry._meta.fields}
        for problem in problems:
            name = {"id": "entry_id"}.get(problem.field, problem.field.split("[")[0])
            self.add_error(name if name in fields else None, problem.message)
        return data


@admin.register(KnowledgeEntry)
class KnowledgeEntryAdmin(admin.ModelAdmin):
    form = KnowledgeEntryForm
    list_display = ("entry_id", "title", "reviewed", "published", "updated_at")
    list_filter = ("published",)
    search_fields = ("entry_id", "title", "questions", "answer")


def _case_id(message: LoggedMessage) -> str:
    digest = hashlib.sha256(f"{message.conversation_id}:{message.text}".encode()).hexdigest()
    return f"log-{digest[:10]}"


@admin.register(LoggedMessage)
class LoggedMessageAdmin(AuditedChangelistMixin, admin.ModelAdmin):
    list_display = ("at", "channel", "text", "intent", "confidence")
    list_filter = ("channel", "intent")
    search_fields = ("text", "reply")
    readonly_fields = [f.name for f in LoggedMessage._meta.fields]
    actions = ["make_eval_cases"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Jadikan kasus evaluasi chatbot"))
    def make_eval_cases(self, request: HttpRequest, queryset: QuerySet[LoggedMessage]) -> None:
        made = 0
        for message in queryset:
            expect: dict[str, Any] = (
                {"topic": message.topics[0]}
                if message.intent == "question" and message.topics
                else {"intent": message.intent}
            )
            _case, created = EvalCase.objects.get_or_create(
                case_id=_case_id(message),
                defaults={
                    "text": message.text,
                    "expect": expect,
                    "source": message,
                    "created_by": request.user,
                },
            )
            made += created
        self.message_user(
            request,
            _("%(n)d kasus evaluasi dibuat; periksa dan perbaiki harapannya (expect).")
            % {"n": made},
            messages.SUCCESS,
        )


def export_jsonl(cases: QuerySet[EvalCase]) -> str:
    return "".join(json.dumps(c.as_case(), ensure_ascii=False) + "\n" for c in cases)


@admin.register(EvalCase)
class EvalCaseAdmin(admin.ModelAdmin):
    list_display = ("case_id", "kind", "text", "expect", "created_at")
    readonly_fields = ("source", "created_by", "created_at")
    actions = ["export"]

    @admin.action(description=_("Unduh sebagai JSONL (format eval/chatbot)"))
    def export(self, request: HttpRequest, queryset: QuerySet[EvalCase]) -> HttpResponse:
        response = HttpResponse(export_jsonl(queryset), content_type="application/x-ndjson")
        response["Content-Disposition"] = 'attachment; filename="reviewed.jsonl"'
        return response


@admin.register(HandoffRequest)
class HandoffRequestAdmin(AuditedChangelistMixin, admin.ModelAdmin):
    list_display = ("__str__", "channel", "kelurahan", "status", "assigned_to", "created_at")
    list_filter = ("status", "channel")
    readonly_fields = [f.name for f in HandoffRequest._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ChatConsent)
class ChatConsentAdmin(admin.ModelAdmin):
    list_display = ("at", "subject", "purpose", "granted", "channel")
    list_filter = ("purpose", "granted")
    readonly_fields = [f.name for f in ChatConsent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

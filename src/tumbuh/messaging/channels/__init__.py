"""Channel types behind one base class, found by name in a settings-driven registry
(``MESSAGING_CHANNEL_TYPES``), as RapidPro does it: the web widget, WhatsApp, Telegram."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from tumbuh.messaging.channels.base import ChannelType

__all__ = ["ChannelType", "channel_type"]

DEFAULT_TYPES = [
    "tumbuh.messaging.channels.web.WebType",
    "tumbuh.messaging.channels.whatsapp.WhatsAppType",
    "tumbuh.messaging.channels.telegram.TelegramType",
]


def _types() -> dict[str, ChannelType]:
    paths = getattr(settings, "MESSAGING_CHANNEL_TYPES", DEFAULT_TYPES)
    types = [import_string(path)() for path in paths]
    return {t.name: t for t in types}


def channel_type(name: str) -> ChannelType | None:
    return _types().get(name)

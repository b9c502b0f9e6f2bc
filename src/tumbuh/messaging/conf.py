"""Channel settings: a Django setting of the same name wins (tests), else the environment.

``WHATSAPP_VERIFY_TOKEN``, ``WHATSAPP_APP_SECRET``, ``WHATSAPP_TOKEN``,
``WHATSAPP_PHONE_NUMBER_ID``, ``WHATSAPP_TEMPLATE`` (the approved template sent outside the
24-hour window), ``TELEGRAM_SECRET_TOKEN``, ``TELEGRAM_BOT_TOKEN``, ``CHAT_RATE_PER_MINUTE``
(per conversation), ``CHAT_RATE_PER_IP_MINUTE``, ``CHAT_POLL_PER_MINUTE`` and
``CHAT_POLL_PER_IP_MINUTE`` (the widget asking for officers' answers), ``MESSAGING_SENDER``,
``OTP_SENDER``.
"""

from __future__ import annotations

import os

from django.conf import settings

DEFAULTS = {
    "WHATSAPP_API_VERSION": "v21.0",
    "WHATSAPP_TEMPLATE": "tumbuh_balasan_petugas",
    "WHATSAPP_TEMPLATE_LANGUAGE": "id",
    "CHAT_RATE_PER_MINUTE": "20",
    "CHAT_RATE_PER_IP_MINUTE": "120",
    "CHAT_POLL_PER_MINUTE": "30",
    "CHAT_POLL_PER_IP_MINUTE": "600",
    "MESSAGING_SENDER": "tumbuh.messaging.senders.HttpSender",
    "MESSAGING_SEND_IN_BACKGROUND": "1",
    "OTP_SENDER": "tumbuh.messaging.verification.LoggingCodeSender",
    "SEND_TIMEOUT_SECONDS": "10",
}


def setting(name: str) -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, DEFAULTS.get(name, ""))
    return str(value).strip()


def setting_int(name: str) -> int:
    try:
        return int(setting(name))
    except ValueError:
        return int(DEFAULTS[name])


def setting_bool(name: str) -> bool:
    return setting(name).lower() in {"1", "true", "yes", "on"}


def whatsapp_configured() -> bool:
    return bool(setting("WHATSAPP_VERIFY_TOKEN") and setting("WHATSAPP_APP_SECRET"))


def telegram_configured() -> bool:
    return bool(setting("TELEGRAM_SECRET_TOKEN"))

"""Channel adapters: turn a channel's payload into messages for ``Bot.reply`` and the reply back.

One interface (:class:`~tumbuh.chatbot.channels.base.Channel`) for every channel. The adapters
here are pure functions over payloads (no HTTP, no Django): the platform's views verify
signatures with :mod:`.whatsapp` / :mod:`.telegram` helpers, call ``parse``, run the bot, and
send what ``render`` returns.
"""

from tumbuh.chatbot.channels.base import Channel, Inbound, Outbound, PayloadError, handle

__all__ = ["Channel", "Inbound", "Outbound", "PayloadError", "handle"]

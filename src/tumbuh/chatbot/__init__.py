"""Tumbuh's chatbot engine: normalise -> safety rules -> understand -> answer.

Framework-free (never imports Django): the platform supplies the interfaces in
:mod:`tumbuh.chatbot.interfaces` (service directory, a verified person's data, consent,
handoff queue, conversation log). Entry point: :class:`Bot` and its :meth:`Bot.reply`.
"""

from tumbuh.chatbot.engine import Bot, Reply
from tumbuh.chatbot.understand import Intent

__all__ = ["Bot", "Intent", "Reply"]

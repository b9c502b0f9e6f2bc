"""``python -m tumbuh.chatbot`` is ``tumbuh chat``."""

from tumbuh.chatbot.cli import chat

chat()

"""Messaging: the platform side of the chatbot (ADR 0040).

Database implementations of the engine's interfaces (:mod:`tumbuh.chatbot.interfaces`), the
channels (web widget, ``POST /api/v1/chat``, WhatsApp and Telegram webhooks), the handoff queue
for kader and nutrition officers, and the administrators' review of logged conversations.
"""

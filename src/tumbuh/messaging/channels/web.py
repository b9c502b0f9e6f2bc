"""The web widget and ``POST /api/v1/chat``: officers' answers wait for the next request."""

from __future__ import annotations

from tumbuh.messaging.channels.base import ChannelType


class WebType(ChannelType):
    name = "web"
    title = "Web"

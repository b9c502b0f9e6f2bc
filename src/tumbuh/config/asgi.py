"""ASGI entry point (uvicorn/daphne: ``tumbuh.config.asgi:application``)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tumbuh.config.settings")
application = get_asgi_application()

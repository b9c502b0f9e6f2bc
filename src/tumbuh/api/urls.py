from django.urls import path

from tumbuh.api.api import api

urlpatterns = [path("", api.urls)]

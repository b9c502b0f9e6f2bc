from django.apps import AppConfig


class WilayahConfig(AppConfig):
    name = "tumbuh.wilayah"
    label = "wilayah"
    verbose_name = "Wilayah, puskesmas dan posyandu"

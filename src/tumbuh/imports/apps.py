from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "tumbuh.imports"
    label = "imports"
    verbose_name = "Impor e-PPGBM"

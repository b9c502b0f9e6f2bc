from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tumbuh.accounts"
    label = "accounts"
    verbose_name = "Akun dan peran"

    def ready(self) -> None:
        from tumbuh.accounts import lockout  # noqa: F401  (audits django-axes lockouts)

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender: Any, **kwargs: Any) -> None:
    from houqin.accounts.services import roles_sync

    roles_sync()


class AccountsConfig(AppConfig):
    name = "houqin.accounts"
    label = "accounts"
    verbose_name = "账号与安全"

    def ready(self) -> None:
        from houqin.accounts import signals  # noqa: F401  (connects the audit receivers)

        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="houqin_roles_sync")

from django.apps import AppConfig


class FindingsConfig(AppConfig):
    name = "houqin.findings"
    label = "findings"
    verbose_name = "问题与整改"

    def ready(self) -> None:
        from houqin.findings import order_services, services  # noqa: F401 (notification kinds)

from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "houqin.standards"
    label = "standards"
    verbose_name = "标准"

    def ready(self) -> None:
        from houqin.standards import lifecycle  # noqa: F401 (registers the notification kind)

from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "houqin.standards"
    label = "standards"
    verbose_name = "标准"

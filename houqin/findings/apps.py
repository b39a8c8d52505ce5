from django.apps import AppConfig


class FindingsConfig(AppConfig):
    name = "houqin.findings"
    label = "findings"
    verbose_name = "问题与整改"

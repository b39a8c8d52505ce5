from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "houqin.common"
    label = "common"
    verbose_name = "公共"

from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "houqin.org"
    label = "org"
    verbose_name = "组织"

from django.apps import AppConfig


class ChecklistsConfig(AppConfig):
    name = "houqin.checklists"
    label = "checklists"
    verbose_name = "检查表与任务"

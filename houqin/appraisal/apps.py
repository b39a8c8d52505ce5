from django.apps import AppConfig


class AppraisalConfig(AppConfig):
    name = "houqin.appraisal"
    label = "appraisal"
    verbose_name = "考核与奖惩"

    def ready(self) -> None:
        from houqin.appraisal import services  # noqa: F401 (notification kinds)

from django.apps import AppConfig


class AppraisalConfig(AppConfig):
    name = "houqin.appraisal"
    label = "appraisal"
    verbose_name = "考核与奖惩"

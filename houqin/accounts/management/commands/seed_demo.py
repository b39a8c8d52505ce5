"""python manage.py seed_demo: load the demo center (for demonstration only; idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand

from houqin.accounts.demo import CENTER, DEMO_PASSWORD, DEMO_TOTP_SECRET, seed_demo
from houqin.appraisal.demo import seed_appraisal
from houqin.checklists.demo import seed_checklists
from houqin.findings.demo import seed_findings
from houqin.org.models import Organization


class Command(BaseCommand):
    help = "载入演示中心（仅用于演示；重复运行不会改变已有数据）。"

    def handle(self, *args: Any, **options: Any) -> None:
        created = seed_demo()
        center = Organization.objects.get(code=CENTER[0])
        checks = {**seed_checklists(center), **seed_findings(center)}
        appraisal = seed_appraisal(center)
        self.stdout.write(
            f"演示数据：新建单位 {created['organizations']} 个、科室 {created['departments']} 个、"
            f"服务单位 {created['served_units']} 个、职工 {created['staff']} 人、"
            f"外包服务商 {created['vendors']} 家、场所 {created['places']} 处、"
            f"设备 {created['equipment']} 台、标准 {created['standards']} 项、"
            f"账号 {created['users']} 个；检查表 {checks['templates']} 张、"
            f"检查计划 {checks['schedules']} 个、检查记录 {checks['records']} 份、"
            f"问题 {checks['findings']} 个；考核方案 {appraisal['schemes']} 个、"
            f"考核周期 {appraisal['periods']} 个。"
        )
        if created["users"]:
            self.stdout.write(
                f"演示账号的登录名即角色名（如 leader、system_admin），密码均为 {DEMO_PASSWORD}；"
                f"三员的两步验证密钥为 {DEMO_TOTP_SECRET}。仅用于演示，正式使用前请停用。"
            )

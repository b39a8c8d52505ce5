"""python manage.py api_token <login>: print a new personal API token for that user."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from houqin.accounts.models import User
from houqin.accounts.services import api_token_create


class Command(BaseCommand):
    help = "为指定登录名创建一个新的个人接口令牌并打印（只显示这一次）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("login", help="登录名")
        parser.add_argument("--name", default="命令行创建", help="令牌用途")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username__iexact=options["login"]).first()
        if user is None:
            raise CommandError(f"登录名“{options['login']}”不存在。")
        if not user.is_active:
            raise CommandError(f"账号“{user.username}”已停用，不能创建令牌。")
        self.stdout.write(api_token_create(user=user, name=options["name"]))

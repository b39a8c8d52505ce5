"""factory_boy factories: only the required fields; the organization is always explicit."""

from __future__ import annotations

import factory
from django.contrib.auth.hashers import make_password

from houqin.accounts.models import User
from houqin.org.models import Department, Organization

PASSWORD = "Correct-Horse-42"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    code = factory.Sequence(lambda n: f"org{n}")
    name = factory.Sequence(lambda n: f"测试服务中心{n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"D{n}")
    name = factory.Sequence(lambda n: f"科室{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"员工{n}")
    password = factory.LazyFunction(lambda: make_password(PASSWORD))
    must_change_password = False

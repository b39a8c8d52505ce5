"""Forms of the organization's departments, teams, posts, staff, served units, vendors and
contracts."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from houqin.common.forms import DATE_INPUT, OrgModelForm
from houqin.org.models import Contract, Department, Post, ServedUnit, Staff, Team, Vendor

PHONE_PATTERN = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})?$")
PHONE_MESSAGE = "电话格式不正确：请填写 11 位手机号，或带区号的座机号。"


class PhoneFormMixin:
    cleaned_data: dict[str, Any]

    def clean_phone(self) -> str:
        value = (self.cleaned_data.get("phone") or "").strip().replace(" ", "")
        if not PHONE_PATTERN.match(value):
            raise forms.ValidationError(PHONE_MESSAGE)
        return value


class DepartmentForm(OrgModelForm):
    class Meta:
        model = Department
        fields = ["code", "name"]


class TeamForm(OrgModelForm):
    class Meta:
        model = Team
        fields = ["department", "name"]


class PostForm(OrgModelForm):
    class Meta:
        model = Post
        fields = ["code", "name"]


class StaffForm(PhoneFormMixin, OrgModelForm):
    class Meta:
        model = Staff
        fields = ["number", "name", "employment", "department", "team", "post", "vendor", "phone"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("employment") == Staff.Employment.OUTSOURCED and not data.get("vendor"):
            self.add_error("vendor", "外包人员须填写所属外包服务商。")
        team, department = data.get("team"), data.get("department")
        if team is not None and department is not None and team.department_id != department.pk:
            self.add_error("team", "班组不属于所选科室。")
        return data


class ServedUnitForm(PhoneFormMixin, OrgModelForm):
    requester_logins = forms.CharField(
        label="可申请服务的人员",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="填写这些人员的登录名，用空格、逗号或换行分隔；他们可以代表本单位申请服务。",
    )

    class Meta:
        model = ServedUnit
        fields = ["code", "name", "body", "contact", "phone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            names = self.instance.requesters.order_by("username").values_list("username", flat=True)
            self.initial["requester_logins"] = " ".join(names)


class VendorForm(PhoneFormMixin, OrgModelForm):
    class Meta:
        model = Vendor
        fields = ["code", "name", "contact", "phone", "scope", "active"]


class ContractForm(OrgModelForm):
    class Meta:
        model = Contract
        fields = ["vendor", "number", "title", "scope", "starts_on", "ends_on", "amount"]
        widgets = {"starts_on": DATE_INPUT, "ends_on": DATE_INPUT}

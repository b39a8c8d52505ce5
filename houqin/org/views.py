"""Pages of departments, teams, posts, staff, served units, vendors and contracts, declared
once each with the generic object pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_POST

from houqin.common.decorators import perm_required
from houqin.common.generic import (
    BulkAction,
    Col,
    ObjectCreateView,
    ObjectDetailView,
    ObjectSet,
    ObjectUpdateView,
    scoped_get,
)
from houqin.common.lists import url_for_pk
from houqin.common.masking import mask_phone
from houqin.org import filters, forms
from houqin.org.models import Contract, Department, Post, ServedUnit, Staff, Team, Vendor
from houqin.org.services import served_unit_requesters_set, staff_leave


def _scoped(model: Any, *related: str, only: tuple[str, ...] = ()) -> Any:
    def queryset(user: Any) -> QuerySet[Any]:
        rows = model.objects.for_user(user, "view").select_related(*related)
        return rows.only(*only) if only else rows

    return queryset


class Departments(ObjectSet):
    model = Department
    slug = "org/departments"
    columns = [Col("科室代码", lambda r: r.code, "code"), Col("科室名称", lambda r: r.name, "name")]
    default_sort = "code"
    detail_fields = ["code", "name"]
    form_class = forms.DepartmentForm
    search_fields = ("code", "name")
    search_hint = "代码或名称"
    empty_text = "先建立中心的科室，再为科室添加班组和职工；也可以用 Excel 批量导入。"


class Teams(ObjectSet):
    model = Team
    slug = "org/teams"
    columns = [
        Col("班组", lambda r: r.name, "name"),
        Col("科室", lambda r: r.department.name, "department__name"),
    ]
    default_sort = "department__name"
    detail_fields = ["name", "department"]
    form_class = forms.TeamForm
    search_fields = ("name",)
    search_hint = "班组名称"
    empty_text = "班组是科室下的工作小组，如“早班保洁组”。"
    queryset = _scoped(Team, "department")


class Posts(ObjectSet):
    model = Post
    slug = "org/posts"
    columns = [Col("岗位代码", lambda r: r.code, "code"), Col("岗位名称", lambda r: r.name, "name")]
    default_sort = "code"
    detail_fields = ["code", "name"]
    form_class = forms.PostForm
    search_fields = ("code", "name")
    search_hint = "代码或名称"
    empty_text = "岗位如保洁员、驾驶员、厨师；岗位工作标准将挂在岗位上。"


class StaffDetail(ObjectDetailView):
    template_name = "org/staff_detail.html"

    def extra_context(self, obj: Any) -> dict[str, Any]:
        user = self.request.user
        return {
            "can_leave": obj.status == Staff.Status.ACTIVE and user.has_perm("org.change_staff")
        }


# get_FOO_display() rebuilds its choices on every call; a list asks it 25 times a column
EMPLOYMENT_LABELS = dict(Staff.Employment.choices)
STAFF_STATUS_LABELS = dict(Staff.Status.choices)


class StaffPages(ObjectSet):
    model = Staff
    slug = "org/staff"
    columns = [
        Col("工号", lambda r: r.number, "number"),
        Col("姓名", lambda r: r.name, "name"),
        Col("编制类型", lambda r: EMPLOYMENT_LABELS.get(r.employment, r.employment), "employment"),
        Col("科室", lambda r: r.department.name if r.department_id else "", "department__name"),
        Col("岗位", lambda r: r.post.name if r.post_id else "", "post__name"),
        Col("外包服务商", lambda r: r.vendor.name if r.vendor_id else "", "vendor__name"),
        Col("手机号", lambda r: mask_phone(r.phone)),
        Col("状态", lambda r: STAFF_STATUS_LABELS.get(r.status, r.status), "status"),
    ]
    default_sort = "number"
    detail_fields = [
        "number",
        "name",
        "employment",
        "department",
        "team",
        "post",
        "vendor",
        "phone",
        "status",
        "user",
    ]
    form_class = forms.StaffForm
    filterset_class = filters.StaffFilter
    search_fields = ("number", "name")
    search_hint = "工号或姓名"
    empty_text = "登记中心的职工（含编外和外包人员）；人数多时用 Excel 批量导入。"
    queryset = _scoped(
        Staff,
        "department",
        "post",
        "vendor",
        only=(  # what the columns show: 25 staff and their three related rows per page
            "number",
            "name",
            "employment",
            "phone",
            "status",
            "department__name",
            "post__name",
            "vendor__name",
        ),
    )
    detail_view_base = StaffDetail
    deletable = False  # leaving staff are marked left, never deleted
    bulk_actions = {
        "leave": BulkAction(
            "办理离职",
            "change",
            "所选职工标记为离职，其登录账号立即停用；记录保留。已离职的会跳过。",
            lambda staff, actor: staff_leave(staff=staff, actor=actor),
        )
    }


class ServedUnitDetail(ObjectDetailView):
    template_name = "org/servedunit_detail.html"

    def extra_context(self, obj: Any) -> dict[str, Any]:
        requesters = obj.requesters.order_by("username").values("username", "name", "is_active")
        return {"requesters": list(requesters[:200]), "requester_count": obj.requesters.count()}


class ServedUnitSave:
    """Saves the unit through the generic writes, then its requesters through the service,
    in one transaction."""

    def save(self, form: Any, obj: Any) -> Any:
        with transaction.atomic():
            unit = super().save(form, obj)  # type: ignore[misc]
            served_unit_requesters_set(
                unit=unit,
                logins=form.cleaned_data["requester_logins"],
                actor=self.request.user,  # type: ignore[attr-defined]
            )
        return unit


class ServedUnitCreate(ServedUnitSave, ObjectCreateView):
    pass


class ServedUnitUpdate(ServedUnitSave, ObjectUpdateView):
    pass


class ServedUnits(ObjectSet):
    model = ServedUnit
    slug = "org/served-units"
    columns = [
        Col("单位代码", lambda r: r.code, "code"),
        Col("单位名称", lambda r: r.name, "name"),
        Col("所属", lambda r: r.get_body_display(), "body"),
        Col("联系人", lambda r: r.contact),
        Col("联系电话", lambda r: mask_phone(r.phone)),
    ]
    default_sort = "code"
    detail_fields = ["code", "name", "body", "contact", "phone"]
    form_class = forms.ServedUnitForm
    filterset_class = filters.ServedUnitFilter
    search_fields = ("code", "name")
    search_hint = "代码或名称"
    empty_text = "登记中心服务的单位（市委、市人大、市政府、市政协及其部门）。"
    detail_view_base = ServedUnitDetail
    create_view_base = ServedUnitCreate
    update_view_base = ServedUnitUpdate


class Vendors(ObjectSet):
    model = Vendor
    slug = "org/vendors"
    columns = [
        Col("服务商代码", lambda r: r.code, "code"),
        Col("公司名称", lambda r: r.name, "name"),
        Col("联系人", lambda r: r.contact),
        Col("服务范围", lambda r: r.scope),
        Col("合作中", lambda r: "是" if r.active else "否", "active"),
    ]
    default_sort = "code"
    detail_fields = ["code", "name", "contact", "phone", "scope", "active"]
    form_class = forms.VendorForm
    search_fields = ("code", "name")
    search_hint = "代码或名称"
    empty_text = "登记通过政府购买服务合作的外包服务商，再为其登记服务合同。"


class Contracts(ObjectSet):
    model = Contract
    slug = "org/contracts"
    columns = [
        Col("合同编号", lambda r: r.number, "number"),
        Col("合同名称", lambda r: r.title, "title"),
        Col("外包服务商", lambda r: r.vendor.name, "vendor__name"),
        Col("开始日期", lambda r: r.starts_on, "starts_on"),
        Col("结束日期", lambda r: r.ends_on, "ends_on"),
        Col("金额（元）", lambda r: f"{r.amount:,.2f}", "amount", export=lambda r: r.amount),
        Col("状态", lambda r: r.get_status_display(), "status"),
    ]
    default_sort = "-starts_on"
    detail_fields = [
        "number",
        "title",
        "vendor",
        "scope",
        "starts_on",
        "ends_on",
        "amount",
        "status",
    ]
    form_class = forms.ContractForm
    filterset_class = filters.ContractFilter
    search_fields = ("number", "title", "vendor__name")
    search_hint = "编号、名称或服务商"
    empty_text = "登记服务合同；草稿可以修改，生效后不能再改。"
    queryset = _scoped(Contract, "vendor")


@require_POST
@perm_required("org.change_staff")
def staff_leave_view(request: HttpRequest, pk: int) -> HttpResponse:
    staff = scoped_get(Staff, request.user, pk, "change")
    try:
        staff_leave(staff=staff, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "已办理离职，其登录账号已停用。")
    return HttpResponseRedirect(url_for_pk("org:staff_detail", staff.pk))

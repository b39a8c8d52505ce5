"""The standards' own pages: the list (filters, 现行, branch, export, who sees what), a
standard's page, 立项, registering an adopted external standard, editing and deleting a
proposal."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from houqin.accounts.models import AuditEvent
from houqin.common.attachments import attachment_add
from houqin.common.models import Attachment, ChangeLogEntry
from houqin.org.models import Department, Post
from houqin.standards.clauses import version_copy
from houqin.standards.models import Standard, StandardLine, StandardNode, StandardVersion
from houqin.standards.services import standard_adopt, standard_propose, version_new_draft
from tests.conftest import signed_in
from tests.standards.builders import in_force_make, node_make

pytestmark = pytest.mark.django_db

LIST = reverse("standards:standard_list")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.STORAGES = {
        **django_settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def detail(standard: Standard) -> str:
    return reverse("standards:standard_detail", args=[standard.pk])


def page(client: Client, url: str, params: dict[str, Any] | None = None) -> str:
    response = client.get(url, params or {})
    assert response.status_code == 200
    return response.content.decode()


def branch_node(org: Any, code: str, name: str, parent: StandardNode | None = None) -> StandardNode:
    instance = StandardNode(organization=org, code=code, name=name)
    if parent is None:
        return StandardNode.objects.add_root(instance=instance)
    parent.refresh_from_db()
    return StandardNode.objects.add_child(parent, instance=instance)


def standard(org: Any, title: str, node: StandardNode, status: str = "proposed", **data: Any):
    """A standard made through 立项, then put in the wanted state."""
    lines = data.pop("lines", ())
    made = standard_propose(
        organization=org,
        actor=None,
        data={"title": title, "node": node, "reason": "测试", **data},
        lines=list(lines),
    )
    Standard.objects.filter(pk=made.pk).update(status=status)
    made.refresh_from_db()
    return made


@pytest.fixture
def library(org_a, department):
    """A small library across two branches of the system tree, in several states."""
    provide = node_make(org_a)  # TG (服务提供标准) / TG-01 (服务规范)
    top = StandardNode.objects.get(organization=org_a, code="TG")
    deep = branch_node(org_a, "TG-01-01", "保洁服务", provide)
    support = branch_node(org_a, "TB", "服务保障标准")
    other = Department.objects.create(organization=org_a, code="CL", name="车辆管理科")
    return {
        "top": top,
        "provide": provide,
        "deep": deep,
        "support": support,
        "proposal": standard(org_a, "会议服务规范", provide, lines=["meetings"]),
        "drafting": standard(org_a, "食堂进货查验规范", deep, "drafting", lines=["canteen"]),
        "cleaning": standard(
            org_a,
            "公共卫生间保洁规范",
            deep,
            "in_force",
            lines=["property"],
            owner_department=department,
        ),
        "reviewing": standard(org_a, "电梯维护保养规范", provide, "under_review"),
        "revising": standard(org_a, "驾驶员礼仪规范", support, "revising", lines=["vehicles"]),
        "vehicles": standard(
            org_a,
            "公务用车派车规范",
            support,
            "in_force",
            lines=["vehicles"],
            owner_department=other,
        ),
        "withdrawn": standard(org_a, "旧版消防演练规范", support, "withdrawn"),
    }


def titles(html: str, library: dict[str, Any]) -> set[str]:
    """The keys of the library's standards the page links to by title."""
    return {
        key
        for key, value in library.items()
        if isinstance(value, Standard) and f">{value.title}</a>" in html
    }


def test_it_lists_every_standard_for_the_standards_office(standards_officer, library) -> None:
    html = page(signed_in(standards_officer), LIST)
    assert titles(html, library) == {
        "proposal",
        "drafting",
        "cleaning",
        "reviewing",
        "revising",
        "vehicles",
        "withdrawn",
    }
    assert "标准立项" in html and "登记外部标准" in html and "导出 Excel" in html
    assert f'<a href="{reverse("standards:search")}">全文检索</a>' in html
    assert '<span class="badge bg-green-lt">实施</span>' in html


@pytest.mark.parametrize("role", ["leader", "department_head"])
def test_it_lists_drafts_for_leaders_and_department_heads(role, request, library) -> None:
    html = page(signed_in(request.getfixturevalue(role)), LIST)
    assert {"proposal", "drafting", "withdrawn"} <= titles(html, library)


def test_it_lists_only_standards_in_force_for_a_worker(worker, library) -> None:
    html = page(signed_in(worker), LIST)
    assert titles(html, library) == {"cleaning", "reviewing", "revising", "vehicles"}
    assert "现行标准" in html
    assert "标准立项" not in html and "登记外部标准" not in html
    status_options = html.split('name="status"')[1].split("</select>")[0]
    assert "起草" not in status_options and "实施" in status_options


def test_it_refuses_the_list_to_served_staff(served) -> None:
    assert signed_in(served).get(LIST).status_code == 403


def test_it_filters_a_branch_of_the_system_tree(standards_officer, library) -> None:
    client = signed_in(standards_officer)
    top = titles(page(client, LIST, {"node": library["top"].pk}), library)
    assert top == {"proposal", "drafting", "cleaning", "reviewing"}
    deep = titles(page(client, LIST, {"node": library["deep"].pk}), library)
    assert deep == {"drafting", "cleaning"}
    support = titles(page(client, LIST, {"node": library["support"].pk}), library)
    assert support == {"revising", "vehicles", "withdrawn"}


def test_it_offers_the_nodes_indented_in_tree_order(standards_officer, library) -> None:
    html = page(signed_in(standards_officer), LIST)
    options = html.split('name="node"')[1].split("</select>")[0]
    assert options.index("TG 服务提供标准") < options.index("TG-01 服务规范")
    assert options.index("TG-01 服务规范") < options.index("TG-01-01 保洁服务")
    assert "　　TG-01-01 保洁服务" in options


def test_it_filters_the_standards_in_force_as_current(standards_officer, library) -> None:
    html = page(signed_in(standards_officer), LIST, {"status": "current"})
    assert titles(html, library) == {"cleaning", "reviewing", "revising", "vehicles"}
    html = page(signed_in(standards_officer), LIST, {"status": "drafting"})
    assert titles(html, library) == {"drafting"}


def test_it_filters_by_service_line_department_level_and_words(
    standards_officer, library, department
) -> None:
    client = signed_in(standards_officer)
    assert titles(page(client, LIST, {"line": "vehicles"}), library) == {"revising", "vehicles"}
    assert titles(page(client, LIST, {"owner_department": department.pk}), library) == {"cleaning"}
    assert titles(page(client, LIST, {"q": "保洁"}), library) == {"cleaning"}
    assert titles(page(client, LIST, {"level": "national"}), library) == set()
    html = page(client, LIST, {"level": "national"})
    assert "没有符合条件的记录" in html and "清除筛选" in html


def test_it_finds_nothing_for_a_node_of_another_organization(
    standards_officer, library, org_b
) -> None:
    foreign = branch_node(org_b, "TG", "服务提供标准")
    html = page(signed_in(standards_officer), LIST, {"node": foreign.pk})
    assert titles(html, library) == set()
    assert "没有符合条件的记录" in html


def test_it_searches_numbers(standards_officer, org_a, library) -> None:
    in_force_make(org_a, standards_officer, number="JGSW/FW 007—2026")
    html = page(signed_in(standards_officer), LIST, {"q": "FW 007"})
    assert "JGSW/FW 007—2026" in html and "会议服务规范" not in html


def test_it_sorts_by_a_column(standards_officer, library) -> None:
    html = page(signed_in(standards_officer), LIST, {"sort": "-title"})
    names = sorted((s.title for s in library.values() if isinstance(s, Standard)), reverse=True)
    positions = [html.index(f">{name}</a>") for name in names]
    assert positions == sorted(positions)


def test_it_marks_an_overdue_review_in_red(standards_officer, library) -> None:
    past = timezone.localdate() - timedelta(days=3)
    Standard.objects.filter(pk=library["cleaning"].pk).update(review_due_on=past)
    Standard.objects.filter(pk=library["withdrawn"].pk).update(review_due_on=past)
    html = page(signed_in(standards_officer), LIST)
    assert html.count("已逾期") == 1
    row = html.split(">公共卫生间保洁规范</a>")[1].split("</tr>")[0]
    assert "text-danger" in row and past.isoformat() in row


def test_it_explains_an_empty_list(standards_officer, worker) -> None:
    html = page(signed_in(standards_officer), LIST)
    assert "还没有标准" in html and reverse("standards:standard_propose") in html
    html = page(signed_in(worker), LIST)
    assert "中心的标准实施后会列在这里" in html


def test_it_exports_the_filtered_list_and_audits_it(standards_officer, library) -> None:
    response = signed_in(standards_officer).get(
        LIST, {"status": "current", "line": "vehicles", "export": "xlsx"}
    )
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet["A3"].value == "标准编号"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert sorted(r[1] for r in rows) == ["公务用车派车规范", "驾驶员礼仪规范"]
    assert {r[3] for r in rows} == {"实施", "修订"}
    assert "状态：现行" in sheet["A2"].value and "服务条线：公务用车" in sheet["A2"].value
    assert AuditEvent.objects.filter(
        kind="export", actor=standards_officer, detail__rows=2
    ).exists()


def test_a_worker_exports_only_standards_in_force(worker, library) -> None:
    response = signed_in(worker).get(LIST, {"export": "xlsx"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(min_row=4))
    assert len(rows) == 4


def many_standards(org: Any, node: StandardNode, department: Department, count: int) -> None:
    made = Standard.objects.bulk_create(
        Standard(
            organization=org,
            number=f"JGSW/FW {n:03}—2026",
            title=f"服务规范{n}",
            level="internal",
            status="in_force",
            node=node,
            owner_department=department,
            effective_on=date(2026, 1, 1),
            review_due_on=date(2020, 1, 1),
        )
        for n in range(count)
    )
    StandardLine.objects.bulk_create(StandardLine(standard=s, line="property") for s in made)


def queries(client: Client, url: str, params: dict[str, Any] | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def test_the_list_runs_the_same_queries_for_2_and_30_standards(
    standards_officer, org_a, department
) -> None:
    node = node_make(org_a)
    client = signed_in(standards_officer)
    counts = []
    for count in (2, 30, 60):
        Standard.objects.all().delete()
        many_standards(org_a, node, department, count)
        queries(client, LIST)
        counts.append(
            (queries(client, LIST), queries(client, LIST, {"node": node.pk, "status": "current"}))
        )
    few, many, more = counts
    # no query per row; at most one COUNT for the pagination once there is a second page
    assert all(0 <= m - f <= 1 for f, m in zip(few, many, strict=True))
    assert more == many
    assert many[0] <= 10


def test_it_shows_a_standard_in_force_with_its_text(standards_officer, in_force) -> None:
    html = page(signed_in(standards_officer), detail(in_force))
    assert "JGSW/FW 001—2026" in html and "公共卫生间保洁规范" in html
    assert "保洁员应每2 h保洁1次。" in html  # the text of the published version
    assert 'aria-current="step"' in html
    current = html.split('aria-current="step"')[1].split("</li>")[0]
    assert "实施" in current
    assert "standards/standards.css" in html
    assert "第 1 版" in html and "2026-04-01" in html
    assert "适用服务条线" in html and "物业保洁" in html


def test_it_shows_the_latest_draft_when_nothing_is_published(standards_officer, draft) -> None:
    html = page(signed_in(standards_officer), detail(draft))
    assert "第 1 版草案，尚未发布" in html and "地面宜无积水。" in html
    assert "删除立项" not in html  # a draft is not deleted


def test_it_shows_the_proposal_and_links_replaced_standards(
    standards_officer, org_a, in_force, node
) -> None:
    proposal = standard_propose(
        organization=org_a,
        actor=standards_officer,
        data={
            "title": "公共卫生间保洁规范（修订）",
            "node": node,
            "reason": "保洁频次需要提高",
            "scope": "办公楼公共卫生间",
            "proposer": standards_officer,
            "due_on": date(2026, 12, 31),
            "replaces": [in_force],
        },
    )
    html = page(signed_in(standards_officer), detail(proposal))
    assert "保洁频次需要提高" in html and "办公楼公共卫生间" in html and "2026-12-31" in html
    assert detail(in_force) in html and "删除立项" in html
    assert "还没有正文" in html
    back = page(signed_in(standards_officer), detail(in_force))
    assert detail(proposal) in back.split("被代替")[1]


def test_a_worker_opens_a_standard_in_force_but_not_a_draft(worker, in_force, draft) -> None:
    client = signed_in(worker)
    html = page(client, detail(in_force))
    assert "保洁员应每2 h保洁1次。" in html
    assert "修改" not in html.split('id="main"')[0].split("page-actions")[1]
    assert client.get(detail(draft)).status_code == 404


def test_it_hides_drafts_from_a_worker_on_a_standard_under_revision(
    worker, standards_officer, in_force
) -> None:
    Standard.objects.filter(pk=in_force.pk).update(status="revising")
    version_new_draft(standard=in_force, actor=standards_officer)
    html = page(signed_in(worker), detail(in_force))
    table = html.split('data-testid="standard-versions"')[1].split("</table>")[0]
    assert "第 1 版" in table and "草案" not in table
    officer_html = page(signed_in(standards_officer), detail(in_force))
    table = officer_html.split('data-testid="standard-versions"')[1].split("</table>")[0]
    assert "第 2 版" in table and "草案" in table


def test_the_versions_link_to_the_editor_the_diff_and_the_reading_view(
    worker, standards_officer, in_force
) -> None:
    published = in_force.versions.get()
    Standard.objects.filter(pk=in_force.pk).update(status="revising")
    draft = version_new_draft(standard=in_force, actor=standards_officer)
    html = page(signed_in(standards_officer), detail(in_force))
    assert reverse("standards:editor", args=[draft.pk]) in html
    assert reverse("standards:version_diff", args=[published.pk, draft.pk]) in html
    assert reverse("standards:read", args=[in_force.pk]) in html
    html = page(signed_in(worker), detail(in_force))
    assert reverse("standards:editor", args=[draft.pk]) not in html
    assert reverse("standards:version_diff", args=[published.pk, draft.pk]) not in html


def test_an_outsider_gets_404_and_served_staff_403(outsider, served, in_force, org_b) -> None:
    from tests.conftest import person

    reader = person(org_b, "reader-b", "leader")
    assert signed_in(reader).get(detail(in_force)).status_code == 404
    assert signed_in(outsider).get(detail(in_force)).status_code == 403
    assert signed_in(served).get(detail(in_force)).status_code == 403


def test_an_adopted_standard_without_clauses_points_to_its_pdf(
    standards_officer, org_a, node
) -> None:
    adopted = standard_adopt(
        organization=org_a,
        actor=standards_officer,
        data={
            "number": "GB/T 24421.1—2023",
            "title": "服务业组织标准化工作指南",
            "level": "national",
            "node": node,
        },
        pdf=SimpleUploadedFile("24421.pdf", PDF),
    )
    html = page(signed_in(standards_officer), detail(adopted))
    assert "系统中没有录入这项标准的条款" in html and "24421.pdf" in html
    pdf = Attachment.objects.get()
    download = reverse("common:attachment_download", args=[pdf.pk])
    assert f'<a class="btn btn-primary" href="{download}">' in html
    assert "PDF · 45\N{NO-BREAK SPACE}字节" in html  # the attachments card: kind and size
    assert "采用的外部标准：登记后即为现行标准" in html


def test_the_page_runs_the_same_queries_for_more_versions_and_attachments(
    standards_officer, in_force
) -> None:
    client = signed_in(standards_officer)
    url = detail(in_force)
    queries(client, url)
    few = queries(client, url)
    first = in_force.versions.get()
    for seq in (2, 3, 4):
        later = StandardVersion.objects.create(
            standard=in_force, seq=seq, edited_by=standards_officer
        )
        version_copy(source=first, target=later)
        StandardVersion.objects.filter(pk=later.pk).update(published_at=timezone.now())
    for index in range(4):
        attachment_add(
            obj=in_force,
            upload=SimpleUploadedFile(f"附件{index}.pdf", PDF),
            actor=standards_officer,
        )
    html = page(client, url)
    assert "第 4 版" in html and "附件3.pdf" in html
    assert queries(client, url) == few
    # session, user, the standard (with its node, department and proposer), change log,
    # attachments, versions, its lines, posts and replaced and replacing standards (one),
    # read confirmations, the bell
    assert few <= 9


def test_a_worker_reads_the_page_in_one_query_more(worker, standards_officer, in_force) -> None:
    url = detail(in_force)
    officer, reader = signed_in(standards_officer), signed_in(worker)
    queries(officer, url)
    queries(reader, url)
    # the worker's versions leave out drafts: the panel reads the draft of a revision itself
    assert queries(reader, url) == queries(officer, url) + 1


PROPOSE = reverse("standards:standard_propose")


def propose_data(node: StandardNode, **changes: Any) -> dict[str, Any]:
    return {
        "title": "会议服务规范",
        "node": node.pk,
        "level": "internal",
        "reason": "会前准备缺少统一要求",
        "scope": "会议承接、会场准备、会中服务、会后备场",
        "due_on": "2026-10-31",
        "number": "",
        "lines": ["meetings"],
        **changes,
    }


@pytest.mark.parametrize("role", ["standards_officer", "department_head"])
def test_it_proposes_a_standard(role, request, node, org_a, in_force, department) -> None:
    user = request.getfixturevalue(role)
    post = Post.objects.create(organization=org_a, code="HW", name="会务员")
    client = signed_in(user)
    html = page(client, PROPOSE)
    assert 'value="internal" selected' in html
    response = client.post(
        PROPOSE,
        propose_data(
            node,
            owner_department=department.pk,
            proposer=user.pk,
            posts=[post.pk],
            replaces=[in_force.pk],
        ),
    )
    made = Standard.objects.get(title="会议服务规范")
    assert response.status_code == 302 and response["Location"] == detail(made)
    assert made.status == "proposed" and made.proposer == user and made.due_on == date(2026, 10, 31)
    assert list(made.lines.values_list("line", flat=True)) == ["meetings"]
    assert list(made.posts.all()) == [post] and list(made.replaces.all()) == [in_force]
    entry = ChangeLogEntry.objects.get(object_id=str(made.pk), action="create")
    assert entry.changes["适用条线"] == [None, "会议服务"]
    assert entry.changes["代替标准"] == [None, str(in_force)]


def test_it_shows_a_bad_number_on_its_field_and_keeps_the_input(standards_officer, node) -> None:
    client = signed_in(standards_officer)
    response = client.post(PROPOSE, propose_data(node, number="JGSW FW 3"))
    html = response.content.decode()
    assert response.status_code == 200
    field = html.split('name="number"')[1].split("</div>", 2)
    assert "编号“JGSW FW 3”不符合格式，应形如“JGSW/FW 003—2026”" in "".join(field)
    assert 'value="会议服务规范"' in html and "会前准备缺少统一要求" in html
    assert 'value="meetings" class="form-check-input" id="id_lines_2" checked' in html or (
        'value="meetings"' in html and "checked" in html.split('value="meetings"')[1][:80]
    )
    assert not Standard.objects.exists()


def test_it_refuses_a_number_already_used(standards_officer, node, in_force) -> None:
    response = signed_in(standards_officer).post(
        PROPOSE, propose_data(node, number="JGSW/FW 001-2026")
    )
    assert "标准编号“JGSW/FW 001—2026”已被使用，请换一个。" in response.content.decode()
    assert Standard.objects.count() == 1


def test_it_asks_for_what_is_missing_in_chinese(standards_officer, node) -> None:
    response = signed_in(standards_officer).post(
        PROPOSE, {**propose_data(node, title="", reason=""), "node": ""}
    )
    html = response.content.decode()
    assert "请填写标准名称。" in html and "请填写立项理由。" in html and "请选择体系节点。" in html
    assert "请按提示修改标红的项目后再提交。" in html


def test_it_offers_only_nodes_in_use(standards_officer, org_a, node) -> None:
    retired = branch_node(org_a, "TG-09", "已撤销的节点", StandardNode.objects.get(code="TG"))
    StandardNode.objects.filter(pk=retired.pk).update(retired=True)
    client = signed_in(standards_officer)
    assert "已撤销的节点" not in page(client, PROPOSE)
    response = client.post(PROPOSE, propose_data(retired))
    assert "请选择一个有效的选项" in response.content.decode() or "选择一个有效的选项" in (
        response.content.decode()
    )
    assert not Standard.objects.exists()


def test_it_offers_people_of_the_organization_as_owner(
    standards_officer, worker, system_admin, outsider, node
) -> None:
    html = page(signed_in(standards_officer), PROPOSE)
    options = html.split('name="proposer"')[1].split("</select>")[0]
    assert "赵师傅" in options and "李标准" in options
    assert "吴系统" not in options and "外单位管理员" not in options


def test_the_leader_may_not_propose(leader) -> None:
    assert signed_in(leader).get(PROPOSE).status_code == 403


ADOPT = reverse("standards:standard_adopt")


def adopt_data(node: StandardNode, **changes: Any) -> dict[str, Any]:
    return {
        "number": "GB/T 24421.1-2023",
        "title": "服务业组织标准化工作指南 第1部分：基本要求",
        "level": "national",
        "node": node.pk,
        "issuing_body": "国家市场监督管理总局",
        "published_on": "2023-03-17",
        "effective_on": "2023-10-01",
        "lines": ["general"],
        **changes,
    }


def test_it_registers_an_adopted_standard_with_its_pdf(standards_officer, node) -> None:
    response = signed_in(standards_officer).post(
        ADOPT, {**adopt_data(node), "pdf": SimpleUploadedFile("gbt24421.pdf", PDF)}
    )
    made = Standard.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(made)
    assert made.number == "GB/T 24421.1—2023" and made.status == "in_force"
    assert made.effective_on == date(2023, 10, 1)
    pdf = Attachment.objects.get()
    assert (
        pdf.kind == "pdf" and pdf.object_id == str(made.pk) and pdf.original_name == "gbt24421.pdf"
    )


def test_it_registers_an_adopted_standard_without_a_pdf(standards_officer, node) -> None:
    signed_in(standards_officer).post(
        ADOPT, adopt_data(node, number="DB64/T 1773—2021", level="local")
    )
    assert Standard.objects.get().number == "DB64/T 1773—2021"
    assert not Attachment.objects.exists()


def test_it_accepts_only_a_pdf(standards_officer, node) -> None:
    response = signed_in(standards_officer).post(
        ADOPT, {**adopt_data(node), "pdf": SimpleUploadedFile("scan.pdf", PNG)}
    )
    html = response.content.decode()
    assert "只能上传 PDF 文件，这个文件不是 PDF。" in html
    assert "请重新选择 PDF 文件" in html
    assert not Standard.objects.exists() and not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"number": ""}, "请填写标准编号。"),
        ({"number": "GB/T24421"}, "应形如“GB/T 24421.1—2023”"),
        ({"number": "GB/T 24421.1—2023", "level": "local"}, "应形如“DB64/T 1773—2021”"),
        ({"level": "internal"}, "选择一个有效的选项"),
        ({"effective_on": "2023-01-01"}, "实施日期不能早于发布日期。"),
    ],
)
def test_it_checks_an_adopted_standard(standards_officer, node, changes, message) -> None:
    response = signed_in(standards_officer).post(ADOPT, adopt_data(node, **changes))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Standard.objects.exists()


def test_a_department_head_may_not_register_external_standards(department_head) -> None:
    assert signed_in(department_head).get(ADOPT).status_code == 403


def update_url(standard: Standard) -> str:
    return reverse("standards:standard_update", args=[standard.pk])


def test_it_edits_a_proposal_and_logs_every_change(standards_officer, library, department) -> None:
    proposal = library["proposal"]
    client = signed_in(standards_officer)
    html = page(client, update_url(proposal))
    assert 'value="会议服务规范"' in html and 'name="reason"' in html
    response = client.post(
        update_url(proposal),
        propose_data(
            library["provide"],
            title="会议服务规范（含视频会议）",
            owner_department=department.pk,
            lines=["meetings", "general"],
        ),
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (
        proposal.title == "会议服务规范（含视频会议）" and proposal.owner_department == department
    )
    entry = ChangeLogEntry.objects.filter(object_id=str(proposal.pk), action="update").get()
    assert entry.changes["title"] == ["会议服务规范", "会议服务规范（含视频会议）"]
    assert entry.changes["适用条线"] == ["会议服务", "会议服务、综合管理"]
    html = page(client, detail(proposal))
    shown = (
        '标准名称：<span class="text-secondary">会议服务规范</span> → 会议服务规范（含视频会议）'
    )
    assert shown in html.split("变更记录")[-1]


def test_it_edits_only_classification_of_a_standard_in_force(
    standards_officer, in_force, department
) -> None:
    client = signed_in(standards_officer)
    html = page(client, update_url(in_force))
    assert 'name="number"' not in html and 'name="title"' not in html
    assert 'name="node"' in html and 'name="lines"' in html
    response = client.post(
        update_url(in_force),
        {
            "node": in_force.node_id,
            "owner_department": department.pk,
            "review_years": 3,
            "lines": ["property"],
            "title": "改名",
            "number": "JGSW/FW 099—2026",
        },
    )
    assert response.status_code == 302
    in_force.refresh_from_db()
    assert in_force.title == "公共卫生间保洁规范" and in_force.number == "JGSW/FW 001—2026"
    assert in_force.review_years == 3 and in_force.owner_department == department


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        ("review", "标准正在审查，审查期间不能修改"),
        ("published", "标准已批准发布，等待实施"),
        ("withdrawn", "标准已废止，不能再修改。"),
    ],
)
def test_it_says_why_a_standard_cannot_be_edited(
    standards_officer, library, status, reason
) -> None:
    target = library["proposal"]
    Standard.objects.filter(pk=target.pk).update(status=status)
    client = signed_in(standards_officer)
    html = page(client, update_url(target))
    assert reason in html and "<form" not in html.split('id="main"')[1]
    response = client.post(update_url(target), propose_data(library["provide"], title="改名"))
    assert response.status_code == 200 and reason in response.content.decode()
    target.refresh_from_db()
    assert target.title == "会议服务规范"
    assert (
        "修改</a>" not in page(client, detail(target)).split("page-actions")[1].split("</div>")[0]
    )


def test_a_department_head_may_not_edit(department_head, library) -> None:
    assert signed_in(department_head).get(update_url(library["proposal"])).status_code == 403


def delete_url(standard: Standard) -> str:
    return reverse("standards:standard_delete", args=[standard.pk])


def test_it_deletes_a_proposal_made_by_mistake(standards_officer, library) -> None:
    proposal = library["proposal"]
    response = signed_in(standards_officer).post(delete_url(proposal), follow=True)
    assert "已删除立项“会议服务规范”" in response.content.decode()
    assert not Standard.objects.filter(pk=proposal.pk).exists()
    assert ChangeLogEntry.objects.filter(object_id=str(proposal.pk), action="delete").exists()


def test_it_never_deletes_a_standard_past_its_proposal(standards_officer, draft, in_force) -> None:
    client = signed_in(standards_officer)
    for target in (draft, in_force):
        response = client.post(delete_url(target), follow=True)
        assert "不能删除" in response.content.decode()
        assert Standard.objects.filter(pk=target.pk).exists()
    assert client.get(delete_url(draft)).status_code == 405

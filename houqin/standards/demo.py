"""The demo center's starter library: the GB/T 24421 system tree, the adopted external
standards its services rely on (metadata only) and the internal standards written in
``starter/*.txt``, each taken through the real lifecycle services: most in force, the
meeting service in consultation with comments, the fire-drill standard overdue for review.
Idempotent: an organization that already has standards is left alone."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from houqin.accounts.models import User
from houqin.org.models import Department, Organization, Post
from houqin.standards import lifecycle
from houqin.standards import lifecycle_comments as commenting
from houqin.standards.clauses import tree_load
from houqin.standards.models import Clause, Standard, StandardNode
from houqin.standards.services import (
    plan_create,
    plan_item_add,
    standard_adopt,
    standard_propose,
    system_template_create,
    version_new_draft,
)
from houqin.standards.starter import starter_documents
from houqin.standards.starter.adopted import ADOPTED
from houqin.standards.textformat import Document

# The yearly plan: (action, standard number / title of a standard not yet proposed, start
# (month, day), due (month, day), department code)
PLAN = (
    ("new", "JGSW/TG 001—2026", (1, 5), (3, 31), "CY"),
    ("new", "JGSW/TG 003—2026", (2, 1), (5, 31), "CL"),
    ("new", "JGSW/TG 004—2026", (2, 1), (4, 30), "WY"),
    ("new", "JGSW/BZ 002—2026", (3, 1), (5, 31), "CL"),
    ("new", "JGSW/BZ 003—2026", (3, 1), (6, 30), "WY"),
    ("new", "JGSW/GW 001—2026", (3, 1), (5, 31), "CL"),
    ("new", "JGSW/TG 002—2026", (6, 1), (10, 31), "HY"),
    ("revise", "JGSW/BZ 001—2020", (9, 1), (12, 31), "AB"),
    ("new", "公务接待服务规范", (11, 1), (12, 31), "HY"),
)
PLAN_NEW_NODE = "TG-02"
CONSULTED = ("WY", "CY", "CL", "AB")  # departments asked about the meeting standard
REVIEWERS = "张建国（组长）、李敏、王强、江城市市场监督管理局 刘卫东"
# The meeting standard's consultation: (commenter login, clause number or "", comment,
# disposition or "" (not yet answered), reply)
COMMENTS = (
    (
        "department_head",
        "4.2",
        "会场准备的完成时限建议再提前30 min，便于调试音响。",
        "accepted",
        "采纳，布置和设备调试的完成时限提前30 min。",
    ),
    (
        "leader",
        "",
        "请补充视频会议的保障要求。",
        "partly",
        "部分采纳：视频会议的设备保障纳入6.3，专线由信息中心负责，不在本文件规定。",
    ),
    ("worker", "7.2", "茶水续添间隔能否按会议时长分别规定？", "", ""),
)


def _people(center: Organization) -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(organization=center)}


def _adopt(center: Organization, officer: User, nodes: dict[str, StandardNode]) -> int:
    for entry in ADOPTED:
        year = entry.get("year", "")
        standard_adopt(
            organization=center,
            actor=officer,
            data={
                "number": f"{entry['code']}—{year}" if year else entry["code"],
                "title": entry["title"],
                "level": entry["level"],
                "node": nodes[entry["node"]],
                "effective_on": date.fromisoformat(entry["in_force_on"]),
            },
            lines=list(entry.get("service_lines", ())),
        )
    return len(ADOPTED)


def _propose(
    center: Organization, officer: User, document: Document, nodes: dict[str, StandardNode]
) -> Standard:
    header = document.header
    department = Department.objects.filter(
        organization=center, code=header.owner_department
    ).first()
    posts = list(Post.objects.filter(organization=center, name__in=header.posts))
    standard = standard_propose(
        organization=center,
        actor=officer,
        data={
            "title": header.title,
            "number": header.number,
            "english_title": header.english_title,
            "node": nodes[header.node],
            "owner_department": department,
            "drafting_units": "、".join(header.drafting_units),
            "drafters": "、".join(header.drafters),
            "proposer": officer,
            "reason": f"把{header.title.removesuffix('规范')}的做法写成可检查的标准。",
            "scope": header.title,
            "due_on": header.published_on or timezone.localdate() + timedelta(days=60),
        },
        lines=list(header.service_lines),
        posts=posts,
    )
    lifecycle.proposal_approve(standard=standard, actor=officer)
    version = version_new_draft(standard=standard, actor=officer)
    tree_load(version=version, nodes=document.nodes)
    return standard


def _plan(center: Organization, officer: User, year: int) -> None:
    """The year's plan: the standards written this year, the meeting standard still in
    consultation (slipping), the overdue fire-drill revision and one more to write."""
    plan = plan_create(organization=center, actor=officer, data={"year": year, "title": ""})
    standards = {s.number or s.title: s for s in Standard.objects.filter(organization=center)}
    departments = {d.code: d for d in Department.objects.filter(organization=center)}
    for action, key, starts, due, department in PLAN:
        standard = standards.get(key)
        node = (
            standard.node
            if standard
            else StandardNode.objects.get(organization=center, code=PLAN_NEW_NODE)
        )
        plan_item_add(
            plan=plan,
            actor=officer,
            data={
                "action": action,
                "title": standard.title if standard else key,
                "standard": standard,
                "node": node,
                "owner_department": departments[department],
                "starts_on": date(year, *starts),
                "due_on": date(year, *due),
            },
        )


def _consult(standard: Standard, people: dict[str, User], departments: list[Department]) -> None:
    officer = people["standards_officer"]
    consultation = lifecycle.consultation_open(
        standard=standard,
        actor=officer,
        deadline=timezone.localdate() + timedelta(days=14),
        departments=departments,
        served_units=[],
        people=[people[login] for login in ("leader", "worker") if login in people],
        message="请各科室对会议服务规范征求意见稿提出意见，逾期视为无意见。",
    )
    clauses = {
        c.number: c.uid for c in Clause.objects.filter(version=consultation.version, kind="clause")
    }
    for login, number, text, disposition, reply in COMMENTS:
        if login not in people:
            continue
        comment = commenting.comment_add(
            consultation=consultation,
            actor=people[login],
            text=text,
            clause_uid=clauses.get(number),
        )
        if disposition:
            commenting.comment_answer(
                comment=comment, actor=officer, disposition=disposition, reply=reply
            )


def _publish(standard: Standard, document: Document, people: dict[str, User]) -> None:
    officer, leader = people["standards_officer"], people["leader"]
    header = document.header
    published_on = header.published_on or timezone.localdate()
    lifecycle.review_submit(standard=standard, actor=officer)
    lifecycle.review_record(
        standard=standard,
        actor=officer,
        held_on=published_on - timedelta(days=10),
        reviewers=REVIEWERS,
        conclusion="passed",
        conditions="",
    )
    lifecycle.standard_approve(
        standard=standard,
        actor=leader,
        number=header.number,
        published_on=published_on,
        effective_on=header.effective_on or published_on,
    )


@transaction.atomic
def seed_standards(center: Organization) -> dict[str, int]:
    """Load the starter library into the center (only when it has no standard yet)."""
    if Standard.objects.filter(organization=center).exists():
        return {"standards": 0}
    people = _people(center)
    officer = people["standards_officer"]
    system_template_create(organization=center, actor=officer)
    nodes = {n.code: n for n in StandardNode.objects.filter(organization=center)}
    count = _adopt(center, officer, nodes)
    for _path, document in starter_documents():
        standard = _propose(center, officer, document, nodes)
        status = document.header.status
        if status == "consultation":
            asked = Department.objects.filter(organization=center, code__in=CONSULTED)
            _consult(standard, people, list(asked))
        elif status in ("in_force", "published"):
            _publish(standard, document, people)
        count += 1
    _plan(center, officer, timezone.localdate().year)
    return {"standards": count}

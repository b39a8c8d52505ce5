"""The roles of Houqin: each is a Django group with the permissions listed here.

The three separated administrators (三员分立) are exclusive: a user holds at most
one of them and then no other role.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    code: str
    label: str
    duties: str
    permissions: tuple[str, ...]
    is_admin: bool = False


def model_perms(app_model: str, actions: str = "view") -> tuple[str, ...]:
    """("org.department", "view add") → ("org.view_department", "org.add_department")."""
    app, model = app_model.split(".")
    return tuple(f"{app}.{action}_{model}" for action in actions.split())


ORG_MODELS = ("org.department", "org.team", "org.post", "org.staff", "org.servedunit", "org.vendor")
PLACE_MODELS = ("places.place", "places.equipment")
VIEW_ORG = tuple(p for m in (*ORG_MODELS, "org.contract") for p in model_perms(m))
VIEW_PLACES = tuple(p for m in PLACE_MODELS for p in model_perms(m))
MANAGE_ORG = tuple(
    p for m in (*ORG_MODELS, "org.contract") for p in model_perms(m, "view add change delete")
)
MANAGE_PLACES = tuple(p for m in PLACE_MODELS for p in model_perms(m, "view add change delete"))
VIEW_CHANGELOG = ("common.view_changelogentry",)
READ_STANDARDS = ("standards.view_standard",)
VIEW_STANDARDS = (
    *READ_STANDARDS,
    "standards.view_standardnode",
    "standards.view_standardplan",
)
MANAGE_STANDARDS = (
    *model_perms("standards.standardnode", "view add change"),
    *model_perms("standards.standard", "view add change"),
    *model_perms("standards.standardplan", "view add change delete"),
    "standards.change_standardsettings",
    "standards.manage_standard",
    "standards.draft_standard",
)

CHECKLIST_MODELS = (
    "checklists.checklisttemplate",
    "checklists.schedule",
    "checklists.task",
    "checklists.calendarday",
)
VIEW_CHECKS = (
    *(p for m in CHECKLIST_MODELS for p in model_perms(m)),
    "checklists.view_record",
    "findings.view_finding",
    "findings.view_rectification",
)
MANAGE_CHECKS = (
    *(p for m in CHECKLIST_MODELS for p in model_perms(m, "view add change delete")),
    *model_perms("checklists.record", "view add"),
    *model_perms("findings.finding", "view add change"),
    *model_perms("findings.rectification", "view change"),
    "findings.change_findingpolicy",
)
DO_CHECKS = (
    "checklists.view_task",
    *model_perms("checklists.record", "view add"),
    "findings.add_finding",
    "findings.view_finding",
    *model_perms("findings.rectification", "view change"),
)

APPRAISAL_MODELS = ("appraisal.appraisalscheme", "appraisal.period")
VIEW_APPRAISAL = (
    *(p for m in APPRAISAL_MODELS for p in model_perms(m)),
    "appraisal.view_appeal",
    "appraisal.view_supervisionround",
    "appraisal.view_circular",
    "appraisal.view_selfevaluation",
    "appraisal.view_rewardpenalty",
    "appraisal.approve_rewardpenalty",
    "appraisal.view_deductionterms",
    "appraisal.view_deductionstatement",
    "appraisal.signoff_deductionstatement",
)
RUN_APPRAISAL = (
    *(p for m in APPRAISAL_MODELS for p in model_perms(m, "view add change")),
    *model_perms("appraisal.appeal", "view change"),
    *model_perms("appraisal.supervisionround", "view add change"),
    *model_perms("appraisal.circular", "view add change"),
    *model_perms("appraisal.selfevaluation", "view add change"),
    *model_perms("appraisal.rewardpenalty", "view add"),
    *model_perms("appraisal.deductionterms", "view add change"),
    *model_perms("appraisal.deductionstatement", "view add change"),
)
APPEAL_SCORE = (
    "appraisal.view_period",
    *model_perms("appraisal.appeal", "view add"),
    "appraisal.view_circular",
)
VENDOR_STATEMENTS = ("appraisal.view_deductionstatement", "appraisal.appeal_deductionstatement")

ROLES: tuple[Role, ...] = (
    Role(
        "leader",
        "中心领导",
        "查看全中心的运行情况，审批标准，签发通报；维护中心的组织、人员、服务商与合同。",
        (
            *MANAGE_ORG,
            *MANAGE_PLACES,
            *VIEW_CHANGELOG,
            *VIEW_STANDARDS,
            "standards.approve_standard",
            *VIEW_CHECKS,
            *VIEW_APPRAISAL,
        ),
    ),
    Role(
        "standards_officer",
        "标准化办公室",
        "维护标准体系，组织标准制修订，开展季度督办和半年评比。",
        (*VIEW_ORG, *VIEW_PLACES, *MANAGE_STANDARDS, *MANAGE_CHECKS, *RUN_APPRAISAL),
    ),
    Role(
        "department_head",
        "科室负责人",
        "负责本科室服务条线的标准和检查表，分派并验证整改；维护场所和设备台账。",
        (
            *VIEW_ORG,
            *MANAGE_PLACES,
            *VIEW_STANDARDS,
            "standards.add_standard",
            "standards.draft_standard",
            *MANAGE_CHECKS,
            *APPEAL_SCORE,
        ),
    ),
    Role(
        "worker",
        "一线员工",
        "在手机上完成当天的检查任务：扫码、勾选、拍照、交接班；阅读本岗位的现行标准；查看本人的考核得分并申诉。",
        (*VIEW_PLACES, *READ_STANDARDS, *DO_CHECKS, *APPEAL_SCORE),
    ),
    Role(
        "vendor_manager",
        "外包服务商负责人",
        "查看本公司人员的任务、问题和月度得分；阅读现行标准。",
        (*VIEW_PLACES, *READ_STANDARDS, *DO_CHECKS, *APPEAL_SCORE, *VENDOR_STATEMENTS),
    ),
    Role(
        "vendor_worker",
        "外包服务人员",
        "在手机上完成分派给本人的检查任务；阅读本岗位的现行标准；查看本人的考核得分并申诉。",
        (*VIEW_PLACES, *READ_STANDARDS, *DO_CHECKS, *APPEAL_SCORE),
    ),
    Role("served", "服务对象", "申请用车、预订会议、报修、评价服务。", ()),
    Role(
        "bureau_reader",
        "管理局查阅人员",
        "只读查看所属中心共享的标准和数据。",
        ("org.read_member_centers", *VIEW_ORG, *VIEW_PLACES, *VIEW_STANDARDS, *VIEW_CHECKS),
    ),
    Role(
        "system_admin",
        "系统管理员",
        "管理账号（创建、停用、重置密码）和人员名录（含批量导入）。不能分配角色，不能查看业务数据和审计日志。",
        (
            "accounts.manage_accounts",
            *model_perms("org.staff", "view add change"),
            *model_perms("org.department"),
            *model_perms("org.team"),
            *model_perms("org.post"),
            *model_perms("org.vendor"),
        ),
        is_admin=True,
    ),
    Role(
        "security_admin",
        "安全管理员",
        "分配角色，设置安全策略，解除锁定，维护通知群机器人。不能管理账号，不能查看审计日志。",
        (
            "accounts.assign_roles",
            "accounts.manage_policy",
            *model_perms("common.webhookendpoint", "view add change delete"),
        ),
        is_admin=True,
    ),
    Role(
        "audit_admin",
        "安全审计员",
        "查阅、检索、导出全部安全审计日志和业务变更记录，包括另外两名管理员的操作；不能做其他任何操作。",
        ("accounts.view_audit", *VIEW_CHANGELOG),
        is_admin=True,
    ),
)

ROLE_BY_CODE = {role.code: role for role in ROLES}
ADMIN_ROLES = frozenset(role.code for role in ROLES if role.is_admin)
BUSINESS_ROLES = frozenset(role.code for role in ROLES if not role.is_admin)

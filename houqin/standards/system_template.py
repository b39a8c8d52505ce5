"""The default standard system (标准体系结构图) given to a new organization.

Source: GB/T 24421.2—2009《服务业组织标准化工作指南 第2部分：标准体系》, replaced in 2023
(whether the 2023 edition changed the layout is unverified). Its three subsystems:
服务通用基础标准 (the base of the other two, starting with 标准化导则), 服务保障标准 (supports
delivery; nine groups ending in 合同管理) and 服务提供标准 (the core: 服务规范, 服务提供规范,
服务质量控制规范, 运行管理规范, 服务评价与改进). The other children of 通用基础 and 保障 follow
the 2009 edition as remembered, not checked against a copy. The 岗位工作标准 branch is not part
of that model; it follows the enterprise model of GB/T 15496—2017 (岗位标准) and the seed
report's 驾驶员岗位规范. The 服务提供规范 node is split by the center's service lines, the
操作岗位 node by the center's posts. It is a starting point: every node can be renamed,
moved, retired or added to after creation (``services.system_template_create`` copies it
once).

``TREE`` is a tuple of (code, name, children); codes are hierarchical ("TG", "TG-02",
"TG-02-01")."""

from __future__ import annotations

from collections.abc import Iterator

Entry = tuple[str, str, tuple["Entry", ...]]

TREE: tuple[Entry, ...] = (
    (
        "TY",
        "服务通用基础标准",
        (
            ("TY-01", "标准化导则", ()),
            ("TY-02", "术语与缩略语标准", ()),
            ("TY-03", "符号与标志标准", ()),
            ("TY-04", "数值与数据标准", ()),
            ("TY-05", "量和单位标准", ()),
            ("TY-06", "测量标准", ()),
        ),
    ),
    (
        "BZ",
        "服务保障标准",
        (
            ("BZ-01", "环境标准", ()),
            ("BZ-02", "能源标准", ()),
            ("BZ-03", "安全与应急标准", ()),
            ("BZ-04", "职业健康标准", ()),
            ("BZ-05", "信息标准", ()),
            ("BZ-06", "财务管理标准", ()),
            ("BZ-07", "设施设备及用品标准", ()),
            ("BZ-08", "人力资源标准", ()),
            ("BZ-09", "合同管理标准", ()),
        ),
    ),
    (
        "TG",
        "服务提供标准",
        (
            ("TG-01", "服务规范", ()),
            (
                "TG-02",
                "服务提供规范",
                (
                    ("TG-02-01", "公务用车服务", ()),
                    ("TG-02-02", "餐饮服务", ()),
                    ("TG-02-03", "会议服务", ()),
                    ("TG-02-04", "公务接待服务", ()),
                    ("TG-02-05", "物业服务", ()),
                    ("TG-02-06", "安全保卫服务", ()),
                ),
            ),
            ("TG-03", "服务质量控制规范", ()),
            ("TG-04", "运行管理规范", ()),
            ("TG-05", "服务评价与改进标准", ()),
        ),
    ),
    (
        "GW",
        "岗位工作标准",
        (
            ("GW-01", "管理岗位工作标准", ()),
            (
                "GW-02",
                "操作岗位工作标准",
                (
                    ("GW-02-01", "驾驶员岗位", ()),
                    ("GW-02-02", "厨师岗位", ()),
                    ("GW-02-03", "餐厅服务员岗位", ()),
                    ("GW-02-04", "会议服务员岗位", ()),
                    ("GW-02-05", "保洁员岗位", ()),
                    ("GW-02-06", "电工岗位", ()),
                    ("GW-02-07", "保安员岗位", ()),
                ),
            ),
        ),
    ),
)


def entries(
    tree: tuple[Entry, ...] = TREE, parent: str | None = None
) -> Iterator[tuple[str, str, str | None]]:
    """Every node as (code, name, parent code), parents before children."""
    for code, name, children in tree:
        yield code, name, parent
        yield from entries(children, code)


CODES = frozenset(code for code, _name, _parent in entries())

"""External standards the starter library adopts (metadata only; the center files the PDF).

Every document listed in chapter 2 of a starter standard is here, plus the standards the
center's standardization work itself rests on (DOMAIN.md §1–§4). ``node`` is a code of
``system_template.TREE``; ``service_lines`` are ``org.ServiceLine`` codes. 餐饮服务食品安全操作
规范 and 公安部令第61号 are regulations, not standards, and are not listed.

Dates marked "unverified" come from memory, not from a checked copy: confirm them before
relying on them."""

from __future__ import annotations

from typing import TypedDict


class Adopted(TypedDict):
    code: str
    year: str
    title: str
    level: str
    node: str
    service_lines: tuple[str, ...]
    in_force_on: str


ADOPTED: tuple[Adopted, ...] = (
    {
        "code": "GB/T 1.1",
        "year": "2020",
        "title": "标准化工作导则  第1部分：标准化文件的结构和起草规则",
        "level": "national",
        "node": "TY-01",
        "service_lines": ("general",),
        "in_force_on": "2020-10-01",
    },
    {
        "code": "GB/T 24421.1",
        "year": "2009",
        "title": "服务业组织标准化工作指南 第1部分：基本要求",
        "level": "national",
        "node": "TY-01",
        "service_lines": ("general",),
        "in_force_on": "2009-11-01",
    },
    {
        "code": "GB/T 24421.2",
        "year": "2023",
        "title": "服务业组织标准化工作指南 第2部分：标准体系构建",  # title unverified
        "level": "national",
        "node": "TY-01",
        "service_lines": ("general",),
        "in_force_on": "2023-03-17",
    },
    {
        "code": "GB/T 24421.3",
        "year": "2009",
        "title": "服务业组织标准化工作指南 第3部分：标准编写",
        "level": "national",
        "node": "TY-01",
        "service_lines": ("general",),
        "in_force_on": "2009-11-01",
    },
    {
        "code": "GB/T 24421.4",
        "year": "2023",
        "title": "服务业组织标准化工作指南 第4部分：标准实施及评价",
        "level": "national",
        "node": "TY-01",
        "service_lines": ("general",),
        "in_force_on": "2023-03-17",
    },
    {
        "code": "GB/T 13016",
        "year": "2018",
        "title": "标准体系构建原则和要求",
        "level": "national",
        "node": "TY-01",
        "service_lines": ("general",),
        "in_force_on": "2018-09-01",
    },
    {
        "code": "GB/T 13017",
        "year": "2018",
        "title": "企业标准体系表编制指南",
        "level": "national",
        "node": "TY-01",
        "service_lines": ("general",),
        "in_force_on": "2018-09-01",
    },
    {
        "code": "GB/T 15496",
        "year": "2017",
        "title": "企业标准体系 要求",
        "level": "national",
        "node": "TY-01",
        "service_lines": ("general",),
        "in_force_on": "2018-07-01",  # unverified
    },
    {
        "code": "GB/T 41568",
        "year": "2022",
        "title": "机关事务管理 术语",
        "level": "national",
        "node": "TY-02",
        "service_lines": ("general",),
        "in_force_on": "2022-04-15",
    },
    {
        "code": "DB64/T 1773",
        "year": "2021",
        "title": "机关事务标准体系",
        "level": "local",
        "node": "TY-01",
        "service_lines": ("general",),
        "in_force_on": "2021-12-01",  # unverified
    },
    {
        "code": "GB 31654",
        "year": "2021",
        "title": "食品安全国家标准 餐饮服务通用卫生规范",
        "level": "national",
        "node": "TG-02-02",
        "service_lines": ("canteen",),
        "in_force_on": "2022-02-22",
    },
    {
        "code": "GB 14934",
        "year": "2016",
        "title": "食品安全国家标准 消毒餐（饮）具",
        "level": "national",
        "node": "TG-02-02",
        "service_lines": ("canteen",),
        "in_force_on": "2017-04-19",
    },
    {
        "code": "GB/T 18344",
        "year": "2016",
        "title": "汽车维护、检测、诊断技术规范",
        "level": "national",
        "node": "BZ-07",
        "service_lines": ("vehicles",),
        "in_force_on": "2017-07-01",
    },
    {
        # 特种设备安全技术规范 (a technical regulation, not a GB); filed with the industry codes
        "code": "TSG T5002",
        "year": "2017",
        "title": "电梯维护保养规则",
        "level": "industry",
        "node": "BZ-07",
        "service_lines": ("maintenance",),
        "in_force_on": "2017-08-01",  # unverified
    },
    {
        "code": "GB 25201",
        "year": "2010",
        "title": "建筑消防设施的维护管理",
        "level": "national",
        "node": "BZ-03",
        "service_lines": ("security",),
        "in_force_on": "2011-03-01",  # unverified
    },
    {
        "code": "GB/T 18883",
        "year": "2022",
        "title": "室内空气质量标准",
        "level": "national",
        "node": "BZ-01",
        "service_lines": ("meetings", "property"),
        "in_force_on": "2023-02-01",
    },
)

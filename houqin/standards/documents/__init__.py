"""Every document the standards app produces: a version as a standard in Word (GB/T 1.1
layout, from ``template.docx``), as PDF (WeasyPrint) and as a print page; the system table
(体系表: 结构图, 标准明细表, 标准统计表) in Excel and Word; the 意见处理表 of a
consultation; the yearly plan. ``wordkit`` holds the python-docx helpers and imports no
Django, so ``scripts/make-docx-template`` can use it."""

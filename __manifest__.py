# -*- coding: utf-8 -*-
{
    "name": "After-Sales Service",
    "summary": "Service requests, visits, callbacks, returns and complaints (售后服务控制程序)",
    "version": "11.0.1.0.0",
    "category": "Services/After-Sales",
    "website": "https://github.com/after-sales/after_sales_service",
    "license": "AGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "mail",
        "resource",
        "product",
        "stock",
        "account_invoicing",
    ],
    "data": [
        "security/after_sales_security.xml",
        "security/ir.model.access.csv",
        "security/complaint_security.xml",
        "data/complaint_sequence.xml",
        "views/menus.xml",
        "views/complaint_views.xml",
        "views/complaint_action_views.xml",
        "reports/complaint_reports.xml",
        "reports/complaint_templates.xml",
    ],
    "demo": [
        "demo/after_sales_demo.xml",
        "demo/complaint_demo.xml",
    ],
}

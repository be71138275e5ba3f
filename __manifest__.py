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
        "data/request_data.xml",
        "data/stock_data.xml",
        "views/menus.xml",
        "views/request_views.xml",
        "views/warranty_card_views.xml",
        "views/config_views.xml",
        "views/stock_views.xml",
        "reports/request_reports.xml",
        "security/after_sales_rules.xml",
    ],
    "demo": [
        "demo/after_sales_demo.xml",
    ],
}

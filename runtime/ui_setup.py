"""What the browser journeys need before they start, made through XML-RPC as admin.

One user per role of the main company (lang zh_CN, tz Asia/Shanghai), with the addon's groups
and the stock/account groups their work needs; a technician qualified for every visit purpose;
a customer of ours with an installed water heater (its warranty card) whose warranty has
ended, so that parts and visits are charged. Nothing else is prepared: every step under test
is done in the browser. The demo users and data of other work are not relied on (own logins,
own customer); only the demo products and their stock in the parts store are used.
"""
import datetime
import xmlrpc.client

from dateutil.relativedelta import relativedelta

LANG = "zh_CN"
TZ = "Asia/Shanghai"
A = "after_sales_service."
# role: (login, name, groups)
ROLES = {
    "clerk": ("ui_clerk", "周晓雯", [A + "group_user"]),
    "manager": ("ui_manager", "陈建国", [A + "group_manager"]),
    "gm": ("ui_gm", "刘志强", [A + "group_general_manager"]),
    "technician": ("ui_technician", "赵海涛", [A + "group_technician"]),
    "warehouse": ("ui_warehouse", "孙立新", ["stock.group_stock_user"]),
    "finance": ("ui_finance", "钱慧敏", ["account.group_account_invoice"]),
    "quality": ("ui_quality", "吴振华", [A + "group_quality"]),
}
CUSTOMER = "上海浦江大酒店有限公司"
SERIAL = "EH60-2207-0815"


class Rpc(object):
    def __init__(self, base, db, login="admin", password="admin"):
        self.db, self.password = db, password
        common = xmlrpc.client.ServerProxy(base + "/xmlrpc/2/common")
        self.uid = common.authenticate(db, login, password, {})
        if not self.uid:
            raise RuntimeError("XML-RPC login of %s refused" % login)
        self.models = xmlrpc.client.ServerProxy(base + "/xmlrpc/2/object", allow_none=True)

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(self.db, self.uid, self.password, model, method,
                                      list(args), kwargs)

    def ref(self, xmlid):
        return self("ir.model.data", "xmlid_to_res_id", xmlid, True)

    def zh(self, model, method, *args, **kwargs):
        """A call in the users' language (labels as they see them)."""
        kwargs.setdefault("context", {})["lang"] = LANG
        return self(model, method, *args, **kwargs)

    def labels(self, model, field):
        """{value: label} of a selection field, in zh_CN."""
        info = self.zh(model, "fields_get", [field], attributes=["selection"])
        return dict(info[field]["selection"])


def make_users(rpc):
    company = rpc.ref("base.main_company")
    users = {}
    for role, (login, name, groups) in sorted(ROLES.items()):
        group_ids = [rpc.ref(xmlid) for xmlid in groups + ["base.group_user"]]
        uid = rpc("res.users", "create", {
            "name": name, "login": login, "password": login, "email": login + "@example.com",
            "lang": LANG, "tz": TZ, "company_id": company, "company_ids": [(6, 0, [company])],
            "groups_id": [(6, 0, group_ids)],
        }, context={"no_reset_password": True})
        users[role] = {"id": uid, "login": login, "password": login, "name": name}
    return users


def qualify(rpc, technician_id):
    """The technician holds every qualification (no expiry): any visit purpose may be his."""
    today = datetime.date.today()
    for type_id in rpc("after_sales.qualification.type", "search", []):
        rpc("after_sales.technician.qualification", "create", {
            "user_id": technician_id, "type_id": type_id, "number": "UI-%d" % type_id,
            "date_obtained": str(today - relativedelta(years=2))})


def installed_serial(rpc):
    """A customer with a water heater delivered 30 months ago, its warranty (24 months) over."""
    partner = rpc("res.partner", "create", {
        "name": CUSTOMER, "is_company": True, "customer": True, "phone": "021-6321 8866",
        "mobile": "139 1234 5678", "street": "黄浦区中山东一路 18 号", "city": "上海",
        "lang": LANG, "tz": TZ})
    heater = rpc.ref(A + "product_heater")
    lot = rpc("stock.production.lot", "create", {"name": SERIAL, "product_id": heater})
    delivered = datetime.date.today() - relativedelta(months=30)
    card = rpc("after_sales.warranty.card", "create", {
        "partner_id": partner, "product_id": heater, "lot_id": lot,
        "date_delivered": str(delivered), "date_installed": str(delivered + relativedelta(days=5)),
        "after_sales_warranty_months": 24})
    return {"partner_id": partner, "lot_id": lot, "card_id": card, "product_id": heater}


def portal_user(rpc):
    """Odoo's demo portal user (portal / portal), a contact of a demo customer with a warranty
    card (demo/portal_demo.xml), working in Chinese as the customers of the demo do."""
    uid = rpc.ref("base.demo_user0")
    rpc("res.users", "write", [uid], {"lang": LANG, "tz": TZ})
    user = rpc("res.users", "read", [uid], ["login", "partner_id"])[0]
    partner = rpc("res.partner", "read", [user["partner_id"][0]], ["commercial_partner_id"])[0]
    return {"id": uid, "login": user["login"], "password": user["login"],
            "name": user["partner_id"][1], "partner_id": user["partner_id"][0],
            "commercial_partner_id": partner["commercial_partner_id"][0]}


def display_names(rpc, model, ids):
    return dict(rpc.zh(model, "name_get", ids))


def setup(base, db):
    """Everything the journeys start from; returns what they look for in the pages."""
    rpc = Rpc(base, db)
    data = {"users": make_users(rpc)}
    qualify(rpc, data["users"]["technician"]["id"])
    data.update(installed_serial(rpc))
    data["customer"] = CUSTOMER
    data["serial"] = SERIAL
    parts = {"order_part": rpc.ref(A + "product_thermostat"),
             "visit_part": rpc.ref(A + "product_element")}
    names = display_names(rpc, "product.product", list(parts.values()) + [data["product_id"]])
    data["product"] = names[data["product_id"]]
    for key, pid in parts.items():
        data[key] = {"id": pid, "name": names[pid]}
    data["users"]["portal"] = portal_user(rpc)
    lang = rpc("res.lang", "search_read", [("code", "=", LANG)], ["date_format", "time_format"])[0]
    data["date_format"], data["time_format"] = lang["date_format"], lang["time_format"]
    return rpc, data

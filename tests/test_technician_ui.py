# -*- coding: utf-8 -*-
"""What the technician sees on his phone: the visits My Visits lists (in his time zone) and
in which order, and what still blocks his arrival on site, before he presses the button."""
from datetime import datetime, time, timedelta

import pytz
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tools.safe_eval import safe_eval

from .common import AfterSalesCase

SHANGHAI = pytz.timezone("Asia/Shanghai")


def utc_string(local):
    """The stored (UTC) form of a Shanghai local datetime."""
    return fields.Datetime.to_string(SHANGHAI.localize(local).astimezone(pytz.utc)
                                     .replace(tzinfo=None))


class TechnicianCase(AfterSalesCase):

    @classmethod
    def setUpClass(cls):
        super(TechnicianCase, cls).setUpClass()
        cls.Visit = cls.env["after_sales.visit"]
        cls.user_technician.tz = "Asia/Shanghai"
        cls.part = cls.env["product.product"].create({
            "name": "温控器 TS-2", "type": "product", "standard_price": 60.0})
        store = cls.env.ref("stock.warehouse0").after_sales_parts_location_id
        cls.env["stock.quant"]._update_available_quantity(cls.part, store, 10.0)
        cls.today = datetime.now(SHANGHAI).date()  # the technician's today

    def _visit(self, local=None, state="approved", **vals):
        """A visit of the technician planned at `local` (Shanghai time), brought to `state`
        by its actions (done: as the process records it, by the superuser)."""
        local = local or datetime.combine(self.today + timedelta(days=1), time(9, 0))
        values = {"partner_id": self.customer.id, "purpose": "repair",
                  "date_planned": utc_string(local),
                  "technician_ids": [(6, 0, self.user_technician.ids)]}
        values.update(vals)
        visit = self.Visit.sudo(self.user_as).create(values).sudo()
        if state == "draft":
            return visit
        visit.action_submit()
        if state == "to_approve":
            return visit
        visit.sudo(self.user_gm).action_approve()
        if state in ("in_progress", "done"):
            visit.appointment_confirmed = True
            visit.action_start()
        if state == "done":
            visit.write({"state": "done", "date_arrival": values["date_planned"],
                         "date_departure": values["date_planned"]})
        return visit


class TestMyVisits(TechnicianCase):
    """My Visits as the web client opens it: the action's default filters, evaluated like the
    search view does, the kanban's default order, the technician's time zone (Shanghai)."""

    def _my_visits(self, context=None):
        action = self.env.ref("after_sales_service.visit_action_technician")
        defaults = safe_eval(action.context)
        search = etree.fromstring(self.Visit.fields_view_get(
            action.search_view_id.id, "search")["arch"])
        domain = []
        for name in ("mine", "today_upcoming"):
            self.assertTrue(defaults.get("search_default_" + name))
            node = search.xpath("//filter[@name='%s']" % name)[0]
            domain += safe_eval(node.get("domain"), {"uid": self.user_technician.id})
        kanban = etree.fromstring(self.Visit.fields_view_get(
            action.view_id.id, "kanban")["arch"])
        Visit = self.Visit.sudo(self.user_technician).with_context(**(context or {}))
        return Visit.search(domain, order=kanban.get("default_order"))

    def test_visits_of_the_technicians_day(self):
        yesterday = self._visit(datetime.combine(self.today - timedelta(days=1), time(10, 0)))
        early = self._visit(datetime.combine(self.today, time(1, 0)))  # 17:00 UTC the day before
        tomorrow = self._visit(datetime.combine(self.today + timedelta(days=1), time(9, 0)),
                               state="to_approve")
        on_site = self._visit(datetime.combine(self.today, time(8, 0)), state="in_progress")
        last_week = self._visit(datetime.combine(self.today - timedelta(days=7), time(9, 0)),
                                state="done")
        done_today = self._visit(datetime.combine(self.today, time(0, 0)), state="done")
        done_today.date_departure = fields.Datetime.now()
        self._visit(state="draft")  # not submitted: not planned for him yet
        others = self._visit(technician_ids=[(6, 0, self.user_as.ids)])

        for context in ({}, {"tz": "Asia/Shanghai"}):  # the user's zone, or the web client's
            shown = self._my_visits(context)
            self.assertEqual(set(shown.ids),
                             set((yesterday | early | tomorrow | on_site | done_today).ids))
            self.assertNotIn(last_week, shown)
            self.assertNotIn(others, shown)
            # the overdue visit comes first, in red; the finished one last
            self.assertEqual(shown[0], yesterday)
            self.assertEqual(shown[-1], done_today)
            self.assertTrue(shown[0].is_overdue)
            self.assertFalse(tomorrow.sudo(self.user_technician).is_overdue)
            self.assertFalse(on_site.sudo(self.user_technician).is_overdue)
            # the database's order is the computed rank's
            ranks = shown.mapped("technician_rank")
            self.assertEqual(ranks, sorted(ranks))
            self.assertLess(shown.ids.index(on_site.id), shown.ids.index(tomorrow.id))

    def test_day_starts_at_local_midnight(self):
        Visit = self.Visit.sudo(self.user_technician)
        midnight = utc_string(datetime.combine(self.today, time(0, 0)))
        self.assertEqual(Visit._local_day_start(), midnight)
        self.assertTrue(midnight.endswith("16:00:00"))  # UTC+8
        early = self._visit(datetime.combine(self.today, time(1, 0)))
        late = self._visit(datetime.combine(self.today, time(23, 30)))
        before = self._visit(datetime.combine(self.today - timedelta(days=1), time(23, 30)))
        today = Visit.search([("is_planned_today", "=", True),
                              ("id", "in", (early | late | before).ids)])
        self.assertEqual(today, early | late)
        # overdue once its planned time has passed (01:00 has, unless it is not 01:00 yet)
        overdue = Visit.search([("is_overdue", "=", True), ("id", "in", (early | before).ids)])
        passed = early.date_planned < fields.Datetime.now()
        self.assertEqual(overdue, before | early if passed else before)
        self.assertEqual(Visit.search([("is_overdue", "!=", True),
                                       ("id", "in", (early | before).ids)]),
                         Visit if passed else early)
        self.assertEqual(early.sudo(self.user_technician).is_overdue, passed)
        with self.assertRaises(UserError):
            Visit.search([("is_current", ">", 1)])

    def test_rank_order_of_every_state(self):
        visits = self.Visit.browse()
        for days, state in ((-2, "approved"), (-1, "to_approve"), (0, "in_progress"),
                            (1, "approved"), (2, "to_approve"), (-3, "done")):
            visits |= self._visit(datetime.combine(self.today + timedelta(days=days),
                                                   time(9, 0)), state=state)
        visits[-1].date_departure = fields.Datetime.now()
        Visit = self.Visit.sudo(self.user_technician)
        ordered = Visit.search([("id", "in", visits.ids)], order="technician_rank, date_planned")
        self.assertEqual([(v.technician_rank, v.state) for v in ordered], [
            (0, "approved"), (0, "to_approve"), (1, "in_progress"), (2, "approved"),
            (2, "to_approve"), (3, "done")])
        backwards = Visit.search([("id", "in", visits.ids)],
                                 order="technician_rank desc, date_planned desc")
        self.assertEqual(backwards.ids, list(reversed(ordered.ids)))

    def test_overdue_marked_in_red(self):
        kanban = self.env.ref("after_sales_service.visit_view_kanban_technician").arch
        self.assertIn("record.is_overdue.raw_value ? 'oe_kanban_color_1'", kanban)
        for xmlid in ("visit_view_tree_technician", "visit_view_tree"):
            tree = etree.fromstring(self.env.ref("after_sales_service." + xmlid).arch)
            self.assertEqual(tree.get("decoration-danger"), "is_overdue")


class TestStartBlockers(TechnicianCase):
    """What stops Arrived on Site (action_start) is listed on the technician's screen, by the
    same rule the action applies."""

    def assertRefusedWith(self, visit, reasons):
        """The visit lists exactly `reasons` (as the technician reads it) and the action's
        error is those reasons, under the visit's number."""
        mine = visit.sudo(self.user_technician)
        mine.invalidate_cache()
        self.assertEqual(mine.checklist_missing, "\n".join(reasons))
        self.assertEqual(mine.checklist_summary, "Not ready (%s)" % len(reasons))
        self.assertFalse(mine.can_be_started)
        with self.assertRaises(UserError) as refused:
            mine.action_start()
        self.assertEqual(refused.exception.name,
                         "%s can't start yet:\n%s" % (visit.name, mine.checklist_missing))
        self.assertIn(visit.state, ("to_approve", "approved"))

    def test_each_blocking_condition(self):
        visit = self._visit(state="to_approve", tool_ids=[(0, 0, {"name": "万用表"})],
                            part_ids=[(0, 0, {"product_id": self.part.id, "qty_taken": 1.0})])
        appointment = ("The appointment is not confirmed with the customer: call them, then "
                       "tick \"Appointment Confirmed with the Customer\" (Preparation tab).")
        tools = "Tools not packed yet (tick them in the Preparation tab): 万用表"
        not_issued = ("The parts to take are not issued to the technician yet: the after-sales "
                      "department issues them (Issue Parts).")
        self.assertRefusedWith(visit, [
            "The trip is not approved by the general manager yet.", appointment, tools,
            not_issued])
        visit.sudo(self.user_gm).action_approve()
        self.assertRefusedWith(visit, [appointment, tools, not_issued])
        # the technician ticks what is his (his form sends the fields it shows)
        mine = visit.sudo(self.user_technician)
        mine.write({"appointment_confirmed": True, "partner_id": self.customer.id,
                    "purpose": "repair"})
        mine.tool_ids.write({"checked": True})
        self.assertRefusedWith(visit, [not_issued])
        with self.assertRaises(AccessError):  # issuing parts is the department's
            mine.action_issue_parts()
        clerk = visit.sudo(self.user_as)
        self.assertTrue(clerk.can_be_issued)
        clerk.action_issue_parts()
        issue = visit._parts_issue_picking()
        # issued once: the button goes (a second issue is refused)
        clerk.invalidate_cache()
        self.assertFalse(clerk.can_be_issued)
        with self.assertRaisesRegex(UserError, "already issued"):
            clerk.action_issue_parts()
        self.assertRefusedWith(visit, [
            "The parts transfer %s is not validated by the warehouse yet." % issue.name])
        issue.sudo(self.user_stock).action_assign()
        for move in issue.move_lines:
            move.sudo(self.user_stock).quantity_done = move.product_uom_qty
        issue.sudo(self.user_stock).action_done()
        # clear: nothing listed, the button is offered and works
        mine.invalidate_cache()
        self.assertFalse(mine.checklist_missing)
        self.assertFalse(mine.checklist_summary)
        self.assertTrue(mine.can_be_started)
        mine.action_start()
        self.assertEqual(visit.state, "in_progress")
        self.assertFalse(mine.checklist_missing)

    def test_training_and_technician(self):
        training = self._visit(state="approved", purpose="training", appointment_confirmed=True)
        self.assertRefusedWith(training, ["Training material is not attached."])
        nobody = self._visit(state="draft", technician_ids=[(5, 0, 0)],
                             appointment_confirmed=True)
        nobody.action_submit()
        nobody.sudo(self.user_gm).action_approve()
        self.assertEqual(nobody.sudo(self.user_as).checklist_missing,
                         "No technician is assigned.")
        # a draft visit lists nothing: it is not planned yet
        self.assertFalse(self._visit(state="draft").checklist_missing)

    def test_reasons_in_the_users_language(self):
        self.env["res.lang"].load_lang("zh_CN")
        self.env["ir.translation"].load_module_terms(["after_sales_service"], ["zh_CN"])
        self.user_technician.lang = "zh_CN"
        training = self._visit(state="approved", purpose="training", appointment_confirmed=True)
        mine = training.sudo(self.user_technician)
        self.assertEqual(mine.checklist_missing, "尚未附上培训资料。")
        with self.assertRaisesRegex(UserError, "尚未附上培训资料。"):
            mine.action_start()

    def test_form_offers_arrival_only_when_clear(self):
        form = etree.fromstring(self.env.ref("after_sales_service.visit_view_form").arch)
        button = form.xpath("//header/button[@name='action_start']")[0]
        self.assertEqual(safe_eval(button.get("attrs")),
                         {"invisible": [("can_be_started", "=", False)]})
        alert = form.xpath("//div[field[@name='checklist_missing']]")[0]
        self.assertIn("alert", alert.get("class"))
        self.assertEqual(safe_eval(alert.get("attrs")),
                         {"invisible": [("checklist_missing", "=", False)]})
        for name in ("action_cancel_wizard", "action_issue_parts"):
            self.assertEqual(form.xpath("//header/button[@name='%s']" % name)[0].get("groups"),
                             "after_sales_service.group_user")
        issue = form.xpath("//header/button[@name='action_issue_parts']")[0]
        self.assertEqual(safe_eval(issue.get("attrs")),
                         {"invisible": [("can_be_issued", "=", False)]})

    def test_technician_cannot_cancel(self):
        visit = self._visit(state="approved")
        with self.assertRaises(AccessError):
            visit.sudo(self.user_technician).action_cancel(reason="客户不在")
        self.assertEqual(visit.state, "approved")
        visit.sudo(self.user_as).action_cancel(reason="客户不在")
        self.assertEqual(visit.state, "cancel")

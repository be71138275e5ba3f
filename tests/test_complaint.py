# -*- coding: utf-8 -*-
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import AfterSalesCase

# Friday 1 March 2024, 16:00 UTC: one working hour left that day in the test calendar
# (Monday-Friday 08:00-12:00 and 13:00-17:00, UTC)
FRIDAY_16 = "2024-03-01 16:00:00"


class TestComplaint(AfterSalesCase):
    """Customer complaints (客户投诉): registration, time limits, investigation, actions,
    answer, closure, and the rules of each role."""

    @classmethod
    def setUpClass(cls):
        super(TestComplaint, cls).setUpClass()
        cls.Complaint = cls.env["after_sales.complaint"]
        cls.Action = cls.env["after_sales.complaint.action"]

    def _register(self, user=None, **values):
        vals = {
            "partner_id": self.customer.id,
            "complainant": "陈先生",
            "phone": "021-5555 0199",
            "channel": "hotline",
            "product_id": self.product.id,
            "product_spec": "60 L",
            "batch": "B-2403",
            "content": "The water heater leaks at the inlet.",
        }
        vals.update(values)
        return self.Complaint.sudo(user or self.user_as).create(vals)

    def _hours_ago(self, hours):
        return fields.Datetime.to_string(datetime.utcnow() - timedelta(hours=hours))

    def _investigated(self, **values):
        """A complaint investigated by quality, cause and responsibility recorded."""
        complaint = self._register(complaint_class="quality", **values).sudo(self.user_quality)
        complaint.action_start_investigation()
        complaint.write({"cause": "Inlet gasket mounted twisted.", "responsibility": "department",
                         "responsibility_note": "Assembly line 2"})
        return complaint

    def _answer(self, complaint):
        complaint.write({"answer_method": "letter",
                         "answer_text": "The gasket is replaced free of charge."})
        complaint.action_answer()

    def _add_action(self, complaint, **values):
        vals = {"complaint_id": complaint.id, "description": "Check every gasket of line 2",
                "action_type": "preventive", "term": "permanent",
                "user_id": self.user_quality.id, "date_deadline": "2030-01-31"}
        vals.update(values)
        return self.Action.sudo(self.user_quality).create(vals)

    # registration

    def test_registration_number_and_hours(self):
        complaint = self._register(date_received=self._hours_ago(2))
        self.assertTrue(complaint.name.startswith("TS"), complaint.name)
        self.assertEqual(complaint.state, "draft")
        self.assertEqual(complaint.user_id, self.user_as)
        self.assertAlmostEqual(complaint.registration_hours, 2.0, delta=0.05)
        self.assertFalse(complaint.registered_late)

    def test_registered_late_after_24_hours(self):
        complaint = self._register(date_received=self._hours_ago(30))
        self.assertAlmostEqual(complaint.registration_hours, 30.0, delta=0.05)
        self.assertTrue(complaint.registered_late)
        self.assertEqual(self.Complaint.search([("registered_late", "=", True),
                                                ("id", "=", complaint.id)]), complaint)

    def test_received_after_registration_refused(self):
        with self.assertRaises(ValidationError):
            self._register(date_received=fields.Datetime.to_string(
                datetime.utcnow() + timedelta(hours=5)))

    # time limits, in the working time of the company calendar

    def test_urgent_deadlines(self):
        complaint = self._register(date_received=FRIDAY_16, severity="urgent")
        # 2 working days = 16 working hours: Friday 16-17 (1), Monday (8), Tuesday 8-12 (4)
        # and 13-16 (3)
        self.assertEqual(complaint.close_deadline, "2024-03-05 16:00:00")
        # 48 working hours: Friday (1), the next week (40) to Friday 8 March 17:00, then
        # Monday 11 March 8-12 (4) and 13-16 (3)
        self.assertEqual(complaint.answer_deadline, "2024-03-11 16:00:00")

    def test_normal_close_deadline_follows_severity(self):
        complaint = self._register(date_received=FRIDAY_16, severity="urgent")
        complaint.severity = "normal"
        # 7 working days = 56 working hours: 41 to Friday 8 March 17:00, Monday 11 March (8),
        # Tuesday 12 March 8-12 (4) and 13-16 (3)
        self.assertEqual(complaint.close_deadline, "2024-03-12 16:00:00")

    def test_customer_date_overrides_answer_deadline(self):
        complaint = self._register(date_received=FRIDAY_16,
                                   date_answer_requested="2024-03-04 10:00:00")
        self.assertEqual(complaint.answer_deadline, "2024-03-04 10:00:00")
        complaint.date_answer_requested = False
        self.assertEqual(complaint.answer_deadline, "2024-03-11 16:00:00")

    def test_late_flags_and_search(self):
        old = self._register(date_received=FRIDAY_16, severity="urgent")
        recent = self._register()
        self.assertTrue(old.is_answer_late)
        self.assertTrue(old.is_close_late)
        self.assertFalse(recent.is_answer_late)
        self.assertFalse(recent.is_close_late)
        both = old | recent
        self.assertEqual(self.Complaint.search([("id", "in", both.ids),
                                                ("is_close_late", "=", True)]), old)
        self.assertEqual(self.Complaint.search([("id", "in", both.ids),
                                                ("is_answer_late", "=", False)]), recent)
        # answered in time: no longer late on the answer, still late on the closure
        old = old.sudo(self.user_quality)
        old.action_start_investigation()
        old.write({"answer_method": "phone", "answer_text": "Explained by phone.",
                   "answer_date": "2024-03-04 09:00:00"})
        old.action_answer()
        self.assertEqual(old.answer_date, "2024-03-04 09:00:00")
        self.assertFalse(old.is_answer_late)
        self.assertTrue(old.is_close_late)
        self.assertEqual(self.Complaint.search([("id", "in", both.ids),
                                                ("is_answer_late", "=", True)]),
                         self.Complaint)

    # investigation: quality only

    def test_after_sales_user_cannot_investigate(self):
        complaint = self._register()
        with self.assertRaises((AccessError, UserError)):
            complaint.sudo(self.user_as).action_start_investigation()
        self.assertEqual(complaint.state, "draft")
        self.assertFalse(complaint.sudo(self.user_as).can_be_investigated)
        with self.assertRaises((AccessError, UserError)):
            complaint.sudo(self.user_as).write({"cause": "Guessed cause"})
        self.assertFalse(complaint.cause)

    def test_quality_investigates(self):
        complaint = self._register()
        self.assertTrue(complaint.sudo(self.user_quality).can_be_investigated)
        complaint.sudo(self.user_quality).action_start_investigation()
        self.assertEqual(complaint.state, "investigating")
        self.assertEqual(complaint.investigator_id, self.user_quality)
        with self.assertRaises(UserError):
            complaint.sudo(self.user_quality).action_start_investigation()

    def test_manager_investigates(self):
        complaint = self._register()
        complaint.sudo(self.user_manager).action_start_investigation()
        self.assertEqual(complaint.state, "investigating")

    def test_roles_without_access(self):
        complaint = self._register()
        for user in (self.user_technician, self.user_station, self.user_nobody):
            with self.assertRaises(AccessError):
                complaint.sudo(user).read(["name"])
            with self.assertRaises(AccessError):
                self.Complaint.sudo(user).create({"partner_id": self.customer.id,
                                                  "content": "x"})

    def test_state_only_through_steps(self):
        complaint = self._register()
        with self.assertRaises(UserError):
            complaint.sudo(self.user_manager).write({"state": "closed"})
        self.assertEqual(complaint.state, "draft")

    # actions, answer and closure

    def test_action_owner_gets_activity(self):
        complaint = self._investigated()
        action = self._add_action(complaint, user_id=self.user_manager.id)
        self.assertEqual(action.state, "open")
        activity = action.activity_id
        self.assertEqual(activity.user_id, self.user_manager)
        self.assertEqual(activity.date_deadline, "2030-01-31")
        self.assertEqual((activity.res_model, activity.res_id),
                         ("after_sales.complaint", complaint.id))
        self.assertIn(activity, complaint.activity_ids)
        action.date_deadline = "2030-02-28"
        self.assertEqual(activity.date_deadline, "2030-02-28")
        action.action_done()
        self.assertEqual(action.state, "done")
        self.assertFalse(activity.exists())

    def test_action_overdue(self):
        complaint = self._investigated()
        action = self._add_action(complaint, date_deadline="2024-01-31")
        self.assertEqual(action.state, "overdue")
        self.assertEqual(self.Action.search([("complaint_id", "=", complaint.id),
                                             ("state", "=", "overdue")]), action)
        self.assertFalse(self.Action.search([("complaint_id", "=", complaint.id),
                                             ("state", "in", ("open", "done"))]))

    def test_close_refused_with_open_action_then_closed(self):
        complaint = self._investigated()
        action = self._add_action(complaint)
        self._answer(complaint)
        self.assertEqual(complaint.state, "answered")
        self.assertEqual(complaint.answered_by_id, self.user_quality)
        self.assertTrue(complaint.answer_date)
        self.assertEqual(complaint.open_action_count, 1)
        with self.assertRaises(UserError) as error:
            complaint.action_close()
        self.assertIn("Check every gasket of line 2", error.exception.name)
        self.assertEqual(complaint.state, "answered")
        action.action_done()
        self.assertEqual(complaint.open_action_count, 0)
        complaint.action_close()
        self.assertEqual(complaint.state, "closed")
        self.assertTrue(complaint.date_closed)
        self.assertFalse(complaint.can_be_closed)
        with self.assertRaises(UserError):
            action.sudo(self.user_quality).unlink()

    def test_close_requires_cause_and_answer(self):
        complaint = self._register().sudo(self.user_quality)
        complaint.action_start_investigation()
        self._answer(complaint)
        with self.assertRaises(UserError) as error:
            complaint.action_close()
        self.assertIn(complaint.name, error.exception.name)
        self.assertIn("Cause", error.exception.name)
        self.assertIn("Responsibility", error.exception.name)
        self.assertEqual(complaint.state, "answered")

    def test_answer_requires_method_and_text(self):
        complaint = self._investigated()
        with self.assertRaises(UserError):
            complaint.action_answer()
        self.assertEqual(complaint.state, "investigating")

    def test_close_checks_every_complaint_before_writing(self):
        ready = self._investigated()
        self._answer(ready)
        blocked = self._investigated()
        self._add_action(blocked)
        self._answer(blocked)
        with self.assertRaises(UserError):
            (ready | blocked).action_close()
        self.assertEqual(ready.state, "answered")
        self.assertFalse(ready.date_closed)

    # cancel, archive, no deletion

    def test_cancel_requires_reason(self):
        complaint = self._register()
        with self.assertRaises(UserError):
            complaint.action_cancel()
        self.assertEqual(complaint.state, "draft")
        complaint.cancel_reason = "Registered twice (see the other complaint)."
        complaint.action_cancel()
        self.assertEqual(complaint.state, "cancel")
        self.assertTrue(complaint.can_be_reset)
        complaint.action_reset()
        self.assertEqual(complaint.state, "draft")

    def test_unlink_refused(self):
        complaint = self._register()
        for user in (self.user_as, self.user_manager):
            with self.assertRaises((AccessError, UserError)):
                complaint.sudo(user).unlink()
        with self.assertRaises(UserError):
            complaint.sudo().unlink()
        self.assertTrue(complaint.exists())
        complaint.sudo(self.user_manager).toggle_active()
        self.assertFalse(complaint.active)

    # printed forms

    def test_reports_render(self):
        complaint = self._investigated()
        self._add_action(complaint)
        self._answer(complaint)
        for xmlid, expected in (("complaint_handling_report", "Check every gasket of line 2"),
                                ("complaint_reply_report", "Dear 陈先生,"),
                                ("complaint_reply_report",
                                 "The gasket is replaced free of charge.")):
            report = self.env.ref("after_sales_service." + xmlid)
            html = report.render_qweb_html(complaint.ids)[0]
            html = html.decode("utf-8") if isinstance(html, bytes) else html
            self.assertIn(complaint.name, html, xmlid)
            self.assertIn(expected, html, xmlid)

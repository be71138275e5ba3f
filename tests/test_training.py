# -*- coding: utf-8 -*-
"""Training and qualification: training plans, sessions and their attendees (ours and the
stations' technicians), mentoring, the rule "trained before starting work" on visits, and the
customer training record (客户培训记录表)."""
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import mute_logger

from .common import AfterSalesCase

# a mentoring starts today by default: its end, whenever the suite runs
IN_SIX_MONTHS = fields.Date.to_string(date.today() + relativedelta(months=6))

# a digitized signature as the web widget stores it (a 1x1 PNG)
SIGNATURE = b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


class TestTraining(AfterSalesCase):

    @classmethod
    def setUpClass(cls):
        super(TestTraining, cls).setUpClass()
        cls.station = cls.env["res.partner"].create({
            "name": "苏州吴中授权服务站", "is_company": True, "after_sales_is_station": True})
        cls.user_station.partner_id.parent_id = cls.station
        cls.heaters = cls.env["product.category"].create({
            "name": "热水器", "after_sales_training_required": True})
        cls.gas_heaters = cls.env["product.category"].create({
            "name": "燃气热水器", "parent_id": cls.heaters.id})
        cls.product.categ_id = cls.gas_heaters
        # the purpose qualifications every visit asks for (the demo's), held by both
        cls.technicians = cls.user_technician | cls.user_station
        for qualification in cls.env["after_sales.qualification.type"].search(
                [("categ_ids", "=", False)]):
            for user in cls.technicians:
                cls.env["after_sales.technician.qualification"].create({
                    "user_id": user.id, "type_id": qualification.id,
                    "date_obtained": "2025-01-01", "date_expiry": "2035-12-31"})
        cls.certificate_type = cls.env["after_sales.qualification.type"].create({
            "name": "热水器维修上岗证", "categ_ids": [(6, 0, cls.heaters.ids)]})
        cls.plan = cls.env["after_sales.training.plan"].sudo(cls.user_as).create({
            "title": "2026 年度培训计划", "year": 2026})

    def _session(self, user=None, **vals):
        values = {"plan_id": self.plan.id, "topic": "热水器安装与维修", "topic_kind": "category",
                  "categ_id": self.heaters.id, "trainer_id": self.user_manager.id,
                  "date": "2026-10-15"}
        values.update(vals)
        return self.env["after_sales.training.session"].sudo(user or self.user_as).create(values)

    def _held(self, results, **vals):
        """A held session: {user: result}."""
        session = self._session(attendee_ids=[(0, 0, {"user_id": user.id, "result": result})
                                              for user, result in results.items()], **vals)
        session.action_done()
        return session

    def _visit_vals(self, technician, **vals):
        """What the web client sends for a new visit: every field, False for empty."""
        values = {
            "partner_id": self.customer.id, "purpose": "repair", "request_id": False,
            "contract_id": False, "site_address": False, "distance_km": 0.0, "duration": 2.0,
            "date_planned": "2026-11-20 09:00:00", "appointment_confirmed": False,
            "product_ids": [(6, 0, self.product.ids)],
            "technician_ids": [(6, 0, technician.ids)], "training_material_ids": [(6, 0, [])],
            "tool_ids": [], "part_ids": [], "training_content": False,
            "training_attendees": False,
        }
        values.update(vals)
        return values

    # ------------------------------------------------------------------ trained before work

    def test_untrained_technician_refused_naming_what_is_missing(self):
        with self.assertRaises(ValidationError) as refused:
            self.env["after_sales.visit"].sudo(self.user_as).create(
                self._visit_vals(self.user_technician))
        message = refused.exception.name
        self.assertIn(self.user_technician.name, message)
        self.assertIn("热水器 / 燃气热水器", message)
        self.assertIn("no training for it was passed and no certificate for it is held",
                      message)

    def test_expired_certificate_named(self):
        self.env["after_sales.technician.qualification"].create({
            "user_id": self.user_technician.id, "type_id": self.certificate_type.id,
            "date_obtained": "2024-01-01", "date_expiry": "2026-06-30"})
        with self.assertRaises(ValidationError) as refused:
            self.env["after_sales.visit"].sudo(self.user_as).create(
                self._visit_vals(self.user_technician))
        self.assertIn("the certificate 热水器维修上岗证 (2026-06-30) has expired",
                      refused.exception.name)

    def test_valid_certificate_or_passed_training_of_a_parent_category(self):
        self.env["after_sales.technician.qualification"].create({
            "user_id": self.user_technician.id, "type_id": self.certificate_type.id,
            "date_obtained": "2024-01-01", "date_expiry": "2027-12-31"})
        visit = self.env["after_sales.visit"].sudo(self.user_as).create(
            self._visit_vals(self.user_technician))
        self.assertEqual(visit.technician_ids, self.user_technician)
        # the station's technician: trained on the parent category before the visit
        self._held({self.user_station: "passed"})
        visit.sudo(self.user_as).write({"technician_ids": [(4, self.user_station.id)]})
        self.assertEqual(visit.technician_ids, self.technicians)

    def test_failed_planned_or_later_training_does_not_count(self):
        self._held({self.user_technician: "failed"})
        self._session(attendee_ids=[(0, 0, {"user_id": self.user_technician.id,
                                            "result": "passed"})])  # not held yet
        self._held({self.user_technician: "passed"}, date="2026-12-01")  # after the visit
        self._held({self.user_technician: "passed"}, topic_kind="skill", categ_id=False,
                   skill="服务礼仪")
        Visit = self.env["after_sales.visit"].sudo(self.user_as)
        with self.assertRaises(ValidationError):
            Visit.create(self._visit_vals(self.user_technician))
        # the same held training, before the planned day: assigned
        visit = Visit.create(self._visit_vals(self.user_technician,
                                              date_planned="2026-12-02 09:00:00"))
        self.assertTrue(visit)

    def test_one_refusal_for_a_set_and_on_submission(self):
        """Every technician of every visit is named at once; submission checks again (the
        training record may have changed since the assignment)."""
        other = self.product.copy({"name": "燃气热水器 GH-20"})
        Visit = self.env["after_sales.visit"]
        visits = Visit.create(self._visit_vals(self.env["res.users"])) \
            | Visit.create(self._visit_vals(self.env["res.users"],
                                            product_ids=[(6, 0, other.ids)]))
        with self.assertRaises(ValidationError) as refused:
            visits.sudo(self.user_as).write({"technician_ids": [(6, 0, self.technicians.ids)]})
        message = refused.exception.name
        for visit in visits:
            for user in self.technicians:
                self.assertIn("%s can't be assigned to %s" % (user.name, visit.name), message)
        session = self._held({self.user_technician: "passed"})
        visit = Visit.sudo(self.user_as).create(self._visit_vals(self.user_technician))
        # a training recorded by mistake: struck out by the superuser, the visit can't go
        session.attendee_ids.sudo().result = "failed"
        with self.assertRaises(ValidationError):
            visit.action_submit()
        self.assertEqual(visit.state, "draft")

    def test_categories_without_training_rule_unchanged(self):
        self.heaters.after_sales_training_required = False
        visit = self.env["after_sales.visit"].sudo(self.user_as).create(
            self._visit_vals(self.user_technician))
        self.assertTrue(visit)

    # ------------------------------------------------------------------ sessions and roles

    def test_session_held_by_the_department_only(self):
        session = self._session(attendee_ids=[
            (0, 0, {"user_id": self.user_technician.id}),
            (0, 0, {"user_id": self.user_station.id})])
        self.assertEqual(session.plan_id.session_count, 1)
        self.assertEqual(session.attendee_ids.filtered("is_station").user_id, self.user_station)
        self.assertEqual(session.attendee_ids.filtered("is_station").station_id, self.station)
        with self.assertRaises(UserError) as refused:
            session.action_done()
        self.assertIn(self.user_technician.name, refused.exception.name)
        session.attendee_ids.sudo(self.user_as).write({"result": "passed"})
        for user in (self.user_technician, self.user_station):
            with self.assertRaises(AccessError):
                session.sudo(user).action_done()
            with self.assertRaises(AccessError):
                session.sudo(user).write({"topic": "x"})
        with self.assertRaises(AccessError):
            session.sudo(self.user_as).write({"state": "done"})  # only through the action
        session.sudo(self.user_as).action_done()
        self.assertEqual((session.state, session.nbr_attendees, session.nbr_passed),
                         ("done", 2, 2))
        # held: the results are kept as recorded
        with self.assertRaises(AccessError):
            session.attendee_ids[:1].sudo(self.user_as).write({"result": "failed"})
        with self.assertRaises(UserError):
            session.sudo(self.user_as).unlink()

    def test_who_sees_which_training(self):
        mine = self._session(attendee_ids=[(0, 0, {"user_id": self.user_station.id})])
        other = self._session(attendee_ids=[(0, 0, {"user_id": self.user_technician.id})])
        Session = self.env["after_sales.training.session"]
        Attendee = self.env["after_sales.training.attendee"]
        self.assertEqual(Session.sudo(self.user_station).search([("id", "in", (mine | other).ids)]),
                         mine)
        self.assertEqual(Attendee.sudo(self.user_station).search([]).mapped("user_id"),
                         self.user_station)
        self.assertEqual(Attendee.sudo(self.user_technician).search([]).mapped("user_id"),
                         self.user_technician)
        self.assertEqual(len(Session.sudo(self.user_technician).search(
            [("id", "in", (mine | other).ids)])), 2)
        with self.assertRaises(AccessError):
            Session.sudo(self.user_technician).create({"topic": "x", "skill": "x",
                                                       "topic_kind": "skill"})
        with self.assertRaises(AccessError):
            self.env["after_sales.training.plan"].sudo(self.user_station).create(
                {"title": "x", "year": 2026})

    def test_second_company_sees_nothing(self):
        self._create_second_company()
        session = self._held({self.user_technician: "passed"})
        mentoring = self.env["after_sales.mentoring"].sudo(self.user_as).create({
            "mentor_id": self.user_manager.id, "mentee_id": self.user_technician.id,
            "date_end": IN_SIX_MONTHS, "goal": "独立维修"})
        for user in (self.b_as_user, self.b_manager, self.b_technician, self.b_station,
                     self.b_gm):
            for record in (self.plan, session, session.attendee_ids, mentoring):
                Model = self.env[record._name].sudo(user)
                if not Model.check_access_rights("read", False):
                    continue
                self.assertFalse(Model.search(
                    [("id", "in", record.ids)]), "%s sees %s" % (user.login, record._name))

    def test_plan_and_mentoring_through_their_actions(self):
        plan = self.plan.sudo(self.user_as)
        with self.assertRaises(AccessError):
            plan.write({"state": "done"})
        plan.action_confirm()
        session = self._session(attendee_ids=[(0, 0, {"user_id": self.user_technician.id})])
        with self.assertRaises(UserError):
            plan.action_done()  # a session still planned
        session.action_cancel()
        plan.action_done()
        self.assertEqual(plan.state, "done")
        with self.assertRaises(ValidationError):
            self.env["after_sales.training.plan"].create({"title": "x", "year": 20})

        Mentoring = self.env["after_sales.mentoring"]
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            Mentoring.create({"mentor_id": self.user_technician.id,
                              "mentee_id": self.user_technician.id,
                              "date_end": IN_SIX_MONTHS, "goal": "x"})
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            Mentoring.create({"mentor_id": self.user_manager.id,
                              "mentee_id": self.user_technician.id, "date_start": "2026-12-01",
                              "date_end": "2026-11-01", "goal": "x"})
        pair = Mentoring.sudo(self.user_as).create({
            "mentor_id": self.user_manager.id, "mentee_id": self.user_technician.id,
            "date_start": "2026-09-01", "date_end": "2026-11-30", "goal": "独立完成安装"})
        with self.assertRaises(UserError):
            pair.action_done()  # no result yet
        with self.assertRaises(AccessError):
            pair.write({"outcome": "achieved"})
        self.assertEqual(Mentoring.sudo(self.user_technician).search([]), pair)
        with self.assertRaises(AccessError):
            pair.sudo(self.user_technician).action_done()
        pair.write({"result": "已能独立安装"})
        pair.action_done_partly()
        self.assertEqual((pair.state, pair.outcome), ("done", "partly"))
        with self.assertRaises(UserError):
            pair.unlink()

    # ------------------------------------------------------------------ customer training record

    def test_customer_training_record_pdf_signed_by_the_customer(self):
        self._held({self.user_technician: "passed"})
        visit = self.env["after_sales.visit"].create(self._visit_vals(
            self.user_technician, purpose="training", date_planned="2026-11-20 01:00:00"))
        visit.write({
            "state": "in_progress", "date_arrival": "2026-11-20 01:10:00",
            "date_departure": "2026-11-20 04:00:00"})
        # the technician records the training on site, the customer signs it
        visit.sudo(self.user_technician).write({
            "training_content": "燃气热水器的日常使用、清洁与安全检查",
            "training_attendees": "张伟\n李娜", "customer_signer": "张伟",
            "customer_signature": SIGNATURE})
        _pdf, text = self.render_pdf("after_sales_service.visit_training_report", visit)
        for expected in ("Customer Training Record", visit.name, "日常使用", "李娜", "张伟",
                         self.user_technician.name, "2026-11-20", "Customer's Signature"):
            self.assertIn(expected, text)
        # the technician can't rewrite it once he is no longer on site
        visit.write({"state": "done"})
        with mute_logger("odoo.models"), self.assertRaises(AccessError):
            visit.sudo(self.user_technician).write({"training_content": "x"})

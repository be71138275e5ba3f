# -*- coding: utf-8 -*-
"""Station inspections, station assessments and staff assessments (考核): the figures the
system fills on a known data set (one figures mixin for both), the manager's approval
through the document mixin's one mechanism, who may do what, and the printed form."""
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import AfterSalesCase

PERIOD = {"date_from": "2026-10-01", "date_to": "2026-10-31"}


class TestAssessment(AfterSalesCase):

    @classmethod
    def setUpClass(cls):
        super(TestAssessment, cls).setUpClass()
        cls.station = cls.env["res.partner"].create({
            "name": "苏州吴中授权服务站", "is_company": True, "after_sales_is_station": True})
        cls.user_station.partner_id.parent_id = cls.station
        cls.other_station = cls.env["res.partner"].create({
            "name": "无锡授权服务站", "is_company": True, "after_sales_is_station": True})
        cls.technician_2 = cls._create_user("as_technician_2",
                                            ["after_sales_service.group_technician"])
        for qualification in cls.env["after_sales.qualification.type"].search([]):
            for user in cls.user_technician | cls.technician_2:
                cls.env["after_sales.technician.qualification"].create({
                    "user_id": user.id, "type_id": qualification.id,
                    "date_obtained": "2025-01-01", "date_expiry": "2035-12-31"})
        Request = cls.env["after_sales.request"]
        cls.r1 = Request.create({"partner_id": cls.customer.id, "description": "不加热"})
        cls.r2 = Request.create({"partner_id": cls.customer.id, "description": "漏水"})
        (cls.r1 | cls.r2).write({"station_id": cls.station.id})
        tech, both = cls.user_technician, cls.user_technician | cls.technician_2
        # (request, purpose, technicians, planned, arrival, departure, state, verified)
        cls.visits = [cls._visit(*row) for row in (
            # Monday, on time, record verified the next day
            (cls.r1, "repair", tech, "2026-10-05 09:00", "09:20", "11:00", "verified",
             "2026-10-06 09:00"),
            # Friday, an hour late, verified on Monday (the next working day)
            (cls.r2, "repair", tech, "2026-10-09 09:00", "10:00", "12:00", "verified",
             "2026-10-12 08:00"),
            # the second visit of r2 (so r2 was not fixed the first time), not verified
            (cls.r2, "repair", tech, "2026-10-14 09:00", "09:00", "10:00", "done", None),
            # an installation of both technicians, without a request, verified two days late
            (None, "installation", both, "2026-10-20 09:00", "09:05", "15:00", "verified",
             "2026-10-23 09:00"),
            # outside the period, and cancelled
            (None, "repair", tech, "2026-11-02 09:00", "09:00", "10:00", "done", None),
            (cls.r1, "repair", tech, "2026-10-21 09:00", False, False, "cancel", None),
        )]
        Callback = cls.env["after_sales.callback"]
        satisfaction = cls.env.ref("after_sales_service.callback_type_satisfaction")
        cls.callbacks = Callback.browse()
        for done, satisfied, state, request in (("2026-10-10 10:00:00", True, "done", cls.r1),
                                                ("2026-10-15 10:00:00", False, "done", cls.r1),
                                                ("2026-11-05 10:00:00", True, "done", cls.r1),
                                                (False, False, "todo", cls.r1)):
            callback = Callback.create({
                "type_id": satisfaction.id, "partner_id": cls.customer.id,
                "request_id": request.id, "date_due": "2026-10-08 09:00:00",
                "user_id": tech.id, "technician_ids": [(6, 0, tech.ids)]})
            callback.write({"state": state, "date_done": done})
            cls.env.cr.execute("UPDATE after_sales_callback SET answered = %s, satisfied = %s "
                               "WHERE id = %s", (state == "done", satisfied, callback.id))
            cls.callbacks |= callback
        Complaint = cls.env["after_sales.complaint"]
        cls.complaints = Complaint.browse()
        for received, request, cancelled in (("2026-10-07 10:00:00", cls.r1, False),
                                             ("2026-10-08 10:00:00", cls.r2, True),
                                             ("2026-10-09 10:00:00", None, False),
                                             ("2026-11-03 10:00:00", cls.r1, False)):
            complaint = Complaint.create({
                "partner_id": cls.customer.id, "complainant": "陈先生", "channel": "hotline",
                "content": "维修后仍漏水", "date_received": received,
                "request_id": request and request.id})
            if cancelled:
                complaint.write({"state": "cancel"})
            cls.complaints |= complaint
        Inspection = cls.env["after_sales.station.inspection"]
        cls.inspections = Inspection.browse()
        for date, results, done in (("2026-10-12", ["ok", "ok"], True),
                                    ("2026-10-26", ["ok", "not_ok"], True),
                                    ("2026-10-28", ["not_ok", "not_ok"], False),
                                    ("2026-11-05", ["not_ok", "not_ok"], True)):
            inspection = Inspection.sudo(cls.user_as).create({
                "station_id": cls.station.id, "date": date,
                "line_ids": [(0, 0, {"name": "检查项 %s" % i, "result": result,
                                     "finding": result == "not_ok" and "配件账目不清" or False})
                             for i, result in enumerate(results)]})
            if done:
                inspection.action_done()
            cls.inspections |= inspection

    @classmethod
    def _visit(cls, request, purpose, technicians, planned, arrival, departure, state,
               verified):
        day = planned[:10]
        visit = cls.env["after_sales.visit"].create({
            "request_id": request and request.id, "partner_id": cls.customer.id,
            "purpose": purpose, "date_planned": planned + ":00",
            "technician_ids": [(6, 0, technicians.ids)]})
        visit.write({"state": state,
                     "date_arrival": arrival and "%s %s:00" % (day, arrival),
                     "date_departure": departure and "%s %s:00" % (day, departure),
                     "date_verified": verified and verified + ":00"})
        return visit

    def _assessment(self, user=None, technician=None, **vals):
        values = dict(PERIOD, user_id=(technician or self.user_technician).id)
        values.update(vals)
        return self.env["after_sales.staff.assessment"].sudo(user or self.user_as).create(values)

    def _figures(self, record):
        return {name: record[name] for name in (
            "nbr_visits", "nbr_on_time", "on_time_rate", "nbr_answered", "nbr_satisfied",
            "satisfaction_rate", "nbr_complaints", "nbr_repairs", "nbr_first_time_fixes",
            "first_time_fix_rate", "nbr_callbacks_handled", "nbr_records_on_time",
            "records_on_time_rate")}

    # ------------------------------------------------------------------ figures

    def test_staff_figures_on_a_known_data_set(self):
        first, second = self._assessment(), self._assessment(technician=self.technician_2)
        self.assertEqual(self._figures(first), {
            "nbr_visits": 4, "nbr_on_time": 3, "on_time_rate": 75.0,
            "nbr_answered": 2, "nbr_satisfied": 1, "satisfaction_rate": 50.0,
            "nbr_complaints": 1, "nbr_repairs": 3, "nbr_first_time_fixes": 1,
            "first_time_fix_rate": 33.3, "nbr_callbacks_handled": 2,
            "nbr_records_on_time": 2, "records_on_time_rate": 50.0})
        self.assertEqual(self._figures(second), {
            "nbr_visits": 1, "nbr_on_time": 1, "on_time_rate": 100.0,
            "nbr_answered": 0, "nbr_satisfied": 0, "satisfaction_rate": 0.0,
            "nbr_complaints": 0, "nbr_repairs": 0, "nbr_first_time_fixes": 0,
            "first_time_fix_rate": 0.0, "nbr_callbacks_handled": 0,
            "nbr_records_on_time": 0, "records_on_time_rate": 0.0})
        self.assertTrue(first.date_figures)

    def test_figures_in_the_company_time_zone(self):
        """The visit of 2026-11-02 09:00 UTC is on 2026-11-02 in Shanghai too, but one
        departing 2026-10-31 20:00 UTC is on 1 November there."""
        self._visit(self.r1, "repair", self.user_technician, "2026-10-31 18:00", "18:00",
                    "20:00", "done", None)
        self.assertEqual(self._assessment().nbr_visits, 5)
        self.company.partner_id.tz = "Asia/Shanghai"
        self.assertEqual(self._assessment().nbr_visits, 4)

    def test_figures_set_based(self):
        """One query per kind of document whatever the number of assessments."""
        one = self._assessment()
        many = one | self._assessment(technician=self.technician_2) \
            | self._assessment(date_from="2026-11-01", date_to="2026-11-30")
        many.action_refresh_figures()  # the caches of the users' groups
        counts = []
        for records in (one, many):
            before = self.env.cr.sql_log_count
            records.action_refresh_figures()
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])
        self.assertEqual(many[2].nbr_visits, 1)

    def test_station_figures_and_inspections(self):
        assessment = self.env["after_sales.station.assessment"].sudo(self.user_manager).create(
            dict(PERIOD, station_id=self.station.id))
        figures = self._figures(assessment)
        self.assertEqual(figures, {
            "nbr_visits": 3, "nbr_on_time": 2, "on_time_rate": 66.7,
            "nbr_answered": 2, "nbr_satisfied": 1, "satisfaction_rate": 50.0,
            "nbr_complaints": 1, "nbr_repairs": 3, "nbr_first_time_fixes": 1,
            "first_time_fix_rate": 33.3, "nbr_callbacks_handled": 0,
            "nbr_records_on_time": 2, "records_on_time_rate": 66.7})
        self.assertEqual(self.inspections.mapped("score"), [100.0, 50.0, 0.0, 0.0])
        self.assertEqual((assessment.nbr_inspections, assessment.inspection_score), (2, 75.0))
        empty = self.env["after_sales.station.assessment"].sudo(self.user_manager).create(
            dict(PERIOD, station_id=self.other_station.id))
        self.assertEqual((empty.nbr_visits, empty.nbr_inspections), (0, 0))
        # graded by the manager only
        with self.assertRaises(UserError):
            assessment.action_done()  # no grade
        assessment.write({"grade": "b", "actions": "收费标准上墙，配件账目每月核对"})
        with self.assertRaises(AccessError):
            assessment.sudo(self.user_as).action_done()
        with self.assertRaises(AccessError):
            assessment.write({"state": "done"})
        with self.assertRaises(AccessError):
            assessment.write({"inspection_score": 99.0})
        assessment.action_done()
        self.assertEqual((assessment.state, assessment.assessed_by_id),
                         ("done", self.user_manager))
        with self.assertRaises(AccessError):
            assessment.write({"grade": "a"})
        # the station sees its own, once done; not the other's, nor drafts
        Assessment = self.env["after_sales.station.assessment"].sudo(self.user_station)
        self.assertEqual(Assessment.search([]), assessment)
        self.assertEqual(self.env["after_sales.station.inspection"].sudo(
            self.user_station).search([]), self.inspections.filtered(lambda i: i.state == "done"))
        with self.assertRaises(AccessError):
            assessment.sudo(self.user_station).write({"actions": "x"})

    def test_inspection_checklist(self):
        Inspection = self.env["after_sales.station.inspection"].sudo(self.user_as)
        defaults = Inspection.default_get(["line_ids"])
        self.assertEqual(len(defaults["line_ids"]), 6)
        inspection = Inspection.create({"station_id": self.station.id, "line_ids": [
            (0, 0, {"name": "配件库存", "result": "not_ok"})]})
        with self.assertRaises(UserError) as refused:
            inspection.action_done()
        self.assertIn("配件库存", refused.exception.name)
        with self.assertRaises(AccessError):
            inspection.write({"score": 100.0})
        with self.assertRaises(AccessError):
            inspection.sudo(self.user_station).action_done()
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            Inspection.create({"station_id": self.customer.id})

    # ------------------------------------------------------------------ approval and roles

    def test_staff_assessment_approved_by_the_manager(self):
        assessment = self._assessment()
        with self.assertRaises(UserError):
            assessment.action_submit()  # no comments yet
        assessment.write({"score_performance": 90, "score_skill": 80, "score_attitude": 85,
                          "comment": "到达及时，一次修复率需提高", "sanction": "reward",
                          "sanction_amount": 500.0, "sanction_note": "季度服务之星奖金"})
        self.assertEqual(assessment.score_total, 85.0)
        with self.assertRaises(UserError), self.env.cr.savepoint():
            assessment.write({"score_skill": 120})
        for field, value in (("state", "approved"), ("nbr_visits", 40),
                             ("approved_by_id", self.user_manager.id),
                             ("satisfaction_rate", 100.0)):
            for user in (self.user_as, self.user_manager):
                with self.assertRaises(AccessError):
                    assessment.sudo(user).write({field: value})
        with self.assertRaises(AccessError):
            assessment.sudo(self.user_technician).action_submit()
        assessment.action_submit()
        self.assertEqual(assessment.state, "to_approve")
        with self.assertRaises(AccessError):
            assessment.write({"score_skill": 100})  # frozen once submitted
        for user in (self.user_as, self.user_technician, self.user_station):
            with self.assertRaises(AccessError):
                assessment.sudo(user).action_approve()
        approver = assessment.activity_ids.user_id
        self.assertEqual(len(approver), 1)
        self.assertTrue(approver.has_group("after_sales_service.group_manager"))
        assessment.sudo(self.user_manager).action_reject(reason="奖金标准不符")
        self.assertEqual((assessment.state, assessment.reject_reason),
                         ("rejected", "奖金标准不符"))
        assessment.action_reset()
        assessment.write({"sanction_amount": 300.0})
        assessment.action_submit()
        assessment.sudo(self.user_manager).action_approve()
        self.assertEqual((assessment.state, assessment.approved_by_id),
                         ("approved", self.user_manager))
        self.assertTrue(assessment.date_approved)
        self.assertFalse(assessment.activity_ids)
        with self.assertRaises(UserError):
            assessment.action_refresh_figures()
        with self.assertRaises(UserError):
            assessment.unlink()

    def test_technician_sees_his_own_assessments(self):
        mine = self._assessment()
        other = self._assessment(technician=self.technician_2)
        Assessment = self.env["after_sales.staff.assessment"]
        self.assertEqual(Assessment.sudo(self.user_technician).search([]), mine)
        self.assertEqual(Assessment.sudo(self.user_manager).search(
            [("id", "in", (mine | other).ids)]), mine | other)
        self.assertFalse(Assessment.sudo(self.user_station).check_access_rights(
            "read", False))
        with self.assertRaises(AccessError):
            mine.sudo(self.user_technician).write({"comment": "很好"})
        with self.assertRaises(AccessError):
            Assessment.sudo(self.user_technician).create(dict(
                PERIOD, user_id=self.user_technician.id))

    def test_second_company_sees_nothing(self):
        self._create_second_company()
        staff = self._assessment()
        station = self.env["after_sales.station.assessment"].create(
            dict(PERIOD, station_id=self.station.id))
        records = [staff, station, self.inspections, self.inspections.mapped("line_ids")]
        for user in (self.b_as_user, self.b_manager, self.b_technician, self.b_station,
                     self.b_gm):
            for record in records:
                Model = self.env[record._name].sudo(user)
                if not Model.check_access_rights("read", False):
                    continue
                self.assertFalse(Model.search(
                    [("id", "in", record.ids)]), "%s sees %s" % (user.login, record._name))
        # nor are the first company's documents counted in a second company's assessment
        other = self.env["after_sales.staff.assessment"].sudo(self.b_manager).create(
            dict(PERIOD, user_id=self.user_technician.id))
        self.assertEqual(other.nbr_visits, 0)

    def test_period_checked(self):
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self._assessment(date_from="2026-10-31", date_to="2026-10-01")

    def test_assessment_form_pdf(self):
        assessment = self._assessment()
        assessment.write({"score_performance": 90, "score_skill": 80, "score_attitude": 85,
                          "comment": "到达及时，一次修复率需提高"})
        assessment.action_submit()
        assessment.sudo(self.user_manager).action_approve()
        _pdf, text = self.render_pdf("after_sales_service.staff_assessment_report", assessment)
        for expected in ("Staff Assessment Form", assessment.name, self.user_technician.name,
                         "75.0", "33.3", "85.0", "一次修复率需提高", self.user_manager.name):
            self.assertIn(expected, text)

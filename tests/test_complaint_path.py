# -*- coding: utf-8 -*-
"""Complaints as the procedures want them: time limits as rules (investigation within 3 working
days), the path decided by the seriousness (filed / reported / signed off), corrective actions
approved by quality before they are carried out, the complaint's details, progress mails to
the customer, the complaints list (顾客投诉处理一览表) and complaints raised from a return
receipt."""
from xmlrpc import client as xmlrpclib

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests.common import HttpCase, get_db_name

from .common import AfterSalesCase

# Friday 1 March 2024, 16:00 UTC: one working hour left that day in the test calendar
# (Monday-Friday 08:00-12:00 and 13:00-17:00, UTC)
FRIDAY_16 = "2024-03-01 16:00:00"
TODO = "mail.mail_activity_data_todo"
APPROVAL = "after_sales_service.mail_activity_type_approval"


class ComplaintPathCase(AfterSalesCase):

    @classmethod
    def setUpClass(cls):
        super(ComplaintPathCase, cls).setUpClass()
        cls.Complaint = cls.env["after_sales.complaint"]
        cls.Action = cls.env["after_sales.complaint.action"]
        cls.Rule = cls.env["after_sales.complaint.rule"]
        # the second company: exactly one user per role, so the recipients are known
        cls.company_b = cls._create_second_company()
        cls.b_rep = cls._create_user("b_rep", ["after_sales_service.group_user"],
                                     company=cls.company_b)
        cls.company_b.after_sales_management_rep_id = cls.b_rep
        cls.customer.email = "chen@example.com"

    def _register(self, user=None, **values):
        vals = {"partner_id": self.customer.id, "complainant": "陈先生", "channel": "hotline",
                "product_id": self.product.id, "batch": "B-2403",
                "content": "热水器进水口漏水。"}
        vals.update(values)
        return self.Complaint.sudo(user or self.b_as_user).create(vals)

    def _handled(self, complaint, quality=None, **assessment):
        """Investigated by quality (with its assessment) and answered: ready to close."""
        complaint = complaint.sudo(quality or self.b_quality)
        complaint.action_start_investigation()
        complaint.write(dict({"complaint_class": "quality", "cause": "密封圈装配扭曲",
                              "responsibility": "department"}, **assessment))
        complaint.write({"answer_method": "phone", "answer_text": "已免费更换密封圈。"})
        complaint.action_answer()
        return complaint

    def _activities(self, complaint, xmlid):
        activity_type = self.env.ref(xmlid)
        return complaint.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type)


class TestComplaintRules(ComplaintPathCase):
    """Time limits as the company's rules, planned in its working time."""

    def test_rules_of_the_main_company_copied_to_a_new_one(self):
        rules = self.Rule.sudo(self.b_manager).search([])
        self.assertEqual(sorted(rules.mapped("severity")), ["normal", "urgent"])
        self.assertEqual(rules.mapped("company_id"), self.company_b)
        self.assertEqual(sorted(rules.mapped("close_limit")), [2.0, 7.0])
        self.assertEqual(set(rules.mapped("investigation_limit")), {3.0})

    def test_deadlines_of_each_step_at_known_dates(self):
        complaint = self._register(self.user_as, date_received=FRIDAY_16)
        rule = self.env.ref("after_sales_service.complaint_rule_normal")
        self.assertEqual(complaint.rule_id, rule)
        # 3 working days = 24 working hours: Friday 16-17 (1), Monday (8), Tuesday (8),
        # Wednesday 8-12 (4) and 13-16 (3)
        self.assertEqual(complaint.investigation_deadline, "2024-03-06 16:00:00")
        self.assertEqual(complaint.answer_deadline, "2024-03-11 16:00:00")
        self.assertEqual(complaint.close_deadline, "2024-03-12 16:00:00")
        complaint.severity = "urgent"
        self.assertEqual(complaint.rule_id,
                         self.env.ref("after_sales_service.complaint_rule_urgent"))
        self.assertEqual(complaint.close_deadline, "2024-03-05 16:00:00")

    def test_rule_of_a_class_wins_and_its_limits_apply(self):
        rule = self.Rule.sudo(self.user_manager).create({
            "name": "质量投诉", "severity": "normal", "complaint_class": "quality",
            "registration_limit": 4.0, "investigation_limit": 1.0, "investigation_unit": "days",
            "answer_limit": 8.0, "answer_unit": "hours", "close_limit": 5.0,
            "close_unit": "days"})
        complaint = self._register(self.user_as, date_received=FRIDAY_16)
        self.assertNotEqual(complaint.rule_id, rule)
        complaint.complaint_class = "quality"
        self.assertEqual(complaint.rule_id, rule)
        # 1 day: Friday (1), Monday 8-12 (4) and 13-16 (3); 8 hours: the same moment;
        # 5 days = 40 hours: Friday (1), Monday-Thursday (32), Friday 8 March 8-12, 13-16
        self.assertEqual(complaint.investigation_deadline, "2024-03-04 16:00:00")
        self.assertEqual(complaint.answer_deadline, "2024-03-04 16:00:00")
        self.assertEqual(complaint.close_deadline, "2024-03-08 16:00:00")
        # registered more than 4 clock hours after receipt: late under this rule
        self.assertTrue(complaint.registered_late)

    def test_rule_limits_must_be_positive(self):
        with self.assertRaises(ValidationError) as refused:
            self.Rule.sudo(self.user_manager).create({
                "name": "x", "severity": "normal", "investigation_limit": 0.0})
        self.assertIn("Investigation", refused.exception.name)
        with self.assertRaises(AccessError):
            self.Rule.sudo(self.user_as).create({"name": "x", "severity": "normal"})

    def test_investigation_late_flag_filter_and_report(self):
        old = self._register(self.user_as, date_received=FRIDAY_16)
        recent = self._register(self.user_as)
        both = old | recent
        self.assertTrue(old.is_investigation_late)
        self.assertFalse(recent.is_investigation_late)
        self.assertEqual(self.Complaint.search([("id", "in", both.ids),
                                                ("is_investigation_late", "=", True)]), old)
        for complaint in both:
            complaint = complaint.sudo(self.user_quality)
            complaint.action_start_investigation()
            self.assertFalse(complaint.date_investigated)
            complaint.write({"cause": "密封圈老化"})
            self.assertFalse(complaint.date_investigated)
            complaint.write({"responsibility": "supplier"})
            self.assertTrue(complaint.date_investigated)
        # the old one was investigated after its deadline: still late; the recent one in time
        self.assertTrue(old.is_investigation_late)
        self.assertFalse(recent.is_investigation_late)
        rows = self.env["after_sales.complaint.report"].search_read(
            [("complaint_id", "in", both.ids)],
            ["complaint_id", "nbr_investigated", "nbr_investigated_on_time"])
        figures = {row["complaint_id"][0]: (row["nbr_investigated"],
                                            row["nbr_investigated_on_time"]) for row in rows}
        self.assertEqual(figures, {old.id: (1, 0), recent.id: (1, 1)})


class TestComplaintPaths(ComplaintPathCase):
    """Seriousness decides the path: who is told, who closes, who signs off."""

    def test_minor_complaint_is_filed_by_quality(self):
        complaint = self._handled(self._register())
        self.assertEqual((complaint.seriousness, complaint.path), ("minor", "filed"))
        self.assertFalse(complaint.needs_sign_off)
        self.assertFalse(complaint.reported_to_id)
        self.assertFalse(self._activities(complaint, TODO))
        with self.assertRaises(AccessError):
            complaint.sudo(self.b_as_user).action_close()
        self.assertEqual(complaint.state, "answered")
        complaint.sudo(self.b_quality).action_close()
        self.assertEqual(complaint.state, "closed")
        self.assertFalse(complaint.signed_off_by_id)
        self.assertFalse(self._activities(complaint, APPROVAL))

    def test_serious_complaint_reported_to_management_and_signed_off_by_gm(self):
        complaint = self._handled(self._register(), seriousness="serious")
        self.assertEqual(complaint.path, "management")
        self.assertEqual(complaint.reported_to_id, self.b_rep)
        self.assertTrue(complaint.date_reported)
        todo = self._activities(complaint, TODO)
        self.assertEqual(todo.mapped("user_id"), self.b_rep)
        self.assertIn(complaint.name, todo.summary)
        # the department submits it; it waits for the general manager
        complaint.sudo(self.b_as_user).action_close()
        self.assertEqual(complaint.state, "to_sign")
        self.assertFalse(complaint.date_closed)
        self.assertEqual(self._activities(complaint, APPROVAL).mapped("user_id"), self.b_gm)
        for user in (self.b_quality, self.b_manager, self.b_deputy_gm, self.b_rep):
            with self.assertRaises(AccessError):
                complaint.sudo(user).action_sign_off()
        self.assertEqual(complaint.state, "to_sign")
        self.assertTrue(complaint.sudo(self.b_gm).can_be_signed_off)
        self.assertFalse(complaint.sudo(self.b_quality).can_be_signed_off)
        complaint.sudo(self.b_gm).action_sign_off()
        self.assertEqual(complaint.state, "closed")
        self.assertEqual(complaint.signed_off_by_id, self.b_gm)
        self.assertTrue(complaint.date_signed_off and complaint.date_closed)
        self.assertFalse(self._activities(complaint, APPROVAL))
        callback = self.env["after_sales.callback"].sudo().search(
            [("complaint_id", "=", complaint.id)])
        self.assertEqual(len(callback), 1)

    def test_major_quality_problem_to_the_deputy_gm(self):
        complaint = self._handled(self._register(), seriousness="major")
        self.assertEqual(complaint.path, "deputy_gm")
        self.assertEqual(complaint.reported_to_id, self.b_deputy_gm)
        self.assertEqual(self._activities(complaint, TODO).mapped("user_id"), self.b_deputy_gm)
        complaint.sudo(self.b_as_user).action_close()
        self.assertEqual(self._activities(complaint, APPROVAL).mapped("user_id"), self.b_gm)
        with self.assertRaises(AccessError):
            complaint.sudo(self.b_deputy_gm).action_sign_off()
        complaint.sudo(self.b_gm).action_sign_off()
        self.assertEqual(complaint.state, "closed")

    def test_major_problem_without_quality_cause_goes_to_management(self):
        complaint = self._handled(self._register(), seriousness="major",
                                  complaint_class="non_quality")
        self.assertEqual(complaint.path, "management")
        self.assertEqual(complaint.reported_to_id, self.b_rep)
        # quality reclassifies it as a quality problem: reported again, to the deputy GM
        complaint.sudo(self.b_quality).write({"complaint_class": "quality"})
        self.assertEqual(complaint.path, "deputy_gm")
        self.assertEqual(complaint.reported_to_id, self.b_deputy_gm)
        self.assertEqual(sorted(self._activities(complaint, TODO).mapped("user_id.login")),
                         ["b_deputy_gm", "b_rep"])

    def test_batch_incident_to_the_after_sales_manager(self):
        complaint = self._register()
        complaint.sudo(self.b_quality).write({"seriousness": "batch"})
        self.assertEqual(complaint.path, "manager")
        self.assertEqual(complaint.reported_to_id, self.b_manager)
        self.assertEqual(self._activities(complaint, TODO).mapped("user_id"), self.b_manager)
        self._handled(complaint)
        complaint.sudo(self.b_manager).action_close()
        self.assertEqual(complaint.state, "to_sign")
        complaint.sudo(self.b_gm).action_sign_off()
        self.assertEqual((complaint.state, complaint.signed_off_by_id),
                         ("closed", self.b_gm))

    def test_gm_refuses_the_sign_off_with_a_reason(self):
        complaint = self._handled(self._register(), seriousness="serious")
        complaint.sudo(self.b_as_user).action_close()
        with self.assertRaises(UserError):
            complaint.sudo(self.b_gm).action_refuse_sign_off(reason=" ")
        self.assertEqual(complaint.state, "to_sign")
        complaint.sudo(self.b_gm).action_refuse_sign_off(reason="赔偿方案未与客户确认")
        self.assertEqual(complaint.state, "answered")
        self.assertEqual(complaint.reject_reason, "赔偿方案未与客户确认")
        self.assertFalse(self._activities(complaint, APPROVAL))
        complaint.sudo(self.b_as_user).action_close()
        self.assertEqual(complaint.state, "to_sign")
        self.assertFalse(complaint.reject_reason)

    def test_only_quality_assesses_the_seriousness(self):
        complaint = self._register()
        with self.assertRaises(AccessError):
            complaint.sudo(self.b_as_user).write({"seriousness": "serious"})
        with self.assertRaises(AccessError):
            self._register(seriousness="serious")
        # the form sends the value it shows: unchanged, it passes
        complaint.sudo(self.b_as_user).write({"seriousness": "minor", "phone": "0755-1234"})
        self.assertEqual(complaint.phone, "0755-1234")

    def test_serious_without_management_representative_refused(self):
        self.company_b.after_sales_management_rep_id = False
        complaint = self._register()
        with self.assertRaises(UserError) as refused, self.env.cr.savepoint():
            complaint.sudo(self.b_quality).write({"seriousness": "serious"})
        self.assertIn("Management Representative", refused.exception.name)
        complaint.invalidate_cache()
        self.assertEqual(complaint.seriousness, "minor")

    def test_state_and_sign_off_not_written_directly(self):
        complaint = self._handled(self._register(), seriousness="serious")
        complaint.sudo(self.b_as_user).action_close()
        for vals in ({"state": "closed"}, {"signed_off_by_id": self.b_gm.id},
                     {"date_signed_off": "2024-03-05 10:00:00"},
                     {"reported_to_id": self.b_gm.id}, {"date_investigated": False}):
            for user in (self.b_as_user, self.b_quality, self.b_gm):
                with self.assertRaises((AccessError, UserError)):
                    complaint.sudo(user).write(vals)
        self.assertEqual((complaint.state, complaint.signed_off_by_id.id),
                         ("to_sign", False))

    def test_other_company_sees_none_of_it(self):
        complaint = self._handled(self._register(), seriousness="serious")
        action = self.Action.sudo(self.b_quality).create({
            "complaint_id": complaint.id, "description": "检查装配线", "term": "temporary",
            "user_id": self.b_quality.id, "date_deadline": "2030-01-31"})
        for user in (self.user_as, self.user_quality, self.user_gm):
            self.assertFalse(self.Complaint.sudo(user).search([("id", "=", complaint.id)]))
            self.assertFalse(self.Action.sudo(user).search([("id", "=", action.id)]))
            self.assertFalse(self.Rule.sudo(user).search([("company_id", "=",
                                                           self.company_b.id)]))
            with self.assertRaises(AccessError):
                complaint.sudo(user).action_close()
        with self.assertRaises(AccessError):
            complaint.sudo(self.user_gm).read(["name"])
        self.assertFalse(self.env["after_sales.complaint.report"].sudo(self.user_gm).search(
            [("complaint_id", "=", complaint.id)]))


class TestCorrectiveActions(ComplaintPathCase):
    """Corrective/preventive actions: approved by quality before they are carried out."""

    def _action(self, complaint, user, **values):
        vals = {"complaint_id": complaint.id, "description": "改进密封圈装配工艺",
                "action_type": "corrective", "term": "permanent",
                "user_id": self.b_as_user.id, "date_deadline": "2030-01-31"}
        vals.update(values)
        return self.Action.sudo(user).create(vals)

    def test_action_waits_for_quality_then_is_carried_out_and_checked(self):
        complaint = self._register()
        complaint.sudo(self.b_quality).action_start_investigation()
        action = self._action(complaint, self.b_as_user)
        self.assertEqual((action.approval_state, action.state), ("to_approve", "to_approve"))
        self.assertFalse(action.activity_id)
        # the investigator gets the approval to-do on the complaint
        self.assertEqual(self._activities(complaint, APPROVAL).mapped("user_id"),
                         self.b_quality)
        with self.assertRaises(UserError) as refused:
            action.sudo(self.b_as_user).action_done()
        self.assertIn("approves", refused.exception.name)
        self.assertFalse(action.date_done)
        with self.assertRaises(AccessError):
            action.sudo(self.b_as_user).action_approve()
        with self.assertRaises(UserError) as refused:
            action.sudo(self.b_quality).action_approve()
        self.assertIn("Kind", refused.exception.name)
        self.assertEqual(action.approval_state, "to_approve")
        action.sudo(self.b_quality).write({"kind": "process"})
        action.sudo(self.b_quality).action_approve()
        self.assertEqual((action.approval_state, action.approved_by_id, action.state),
                         ("approved", self.b_quality, "open"))
        self.assertFalse(self._activities(complaint, APPROVAL))
        self.assertEqual(action.activity_id.user_id, self.b_as_user)
        # what quality approved is not changed by the department
        with self.assertRaises(UserError):
            action.sudo(self.b_as_user).write({"description": "另一个措施"})
        action.sudo(self.b_as_user).action_done()
        self.assertEqual(action.state, "done")
        # the effect is checked by someone other than the owner
        with self.assertRaises(UserError):
            action.sudo(self.b_as_user).action_check_effective()
        action.sudo(self.b_quality).write({"effect_note": "连续三批无漏水"})
        action.sudo(self.b_quality).action_check_effective()
        self.assertEqual((action.effect, action.effect_checked_by_id),
                         ("effective", self.b_quality))
        self.assertTrue(action.date_effect_checked)

    def test_quality_refuses_then_the_action_is_submitted_again(self):
        complaint = self._register()
        complaint.sudo(self.b_quality).action_start_investigation()
        action = self._action(complaint, self.b_manager, term="temporary")
        with self.assertRaises(UserError):
            action.sudo(self.b_quality).action_refuse(reason="")
        action.sudo(self.b_quality).action_refuse(reason="责任人不对")
        self.assertEqual((action.approval_state, action.reject_reason),
                         ("refused", "责任人不对"))
        self.assertEqual(self.Action.search([("id", "=", action.id),
                                             ("state", "=", "refused")]), action)
        action.sudo(self.b_manager).action_submit()
        self.assertEqual(action.approval_state, "to_approve")
        self.assertEqual(self._activities(complaint, APPROVAL).mapped("user_id"),
                         self.b_quality)

    def test_action_drafted_by_quality_is_approved_as_recorded(self):
        complaint = self._register()
        action = self._action(complaint, self.b_quality, kind="inspection")
        self.assertEqual((action.approval_state, action.approved_by_id),
                         ("approved", self.b_quality))
        self.assertEqual(action.activity_id.user_id, self.b_as_user)

    def test_approval_fields_not_written_directly(self):
        complaint = self._register()
        action = self._action(complaint, self.b_as_user)
        for vals in ({"approval_state": "approved"}, {"approved_by_id": self.b_quality.id},
                     {"date_done": "2024-03-05"}, {"effect": "effective"}):
            for user in (self.b_as_user, self.b_quality, self.b_manager):
                with self.assertRaises(AccessError):
                    action.sudo(user).write(vals)
        with self.assertRaises(AccessError):
            self._action(complaint, self.b_as_user, approval_state="approved")
        self.assertEqual(action.approval_state, "to_approve")


class TestComplaintDetails(ComplaintPathCase):
    """The product's details, progress mails, the printed list, complaints from returns."""

    def test_quantities_and_request(self):
        complaint = self._register(date_delivered="2024-02-20", quantity=10.0,
                                   defective_qty=3.0, customer_request="更换三台不良品")
        self.assertEqual((complaint.quantity, complaint.defective_qty), (10.0, 3.0))
        with self.assertRaises(ValidationError) as refused, self.env.cr.savepoint():
            complaint.write({"defective_qty": 11.0})
        self.assertIn("Defective Quantity", refused.exception.name)
        self.assertIn("Quantity (10.0)", refused.exception.name)
        with self.assertRaises(ValidationError) as refused:
            self._register(quantity=-1.0)
        self.assertIn("Quantity", refused.exception.name)
        complaint.invalidate_cache()
        self.assertEqual(complaint.defective_qty, 3.0)

    def test_progress_mail_to_the_customer(self):
        complaint = self._register()
        complaint.sudo(self.b_quality).action_start_investigation()
        action = complaint.sudo(self.b_as_user).action_send_progress()
        Composer = self.env["mail.compose.message"].sudo(self.b_as_user).with_context(
            **action["context"])
        composer = Composer.create({})
        composer.write(composer.onchange_template_id(
            composer.template_id.id, "comment", complaint._name, complaint.id)["value"])
        composer.send_mail()
        message = complaint.message_ids.filtered(lambda m: m.message_type == "comment")[:1]
        self.assertIn(self.customer.commercial_partner_id, message.partner_ids)
        self.assertIn(complaint.name, message.subject)
        self.assertIn("Our quality department is investigating it.", message.body)

    def test_complaints_list_of_a_period_renders(self):
        march = self._register(self.user_as, date_received="2024-03-04 09:00:00",
                               quantity=10.0, defective_qty=3.0,
                               customer_request="更换三台不良品")
        april = self._register(self.user_as, date_received="2024-04-02 09:00:00")
        other = self._register(date_received="2024-03-05 09:00:00")  # second company
        report = self.env.ref("after_sales_service.complaint_list_report").sudo(self.user_as)
        wizard = self.env["after_sales.complaint.list.wizard"].sudo(self.user_as).create({
            "date_from": "2024-03-01", "date_to": "2024-03-31"})
        action = wizard.action_print()
        self.assertEqual(action["data"], {"date_from": "2024-03-01", "date_to": "2024-03-31"})
        html = report.render_qweb_html([], data=dict(action["data"]))[0].decode("utf-8")
        self.assertIn(march.name, html)
        self.assertNotIn(april.name, html)
        self.assertNotIn(other.name, html)
        self.assertIn("更换三台不良品", html)
        self.assertIn("2024-03-01", html)
        # printed from the list: the selected complaints, as a PDF
        _pdf, text = self.render_pdf("after_sales_service.complaint_list_report",
                                     march | april)
        self.assertIn("Complaints List", text)
        self.assertIn(march.name, text)
        self.assertIn(april.name, text)
        self.assertIn("Total: 2 complaints", text)
        with self.assertRaises(UserError):
            self.env["after_sales.complaint.list.wizard"].sudo(self.user_as).create({
                "date_from": "2024-03-31", "date_to": "2024-03-01"}).action_print()

    def test_complaint_raised_from_the_return_receipt(self):
        heater = self.env["product.product"].create({
            "name": "燃气热水器 GH-12", "type": "product", "tracking": "none"})
        case = self.env["after_sales.return"].sudo(self.user_as).create({
            "partner_id": self.customer.id, "product_id": heater.id, "product_qty": 2.0,
            "cause": "defect", "reason": "开机后熄火"})
        case.action_confirm()
        with self.assertRaises(UserError):
            case.action_raise_complaint()
        receipt = self.env["stock.picking"].search([("after_sales_return_id", "=", case.id)])
        picking = receipt.sudo(self.user_stock)
        for line in picking.move_line_ids:
            line.qty_done = line.product_uom_qty
        picking.button_validate()
        self.assertEqual(case.state, "to_inspect")
        with self.assertRaises(AccessError):
            case.sudo(self.user_stock).action_raise_complaint()
        action = case.action_raise_complaint()
        complaint = case.complaint_ids
        self.assertEqual(len(complaint), 1)
        self.assertEqual(action["res_id"], complaint.id)
        self.assertEqual((complaint.return_id, complaint.return_receipt_id), (case, receipt))
        self.assertEqual((complaint.partner_id, complaint.product_id, complaint.quantity,
                          complaint.defective_qty, complaint.channel),
                         (self.customer, heater, 2.0, 2.0, "sales"))
        self.assertEqual(complaint.content, "开机后熄火")
        self.assertEqual(case.complaint_count, 1)
        # raised once: the button opens the same complaint
        self.assertEqual(case.action_raise_complaint()["res_id"], complaint.id)
        self.assertEqual(len(case.complaint_ids), 1)
        self.assertEqual(complaint.action_view_return()["res_id"], case.id)
        # the link is the return's own: not typed
        with self.assertRaises(AccessError):
            self._register(self.user_as, return_id=case.id)


class TestComplaintPathRpc(HttpCase):
    """What a client may do over XML-RPC: no state, approval or sign-off written directly."""

    def setUp(self):
        super(TestComplaintPathRpc, self).setUp()
        self.env = api.Environment(self.registry.test_cr, SUPERUSER_ID, {})
        self.db = get_db_name()
        groups = {"rpc_c_user": "after_sales_service.group_user",
                  "rpc_c_quality": "after_sales_service.group_quality"}
        self.users = {}
        for login, group in groups.items():
            self.users[login] = self.env["res.users"].create({
                "name": login, "login": login, "password": login, "email": login + "@x.cn",
                "groups_id": [(6, 0, [self.env.ref(group).id,
                                      self.env.ref("base.group_user").id])]})
        self.env.user.company_id.after_sales_management_rep_id = self.users["rpc_c_user"]
        self.customer = self.env["res.partner"].create({"name": "苏州精工机械"})
        self.registry.test_cr.commit()

    def call(self, login, model, method, args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.db, self.users[login].id, login, model, method, args, kwargs)

    def assertRefused(self, login, model, method, args, **kwargs):
        with self.assertRaises(xmlrpclib.Fault) as refused:
            self.call(login, model, method, args, **kwargs)
        self.assertIn(refused.exception.faultCode, (2, 4), refused.exception.faultString)

    def value_of(self, model, record_id, name):
        record = self.env[model].browse(record_id)
        record.invalidate_cache()
        return record[name]

    def test_rpc_state_approval_and_sign_off_refused(self):
        model = "after_sales.complaint"
        complaint_id = self.call("rpc_c_user", model, "create", [{
            "partner_id": self.customer.id, "content": "漏水"}])
        self.assertRefused("rpc_c_user", model, "write", [[complaint_id], {"state": "closed"}])
        self.assertRefused("rpc_c_user", model, "write",
                           [[complaint_id], {"seriousness": "serious"}])
        self.call("rpc_c_quality", model, "action_start_investigation", [[complaint_id]])
        self.call("rpc_c_quality", model, "write", [[complaint_id], {
            "seriousness": "serious", "complaint_class": "quality", "cause": "密封圈",
            "responsibility": "supplier", "answer_method": "phone", "answer_text": "已更换"}])
        self.assertEqual(self.value_of(model, complaint_id, "reported_to_id"),
                         self.users["rpc_c_user"])
        self.call("rpc_c_quality", model, "action_answer", [[complaint_id]])
        self.call("rpc_c_user", model, "action_close", [[complaint_id]])
        self.assertEqual(self.value_of(model, complaint_id, "state"), "to_sign")
        self.assertRefused("rpc_c_quality", model, "action_sign_off", [[complaint_id]])
        for vals in ({"state": "closed"}, {"signed_off_by_id": self.users["rpc_c_quality"].id},
                     {"date_closed": "2024-03-05 10:00:00"}):
            self.assertRefused("rpc_c_quality", model, "write", [[complaint_id], vals])
        self.assertEqual(self.value_of(model, complaint_id, "state"), "to_sign")
        # a forged context does not open the guard
        self.assertRefused("rpc_c_quality", model, "write", [[complaint_id], {"state": "closed"}],
                           context={"after_sales_action": True})
        self.assertFalse(self.value_of(model, complaint_id, "signed_off_by_id"))

    def test_rpc_action_approval_refused(self):
        complaint_id = self.call("rpc_c_user", "after_sales.complaint", "create", [{
            "partner_id": self.customer.id, "content": "漏水"}])
        model = "after_sales.complaint.action"
        action_id = self.call("rpc_c_user", model, "create", [{
            "complaint_id": complaint_id, "description": "检查", "term": "temporary",
            "user_id": self.users["rpc_c_user"].id, "date_deadline": "2030-01-31"}])
        self.assertEqual(self.value_of(model, action_id, "approval_state"), "to_approve")
        self.assertRefused("rpc_c_user", model, "write", [[action_id],
                                                           {"approval_state": "approved"}])
        self.assertRefused("rpc_c_user", model, "action_approve", [[action_id]])
        self.assertRefused("rpc_c_user", model, "action_done", [[action_id]])
        self.assertRefused("rpc_c_user", model, "write", [[action_id],
                                                           {"date_done": "2030-01-01"}])
        self.assertEqual(self.value_of(model, action_id, "approval_state"), "to_approve")
        self.assertFalse(self.value_of(model, action_id, "date_done"))
        self.call("rpc_c_quality", model, "action_approve", [[action_id]])
        self.assertEqual(self.value_of(model, action_id, "approval_state"), "approved")

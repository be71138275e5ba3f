# -*- coding: utf-8 -*-
"""The e-mail channel: mails to a team's alias, processed by Odoo's mail gateway
(mail.thread.message_process) from their raw RFC 822 text, as fetchmail hands them over."""
import base64

from odoo import fields
from odoo.tools import mute_logger

from .common import AfterSalesCase
from .test_visit import SIGNATURE

PNG = base64.b64decode(
    b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")

PLAIN = """Return-Path: <wang@huadong.example.cn>
Message-ID: <plain-1@huadong.example.cn>
Date: Mon, 16 Nov 2026 09:12:00 +0800
From: Wang Gong <wang@huadong.example.cn>
To: as-service@example.com
Subject: Water heater does not heat
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

Our EH-60 in block 3 does not heat since this morning.
Error E3 on the display.
"""

HTML = """Message-ID: <html-1@huadong.example.cn>
From: Wang Gong <wang@huadong.example.cn>
To: as-service@example.com
Subject: Leaking valve
MIME-Version: 1.0
Content-Type: text/html; charset="utf-8"

<html><body><p>The <b>safety valve</b> is leaking.</p><p>Please send someone.</p></body></html>
"""

WITH_PHOTO = """Message-ID: <photo-1@huadong.example.cn>
From: Wang Gong <wang@huadong.example.cn>
To: as-service@example.com
Subject: Photo of the display
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset="utf-8"

See the photo attached.
--BOUNDARY
Content-Type: image/png; name="display.png"
Content-Disposition: attachment; filename="display.png"
Content-Transfer-Encoding: base64

%s
--BOUNDARY--
""" % base64.b64encode(PNG).decode()

# the subject and the sender's name in RFC 2047 encoded words, the body in base64
CHINESE = """Message-ID: <zh-1@huadong.example.cn>
From: =?utf-8?b?5Y2O5Lic5bu66K6+IOeOi+W3pQ==?= <wang@huadong.example.cn>
To: as-service@example.com
Subject: =?utf-8?b?54Ot5rC05Zmo5LiN5Yqg54Ot77yM5pi+56S6IEUzIOaVhemanA==?=
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: base64

%s
""" % base64.b64encode("三号楼的热水器从早上开始不加热。".encode("utf-8")).decode()

UNKNOWN = """Message-ID: <unknown-1@mail.example.org>
From: Li Si <lisi@mail.example.org>
To: as-service@example.com
Subject: Heater broken
Content-Type: text/plain; charset="utf-8"

It does not start.
"""

REPLY = """Message-ID: <reply-1@huadong.example.cn>
In-Reply-To: %(parent)s
References: %(parent)s
From: Wang Gong <wang@huadong.example.cn>
To: as-service@example.com
Subject: Re: Water heater does not heat
Content-Type: text/plain; charset="utf-8"

The technician can come tomorrow after 2 pm.
"""

AUTO_REPLY = """Message-ID: <auto-1@huadong.example.cn>
In-Reply-To: %(parent)s
References: %(parent)s
Auto-Submitted: auto-replied
From: Wang Gong <wang@huadong.example.cn>
To: as-service@example.com
Subject: Out of office: %(subject)s
Content-Type: text/plain; charset="utf-8"

I am out of the office until Monday.
"""

AUTO_NEW = """Message-ID: <auto-2@huadong.example.cn>
Precedence: auto_reply
X-Autoreply: yes
From: Wang Gong <wang@huadong.example.cn>
To: as-service@example.com
Subject: Automatic reply
Content-Type: text/plain; charset="utf-8"

I am out of the office until Monday.
"""

BOUNCE = """Message-ID: <bounce-1@mx.example.com>
From: Mail Delivery System <MAILER-DAEMON@mx.example.com>
To: as-service@example.com
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

This is the mail system. Your message could not be delivered.
--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.com

Final-Recipient: rfc822; nobody@huadong.example.cn
Action: failed
Status: 5.1.1
--B--
"""

OWN_ADDRESS = """Message-ID: <own-1@example.com>
From: As Service <as-service@example.com>
To: as-service@example.com
Subject: Service request registered
Content-Type: text/plain; charset="utf-8"

Loop.
"""


class TestMailIntake(AfterSalesCase):

    @classmethod
    def setUpClass(cls):
        super(TestMailIntake, cls).setUpClass()
        params = cls.env["ir.config_parameter"]
        params.set_param("mail.catchall.domain", "example.com")
        params.set_param("mail.catchall.alias", "catchall")
        params.set_param("mail.bounce.alias", "bounce")
        cls.company.email = "service@heater.example.cn"
        cls.customer.email = "info@huadong.example.cn"
        cls.contact = cls.env["res.partner"].create({
            "name": "Wang Gong", "email": "wang@huadong.example.cn", "phone": "139 0000 0001",
            "parent_id": cls.customer.id})
        cls.team = cls.env["after_sales.team"].create({
            "name": "华东服务组", "alias_name": "as-service", "leader_id": cls.user_as.id})
        cls.Request = cls.env["after_sales.request"]

    def process(self, raw):
        """What fetchmail does with a mail: the gateway routes it (by the alias, or as a
        reply); returns the request opened or updated, if any."""
        thread_id = self.env["mail.thread"].message_process(False, raw)
        return self.Request.browse(thread_id) if thread_id else self.Request

    def requests(self):
        return self.Request.search([("team_id", "=", self.team.id)])

    # ------------------------------------------------------------------ new requests

    def test_alias_of_the_team(self):
        alias = self.team.alias_id
        self.assertEqual(alias.alias_model_id.model, "after_sales.request")
        self.assertEqual(alias.alias_contact, "everyone")
        defaults = eval(alias.alias_defaults)  # pylint: disable=eval-used  # our own repr
        self.assertEqual(defaults, {"team_id": self.team.id, "company_id": self.company.id})
        # the demo team has its address
        self.assertEqual(self.env.ref("after_sales_service.team_east").alias_name, "service")

    def test_plain_mail_opens_a_request_like_the_hotline(self):
        request = self.process(PLAIN)
        self.assertEqual(request, self.requests())
        self.assertEqual(request.channel, "mail")
        self.assertEqual(request.partner_id, self.customer)  # the sender's company
        self.assertEqual(request.contact_name, "Wang Gong")
        self.assertEqual(request.phone, "139 0000 0001")
        self.assertIn("Water heater does not heat", request.description)
        self.assertIn("Error E3 on the display.", request.description)
        self.assertEqual((request.company_id, request.user_id), (self.company, self.user_as))
        self.assertNotIn(request.name, ("New", "Water heater does not heat"))
        hotline = self.Request.create({"partner_id": self.customer.id, "description": "x",
                                       "date_received": request.date_received})
        self.assertEqual((request.response_deadline, request.resolve_deadline),
                         (hotline.response_deadline, hotline.resolve_deadline))
        self.assertTrue(request.response_deadline)
        self.assertFalse(request.in_warranty)
        # the mail is the first message, from the sender; the clerk has a to-do
        mail = request.message_ids.filtered(lambda m: m.message_id == "<plain-1@huadong.example.cn>")
        self.assertEqual(mail.author_id, self.contact)
        self.assertIn("does not heat since this morning", mail.body)
        self.assertIn(self.contact, request.message_partner_ids)
        self.assertEqual(request.activity_ids.user_id, self.user_as)
        # the acknowledgement (number, deadline) went to the customer
        ack = request.message_ids.filtered(lambda m: "registered" in (m.subject or ""))
        self.assertEqual(len(ack), 1)
        self.assertIn(request.name, ack.subject)
        self.assertIn(request.name, ack.body)
        self.assertIn(self.customer, ack.partner_ids)
        self.assertIn("access_token=%s" % request.sudo().access_token, ack.body)

    def test_html_mail_is_read_as_text(self):
        request = self.process(HTML)
        self.assertEqual(request.channel, "mail")
        self.assertIn("Leaking valve", request.description)
        self.assertIn("safety valve", request.description)
        self.assertNotIn("<b>", request.description)

    def test_attachment_is_kept(self):
        request = self.process(WITH_PHOTO)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "after_sales.request"), ("res_id", "=", request.id)])
        self.assertEqual(attachments.mapped("datas_fname"), ["display.png"])
        self.assertEqual(base64.b64decode(attachments.datas), PNG)
        mail = request.message_ids.filtered(lambda m: m.attachment_ids)
        self.assertEqual(mail.attachment_ids, attachments)

    def test_chinese_subject_in_encoded_words(self):
        request = self.process(CHINESE)
        self.assertEqual(request.partner_id, self.customer)
        self.assertIn("热水器不加热，显示 E3 故障", request.description)
        self.assertIn("三号楼的热水器从早上开始不加热。", request.description)
        mail = request.message_ids.filtered(lambda m: m.message_id == "<zh-1@huadong.example.cn>")
        self.assertEqual(mail.subject, "热水器不加热，显示 E3 故障")

    def test_unknown_sender_becomes_a_contact_to_match(self):
        request = self.process(UNKNOWN)
        partner = request.partner_id
        self.assertEqual((partner.name, partner.email), ("Li Si", "lisi@mail.example.org"))
        self.assertFalse(partner.parent_id)
        activity = request.activity_ids
        self.assertEqual(activity.user_id, self.user_as)
        self.assertIn("lisi@mail.example.org", activity.summary)
        self.assertIn(request.name, activity.summary)
        mail = request.message_ids.filtered(lambda m: m.message_id == "<unknown-1@mail.example.org>")
        self.assertEqual(mail.author_id, partner)

    def test_alias_of_another_company_team(self):
        other = self._create_second_company()
        team = self.env["after_sales.team"].create({
            "name": "华南服务组", "alias_name": "as-south", "company_id": other.id})
        request = self.process(PLAIN.replace("as-service@", "as-south@"))
        self.assertEqual((request.team_id, request.company_id), (team, other))
        team.company_id = self.company
        self.assertEqual(eval(team.alias_id.alias_defaults)["company_id"],  # pylint: disable=eval-used  # our own repr
                         self.company.id)

    # ------------------------------------------------------------------ replies

    def test_reply_threads_into_the_request(self):
        request = self.process(PLAIN)
        reply = self.process(REPLY % {"parent": "<plain-1@huadong.example.cn>"})
        self.assertEqual(reply, request)
        self.assertEqual(self.requests(), request)
        message = request.message_ids.filtered(lambda m: m.message_id == "<reply-1@huadong.example.cn>")
        self.assertIn("tomorrow after 2 pm", message.body)
        self.assertEqual(message.author_id, self.contact)

    def test_reply_to_the_acknowledgement(self):
        request = self.process(PLAIN)
        ack = request.message_ids.filtered(lambda m: "registered" in (m.subject or ""))
        self.assertTrue(ack.message_id)
        reply = self.process((REPLY % {"parent": ack.message_id}).replace(
            "reply-1@", "reply-2@"))
        self.assertEqual(reply, request)
        self.assertEqual(len(self.requests()), 1)

    # ------------------------------------------------------------------ machines

    @mute_logger("odoo.addons.mail.models.mail_thread",
                 "odoo.addons.after_sales_service.models.mail_thread")
    def test_bounce_creates_nothing(self):
        self.assertFalse(self.process(BOUNCE))
        self.assertFalse(self.requests())

    @mute_logger("odoo.addons.mail.models.mail_thread",
                 "odoo.addons.after_sales_service.models.mail_thread")
    def test_auto_reply_creates_nothing_and_lands_nowhere(self):
        request = self.process(PLAIN)
        ack = request.message_ids.filtered(lambda m: "registered" in (m.subject or ""))
        messages = len(request.message_ids)
        self.assertFalse(self.process(AUTO_REPLY % {"parent": ack.message_id,
                                                     "subject": ack.subject}))
        self.assertFalse(self.process(AUTO_NEW))
        self.assertFalse(self.process(OWN_ADDRESS))
        self.assertEqual(self.requests(), request)
        request.invalidate_cache()
        self.assertEqual(len(request.message_ids), messages)

    # ------------------------------------------------------------------ notifications

    def test_acknowledgement_follows_the_company_switch(self):
        self.company.after_sales_notify_registered = False
        request = self.process(PLAIN)
        self.assertFalse(request.message_ids.filtered(
            lambda m: "registered" in (m.subject or "")))
        # the customer without e-mail address is not written to either
        self.company.after_sales_notify_registered = True
        silent = self.env["res.partner"].create({"name": "无邮箱客户"})
        quiet = self.Request.create({"partner_id": silent.id, "description": "x"})
        self.assertFalse(quiet.message_ids.filtered(lambda m: m.message_type == "comment"))

    def test_acknowledgement_in_the_customers_language(self):
        """The mail is written in the customer's language (the template's translation),
        whoever registers the request."""
        self.env["res.lang"].load_lang("zh_CN")
        template = self.env.ref("after_sales_service.mail_template_request_registered")
        self.env["ir.translation"].create({
            "type": "model", "name": "mail.template,subject", "lang": "zh_CN",
            "res_id": template.id, "src": template.subject, "state": "translated",
            "value": "${object.company_id.name}：服务请求 ${object.name} 已登记"})
        self.customer.lang = "zh_CN"
        request = self.process(PLAIN)
        ack = request.message_ids.filtered(lambda m: m.message_type == "comment"
                                           and request.name in (m.subject or ""))
        self.assertEqual(ack.subject, "%s：服务请求 %s 已登记" % (self.company.name, request.name))
        self.customer.lang = "en_US"
        english = self.Request.sudo(self.user_as).create(
            {"partner_id": self.customer.id, "description": "x"})
        ack = english.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(ack.subject, "%s: service request %s registered" % (
            self.company.name, english.name))


class TestCustomerNotifications(AfterSalesCase):
    """The customer's mails at each step of a request, in its chatter, each behind its company
    switch: registered, parts shipped (tracking number), visit scheduled (time, technician),
    resolved, and the invitation to the online questionnaire after the visit."""

    @classmethod
    def setUpClass(cls):
        super(TestCustomerNotifications, cls).setUpClass()
        cls.company.email = "service@heater.example.cn"
        cls.customer.email = "info@huadong.example.cn"
        cls.part = cls.env["product.product"].create({
            "name": "温控器 TS-N", "type": "product", "standard_price": 80.0})
        cls.parts_store = cls.env.ref("stock.warehouse0").after_sales_parts_location_id
        cls.env["stock.quant"]._update_available_quantity(cls.part, cls.parts_store, 5.0)

    def mails(self, record):
        """The messages of `record` sent to its customer."""
        record.invalidate_cache()
        return record.message_ids.filtered(
            lambda m: m.message_type == "comment" and self.customer in m.partner_ids)

    def _request(self):
        request = self.env["after_sales.request"].sudo(self.user_as).create({
            "partner_id": self.customer.id, "category": "repair", "product_id": self.product.id,
            "description": "不加热", "date_delivered": fields.Date.context_today(self.customer)})
        request.action_start()
        return request.with_env(self.env)

    def _ship_parts(self, request):
        order = self.env["after_sales.parts.order"].sudo(self.user_as).create({
            "partner_id": self.customer.id, "request_id": request.id,
            "shipping_method": "courier", "carrier_tracking_ref": "SF100200300",
            "line_ids": [(0, 0, {"product_id": self.part.id, "quantity": 1.0,
                                 "product_uom_id": self.part.uom_id.id})]})
        order.action_submit()
        order.sudo(self.user_manager).action_approve()
        picking = order.sudo().picking_ids.sudo(self.user_stock)
        picking.action_assign()  # the warehouse's Check Availability
        for line in picking.move_line_ids:
            line.qty_done = line.product_uom_qty
        picking.action_done()
        self.assertEqual(order.state, "shipped")
        return order.with_env(self.env)

    def _visit(self, request):
        return self._approved_visit(request, self.user_as)

    def _complete(self, visit):
        visit = visit.sudo(self.user_technician)
        visit.action_start()
        # the customer signs on the technician's pad
        visit.write({"date_arrival": "2026-11-20 09:00:00", "date_departure": "2026-11-20 11:00:00",
                     "arrival_confirmed": True, "fault_found": "温控器损坏", "handling": "更换",
                     "customer_signer": "王工", "customer_signature": SIGNATURE})
        visit.action_done()
        return visit.with_env(self.env)

    def test_each_step_mails_the_customer(self):
        request = self._request()
        registered = self.mails(request)
        self.assertEqual(len(registered), 1)
        self.assertIn(request.name, registered.body)
        self.assertIn(request.resolve_deadline[:16], registered.body)  # the company's UTC
        order = self._ship_parts(request)
        shipped = self.mails(order)
        self.assertEqual(len(shipped), 1)
        self.assertIn("SF100200300", shipped.body)
        self.assertIn("温控器 TS-N", shipped.body)
        visit = self._visit(request)
        scheduled = self.mails(visit)
        self.assertEqual(len(scheduled), 1)
        self.assertIn("2026-11-20 09:00", scheduled.body)
        self.assertIn(self.user_technician.name, scheduled.body)
        visit = self._complete(visit)
        self.assertEqual(request.state, "resolved")
        resolved = self.mails(request) - registered
        self.assertEqual(len(resolved), 1)
        self.assertIn("resolved", resolved.subject)
        callback = self.env["after_sales.callback"].search([("visit_id", "=", visit.id)])
        invited = self.mails(callback)
        self.assertEqual(len(invited), 1)
        self.assertTrue(callback.online_url)
        self.assertIn(callback.online_url.replace("&", "&amp;"), invited.body)
        self.assertEqual(callback.channel, "phone")  # until the customer answers online

    def test_switches_turn_each_mail_off(self):
        self.company.write({
            "after_sales_notify_registered": False, "after_sales_notify_shipped": False,
            "after_sales_notify_visit": False, "after_sales_notify_resolved": False,
            "after_sales_notify_callback": False})
        request = self._request()
        order = self._ship_parts(request)
        visit = self._complete(self._visit(request))
        callback = self.env["after_sales.callback"].search([("visit_id", "=", visit.id)])
        for record in (request, order, visit, callback):
            self.assertFalse(self.mails(record), record.display_name)
        self.assertFalse(callback.online_url)  # nobody was told: no link works
        # the department can still invite the customer by hand
        callback.sudo(self.user_as).action_send_online_invitation()
        self.assertEqual(len(self.mails(callback)), 1)
        self.assertTrue(callback.online_url)

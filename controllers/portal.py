# -*- coding: utf-8 -*-
"""The customer's channels on Odoo's portal (/my): a customer's contacts follow their service
requests and installed products and register new requests; the links of the customer's
e-mails open a request's page, the service record to sign on a phone and the satisfaction
questionnaire, each with its document's own token (no login needed).

Who sees what: the requests and installed products of the visitor's commercial partner, read
as the visitor (access rights and record rules) in the portal pages' marked environment
(models/portal_access.py) and checked again here; everything else of the addon is read as
superuser only after that check, or after the token matched. A wrong id or token answers 404
and tells nothing."""
import base64
from collections import OrderedDict

from werkzeug.exceptions import NotFound
from werkzeug.urls import url_encode

from odoo import _, http
from odoo.exceptions import AccessError, UserError
from odoo.http import content_disposition, request
from odoo.osv import expression

from odoo.addons.portal.controllers.portal import (CustomerPortal, get_records_pager,
                                                   pager as portal_pager)

from ..models.portal_access import portal_env
from ..models.request import OPEN_STATES, PORTAL_PHOTO_BYTES, PORTAL_PHOTO_COUNT

REQUEST = "after_sales.request"
CARD = "after_sales.warranty.card"
# the steps of a request shown to the customer, in their order
REQUEST_STEPS = ("new", "in_progress", "waiting", "resolved", "closed")
# the visits and outbound orders a customer hears about: decided ones
VISIT_STATES = ("approved", "in_progress", "done", "verified")
PARTS_STATES = ("approved", "shipped")
RECORD_STATES = ("done", "verified")  # a service record the customer can print
RETURN_HIDDEN_STATES = ("draft", "cancel")


class AfterSalesPortal(CustomerPortal):

    # ------------------------------------------------------------------ helpers

    def _after_sales_partners(self):
        """The visitor's commercial partner and its contacts (read as superuser: a portal
        user's domain compares ids, not records he may not read)."""
        commercial = request.env.user.commercial_partner_id
        return request.env["res.partner"].sudo().with_context(active_test=False).search(
            [("id", "child_of", commercial.id)])

    def _after_sales_domain(self):
        return [("partner_id", "in", self._after_sales_partners().ids)]

    def _after_sales_model(self, model):
        """`model` as the visitor reads it on these pages (None: he can't read it at all)."""
        Model = portal_env(request.env)[model]
        return Model if Model.check_access_rights("read", raise_exception=False) else None

    def _may_read(self, record):
        """Whether the visitor reads `record` (as himself: rights and record rules), and, for
        a customer, whether it is his commercial partner's."""
        try:
            record.check_access_rights("read")
            record.check_access_rule("read")
        except AccessError:
            return False
        user = request.env.user
        return not user.share or record.sudo().partner_id.commercial_partner_id \
            == user.commercial_partner_id

    def _service_request_check_access(self, request_id, access_token=None):
        """The request (as superuser) if the visitor may see it: one of the customer's
        contacts, or anyone holding the request's token. None otherwise."""
        Request = portal_env(request.env)[REQUEST]
        record = Request.sudo().browse(request_id).exists()
        if not record:
            return None
        if not request.env.user._is_public() and self._may_read(Request.browse(record.id)):
            return record
        if access_token and record._portal_token_valid(access_token):
            return record
        return None

    def _refused(self, access_token=None):
        """A visitor without login and without token logs in; anyone else learns nothing."""
        if request.env.user._is_public() and not access_token:
            return request.redirect("/web/login?%s" % url_encode(
                {"redirect": request.httprequest.full_path}))
        raise NotFound()

    def _link_invalid(self):
        return request.render("after_sales_service.portal_link_invalid", {}, status=404)

    def _token_record(self, model, record_id, access_token):
        """The document of a token link (as superuser), if the token is its own."""
        record = request.env[model].sudo().browse(record_id).exists()
        if record and record._portal_token_valid(access_token):
            return record
        return None

    def _customer_lang(self, partner):
        """Pages opened by a link without login speak the customer's language, and show
        times in his time zone (else the company's)."""
        if request.env.user._is_public():
            context = dict(request.context)
            if partner.lang:
                context["lang"] = partner.lang
            tz = partner.tz or request.env.user.company_id.partner_id.tz
            if tz:
                context["tz"] = tz
            request.context = context
        return request.env.lang

    def _pdf_response(self, report_xmlid, records, filename, data=None):
        report = request.env.ref(report_xmlid).sudo().with_context(lang=request.env.lang)
        pdf = report.render_qweb_pdf(records.ids, data=data)[0]
        return request.make_response(pdf, headers=[
            ("Content-Type", "application/pdf"), ("Content-Length", len(pdf)),
            ("Content-Disposition", content_disposition(filename))])

    # ------------------------------------------------------------------ /my home

    def _prepare_portal_layout_values(self):
        values = super(AfterSalesPortal, self)._prepare_portal_layout_values()
        Request, Card = self._after_sales_model(REQUEST), self._after_sales_model(CARD)
        domain = self._after_sales_domain()
        values.update(
            after_sales_request_count=Request.search_count(domain) if Request is not None else 0,
            after_sales_card_count=Card.search_count(domain) if Card is not None else 0,
        )
        return values

    # ------------------------------------------------------------------ service requests

    def _service_request_searchbar(self):
        sortings = {
            "date": {"label": _("Newest"), "order": "date_received desc, id desc"},
            "name": {"label": _("Number"), "order": "name desc"},
            "state": {"label": _("Status"), "order": "state, date_received desc"},
        }
        filters = OrderedDict([
            ("all", {"label": _("All"), "domain": []}),
            ("open", {"label": _("Open Requests"),
                      "domain": [("state", "in", OPEN_STATES)]}),
            ("resolved", {"label": _("Resolved"),
                          "domain": [("state", "in", ("resolved", "closed"))]}),
            ("cancel", {"label": _("Cancelled"), "domain": [("state", "=", "cancel")]}),
        ])
        inputs = {
            "all": {"input": "all", "label": _("Search in All")},
            "name": {"input": "name", "label": _("Search in Numbers")},
            "product": {"input": "product", "label": _("Search in Products")},
            "description": {"input": "description", "label": _("Search in Descriptions")},
        }
        return sortings, filters, inputs

    def _service_request_search_domain(self, search_in, search):
        products = request.env["product.product"].sudo().with_context(active_test=False) \
            .search(["|", ("name", "ilike", search), ("default_code", "ilike", search)])
        terms = {
            "name": [("name", "ilike", search)],
            "product": [("product_id", "in", products.ids)],
            "description": [("description", "ilike", search)],
        }
        if search_in in terms:
            return terms[search_in]
        return expression.OR(list(terms.values()))

    @http.route(["/my/service-requests", "/my/service-requests/page/<int:page>"],
                type="http", auth="user", website=True)
    def portal_my_service_requests(self, page=1, sortby=None, filterby=None, search=None,
                                   search_in="all", **kw):
        values = self._prepare_portal_layout_values()
        Request = self._after_sales_model(REQUEST)
        if Request is None:
            raise NotFound()
        sortings, filters, inputs = self._service_request_searchbar()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        search_in = search_in if search_in in inputs else "all"
        domain = self._after_sales_domain() + filters[filterby]["domain"]
        if search:
            domain = expression.AND([domain, self._service_request_search_domain(
                search_in, search)])
        pager = portal_pager(
            url="/my/service-requests",
            url_args={"sortby": sortby, "filterby": filterby, "search": search or "",
                      "search_in": search_in},
            total=Request.search_count(domain), page=page, step=self._items_per_page)
        records = Request.search(domain, order=sortings[sortby]["order"],
                                 limit=self._items_per_page, offset=pager["offset"])
        request.session["my_service_requests_history"] = records.ids[:100]
        values.update({
            "service_requests": records.sudo(), "page_name": "service_request",
            "pager": pager, "default_url": "/my/service-requests",
            "searchbar_sortings": sortings, "sortby": sortby,
            "searchbar_filters": filters, "filterby": filterby,
            "searchbar_inputs": inputs, "search_in": search_in, "search": search,
        })
        return request.render("after_sales_service.portal_my_service_requests", values)

    @http.route(["/my/service-requests/<int:request_id>"], type="http", auth="public",
                website=True)
    def portal_my_service_request(self, request_id, access_token=None, **kw):
        record = self._service_request_check_access(request_id, access_token)
        if not record:
            return self._refused(access_token)
        values = self._service_request_page_values(record, access_token, **kw)
        return request.render("after_sales_service.portal_service_request_page", values)

    def _service_request_page_values(self, record, access_token=None, **kw):
        """What the customer sees of a request: its steps, the warranty decision, the visits
        planned (time, technicians), the parts sent (tracking number), the return case, the
        forms to print, the invoices (Odoo's invoice pages) and the request's messages."""
        visits = record.visit_ids.filtered(lambda v: v.state in VISIT_STATES) \
            .sorted("date_planned")
        state = record.state
        steps = [(key, label) for key, label in record._fields["state"]._description_selection(
            request.env) if key in REQUEST_STEPS]
        reached = REQUEST_STEPS.index(state) if state in REQUEST_STEPS else -1
        values = {
            "page_name": "service_request", "service_request": record,
            "steps": steps, "reached": reached,
            "visits": visits, "printable_visits": visits.filtered(
                lambda v: v.state in RECORD_STATES),
            "parts_orders": record.parts_order_ids.filtered(lambda o: o.state in PARTS_STATES),
            "returns": request.env["after_sales.return"].sudo().search(
                [("request_id", "=", record.id), ("state", "not in", RETURN_HIDDEN_STATES)]),
            "invoices": self._service_request_invoices(record),
            "callbacks": record.callback_ids.filtered(lambda c: c._portal_can_answer()),
            "photos": record.attachment_ids.filtered(
                lambda a: (a.mimetype or "").startswith("image/")),
            "token": record.access_token, "access_token": access_token,
            "submitted": kw.get("submitted"),
        }
        if request.env.user._is_public():
            values["no_breadcrumbs"] = True
        history = request.session.get("my_service_requests_history", [])
        values.update(get_records_pager(history, record))
        return values

    def _service_request_invoices(self, record):
        """The validated invoices and credit notes of the request, its visits and its
        outbound orders, to the request's customer."""
        return request.env["account.invoice"].sudo().search([
            ("type", "in", ("out_invoice", "out_refund")), ("state", "in", ("open", "paid")),
            ("commercial_partner_id", "=", record.partner_id.commercial_partner_id.id),
            "|", "|", ("after_sales_request_id", "=", record.id),
            ("id", "in", record.visit_ids.mapped("invoice_ids").ids),
            ("after_sales_parts_order_id", "in", record.parts_order_ids.ids)])

    @http.route(["/my/service-requests/<int:request_id>/registration-form"], type="http",
                auth="public", website=True)
    def portal_service_request_form(self, request_id, access_token=None, **kw):
        """The 报修登记表 of the request."""
        record = self._service_request_check_access(request_id, access_token)
        if not record:
            return self._refused(access_token)
        return self._pdf_response("after_sales_service.request_report", record,
                                  "%s.pdf" % record.name)

    @http.route(["/my/service-requests/<int:request_id>/service-record/<int:visit_id>"],
                type="http", auth="public", website=True)
    def portal_service_request_record(self, request_id, visit_id, access_token=None, **kw):
        """The customer's copy of the service record (维护服务记录表) of a completed visit."""
        record = self._service_request_check_access(request_id, access_token)
        if not record:
            return self._refused(access_token)
        visit = record.visit_ids.filtered(lambda v: v.id == visit_id and v.state in RECORD_STATES)
        if not visit:
            raise NotFound()
        return self._pdf_response("after_sales_service.visit_report_customer", visit,
                                  "%s.pdf" % visit.name)

    @http.route(["/my/service-requests/<int:request_id>/photo/<int:attachment_id>"],
                type="http", auth="public", website=True)
    def portal_service_request_photo(self, request_id, attachment_id, access_token=None, **kw):
        record = self._service_request_check_access(request_id, access_token)
        if not record:
            return self._refused(access_token)
        photo = record.attachment_ids.filtered(lambda a: a.id == attachment_id)
        if not photo or not (photo.mimetype or "").startswith("image/"):
            raise NotFound()
        return request.make_response(base64.b64decode(photo.datas or b""), headers=[
            ("Content-Type", photo.mimetype), ("Cache-Control", "private, max-age=3600")])

    # ------------------------------------------------------------------ new request

    @http.route(["/my/service-requests/new"], type="http", auth="user", website=True,
                methods=["GET", "POST"])
    def portal_new_service_request(self, **post):
        """Register a request on the portal (channel web): the same request as the hotline's,
        with its warranty decision and deadlines; only the fault description is required."""
        user = request.env.user
        if not user.share:
            return request.redirect("/web#model=%s&view_type=form" % REQUEST)
        partner = user.partner_id
        Request = portal_env(request.env)[REQUEST]
        errors = {}
        if request.httprequest.method == "POST":
            vals, errors = Request._portal_check_values(partner, post)
            photos, photo_error = self._uploaded_photos()
            photo_error = photo_error or Request._portal_check_photos(photos)
            if photo_error:
                errors["attachment_ids"] = photo_error
            if not errors:
                record = Request._portal_register(partner, vals, photos)
                return request.redirect("/my/service-requests/%s?submitted=1" % record.id)
        values = self._prepare_portal_layout_values()
        defaults = Request._portal_defaults(partner)
        values.update({
            "page_name": "service_request_new", "post": post, "defaults": defaults,
            "error": errors, "error_message": list(OrderedDict.fromkeys(errors.values())),
            "cards": self._customer_cards(),
            "products": self._portal_products(),
            "categories": Request._portal_categories(),
            "photo_help": _("Up to %(count)s photos, %(size)s MB each.") % {
                "count": PORTAL_PHOTO_COUNT, "size": PORTAL_PHOTO_BYTES // (1024 * 1024)},
        })
        return request.render("after_sales_service.portal_service_request_new", values,
                              status=400 if errors else 200)

    def _uploaded_photos(self):
        """[(file name, content)] of the form's photos, read up to one byte more than a photo
        may weigh; (photos, error)."""
        photos = []
        for upload in request.httprequest.files.getlist("attachment_ids"):
            if not upload.filename:
                continue  # the empty part of a file input left empty
            if len(photos) >= PORTAL_PHOTO_COUNT:
                return photos, _("Attach at most %s photos.") % PORTAL_PHOTO_COUNT
            photos.append((upload.filename, upload.read(PORTAL_PHOTO_BYTES + 1)))
        return photos, None

    def _customer_cards(self):
        Card = self._after_sales_model(CARD)
        if Card is None:
            return request.env[CARD].browse()
        cards = Card.search(self._after_sales_domain())
        return cards.sudo()

    def _portal_products(self):
        """The product names the form proposes: the customer's installed products first,
        then the products we sell."""
        installed = self._customer_cards().mapped("product_id")
        others = request.env["product.product"].sudo().search(
            [("sale_ok", "=", True), ("type", "in", ("product", "consu"))], limit=200)
        return installed | others

    # ------------------------------------------------------------------ installed products

    @http.route(["/my/installed-products", "/my/installed-products/page/<int:page>"],
                type="http", auth="user", website=True)
    def portal_my_installed_products(self, page=1, sortby=None, filterby=None, **kw):
        values = self._prepare_portal_layout_values()
        Card = self._after_sales_model(CARD)
        if Card is None:
            raise NotFound()
        sortings = {
            "end": {"label": _("Warranty End"), "order": "warranty_end desc, id desc"},
            "product": {"label": _("Product"), "order": "product_id, id"},
            "delivered": {"label": _("Delivery Date"), "order": "date_delivered desc, id desc"},
        }
        filters = OrderedDict([
            ("all", {"label": _("All"), "domain": []}),
            ("warranty", {"label": _("In Warranty"), "domain": [("in_warranty", "=", True)]}),
            ("expired", {"label": _("Out of Warranty"),
                         "domain": [("in_warranty", "=", False)]}),
        ])
        sortby = sortby if sortby in sortings else "end"
        filterby = filterby if filterby in filters else "all"
        domain = self._after_sales_domain() + filters[filterby]["domain"]
        pager = portal_pager(url="/my/installed-products",
                             url_args={"sortby": sortby, "filterby": filterby},
                             total=Card.search_count(domain), page=page,
                             step=self._items_per_page)
        cards = Card.search(domain, order=sortings[sortby]["order"],
                            limit=self._items_per_page, offset=pager["offset"])
        values.update({
            "cards": cards.sudo(), "page_name": "installed_product", "pager": pager,
            "default_url": "/my/installed-products", "searchbar_sortings": sortings,
            "sortby": sortby, "searchbar_filters": filters, "filterby": filterby,
        })
        return request.render("after_sales_service.portal_my_installed_products", values)

    # ------------------------------------------------------------------ signature on a phone
    # (the customer's links are website pages as /my is: website, a dependency of survey,
    # renders the portal's layout, which needs the request's website)

    @http.route(["/service-record/<int:visit_id>"], type="http", auth="public",
                methods=["GET"], website=True)
    def portal_service_record(self, visit_id, access_token=None, **kw):
        """The service record of a visit on site, for the customer to read and sign."""
        visit = self._token_record("after_sales.visit", visit_id, access_token)
        if not visit or not visit._portal_can_sign():
            return self._link_invalid()
        self._customer_lang(visit.partner_id)
        return request.render("after_sales_service.portal_service_record_sign",
                              self._service_record_values(visit, access_token))

    def _service_record_values(self, visit, access_token, **extra):
        visit = visit.with_context(lang=request.env.lang)
        values = {"visit": visit, "access_token": access_token, "error": None,
                  "evaluations": visit._fields["customer_evaluation"]._description_selection(
                      request.env),
                  "signer": visit.customer_signer or visit.request_id.contact_name
                  or visit.partner_id.name}
        values.update(extra)
        return values

    @http.route(["/service-record/<int:visit_id>/sign"], type="http", auth="public",
                methods=["POST"], website=True)
    def portal_service_record_sign(self, visit_id, access_token=None, customer_signer=None,
                                   signature=None, customer_evaluation=None,
                                   customer_comment=None, **kw):
        visit = self._token_record("after_sales.visit", visit_id, access_token)
        if not visit or not visit._portal_can_sign():
            return self._link_invalid()
        self._customer_lang(visit.partner_id)
        signature = (signature or "").split(",", 1)[-1]  # a data: URL from the canvas
        try:
            visit.with_context(lang=request.env.lang)._portal_sign(
                customer_signer, signature, customer_evaluation, customer_comment)
        except UserError as error:
            return request.render("after_sales_service.portal_service_record_sign",
                                  self._service_record_values(
                                      visit, access_token, error=error.name,
                                      signer=customer_signer), status=400)
        return request.render("after_sales_service.portal_service_record_signed",
                              {"visit": visit.with_context(lang=request.env.lang),
                               "access_token": access_token})

    @http.route(["/service-record/<int:visit_id>/pdf"], type="http", auth="public",
                methods=["GET"], website=True)
    def portal_service_record_pdf(self, visit_id, access_token=None, **kw):
        """The customer's copy of the record the token belongs to."""
        visit = self._token_record("after_sales.visit", visit_id, access_token)
        if not visit or not visit.customer_signature:
            return self._link_invalid()
        self._customer_lang(visit.partner_id)
        return self._pdf_response("after_sales_service.visit_report_customer", visit,
                                  "%s.pdf" % visit.name)

    # ------------------------------------------------------------------ online callback

    @http.route(["/callback/<int:callback_id>"], type="http", auth="public",
                methods=["GET", "POST"], website=True)
    def portal_callback(self, callback_id, access_token=None, **post):
        """The satisfaction questionnaire of a callback, answered once, before the link
        expires; the answers record the callback as a phone callback does."""
        callback = self._token_record("after_sales.callback", callback_id, access_token)
        if not callback or not callback._portal_can_answer():
            return self._link_invalid()
        self._customer_lang(callback.partner_id)
        callback = callback.with_context(lang=request.env.lang)
        errors = {}
        if request.httprequest.method == "POST":
            answers = {answer.id: post.get("answer_%s" % answer.id)
                       for answer in callback.answer_ids}
            author = request.env.user.partner_id if not request.env.user._is_public() \
                else None
            try:
                errors = callback._portal_answer(answers, author=author)
            except UserError as error:
                errors = {0: error.name}
            if not errors:
                return request.render("after_sales_service.portal_callback_thanks",
                                      {"callback": callback})
        return request.render("after_sales_service.portal_callback_questionnaire", {
            "callback": callback, "access_token": access_token, "error": errors,
            "post": post}, status=400 if errors else 200)

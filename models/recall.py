# -*- coding: utf-8 -*-
from datetime import datetime, time, timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .document_mixin import TEXT_LENGTH, document_action

STATES = [
    ("draft", "Draft"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
]
# the task states that end a task (its unit is dealt with, or its customer can't be reached)
CLOSED_TASK_STATES = ("retrieved", "replaced", "unreachable")


class Recall(models.Model):
    """A recall campaign (召回, 001-5 四.4-5): sold products with a serious defect, given by
    their serials/lots or their delivery period, are traced to every customer who received
    them (done deliveries, installed products); one task per customer and unit asks the
    customer, retrieves the unit into quarantine as a return case (or replaces it), and the
    recall keeps its record and report for the supplier."""

    _name = "after_sales.recall"
    _description = "Recall Campaign"
    _inherit = ["after_sales.numbered.document"]
    _sequence_code = "after_sales.recall"
    _order = "id desc"
    _text_limits = {"reason": TEXT_LENGTH, "conclusion": TEXT_LENGTH}
    _non_negative_fields = ("max_tries",)
    _datetime_order = (("date_from", "date_to"),)
    _owned_fields = ("state", "date_started", "date_done")

    state = fields.Selection(STATES, default="draft", required=True, readonly=True, copy=False,
                             index=True, track_visibility="onchange")
    user_id = fields.Many2one("res.users", "Responsible", default=lambda self: self.env.user,
                              track_visibility="onchange")
    product_id = fields.Many2one("product.product", required=True, index=True,
                                 readonly=True, states={"draft": [("readonly", False)]},
                                 domain="[('type', 'in', ('product', 'consu'))]",
                                 track_visibility="onchange")
    lot_ids = fields.Many2many("stock.production.lot", "after_sales_recall_lot_rel",
                               "recall_id", "lot_id", "Serials / Lots", readonly=True,
                               states={"draft": [("readonly", False)]},
                               domain="[('product_id', '=', product_id)]")
    date_from = fields.Date("Delivered From", readonly=True,
                            states={"draft": [("readonly", False)]})
    date_to = fields.Date("Delivered To", readonly=True, states={"draft": [("readonly", False)]})
    reason = fields.Text("Defect and Reason", required=True)
    supplier_id = fields.Many2one("res.partner", "Supplier / Manufacturer",
                                  track_visibility="onchange",
                                  help="Whom the recall record is reported to.")
    authority_notified = fields.Boolean(track_visibility="onchange")
    supplier_notified = fields.Boolean(track_visibility="onchange")
    max_tries = fields.Integer("Contact Attempts", default=3, required=True,
                               help="Failed contact attempts after which a customer is "
                                    "recorded as unreachable.")
    warehouse_id = fields.Many2one("stock.warehouse", required=True,
                                   default=lambda self: self._default_warehouse(),
                                   help="Retrieved units come into its pending products area; "
                                        "replacements leave from its stock.")
    date_started = fields.Datetime("Started On", readonly=True, copy=False)
    date_done = fields.Datetime("Closed On", readonly=True, copy=False)
    conclusion = fields.Text()
    task_ids = fields.One2many("after_sales.recall.task", "recall_id", "Tasks", readonly=True)

    task_count = fields.Integer("Customers Found", compute="_compute_counts")
    qty_found = fields.Float("Units Found", compute="_compute_counts")
    qty_retrieved = fields.Float("Units Retrieved", compute="_compute_counts")
    qty_replaced = fields.Float("Units Replaced", compute="_compute_counts")
    qty_unreachable = fields.Float("Units Unreachable", compute="_compute_counts")
    qty_open = fields.Float("Units Open", compute="_compute_counts")
    return_count = fields.Integer("Returns", compute="_compute_counts")

    _sql_constraints = [
        ("name_company_uniq", "unique (name, company_id)", "The recall number must be unique."),
    ]

    @api.constrains("max_tries")
    def _check_max_tries(self):
        if any(recall.max_tries < 1 for recall in self):
            raise ValidationError(_("%s must be at least 1.") % self._field_label("max_tries"))

    @api.constrains("warehouse_id", "company_id")
    def _check_warehouse(self):
        if any(recall.warehouse_id.company_id != recall.company_id for recall in self):
            raise ValidationError(_("The warehouse of a recall must belong to its company."))

    def _compute_counts(self):
        """Units per task state of all the recalls in one read_group."""
        groups = self.env["after_sales.recall.task"].read_group(
            [("recall_id", "in", self.ids)], ["recall_id", "state", "quantity"],
            ["recall_id", "state"], lazy=False)
        totals = {}
        for group in groups:
            by_state = totals.setdefault(group["recall_id"][0], {})
            by_state[group["state"]] = (group["__count"], group["quantity"] or 0.0)
        returns = self._count_by("after_sales.recall.task", "recall_id",
                                 [("return_id", "!=", False)])
        for recall in self:
            by_state = totals.get(recall.id, {})
            quantity = {state: value[1] for state, value in by_state.items()}
            recall.task_count = sum(value[0] for value in by_state.values())
            recall.qty_found = sum(quantity.values())
            recall.qty_retrieved = quantity.get("retrieved", 0.0)
            recall.qty_replaced = quantity.get("replaced", 0.0)
            recall.qty_unreachable = quantity.get("unreachable", 0.0)
            recall.qty_open = recall.qty_found - recall.qty_retrieved - recall.qty_replaced \
                - recall.qty_unreachable
            recall.return_count = returns.get(recall.id, 0)

    # ------------------------------------------------------------------ guards

    def _check_quality(self):
        self._check_group("after_sales_service.group_quality",
                          _("Only quality runs recall campaigns."))

    # ------------------------------------------------------------------ finding the customers

    @api.multi
    @document_action
    def action_find_customers(self):
        """Every customer who received the recalled units: done moves into customer locations
        of the product (with those serials/lots, in that period) and the installed products
        (warranty cards) of it; one task per customer and unit (per serial for a tracked
        product, per customer otherwise), those already found kept."""
        self._check_quality()
        open_recalls = self.filtered(lambda r: r.state in ("draft", "in_progress"))
        if open_recalls != self:
            raise UserError(_("Customers are found for open recalls only: %s")
                            % ", ".join((self - open_recalls).mapped("name")))
        Task = self.env["after_sales.recall.task"]
        created = Task.browse()
        for recall in self:
            if not recall.lot_ids and not (recall.date_from or recall.date_to):
                raise UserError(_("%s: give the serials/lots or the delivery period of the "
                                  "units recalled.") % recall.name)
            found = recall._found_units()
            known = {(task.partner_id.id, task.lot_id.id) for task in recall.task_ids}
            known_lots = {task.lot_id.id for task in recall.task_ids if task.lot_id}
            for (partner_id, lot_id), unit in sorted(found.items(), key=lambda i: (
                    i[0][0], i[0][1] or 0)):
                if (partner_id, lot_id) in known or (lot_id and lot_id in known_lots):
                    continue
                created |= Task.create(dict(unit, recall_id=recall.id, partner_id=partner_id,
                                            lot_id=lot_id))
            recall.message_post(body=_("Customers found: %(count)s new tasks, %(total)s in "
                                       "all.") % {"count": len(created.filtered(
                                           lambda t: t.recall_id == recall)),
                                                  "total": len(recall.task_ids)},
                                subtype="mail.mt_note")
        return created

    def _found_units(self):
        """{(customer id, lot id or False): task values} of the units delivered (one query on
        the done move lines) and installed (one query on the warranty cards); a serial's
        installed product names its customer."""
        self.ensure_one()
        delivered = self._delivered_units()
        installed = self._installed_units()
        result = {}
        by_lot = {}
        for key, unit in delivered:
            if key[1]:
                by_lot[key[1]] = (key, unit)
            else:
                result[key] = unit
        for key, unit in installed:
            previous = by_lot.get(key[1])
            if previous:
                unit = dict(previous[1], warranty_card_id=unit["warranty_card_id"])
            by_lot[key[1]] = (key, unit)
        result.update(dict(by_lot.values()))
        return result

    def _period(self):
        """The delivery period as UTC bounds of the days in the company's time zone (its
        partner's, else the user's; UTC without either), the last day included."""
        tz = pytz.timezone(self.company_id.sudo().partner_id.tz or self.env.user.tz or "UTC")

        def utc(day):
            local = tz.localize(datetime.combine(fields.Date.from_string(day), time.min))
            return fields.Datetime.to_string(local.astimezone(pytz.utc).replace(tzinfo=None))

        end = self.date_to and fields.Date.to_string(
            fields.Date.from_string(self.date_to) + timedelta(days=1))
        return self.date_from and utc(self.date_from), end and utc(end)

    def _delivered_units(self):
        start, end = self._period()
        self.env.cr.execute("""
            SELECT customer.commercial_partner_id, line.lot_id,
                   SUM(line.qty_done), MAX(move.picking_id), MAX(line.date)
              FROM stock_move_line line
              JOIN stock_move move ON move.id = line.move_id
              JOIN stock_location dest ON dest.id = line.location_dest_id
              JOIN stock_location src ON src.id = line.location_id
              LEFT JOIN stock_picking picking ON picking.id = move.picking_id
              JOIN res_partner customer
                ON customer.id = COALESCE(picking.partner_id, move.partner_id)
             WHERE move.state = 'done' AND dest.usage = 'customer' AND src.usage != 'customer'
               AND move.product_id = %(product)s AND move.company_id = %(company)s
               AND (%(no_lots)s OR line.lot_id IN %(lots)s)
               AND (%(start)s IS NULL OR line.date >= %(start)s)
               AND (%(end)s IS NULL OR line.date < %(end)s)
             GROUP BY customer.commercial_partner_id, line.lot_id
        """, {"product": self.product_id.id, "company": self.company_id.id,
              "no_lots": not self.lot_ids, "lots": tuple(self.lot_ids.ids) or (0,),
              "start": start or None, "end": end or None})
        return [((partner_id, lot_id or False), {
            "quantity": quantity, "delivery_picking_id": picking_id,
            "date_delivered": self._local_date(date, self.company_id)})
            for partner_id, lot_id, quantity, picking_id, date in self.env.cr.fetchall()]

    def _installed_units(self):
        domain = [("product_id", "=", self.product_id.id),
                  ("company_id", "=", self.company_id.id)]
        if self.lot_ids:
            domain.append(("lot_id", "in", self.lot_ids.ids))
        if self.date_from:
            domain.append(("date_delivered", ">=", self.date_from))
        if self.date_to:
            domain.append(("date_delivered", "<=", self.date_to))
        cards = self.env["after_sales.warranty.card"].sudo().search(domain)
        return [((card.partner_id.commercial_partner_id.id, card.lot_id.id), {
            "quantity": 1.0, "delivery_picking_id": card.picking_id.id,
            "date_delivered": card.date_delivered, "warranty_card_id": card.id})
            for card in cards if card.lot_id]

    # ------------------------------------------------------------------ states

    @api.multi
    @document_action
    def action_start(self):
        """The campaign starts: its customers are contacted."""
        self._check_quality()
        if self.filtered(lambda r: r.state != "draft"):
            raise UserError(_("Only draft recalls can be started."))
        empty = self.filtered(lambda r: not r.task_ids)
        if empty:
            raise UserError(_("Find the customers of %s first: no unit was found.")
                            % ", ".join(empty.mapped("name")))
        self.write({"state": "in_progress", "date_started": fields.Datetime.now()})
        return True

    @api.multi
    @document_action
    def action_done(self):
        """The campaign ends when every task has ended: retrieved, replaced or unreachable."""
        self._check_quality()
        if self.filtered(lambda r: r.state != "in_progress"):
            raise UserError(_("Only recalls in progress can be closed."))
        pending = self.mapped("task_ids").filtered(lambda t: t.state not in CLOSED_TASK_STATES)
        if pending:
            raise UserError(_("%(count)s tasks are still open, e.g. %(task)s.") % {
                "count": len(pending), "task": pending[0].display_name})
        self.write({"state": "done", "date_done": fields.Datetime.now()})
        return True

    # ------------------------------------------------------------------ smart buttons

    @api.multi
    def action_view_tasks(self):
        return self._window_action("after_sales_service.recall_task_action",
                                   [("recall_id", "in", self.ids)])

    @api.multi
    def action_view_returns(self):
        return self._window_action("after_sales_service.return_action",
                                   [("id", "in", self.mapped("task_ids.return_id").ids)])

# -*- coding: utf-8 -*-
from datetime import datetime

import pytz
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from ..models.request import OPEN_STATES

GROUP_USER = "after_sales_service.group_user"
GROUP_QUALITY = "after_sales_service.group_quality"
GROUP_MANAGER = "after_sales_service.group_manager"
GROUP_GM = "after_sales_service.group_general_manager"
GROUP_FINANCE = "account.group_account_invoice"

# Each tile: the model it counts, the group it is shown to (None: everyone who opens the
# dashboard, counting what their access rules let them read; APPROVAL: the approving group of
# the step in the model's approval table) and the action its list opens.
APPROVAL = "approval"
TILES = {
    "late_request": ("after_sales.request", None, "after_sales_service.request_action"),
    "dispatch_request": ("after_sales.request", GROUP_USER, "after_sales_service.request_action"),
    "overdue_callback": ("after_sales.callback", GROUP_USER,
                         "after_sales_service.callback_action"),
    "demand_to_plan": ("after_sales.demand", GROUP_USER, "after_sales_service.demand_action"),
    "expiring_contract": ("after_sales.contract", GROUP_USER,
                          "after_sales_service.contract_action"),
    "visit_gm": ("after_sales.visit", APPROVAL, "after_sales_service.visit_action"),
    "parts_order_manager": ("after_sales.parts.order", APPROVAL,
                            "after_sales_service.parts_order_action"),
    "expense_manager": ("after_sales.expense.claim", APPROVAL,
                        "after_sales_service.expense_claim_action"),
    "expense_finance": ("after_sales.expense.claim", APPROVAL,
                        "after_sales_service.expense_claim_action"),
    "expense_gm": ("after_sales.expense.claim", APPROVAL,
                   "after_sales_service.expense_claim_action"),
    "compensation_quality": ("after_sales.return.compensation", APPROVAL,
                             "after_sales_service.return_compensation_action"),
    "compensation_gm": ("after_sales.return.compensation", APPROVAL,
                        "after_sales_service.return_compensation_action"),
    "compensation_finance": ("after_sales.return.compensation", APPROVAL,
                             "after_sales_service.return_compensation_action_finance"),
    "disposition_quality": ("after_sales.return", APPROVAL,
                            "after_sales_service.return_action"),
    "exchange_gm": ("after_sales.return", APPROVAL, "after_sales_service.return_action"),
    "satisfaction": ("after_sales.satisfaction.report", GROUP_USER,
                     "after_sales_service.satisfaction_report_action"),
}
# The documents with approval steps: their tiles, groups and states come from the approval
# table of each model (DocumentMixin._approval_steps).
APPROVAL_MODELS = ("after_sales.parts.order", "after_sales.visit", "after_sales.expense.claim",
                   "after_sales.return.compensation", "after_sales.return")


class Dashboard(models.TransientModel):
    """The after-sales dashboard: what is late today, what waits for the user's approval, and
    this month's satisfaction rate. A transient record per opening, its figures computed when
    read (one query per kind of document); each tile opens the list it counts."""

    _name = "after_sales.dashboard"
    _description = "After-Sales Dashboard"
    _transient_max_hours = 12.0  # a dashboard left open during the working day still works

    late_request_count = fields.Integer("Late Requests", compute="_compute_figures")
    dispatch_request_count = fields.Integer("Requests to Dispatch", compute="_compute_figures",
                                            groups=GROUP_USER)
    overdue_callback_count = fields.Integer("Overdue Callbacks", compute="_compute_figures",
                                            groups=GROUP_USER)
    demand_to_plan_count = fields.Integer("Requirement Forms to Plan",
                                          compute="_compute_figures", groups=GROUP_USER)
    expiring_contract_count = fields.Integer("Contracts Expiring", compute="_compute_figures",
                                             groups=GROUP_USER)
    visit_gm_count = fields.Integer("Visits to Approve", compute="_compute_figures",
                                    groups=GROUP_GM)
    parts_order_manager_count = fields.Integer("Outbound Orders to Approve",
                                               compute="_compute_figures", groups=GROUP_MANAGER)
    expense_manager_count = fields.Integer("Expense Claims: Manager's Approval",
                                           compute="_compute_figures", groups=GROUP_MANAGER)
    expense_finance_count = fields.Integer("Expense Claims: Finance Check",
                                           compute="_compute_figures", groups=GROUP_FINANCE)
    expense_gm_count = fields.Integer("Expense Claims: General Manager's Approval",
                                      compute="_compute_figures", groups=GROUP_GM)
    compensation_quality_count = fields.Integer("Compensation: Quality Review",
                                                compute="_compute_figures", groups=GROUP_QUALITY)
    compensation_gm_count = fields.Integer("Compensation: General Manager's Approval",
                                           compute="_compute_figures", groups=GROUP_GM)
    compensation_finance_count = fields.Integer("Compensation to Execute",
                                                compute="_compute_figures", groups=GROUP_FINANCE)
    disposition_quality_count = fields.Integer("Dispositions to Approve",
                                               compute="_compute_figures", groups=GROUP_QUALITY)
    exchange_gm_count = fields.Integer("Exchange Forms to Instruct", compute="_compute_figures",
                                       groups=GROUP_GM)
    satisfaction_rate = fields.Float("Satisfaction Rate This Month (%)", digits=(16, 1),
                                     compute="_compute_figures", groups=GROUP_USER)
    satisfaction_answered = fields.Integer("Callbacks Answered This Month",
                                           compute="_compute_figures", groups=GROUP_USER)
    # indicators of the month (reports/indicators.py), for the after-sales department
    indicator_r1000 = fields.Float("R/1000 This Month", digits=(16, 2),
                                   compute="_compute_figures", groups=GROUP_USER)
    indicator_tgw = fields.Float("TGW This Month", digits=(16, 2),
                                 compute="_compute_figures", groups=GROUP_USER)
    indicator_cpu = fields.Float("CPU This Month", digits=(16, 2),
                                 compute="_compute_figures", groups=GROUP_USER)
    indicator_complaint_rate = fields.Float("Complaints per 1,000 Units This Month",
                                            digits=(16, 2), compute="_compute_figures",
                                            groups=GROUP_USER)
    indicator_first_time_fix = fields.Float("First-Time Fix Rate This Month (%)",
                                            digits=(16, 1), compute="_compute_figures",
                                            groups=GROUP_USER)
    indicator_units_delivered = fields.Float("Units Delivered This Month", digits=(16, 0),
                                             compute="_compute_figures", groups=GROUP_USER)

    @api.multi
    def name_get(self):
        return [(dashboard.id, _("After-Sales Dashboard")) for dashboard in self]

    @api.model
    def action_open_dashboard(self):
        """The menu's server action: a fresh dashboard of the current user."""
        dashboard = self.create({})
        return {
            "type": "ir.actions.act_window",
            "name": _("After-Sales Dashboard"),
            "res_model": self._name,
            "res_id": dashboard.id,
            "view_mode": "form",
            "views": [(self.env.ref("after_sales_service.dashboard_view_form").id, "form")],
            "target": "current",
        }

    @api.multi
    def action_refresh(self):
        """The figures are computed when read: reloading the form refreshes them."""
        return True

    @api.multi
    def action_open_tile(self):
        """The list behind a tile (the tile's key comes in the button's context)."""
        tile = self.env.context.get("tile")
        if tile not in self._visible_tiles():
            raise AccessError(_("This list is not on your dashboard."))
        action = self.env.ref(TILES[tile][2]).read()[0]
        field = "satisfaction_rate" if tile == "satisfaction" else tile + "_count"
        views = action.get("views") or []
        label = self._fields[field].get_description(self.env)["string"]
        action.update({
            "name": label,
            "display_name": label,
            "domain": self._tile_domain(tile),
            "context": {},
            "target": "current",
            # a list first, where the action has one
            "views": sorted(views, key=lambda view: view[1] != "tree"),
        })
        return action

    # ------------------------------------------------------------------ figures

    def _compute_figures(self):
        figures = self._figures()
        for dashboard in self:
            dashboard.update(figures)

    @api.model
    def _approval_tiles(self):
        """{tile: (model, approval step)} of every approval step counted on the dashboard."""
        return {step.tile: (model, step) for model in APPROVAL_MODELS
                for step in self.env[model]._approval_steps() if step.tile}

    def _visible_tiles(self):
        """The tiles of the current user: their group (the approving group for an approval
        tile), and read access to what they count."""
        user = self.env.user
        approvals = self._approval_tiles()
        visible = set()
        for tile, (model, group, _action) in TILES.items():
            if group == APPROVAL:
                group = approvals[tile][1].group
            if (not group or user.has_group(group)) \
                    and self.env[model].check_access_rights("read", raise_exception=False):
                visible.add(tile)
        return visible

    def _figures(self):
        tiles = self._visible_tiles()
        values = {tile + "_count": 0 for tile in TILES if tile != "satisfaction"}
        values.update(satisfaction_rate=0.0, satisfaction_answered=0)
        counted = set()
        by_model = {}
        for tile, (model, step) in self._approval_tiles().items():
            if tile in tiles and step.field == "state" and not step.tile_domain:
                by_model.setdefault(model, {})[tile] = step.from_state
        for model, wanted in by_model.items():
            # one read_group per model for all its approval tiles
            groups = self.env[model].read_group(
                [("state", "in", list(wanted.values()))], ["state"], ["state"])
            by_state = {group["state"]: group["state_count"] for group in groups}
            for tile, state in wanted.items():
                values[tile + "_count"] = by_state.get(state, 0)
            counted.update(wanted)
        for tile in tiles - counted - {"satisfaction"}:
            values[tile + "_count"] = self.env[TILES[tile][0]].search_count(
                self._tile_domain(tile))
        if "satisfaction" in tiles:
            values.update(self._satisfaction_figures())
        values.update(self._indicator_figures())
        return values

    def _indicator_figures(self):
        """This month's indicators of the user's company (0 where nothing to divide)."""
        values = dict.fromkeys(("indicator_r1000", "indicator_tgw", "indicator_cpu",
                                "indicator_complaint_rate", "indicator_first_time_fix",
                                "indicator_units_delivered"), 0.0)
        if not self.env.user.has_group(GROUP_USER):
            return values
        start, end = self._month_bounds()
        first = fields.Date.from_string(fields.Date.context_today(self)).replace(day=1)
        days = (fields.Date.to_string(first),
                fields.Date.to_string(first + relativedelta(months=1)))
        figures = self.env["after_sales.indicators"]._figures(self.env.user.company_id,
                                                              start, end, days)
        fix = figures["first_time_fix_rate"]
        values.update({
            "indicator_r1000": figures["r1000"] or 0.0,
            "indicator_tgw": figures["tgw"] or 0.0,
            "indicator_cpu": figures["cpu"] or 0.0,
            "indicator_complaint_rate": figures["complaint_rate"] or 0.0,
            "indicator_first_time_fix": 100.0 * fix if fix is not None else 0.0,
            "indicator_units_delivered": figures["units_delivered"],
        })
        return values

    def _satisfaction_figures(self):
        """This month's rate as the satisfaction analysis computes it: satisfied / answered."""
        groups = self.env["after_sales.satisfaction.report"].read_group(
            self._tile_domain("satisfaction"), ["answered", "satisfied"], [])
        answered = groups and groups[0]["answered"] or 0
        satisfied = groups and groups[0]["satisfied"] or 0
        return {"satisfaction_answered": answered,
                "satisfaction_rate": answered and 100.0 * satisfied / answered or 0.0}

    def _tile_domain(self, tile):
        """The records a tile counts, which its list shows."""
        approvals = self._approval_tiles()
        if tile in approvals:
            return approvals[tile][1].waiting_domain()
        now = fields.Datetime.now()
        if tile == "late_request":  # as the time limits job flags them, without waiting for it
            return [("state", "in", OPEN_STATES), "|", ("resolve_deadline", "<=", now),
                    "&", ("date_response", "=", False), ("response_deadline", "<=", now)]
        if tile == "dispatch_request":
            return [("needs_dispatch", "=", True), ("state", "=", "new")]
        if tile == "overdue_callback":
            return [("state", "=", "todo"), ("date_due", "<", now)]
        if tile == "expiring_contract":
            return [("state", "=", "active"), ("is_expiring", "=", True)]
        if tile == "demand_to_plan":
            return [("state", "=", "submitted")]
        if tile == "satisfaction":
            start, end = self._month_bounds()
            return [("date_done", ">=", start), ("date_done", "<", end)]
        raise KeyError(tile)

    def _month_bounds(self):
        """The current month in the user's time zone, as UTC datetime strings [start, end)."""
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        start = fields.Date.from_string(fields.Date.context_today(self)).replace(day=1)
        end = start + relativedelta(months=1)

        def to_utc(day):
            local = tz.localize(datetime(day.year, day.month, day.day))
            return fields.Datetime.to_string(local.astimezone(pytz.utc).replace(tzinfo=None))

        return to_utc(start), to_utc(end)

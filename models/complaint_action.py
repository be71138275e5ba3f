# -*- coding: utf-8 -*-
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

# changing one of these updates the owner's activity
ACTIVITY_FIELDS = {"description", "user_id", "date_deadline", "date_done"}


class AfterSalesComplaintAction(models.Model):
    """A corrective or preventive action (纠正预防措施) decided on a complaint, with its owner
    and deadline; the owner follows it up as a to-do activity on the complaint."""

    _name = "after_sales.complaint.action"
    _description = "Corrective/Preventive Action"
    _rec_name = "description"
    _order = "complaint_id, date_deadline, id"

    complaint_id = fields.Many2one(
        "after_sales.complaint", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(
        related="complaint_id.company_id", string="Company", store=True, readonly=True)
    partner_id = fields.Many2one(
        related="complaint_id.partner_id", string="Customer", readonly=True)
    complaint_state = fields.Selection(
        related="complaint_id.state", string="Complaint Status", readonly=True)
    description = fields.Char("Action", required=True)
    action_type = fields.Selection(
        [("corrective", "Corrective"), ("preventive", "Preventive")], "Type",
        required=True, default="corrective")
    term = fields.Selection(
        [("temporary", "Temporary"), ("permanent", "Permanent")],
        required=True, default="temporary")
    user_id = fields.Many2one(
        "res.users", "Owner", required=True, index=True, default=lambda self: self.env.user,
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("after_sales_service.group_user").id)])
    date_deadline = fields.Date("Deadline", required=True, index=True)
    date_done = fields.Date("Done on", copy=False)
    result = fields.Text(copy=False, help="What was done and how it was verified.")
    state = fields.Selection(
        [("open", "In Progress"), ("done", "Done"), ("overdue", "Overdue")], "Status",
        compute="_compute_state", search="_search_state")
    activity_id = fields.Many2one(
        "mail.activity", "Owner's Activity", readonly=True, copy=False, ondelete="set null")

    @api.depends("date_done", "date_deadline")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for action in self:
            if action.date_done:
                action.state = "done"
            elif action.date_deadline and action.date_deadline < today:
                action.state = "overdue"
            else:
                action.state = "open"

    def _search_state(self, operator, value):
        today = fields.Date.context_today(self)
        domains = {  # normalized: a search method's domain is used as it is
            "done": [("date_done", "!=", False)],
            "overdue": ["&", ("date_done", "=", False), ("date_deadline", "<", today)],
            "open": ["&", ("date_done", "=", False), ("date_deadline", ">=", today)],
        }
        values = [value] if isinstance(value, str) else list(value or [])
        if operator in ("=", "in"):
            wanted = [state for state in sorted(domains) if state in values]
        elif operator in ("!=", "not in"):
            wanted = [state for state in sorted(domains) if state not in values]
        else:
            raise UserError(_("Unsupported search operator on the action status: %s") % operator)
        return expression.OR([domains[state] for state in wanted]) if wanted else [("id", "=", 0)]

    @api.constrains("user_id", "complaint_id")
    def _check_owner_company(self):
        """The owner follows the action up as a to-do on the complaint: they work for the
        complaint's company."""
        for action in self:
            company = action.complaint_id.company_id
            owner = action.user_id.sudo()  # a user of another company is read too
            if company not in owner.company_ids:
                raise ValidationError(_(
                    "%(owner)s can't own an action of complaint %(complaint)s: they don't work "
                    "for %(company)s.") % {"owner": owner.name,
                                           "complaint": action.complaint_id.name,
                                           "company": company.name})

    @api.multi
    def _filter_open(self):
        """The actions not done yet (open or overdue)."""
        return self.filtered(lambda action: not action.date_done)

    @api.multi
    def _summary_line(self):
        self.ensure_one()
        return _("%(complaint)s: %(action)s (owner %(owner)s, deadline %(deadline)s)") % {
            "complaint": self.complaint_id.name, "action": self.description,
            "owner": self.user_id.name, "deadline": self.date_deadline}

    @api.multi
    def name_get(self):
        return [(action.id, "%s: %s" % (action.complaint_id.name, action.description))
                for action in self]

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model
    def create(self, vals):
        action = super(AfterSalesComplaintAction, self).create(vals)
        action._sync_activity()
        return action

    @api.multi
    def write(self, vals):
        result = super(AfterSalesComplaintAction, self).write(vals)
        if ACTIVITY_FIELDS.intersection(vals):
            self._sync_activity()
        return result

    @api.multi
    def unlink(self):
        kept = self.filtered(lambda action: action.complaint_id.state in ("closed", "cancel"))
        if kept:
            raise UserError(_("The actions of a closed or cancelled complaint are kept with it "
                              "and can't be deleted: %s") % ", ".join(kept.mapped("display_name")))
        self.mapped("activity_id").unlink()
        return super(AfterSalesComplaintAction, self).unlink()

    # ------------------------------------------------------------------
    # the owner's activity
    # ------------------------------------------------------------------

    @api.multi
    def _sync_activity(self):
        """Open actions have a to-do activity of their owner on the complaint, with the action's
        deadline; it is marked done when the action is."""
        for action in self:
            if action.date_done:
                action.activity_id.action_feedback(feedback=action.result or False)
            elif action.activity_id:
                action.activity_id.write(action._activity_values())
            else:
                action.activity_id = action.complaint_id._schedule_activity(
                    "mail.mail_activity_data_todo", action.user_id, action.description,
                    action.date_deadline)

    @api.multi
    def _activity_values(self):
        self.ensure_one()
        return {
            "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
            "summary": self.description,
            "user_id": self.user_id.id,
            "date_deadline": self.date_deadline,
        }

    @api.multi
    def action_done(self):
        """Mark the actions done today (those not done yet)."""
        self._filter_open().write({"date_done": fields.Date.context_today(self)})
        return True

# -*- coding: utf-8 -*-
import re

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .request_selections import CATEGORIES, PRIORITIES

UNITS = [("hours", "Working Hours"), ("days", "Working Days"),
         ("clock_hours", "Hours (Clock)")]
# units planned in the company's working time (a working day is 8 working hours, see
# res.company.after_sales_plan_deadlines); clock hours run day and night, weekends included
WORKING_UNITS = ("hours", "days")
# how specific each dimension of a rule is: the matching rule with the highest sum wins, the
# sequence then decides (city > country state > team > category > priority)
SPECIFICITY = (("city", 16), ("state_ids", 8), ("team_id", 4), ("category", 2), ("priority", 1))


def city_key(name):
    """A city name as areas compare it (focus areas, stations' areas): without case, spaces
    or the 市 of 苏州市 (苏州 and 苏州市 are the same city)."""
    key = "".join((name or "").split()).lower()
    return key[:-1] if len(key) > 2 and key.endswith("市") else key


def city_keys(names):
    """The cities of a list (commas, Chinese commas, 、 or semicolons between them)."""
    return {key for key in map(city_key, re.split(r"[,，、;；]", names or "")) if key}


def _working_hours(amount, unit):
    return amount * 8.0 if unit == "days" else amount


class SlaRule(models.Model):
    """A time limit (服务时限): response and resolution limits for a priority, a category, a
    team and an area (the focus areas' 12 h, 精耕区域12小时服务时效), in working time of the
    company calendar or in clock hours (a 24 h commitment to the customer)."""

    _name = "after_sales.sla.rule"
    _description = "Service Time Limit"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True,
                                 default=lambda self: self.env.user.company_id)
    priority = fields.Selection(PRIORITIES, default="0",
                                help="Leave empty for every priority.")
    category = fields.Selection(CATEGORIES, help="Leave empty for every category.")
    response_limit = fields.Float(required=True, default=24.0)
    response_unit = fields.Selection(UNITS, required=True, default="hours")
    resolution_limit = fields.Float(required=True, default=2.0)
    resolution_unit = fields.Selection(UNITS, required=True, default="days")
    risk_ratio = fields.Float(
        "At Risk From (%)", default=75.0,
        help="A request is flagged at risk once this share of its resolution time is used.")
    # ---- indicators: area and team rules (001-1 一.3)
    team_id = fields.Many2one("after_sales.team", help="Leave empty for every team.")
    state_ids = fields.Many2many(
        "res.country.state", string="Focus Area (States)",
        help="The rule applies to requests whose site is in one of these states or provinces "
             "(the customer's when the request has no site state). Empty: every area.")
    city = fields.Char("Focus Area (City)",
                       help="The rule applies to requests whose site city is this one "
                            "(the customer's city when the request has none). Empty: every "
                            "city.")

    @api.constrains("response_limit", "resolution_limit", "risk_ratio")
    def _check_limits(self):
        for rule in self:
            if rule.response_limit <= 0 or rule.resolution_limit <= 0:
                raise ValidationError(_("Time limits must be positive."))
            if not 0 < rule.risk_ratio < 100:
                raise ValidationError(_("The at-risk share must be between 0 and 100%."))

    @api.constrains("response_limit", "response_unit", "resolution_limit", "resolution_unit")
    def _check_response_before_resolution(self):
        """The response can't end after the resolution of the same request when both are in
        working time, or both in clock hours (a clock limit and a working limit are compared
        by the calendar only, so they are not checked)."""
        for rule in self:
            working = (rule.response_unit in WORKING_UNITS,
                       rule.resolution_unit in WORKING_UNITS)
            if working[0] != working[1]:
                continue
            if _working_hours(rule.response_limit, rule.response_unit) > _working_hours(
                    rule.resolution_limit, rule.resolution_unit):
                raise ValidationError(_(
                    "Rule %s: the response limit ends after the resolution limit.") % rule.name)

    @api.model
    def _find(self, company, priority, category, team=None, state=None, city=None):
        """The most specific active rule of the company matching the request: each dimension
        set on a rule (city, state, team, category, priority) must match, and the rule with
        the most specific dimensions wins (see SPECIFICITY); then the sequence. One query for
        the candidates and whether their areas match (instead of a search and reads of
        their states and dimensions); as superuser, the request's company decides, whichever
        company the user works in now."""
        self.env.cr.execute("""
            SELECT rule.id, rule.city, rule.priority IS NOT NULL, rule.category IS NOT NULL,
                   rule.team_id IS NOT NULL,
                   EXISTS (SELECT 1 FROM after_sales_sla_rule_res_country_state_rel area
                            WHERE area.after_sales_sla_rule_id = rule.id),
                   EXISTS (SELECT 1 FROM after_sales_sla_rule_res_country_state_rel area
                            WHERE area.after_sales_sla_rule_id = rule.id
                              AND area.res_country_state_id = %(state)s)
              FROM after_sales_sla_rule rule
             WHERE rule.active AND rule.company_id = %(company)s
               AND (rule.priority = %(priority)s OR rule.priority IS NULL)
               AND (rule.category = %(category)s OR rule.category IS NULL)
               AND (rule.team_id = %(team)s OR rule.team_id IS NULL)
             ORDER BY rule.sequence, rule.id
        """, {
            "company": company.id, "priority": priority or None, "category": category or None,
            "team": team.id if team else None, "state": state.id if state else None})
        city = city_key(city)
        best, best_score = None, -1
        for (rule_id, rule_city, has_priority, has_category, has_team, has_states,
             in_states) in self.env.cr.fetchall():
            if has_states and not in_states:
                continue
            if rule_city and city_key(rule_city) != city:
                continue
            # the dimensions set on the rule, in the order of SPECIFICITY
            present = (rule_city, has_states, has_team, has_category, has_priority)
            score = sum(weight for (_name, weight), is_set in zip(SPECIFICITY, present)
                        if is_set)
            if score > best_score:
                best, best_score = rule_id, score
        return self.sudo().browse(best) if best else self.browse()

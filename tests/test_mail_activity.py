# -*- coding: utf-8 -*-
from .common import AfterSalesCase


class TestActivityDeadlines(AfterSalesCase):
    """mail.activity's triggers are narrowed to the activities' own models (models/
    mail_activity.py): the next deadline every model with activities stores must still follow
    its activities, on the addon's documents and on the other models' records alike (in Odoo 11
    itself a new activity's deadline was not stored: see the method)."""

    @classmethod
    def setUpClass(cls):
        super(TestActivityDeadlines, cls).setUpClass()
        cls.request = cls.env["after_sales.request"].create({
            "partner_id": cls.customer.id, "product_id": cls.product.id,
            "description": "Heater trips the breaker"})
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")

    def _activity(self, record, deadline):
        return self.env["mail.activity"].create({
            "res_model_id": self.env["ir.model"]._get_id(record._name), "res_id": record.id,
            "activity_type_id": self.todo.id, "user_id": self.user_manager.id,
            "date_deadline": deadline, "summary": "Check"})

    def _stored_deadline(self, record):
        self.env.cr.execute('SELECT activity_date_deadline FROM "%s" WHERE id = %%s'
                            % record._table, (record.id,))
        value = self.env.cr.fetchone()[0]
        return value and str(value)

    def test_deadline_follows_activities_of_each_model(self):
        for record in (self.request, self.customer):
            first = self._activity(record, "2026-12-10")
            self._activity(record, "2026-12-20")
            self.env["base"].recompute()
            self.assertEqual(self._stored_deadline(record), "2026-12-10", record._name)
            first.write({"date_deadline": "2026-12-30"})
            self.env["base"].recompute()
            self.assertEqual(self._stored_deadline(record), "2026-12-20", record._name)
            record.activity_ids.filtered(lambda a: a.date_deadline == "2026-12-20").unlink()
            self.env["base"].recompute()
            self.assertEqual(self._stored_deadline(record), "2026-12-30", record._name)
            record.activity_ids.unlink()
            self.env["base"].recompute()
            self.assertFalse(self._stored_deadline(record), record._name)

    def test_other_models_untouched(self):
        """An activity of a request changes no other model's stored deadline."""
        self._activity(self.customer, "2026-12-15")
        self._activity(self.request, "2026-12-05")
        self.env["base"].recompute()
        self.assertEqual(self._stored_deadline(self.customer), "2026-12-15")
        self.assertEqual(self._stored_deadline(self.request), "2026-12-05")

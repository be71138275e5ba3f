# -*- coding: utf-8 -*-
import os

from odoo import api, models, tools
from odoo.addons.queue_job.job import identity_exact
from odoo.addons.queue_job.jobrunner.runner import _channels

from .document_mixin import DEFER_CHECKS_KEY, INSERTING_KEY

CHUNK_PARAM = "after_sales_service.job_chunk_size"
MODE_PARAM = "after_sales_service.jobs"  # "delay" or "inline": overrides the detection
MODE_KEY = "after_sales_jobs"  # the same, in a context (tests, shell)
DEFAULT_CHUNK_SIZE = 500
RECOMPUTE_EVERY = 100  # records created by a pass between two recomputations


def create_records(model, vals_list, create=None):
    """The records `vals_list` of `model` created one by one (Odoo 11 creates one record at a
    time) with their stored computed fields recomputed every RECOMPUTE_EVERY records, one
    UPDATE per field and value, rather than one per record; not all at the end: Odoo 11's set
    of records to recompute grows by a copy at each record (quadratic over thousands). An
    after-sales document's constraints and input rules (all of them) are checked for each
    chunk at once.

    :param create: function(model with recomputation deferred, vals) -> record, the model's
        create by default
    """
    create = create or (lambda quiet, vals: quiet.create(vals))
    # an after-sales document's constraints and input rules are checked once per chunk
    quiet = model.with_context(**{"recompute": False, DEFER_CHECKS_KEY: model._name,
                                  INSERTING_KEY: model._name})
    ids = []
    for start in range(0, len(vals_list), RECOMPUTE_EVERY):
        chunk = [create(quiet, vals).id for vals in vals_list[start:start + RECOMPUTE_EVERY]]
        model.recompute()
        model.browse(chunk)._validate_fields(list(model._fields))
        ids.extend(chunk)
    return model.browse(ids)


class JobMixin(models.AbstractModel):
    """Heavy passes off the HTTP and cron workers: OCA queue_job jobs of bounded size.

    A scheduled pass finds its candidates in one query and hands them to
    `_after_sales_run_chunks`, which calls a job method on chunks of at most
    `after_sales_service.job_chunk_size` (500) of them. Each chunk is one job on the method's
    channel (data/queue_job_data.xml) when a job runner serves this server, else the chunks run
    here, one after the other, in the caller's transaction (the developer server, the tests).
    A job method re-checks its candidates in its own transaction: a chunk run twice (a retried
    job) creates nothing twice."""

    _name = "after_sales.job.mixin"
    _description = "After-Sales Background Jobs"

    @api.model
    def _after_sales_jobs_delayed(self):
        """Whether work is enqueued as jobs rather than done at once: the context key
        `after_sales_jobs` ("delay" / "inline"), else the system parameter of the same
        meaning, else queue_job's own switches (test_queue_job_no_delay) and whether this
        server runs queue_job's job runner (--load=web,queue_job with a root channel of some
        capacity): without a runner an enqueued job would never run."""
        mode = self.env.context.get(MODE_KEY) or self.env["ir.config_parameter"].sudo() \
            .get_param(MODE_PARAM)
        if mode in ("delay", "inline"):
            return mode == "delay"
        if self.env.context.get("test_queue_job_no_delay") or \
                os.environ.get("TEST_QUEUE_JOB_NO_DELAY"):
            return False
        server_wide = [name.strip() for name in
                       (tools.config["server_wide_modules"] or "").split(",")]
        return "queue_job" in server_wide and not _channels().strip().startswith("root:0")

    @api.model
    def _after_sales_chunk_size(self):
        value = self.env["ir.config_parameter"].sudo().get_param(CHUNK_PARAM)
        try:
            size = int(value or DEFAULT_CHUNK_SIZE)
        except ValueError:
            size = DEFAULT_CHUNK_SIZE
        return size if size > 0 else DEFAULT_CHUNK_SIZE

    @api.model
    def _after_sales_run_chunks(self, method_name, ids, args=(), on_records=False,
                                result=None):
        """Call the job method `method_name` on chunks of `ids` (in their order), each one
        a job (see `_after_sales_jobs_delayed`) or a call made here.

        :param on_records: the method runs on the chunk's records of this model; else on an
            empty recordset of it, with the chunk's ids as first argument (candidates of
            another model)
        :param args: the method's further arguments (stored with the job: plain values)
        :param result: empty recordset the inline calls' results are added to
        :return: `result` with what the inline calls returned (nothing when enqueued)"""
        if not ids:
            return result
        size = self._after_sales_chunk_size()
        delayed = self._after_sales_jobs_delayed()
        for start in range(0, len(ids), size):
            chunk = list(ids[start:start + size])
            target = self.browse(chunk) if on_records else self.browse()
            call_args = tuple(args) if on_records else (chunk,) + tuple(args)
            if delayed:
                # a pending job of the same chunk and arguments is not enqueued again
                getattr(target.with_delay(identity_key=identity_exact), method_name)(
                    *call_args)
                continue
            value = getattr(target, method_name)(*call_args)
            if result is not None and value is not None:
                result |= value
        return result

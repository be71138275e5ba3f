# -*- coding: utf-8 -*-
"""Narrower recomputation triggers on Odoo's stock records for the addon's stored computes.

The addon stores states and quantities computed from transfers and moves (a return case's
dispositions, the old parts of an outbound order). For every move or transfer written, Odoo 11
looks for the documents to recompute with one search per (model, path), although nearly every
transfer is no after-sales one and the move already knows its document. `modified_narrowed`
finds them without a search where it can, exactly the same records, and leaves every other
trigger to Odoo."""


def many2one_ids(records, fname):
    """The ids many2one `fname` of `records` points to: from the cache, the records missing
    there in one query (not a read: that would also read, and recompute, their other
    fields), whose values are then cached."""
    field = records._fields[fname]
    cache = records.env.cache
    missing = set(cache.get_missing_ids(records, field))
    ids = set()
    for record in records:
        if record.id not in missing:
            ids.update(cache.get_value(record, field, ()))
    if missing:
        records.env.cr.execute('SELECT id, "%s" FROM "%s" WHERE id IN %%s'
                               % (fname, records._table), (tuple(missing),))
        for record_id, value in records.env.cr.fetchall():
            if value:
                ids.add(value)
            # kept as a read keeps it: the next trigger of the same records needs no query
            record = records.browse(record_id)
            cache.set(record, field, field.convert_to_cache(value or False, record))
    return ids


def modified_narrowed(records, fnames, super_modified, targets):
    """Odoo's `modified(fnames)` on `records`, except for the triggers of stored computes that
    `targets(field, path)` resolves itself: it returns the ids of the records of
    `field.model_name` to recompute (a set, maybe empty), or None to leave the trigger to Odoo.
    Records being created in a form (new ids) keep Odoo's way."""
    if not all(isinstance(record_id, int) for record_id in records._ids):
        return super_modified(fnames)
    kept, handled, found = {}, [], {}
    for fname in fnames:
        mfield = records._fields[fname]
        kept[mfield] = []
        for field, path in records._field_triggers[mfield]:
            if not (field.compute and field.store):
                ids = None
            elif (field.model_name, path) in found:
                ids = found[(field.model_name, path)]
            else:
                ids = found[(field.model_name, path)] = targets(field, path)
            if ids is None:
                kept[mfield].append((field, path))
            else:
                handled.append((field, ids))
    # an attribute of this recordset only: the registry's triggers stay as they are
    records._field_triggers = kept
    try:
        result = super_modified(fnames)
    finally:
        del records._field_triggers
    invalids = []
    for field, ids in handled:
        target = records.env[field.model_name].browse(sorted(ids)) - records.env.protected(field)
        if target:
            invalids.append((field, target._ids))
            (target.sudo() if field.compute_sudo else target)._recompute_todo(field)
    if invalids:
        records.env.cache.invalidate(invalids)
    return result

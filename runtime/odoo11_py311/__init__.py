"""Odoo 11 on Python 3.11: the compatibility fixes, applied once before Odoo is imported.

Odoo 11 was written for Python 3.5-3.7. Each fix below answers one change of a later Python (or of
a dependency that has no release for Python 3.11 old enough for Odoo 11) and is the narrowest
change that lets Odoo's own code run unmodified. Each one is covered by ``runtime/tests``.

Usage (see ``runtime/odoo-bin``)::

    import odoo11_py311
    odoo11_py311.apply()
    import odoo
"""
import importlib.abc
import importlib.util
import sys

from . import fixes

_applied = False


class _PostImportFinder(importlib.abc.MetaPathFinder):
    """Run a patch right after a named module has executed, whenever it is first imported."""

    def __init__(self, hooks):
        self.hooks = hooks

    def find_spec(self, fullname, path, target=None):
        if fullname not in self.hooks:
            return None
        # Find the real spec with the other finders, then wrap its loader.
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        patch = self.hooks[fullname]
        exec_module = loader.exec_module

        class _PatchingLoader(importlib.abc.Loader):
            def create_module(self, spec):
                return loader.create_module(spec)

            def exec_module(self, module):
                exec_module(module)
                patch(module)

            def __getattr__(self, name):  # get_source, get_code, is_package...
                return getattr(loader, name)

        spec.loader = _PatchingLoader()
        return spec


def apply():
    """Apply every fix once; safe to call more than once."""
    global _applied
    if _applied:
        return
    for fix in fixes.BEFORE_IMPORT:
        fix()
    sys.meta_path.insert(0, _PostImportFinder(dict(fixes.AFTER_IMPORT)))
    # Modules already imported (e.g. by a test runner) are patched now.
    for name, patch in fixes.AFTER_IMPORT:
        if name in sys.modules:
            patch(sys.modules[name])
    _applied = True

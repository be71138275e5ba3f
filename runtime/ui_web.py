"""Driving Odoo 11's web client as a user does, for the browser journeys (ui_journeys.py).

Elements are found by what does not change with wording or menu layout: field names
(`[name=partner_id]`), button names (header buttons, which Odoo 11 renders without their name,
by their place among the header buttons of the user's form view, read from the view
definition, their label checked against it), menu xml ids (`[data-menu-xmlid=...]`, the
action's URL when a menu is gone), statusbar values (`data-value`). Every helper waits for the
web client to be idle (no RPC in flight, no blocked UI) before it returns, and raises
`StepFailure` with what the user would have seen when something is not there.
"""
import re
import time

IDLE_QUIET_MS = 250
TIMEOUT = 30000


class StepFailure(Exception):
    pass


class Web(object):
    """One user's browser tab on the web client."""

    def __init__(self, page, base):
        self.page = page
        self.base = base
        self.pending = set()
        self.last_activity = time.time()
        self.js_errors = []
        self.failed_requests = []
        self.downloads = []
        self.notes = []
        self.broken = False  # a step of this user stopped half-way (see Run.step)
        page.on("download", lambda d: self.downloads.append(d.url))
        page.on("request", self._on_request)
        page.on("requestfinished", self._on_done)
        page.on("requestfailed", self._on_failed)
        page.on("console", self._on_console)
        page.on("pageerror", lambda e: self.js_errors.append("pageerror: %s" % e))
        page.on("dialog", lambda dialog: dialog.accept())  # leaving a page being edited
        page.set_default_timeout(TIMEOUT)

    # ------------------------------------------------------------------ events

    def _on_request(self, request):
        if "longpolling" not in request.url:
            self.pending.add(request)
            self.last_activity = time.time()

    def _on_done(self, request):
        self.pending.discard(request)
        self.last_activity = time.time()

    def _on_failed(self, request):
        self._on_done(request)
        if "longpolling" not in request.url:
            self.failed_requests.append((request.failure, request.url))

    def request_failures(self):
        """Requests that failed, but those the browser turned into a download (aborted as a
        page load, as Chromium does)."""
        return ["%s %s" % (failure, url[:120]) for failure, url in self.failed_requests
                if not (url in self.downloads and "ERR_ABORTED" in (failure or ""))]

    def _on_console(self, message):
        if message.type == "error":
            where = (message.location or {}).get("url") or ""
            self.js_errors.append("console: %s%s" % (message.text, " (%s)" % where[:120]
                                                     if where else ""))

    # ------------------------------------------------------------------ waiting

    def idle(self, timeout=60.0):
        """Wait until no request is in flight for a moment and the UI is not blocked."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            self.page.wait_for_timeout(50)
            quiet = (time.time() - self.last_activity) * 1000 >= IDLE_QUIET_MS
            if self.pending or not quiet:
                continue
            if self.page.locator(".blockUI:visible, .o_loading:visible").count():
                continue
            return
        raise StepFailure("the web client stayed busy for %ss (%d requests in flight: %s)" % (
            timeout, len(self.pending), ", ".join(r.url for r in list(self.pending)[:3])))

    def check_errors(self):
        """An Odoo error dialog or error notification on screen fails the step with its text."""
        dialog = self.page.locator(".modal:visible .o_dialog_warning,"
                                   " .modal:visible .o_dialog_error")
        if dialog.count():
            title = self.page.locator(".modal:visible .modal-title").first.inner_text()
            raise StepFailure("error dialog '%s': %s" % (
                title.strip(), _short(dialog.first.inner_text())))
        note = self.page.locator(".o_notification.o_error:visible")
        if note.count():
            raise StepFailure("error notification: %s" % _short(note.first.inner_text()))

    def settle(self):
        self.idle()
        self.check_errors()

    # ------------------------------------------------------------------ navigation

    def login(self, login, password):
        # the first pages compile their asset bundles (lessc): slow on a loaded machine
        self.page.goto(self.base + "/web/login", timeout=180000)
        self.page.fill("input[name=login]", login)
        self.page.fill("input[name=password]", password)
        # the web client's first load may build the backend bundles for minutes: the click
        # does not wait for it, the web client is waited for
        self.page.click("button[type=submit]", no_wait_after=True)
        self.page.locator(".o_web_client").wait_for(timeout=300000)
        self.settle()

    def portal_login(self, login, password):
        """A portal user logs in on /web/login and lands on his portal (/my)."""
        self.page.goto(self.base + "/web/login", timeout=180000)
        self.page.fill("input[name=login]", login)
        self.page.fill("input[name=password]", password)
        with self.page.expect_navigation(timeout=180000):
            self.page.click("button[type=submit]")
        self.page.wait_for_load_state(timeout=180000)
        self.idle()

    def open_app(self, xmlid="after_sales_service.after_sales_root_menu"):
        """Open an application from the home menu (the app drawer), as the user does."""
        toggle = self.page.locator(".app-drawer-toggle:visible, .o_menu_toggle:visible")
        if not self.page.locator(".drawer-open").count() and toggle.count():
            toggle.first.click()
            self.page.wait_for_timeout(800)  # the drawer slides in
        app = self.page.locator('a[data-menu-xmlid="%s"]' % xmlid)
        if not app.count():
            raise StepFailure("no application menu %s for this user" % xmlid)
        app.first.wait_for(state="visible")
        _click(app.first)
        self.settle()
        self.wait_view()

    def menu(self, xmlid, action=None):
        """Click a menu of the open application by its xml id, opening its section first.
        Without that menu (menus being regrouped), the action's URL opens the same list and
        a note says so."""
        link = self.page.locator('a[data-menu-xmlid="%s"]' % xmlid)
        if not link.count() and action:
            self.notes.append("menu %s not found: opened %s by its URL" % (xmlid, action))
            self.action(action)
            return
        if not link.count():
            raise StepFailure("menu %s not shown to this user" % xmlid)
        link = link.first
        if not link.is_visible():
            # web_responsive's navbar: the menu sits in its section's dropdown (or the
            # collapsed navbar on a phone)
            burger = self.page.locator(".navbar-toggle:not(.app-drawer-toggle):visible")
            if burger.count() and not link.is_visible():
                burger.first.click()
                self.page.wait_for_timeout(300)
            section = self.page.locator(
                'li:has(> ul a[data-menu-xmlid="%s"]) > a.dropdown-toggle:visible' % xmlid)
            if section.count() and not link.is_visible():
                section.first.click()
                self.page.wait_for_timeout(300)
        link.click()
        self.settle()
        self.wait_view()

    def action(self, xmlid, **params):
        """Open an action by its xml id in the URL (where a menu path may still change)."""
        extra = "".join("&%s=%s" % item for item in sorted(params.items()))
        self.page.goto("%s/web#action=%s%s" % (self.base, xmlid, extra))
        self.page.locator(".o_web_client").wait_for()
        self.settle()
        self.wait_view()

    def wait_view(self):
        self.page.locator(".o_content .o_view_manager_content > *, .o_content > .o_form_view,"
                          " .o_content .o_form_view").first.wait_for()
        self.settle()

    def back(self, index=-2):
        """Go back in the breadcrumb (index of the crumb to reopen)."""
        crumbs = self.page.locator(".o_control_panel .breadcrumb li a")
        crumbs.nth(crumbs.count() + 1 + index if index < 0 else index).click()
        self.settle()
        self.wait_view()

    # ------------------------------------------------------------------ views

    def form(self):
        """The form view in front (a dialog's when one is open)."""
        dialog = self.page.locator(".modal:visible .o_form_view")
        if dialog.count():
            return dialog.last
        return self.page.locator(".o_content .o_form_view").last

    def create(self):
        """The control panel's Create button (list, kanban or form)."""
        self.page.locator(".o_control_panel .o-kanban-button-new:visible,"
                          " .o_control_panel .o_list_button_add:visible,"
                          " .o_control_panel .o_form_button_create:visible").first.click()
        self.settle()
        self.form().wait_for()

    def edit(self):
        self.page.locator(".o_control_panel .o_form_button_edit:visible").first.click()
        self.settle()

    def save(self):
        self.page.locator(".o_control_panel .o_form_button_save:visible").first.click()
        self.settle()
        self.page.locator(".o_control_panel .o_form_button_edit:visible").first.wait_for()
        self.settle()

    def field(self, name, scope=None):
        scope = scope or self.form()
        loc = scope.locator('.o_field_widget[name="%s"]' % name)
        if not loc.count():
            raise StepFailure("field %s not shown" % name)
        return loc.first

    def show_field(self, name, scope=None):
        """Bring a field into view: open the notebook page that holds it."""
        scope = scope or self.form()
        loc = scope.locator('.o_field_widget[name="%s"]' % name)
        if not loc.count():
            raise StepFailure("field %s not in the form" % name)
        if not loc.first.is_visible():
            pane = scope.locator('.tab-pane:has(.o_field_widget[name="%s"])' % name)
            if pane.count():
                pane_id = pane.first.get_attribute("id")
                scope.locator('a[href="#%s"]' % pane_id).first.click()
                self.page.wait_for_timeout(200)
        loc.first.scroll_into_view_if_needed()
        return loc.first

    def page_tab(self, field_name, scope=None):
        """Open the notebook page holding this field."""
        self.show_field(field_name, scope)

    def fill(self, name, value, scope=None):
        """Type into a char, text, float or monetary field."""
        widget = self.show_field(name, scope)
        target = widget
        tag = widget.evaluate("e => e.tagName")
        if tag not in ("INPUT", "TEXTAREA"):
            target = widget.locator("input, textarea").first
        target.click()
        target.fill(str(value))
        if target.evaluate("e => e.tagName") == "TEXTAREA":
            # Tab would not leave a text box of a one2many row: tell the field it changed
            target.evaluate("e => e.dispatchEvent(new Event('change', {bubbles: true}))")
        else:
            target.press("Tab")
        self.settle()

    def select(self, name, value, scope=None):
        """Choose a value of a selection field (by its technical value)."""
        widget = self.show_field(name, scope)
        widget.select_option(value=_json_value(value))
        self.settle()

    def check(self, name, on=True, scope=None):
        widget = self.show_field(name, scope)
        box = widget.locator("input[type=checkbox]")
        if box.is_checked() != on:
            box.click(force=True)
        self.settle()

    def datetime(self, name, text, scope=None):
        """Type a date/datetime the way the user's language writes it, then leave the field."""
        widget = self.show_field(name, scope)
        target = widget.locator("input").first
        target.click()
        target.fill(text)
        target.press("Enter")
        self.page.wait_for_timeout(100)
        target.press("Tab")
        if self.page.locator(".bootstrap-datetimepicker-widget:visible").count():
            self.page.keyboard.press("Escape")  # the picker stays open over the form
        self.settle()

    def many2one(self, name, text, choose=None, scope=None):
        """Type in a many2one and pick the suggestion whose label contains `choose`."""
        widget = self.show_field(name, scope)
        target = widget.locator("input").first
        target.click()
        target.fill(text)
        choose = choose or text
        item = self.page.locator("ul.ui-autocomplete:visible li:not(.o_m2o_dropdown_option) a",
                                 has_text=choose)
        try:
            item.first.wait_for(timeout=15000)
        except Exception:
            shown = self.page.locator("ul.ui-autocomplete:visible li a").all_inner_texts()
            raise StepFailure("no suggestion '%s' for %s (shown: %s)"
                              % (choose, name, shown)) from None
        item.first.click()
        self.settle()

    def value(self, name, scope=None):
        """What the field shows (readonly text or input value)."""
        widget = self.show_field(name, scope)
        tag = widget.evaluate("e => e.tagName")
        if tag in ("INPUT", "TEXTAREA"):
            return widget.input_value()
        if tag == "SELECT":
            return widget.evaluate("e => e.options[e.selectedIndex].text")
        inner = widget.locator("input")
        if inner.count() and widget.locator("input[type=checkbox]").count():
            return widget.locator("input[type=checkbox]").is_checked()
        if inner.count():
            return inner.first.input_value()
        return widget.inner_text().strip()

    # ------------------------------------------------------------------ buttons

    def model(self):
        """The model of the record in front, from the URL (Odoo 11 keeps it in the hash)."""
        found = re.search(r"[#&]model=([\w.]+)", self.page.url)
        if not found:
            raise StepFailure("no model in the URL %s" % self.page.url)
        return found.group(1)

    def button(self, name, scope=None):
        """Click a header button by its name (on a phone, from the Task menu).

        Odoo 11 renders header buttons without their name: the position of the button among
        the header buttons of the user's own form view (view_buttons, read from the view
        definition) finds it, and its label is checked against the view's."""
        scope = scope or self.form()
        names, labels = self._buttons()
        if name not in names:
            raise StepFailure("no button %s in the form view of %s" % (name, self.model()))
        index = names.index(name)
        base = scope.locator(".o_statusbar_buttons_base .o_statusbar_buttons > button")
        if base.count() != len(names):
            raise StepFailure("the form shows %d header buttons, its view has %d"
                              % (base.count(), len(names)))
        target = base.nth(index)
        if not target.is_visible():
            toggle = scope.locator(".o_statusbar_buttons_dropdown:visible .dropdown-toggle")
            if toggle.count():
                items = scope.locator(".o_statusbar_buttons_dropdown .dropdown-menu > li > button")
                if not items.nth(index).is_visible():
                    toggle.first.click()
                    self.page.wait_for_timeout(300)
                target = items.nth(index)
        if not target.is_visible():
            raise StepFailure("button %s (%s) not shown (buttons shown: %s)" % (
                name, labels[index], self.visible_buttons(scope)))
        text = target.inner_text().strip()
        if text != labels[index]:
            raise StepFailure("button %s shows %r, its view says %r" % (name, text, labels[index]))
        target.click()
        self.settle()

    def _buttons(self):
        found = re.search(r"[#&]action=(\d+)", self.page.url)
        return self.view_buttons(self.model(), int(found.group(1)) if found else None)

    def visible_buttons(self, scope=None):
        scope = scope or self.form()
        names, _labels = self._buttons()
        buttons = scope.locator(".o_statusbar_buttons_base .o_statusbar_buttons > button")
        shown = []
        for i in range(min(buttons.count(), len(names))):
            if buttons.nth(i).is_visible():
                shown.append(names[i])
        if not any(buttons.nth(i).is_visible() for i in range(buttons.count())):
            items = scope.locator(".o_statusbar_buttons_dropdown .dropdown-menu > li > button")
            shown = [names[i] for i in range(min(items.count(), len(names)))
                     if "o_invisible_modifier" not in (items.nth(i).get_attribute("class") or "")]
        return shown

    def view_buttons(self, model, action_id):
        """([names], [labels]) of the header buttons of the form view this user gets for the
        model in that window action; set by the runner (it reads the view definition through
        XML-RPC)."""
        raise NotImplementedError

    def dialog_button(self, name=None):
        """Click a button of the dialog in front (by name, else the primary one)."""
        modal = self.page.locator(".modal:visible").last
        if name:
            loc = modal.locator('.modal-footer button[name="%s"], footer button[name="%s"]'
                                % (name, name))
        else:
            loc = modal.locator(".modal-footer .btn-primary")
        loc.first.click()
        self.settle()

    def status(self, scope=None):
        """(value, label) of the statusbar's current state."""
        scope = scope or self.form()
        current = scope.locator(".o_statusbar_status button.btn-primary")
        if not current.count():
            current = scope.locator(".o_statusbar_status .o_arrow_button.btn-primary, "
                                    ".o_statusbar_status .btn-primary")
        if not current.count():
            raise StepFailure("no statusbar shown")
        el = current.first
        return el.get_attribute("data-value"), el.inner_text().strip()

    def expect_status(self, value, label, scope=None):
        got = self.status(scope)
        if got != (value, label):
            raise StepFailure("statusbar shows %r (%s), expected %r (%s)" % (
                got[1], got[0], label, value))
        return got

    # ------------------------------------------------------------------ x2many

    def add_line(self, name, scope=None):
        """Add a line to a one2many as the screen offers it: 'Add an item' of an editable list
        (returns the row being edited), or the Create button of a kanban of lines (returns
        the line's form, in a dialog). Returns (scope, in_dialog); close_line() keeps it."""
        widget = self.show_field(name, scope)
        add = widget.locator(".o_field_x2many_list_row_add a")
        if add.count():
            add.first.click()
            self.settle()
            row = widget.locator("tr.o_selected_row")
            row.first.wait_for()
            return row.first, False
        create = widget.locator(".o-kanban-button-new")
        if not create.count():
            raise StepFailure("no way to add a line to %s" % name)
        create.first.click()
        self.settle()
        self.page.locator(".modal:visible .o_form_view").last.wait_for()
        return self.page.locator(".modal:visible").last, True

    def x2many_mode(self, name, scope=None):
        """'list' or 'kanban': how a one2many shows its lines."""
        widget = self.show_field(name, scope)
        return "kanban" if "o_field_x2many_kanban" in (widget.get_attribute("class") or "") \
            else "list"

    def rows(self, name, scope=None):
        widget = self.show_field(name, scope)
        return widget.locator("tbody tr.o_data_row")

    def cell(self, x2many, row_index, field):
        """The text of a line's cell in a one2many list, found by the column's field name
        (Odoo 11 keeps it as jQuery data on the column head, not as an attribute)."""
        widget = self.show_field(x2many)
        text = widget.evaluate("""(e, args) => {
            const heads = Array.from(e.querySelectorAll('thead th'));
            const index = heads.findIndex(th => window.$(th).data('name') === args[1]);
            const row = e.querySelectorAll('tbody tr.o_data_row')[args[0]];
            if (index < 0 || !row) return null;
            return row.children[index].innerText.trim();
        }""", [row_index, field])
        if text is None:
            raise StepFailure("no column %s in line %d of %s" % (field, row_index + 1, x2many))
        return text

    def edit_cell(self, x2many, row_index, field):
        """Click a cell of an editable list to put its row in edition; returns the row."""
        widget = self.show_field(x2many)
        row = widget.locator("tbody tr.o_data_row").nth(row_index)
        cell = row.locator('td:has([name="%s"])' % field)
        if not cell.count():
            cell = row.locator("td.o_data_cell").first
        cell.first.click()
        self.settle()
        return widget.locator("tr.o_selected_row").first

    def open_line(self, x2many, index, field):
        """Open a line of a one2many for editing, as the screen shows it: the row of an
        editable list, or (on a phone, where Odoo 11 shows x2many lists as kanban cards) the
        card, whose form opens in a dialog. Returns (scope, in_dialog)."""
        widget = self.show_field(x2many)
        if widget.locator("tbody tr.o_data_row").count():
            return self.edit_cell(x2many, index, field), False
        cards = widget.locator(".o_kanban_record:not(.o_kanban_ghost)")
        if cards.count() <= index:
            raise StepFailure("line %d of %s not shown" % (index + 1, x2many))
        cards.nth(index).click()
        self.settle()
        self.page.locator(".modal:visible .o_form_view").last.wait_for()
        return self.page.locator(".modal:visible").last, True

    def close_line(self, in_dialog):
        """Keep the line edited by open_line or add_line: its dialog's first button (Save,
        or Save & Close; not Save & New)."""
        if in_dialog:
            modal = self.page.locator(".modal:visible").last
            modal.locator(".modal-footer .btn-primary").first.click()
            self.settle()
            modal.wait_for(state="hidden")

    # ------------------------------------------------------------------ lists and kanban

    def list_rows(self, text=None):
        rows = self.page.locator(".o_content .o_list_view tbody tr.o_data_row")
        if text:
            rows = rows.filter(has_text=text)
        return rows

    def open_row(self, text):
        rows = self.list_rows(text)
        if not rows.count():
            raise StepFailure("no line '%s' in the list (lines: %s)" % (
                text, [_short(t, 80) for t in self.list_rows().all_inner_texts()[:8]]))
        rows.first.locator("td.o_data_cell").first.click()
        self.settle()
        self.form().wait_for()

    def search(self, text):
        """Type in the search view and take its first proposal (search by the default field)."""
        facets = self.page.locator(".o_searchview_facet").count()
        box = self.page.locator(".o_searchview_input")
        box.click()
        box.fill("")
        box.type(text, delay=20)  # key by key: the search view proposes on key events
        first = self.page.locator(".o_searchview_autocomplete:visible li", has_text=text).first
        first.wait_for()
        box.press("Enter")
        try:
            self.page.wait_for_function(
                "n => document.querySelectorAll('.o_searchview_facet').length > n",
                arg=facets, timeout=5000)
        except Exception:
            first.click()  # the proposal list came late: take its first line by hand
            self.page.wait_for_function(
                "n => document.querySelectorAll('.o_searchview_facet').length > n", arg=facets)
        self.settle()

    def clear_filters(self):
        for close in self.page.locator(".o_searchview_facet .o_facet_remove").all()[::-1]:
            close.click()
            self.settle()

    def switch_view(self, view_type):
        self.page.locator(".o_cp_switch_buttons button[data-view-type=%s]" % view_type).click()
        self.settle()

    # ------------------------------------------------------------------ language

    def untranslated(self):
        """Labels on screen still in English on a zh_CN page: field labels, column heads,
        tabs, separators, header and statusbar buttons, smart button texts; and breadcrumbs
        that name a record by its technical id ('after_sales.statistics,1')."""
        return self.page.evaluate(r"""() => {
            const sel = ['.o_content .o_form_label', '.o_content thead th',
                '.o_content .o_horizontal_separator', '.o_content .o_notebook .nav-tabs a',
                '.o_content .o_statusbar_buttons_base button',
                '.o_content .o_statusbar_status button', '.o_content .o_stat_text',
                '.o_control_panel .breadcrumb li'].join(', ');
            const out = [];
            for (const e of document.querySelectorAll(sel)) {
                if (!e.offsetParent) continue;
                const t = (e.innerText || '').trim();
                const crumb = e.matches('.breadcrumb li');
                const english = crumb ? /^[a-z_.]+,\d+$/.test(t)
                    : /[A-Za-z]{3,}/.test(t) && !/[\u3400-\u9fff]/.test(t)
                      && !/^(https?:\/\/|[\w.+-]+@)\S+$/.test(t)  // a link, an address
                      && !/^[\w.-]+\.[A-Za-z0-9]{2,4}$/.test(t);  // a file's name
                if (english && !out.includes(t)) out.push(t);
            }
            return out;
        }""")

    # ------------------------------------------------------------------ evidence

    def screenshot(self, path):
        """The whole page: the web client scrolls inside .o_content, so the window is made as
        tall as that content for the picture (the width, hence the layout, is kept)."""
        size = self.page.viewport_size
        height = self.page.evaluate(
            "() => { var c = document.querySelector('.o_content');"
            " document.querySelectorAll('*').forEach(function (e) {"
            "   if (e.scrollTop) { e.scrollTop = 0; } }); window.scrollTo(0, 0);"
            " var h = c ? c.scrollHeight + c.getBoundingClientRect().top : 0;"
            " return Math.max(h, document.documentElement.scrollHeight); }")
        tall = min(max(int(height), size["height"]), 6000)
        if tall > size["height"]:
            self.page.set_viewport_size({"width": size["width"], "height": tall})
            self.page.wait_for_timeout(300)
        try:
            self.page.screenshot(path=path)
        finally:
            if tall > size["height"]:
                self.page.set_viewport_size(size)


def _click(locator, tries=5):
    """Click an element that may still be moving (drawers and dropdowns slide in)."""
    for attempt in range(tries):
        try:
            locator.click(timeout=3000)
            return
        except Exception:
            if attempt == tries - 1:
                raise


def _short(text, limit=300):
    text = re.sub(r"\s+", " ", text or "").strip()
    return text if len(text) <= limit else text[:limit] + "..."


def _json_value(value):
    """Odoo 11 renders selection options with JSON-encoded values ('"hotline"')."""
    return '"%s"' % value if isinstance(value, str) else str(value)

# -*- coding: utf-8 -*-
"""The statistics workbook (《售后服务部维修统计表》 in Excel).

Made through OCA report_xlsx rather than by hand: it is an `ir.actions.report` like the PDF,
so it sits in the print menu of the statistics, is downloaded by report_xlsx's controller
without storing an attachment per export, and follows the same access rules as the PDF.
report_xlsx 11.0 opens the workbook with `get_workbook_options()` (no `in_memory`), so the
workbook is opened here in xlsxwriter's constant_memory mode: each row is flushed to a temporary
file once the next one is written, and the detail sheet streams the requests from a server-side
cursor (see `after_sales.statistics._iter_detail_rows`)."""
from xlsxwriter.utility import xl_range

from odoo import _, models

NUMBER_FORMATS = {
    "int": "#,##0",
    "qty": "#,##0.00",
    "percent": "0.0%",
    "hours": "#,##0.0",
    "datetime": "yyyy-mm-dd hh:mm",
}


class StatisticsXlsx(models.AbstractModel):
    _name = "report.after_sales_service.statistics_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Service Statistics Workbook"

    def get_workbook_options(self):
        return {"constant_memory": True, "strings_to_numbers": False,
                "strings_to_formulas": False, "strings_to_urls": False}

    def generate_xlsx_report(self, workbook, data, wizards):
        wizard = wizards[:1]
        wizard.ensure_one()
        formats = self._formats(workbook, wizard)
        tables = wizard._statistics_tables()
        heading = [wizard._report_title(), wizard._report_subtitle()]
        for table in tables:
            sheet = self._write_table(workbook, formats, table, heading)
            if table["key"] == "trend":
                self._add_trend_chart(workbook, sheet, table)
        self._write_detail(workbook, formats, wizard, heading)

    # ------------------------------------------------------------------ formats

    def _formats(self, workbook, wizard):
        currency = wizard.currency_id
        money = "#,##0.%s" % ("0" * currency.decimal_places) if currency.decimal_places \
            else "#,##0"
        if currency.symbol:
            symbol = '"%s"' % currency.symbol.replace('"', "")
            money = "%s %s" % (symbol, money) if currency.position == "before" \
                else "%s %s" % (money, symbol)
        # yes/no columns hold 1 or 0: "Yes" for a positive number, "No" for zero
        yes_no = '"%s";"%s";"%s"' % (_("Yes").replace('"', ""), _("Yes").replace('"', ""),
                                     _("No").replace('"', ""))
        number_formats = dict(NUMBER_FORMATS, money=money, bool=yes_no)
        formats = {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "subtitle": workbook.add_format({"italic": True, "font_color": "#555555"}),
            "note": workbook.add_format({"italic": True, "font_color": "#777777"}),
            "header": workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1,
                                           "text_wrap": True, "valign": "vcenter",
                                           "align": "center"}),
            "text": workbook.add_format({}),
            "total_text": workbook.add_format({"bold": True, "top": 2}),
        }
        for name, number_format in number_formats.items():
            formats[name] = workbook.add_format({"num_format": number_format})
            formats["total_" + name] = workbook.add_format({"num_format": number_format,
                                                            "bold": True, "top": 2})
        return formats

    # ------------------------------------------------------------------ tables

    def _write_table(self, workbook, formats, table, heading):
        """One sheet: title, period, headers (frozen), rows, totals in bold."""
        sheet = workbook.add_worksheet(table["sheet"][:31])
        columns = table["columns"]
        sheet.set_column(0, 0, 32)
        sheet.set_column(1, len(columns) - 1, 14)
        sheet.write_string(0, 0, "%s - %s" % (heading[0], table["title"]), formats["title"])
        sheet.write_string(1, 0, heading[1], formats["subtitle"])
        header_row = 3
        sheet.set_row(header_row, 45)
        for col, (label, _col_type) in enumerate(columns):
            sheet.write_string(header_row, col, label, formats["header"])
        sheet.freeze_panes(header_row + 1, 1)
        row = header_row
        for values in table["rows"]:
            row += 1
            self._write_values(sheet, formats, row, columns, values, "")
        if table["total"]:
            row += 1
            self._write_values(sheet, formats, row, columns, table["total"], "total_")
        if table["note"]:
            sheet.write_string(row + 2, 0, table["note"], formats["note"])
        return sheet

    def _write_values(self, sheet, formats, row, columns, values, prefix):
        for col, ((_label, col_type), value) in enumerate(zip(columns, values)):
            cell_format = formats[prefix + col_type]
            if col_type == "text":
                sheet.write_string(row, col, value or "", cell_format)
            elif value is None:
                sheet.write_blank(row, col, None, cell_format)
            else:
                sheet.write_number(row, col, value, cell_format)

    def _add_trend_chart(self, workbook, sheet, table):
        """Requests and resolved as columns, the on-time and satisfaction rates as lines on a
        second axis, below the trend table."""
        first, last = 4, 3 + len(table["rows"])
        name = table["sheet"][:31].replace("'", "''")

        def ref(col):
            return ["'%s'" % name, first, col, last, col]
        columns = workbook.add_chart({"type": "column"})
        for col in (1, 2):
            columns.add_series({"name": ["'%s'" % name, 3, col], "categories": ref(0),
                                "values": ref(col)})
        lines = workbook.add_chart({"type": "line"})
        for col in (3, 5):
            lines.add_series({"name": ["'%s'" % name, 3, col], "categories": ref(0),
                              "values": ref(col), "y2_axis": True,
                              "marker": {"type": "circle"}})
        columns.combine(lines)
        columns.set_title({"name": table["title"]})
        columns.set_y_axis({"name": table["columns"][1][0]})
        lines.set_y2_axis({"name": "%", "num_format": "0%", "min": 0, "max": 1})
        columns.set_size({"width": 860, "height": 380})
        sheet.insert_chart(last + 4, 0, columns)

    # ------------------------------------------------------------------ detail

    def _write_detail(self, workbook, formats, wizard, heading):
        """Every request of the period, one row each, streamed in order (constant memory)."""
        sheet = workbook.add_worksheet(_("Requests (Detail)")[:31])
        columns = wizard._detail_columns()
        labels = wizard._detail_labels()
        for col, (label, _col_type, width) in enumerate(columns):
            sheet.set_column(col, col, width)
        sheet.set_row(0, 45)
        for col, (label, _col_type, _width) in enumerate(columns):
            sheet.write_string(0, col, label, formats["header"])
        sheet.freeze_panes(1, 1)
        write_string, write_number = sheet.write_string, sheet.write_number
        datetime_format, hours_format = formats["datetime"], formats["hours"]
        bool_format = formats["bool"]
        hours_columns = [col for col, column in enumerate(columns) if column[1] == "hours"]
        hours_sum, hours_count = dict.fromkeys(hours_columns, 0.0), dict.fromkeys(hours_columns, 0)
        row = 0
        for values in wizard._iter_detail_rows():
            row += 1
            for col, value in enumerate(values):
                if value is None:
                    continue
                col_type = columns[col][1]
                if col_type == "datetime":
                    write_number(row, col, value, datetime_format)
                elif col_type == "hours":
                    write_number(row, col, value, hours_format)
                    hours_sum[col] += value
                    hours_count[col] += 1
                elif col_type == "bool":
                    write_number(row, col, value, bool_format)
                elif col_type == "text":
                    write_string(row, col, value)
                else:
                    write_string(row, col, labels[col_type].get(value, value))
        sheet.autofilter(0, 0, max(row, 1), len(columns) - 1)
        # totals: the number of requests, and the mean of each working-hours column
        sheet.write_string(row + 1, 0, _("Total: %s requests") % row, formats["total_text"])
        for col in hours_columns:
            mean = hours_sum[col] / hours_count[col] if hours_count[col] else None
            if mean is None:
                sheet.write_blank(row + 1, col, None, formats["total_hours"])
            else:
                sheet.write_formula(row + 1, col, "=AVERAGE(%s)" % xl_range(1, col, row, col),
                                    formats["total_hours"], mean)
        return row

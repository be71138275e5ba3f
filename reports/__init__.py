# -*- coding: utf-8 -*-
# SQL analysis views (one per model) and the renderers of the printed and exported reports
from . import report_mixin
from . import request_report
from . import visit_technician_report
from . import satisfaction_report
from . import complaint_report
from . import complaint_action_report
from . import parts_issue_report
from . import return_report
from . import money_report
from . import report_forms
from . import visit_report
from . import statistics_xlsx
from . import complaint_list
from . import indicators
from . import survey_result_report
from . import quality_audit_report

# -*- coding: utf-8 -*-
from . import test_install
from . import test_request
from . import test_visit
from . import test_complaint
from . import test_return
from . import test_parts
from . import test_callback
from . import test_expense_claim
from . import test_contract
from . import test_demand
from . import test_reports
from . import test_dashboard
from . import test_statistics
from . import test_company

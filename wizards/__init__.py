# -*- coding: utf-8 -*-
from . import reason_wizard
from . import warranty_override_wizard
from . import statistics_wizard
from . import dashboard
from . import complaint_list_wizard
from . import station_parts_wizard
from . import station_reconcile_wizard
from . import station_settlement_wizard

# -*- coding: utf-8 -*-
from . import reason_wizard
from . import warranty_override_wizard
from . import statistics_wizard
from . import dashboard
from . import complaint_list_wizard

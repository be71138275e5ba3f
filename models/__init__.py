# -*- coding: utf-8 -*-
from . import res_company
from . import charge_mixin
from . import product_template
from . import team
from . import sla_rule
from . import warranty_card
from . import fee_standard
from . import request
from . import res_partner
from . import stock_picking
from . import stock_warehouse
from . import qualification
from . import visit
from . import request_visit
from . import complaint
from . import complaint_action
from . import request_complaint

# -*- coding: utf-8 -*-
from . import res_company
from . import complaint
from . import complaint_action

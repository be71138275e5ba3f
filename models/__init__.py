# -*- coding: utf-8 -*-
# mixins first: the documents inherit them
from . import document_mixin
from . import numbered_document
from . import charge_mixin
from . import group_names_mixin
from . import job_mixin
from . import portal_access
# Odoo's models the addon extends
from . import res_company
from . import res_config_settings
from . import res_partner
from . import res_users
from . import product_template
from . import stock_warehouse
from . import stock_location
from . import stock_picking
from . import stock_move
from . import stock_scrap
from . import account_invoice
from . import account_invoice_line
from . import account_move
from . import account_move_line
from . import mail_thread
# the addon's own models
from . import team
from . import sla_rule
from . import fee_standard
from . import qualification_type
from . import technician_qualification
from . import warranty_card
from . import request
from . import visit
from . import parts_order
from . import parts_order_line
from . import old_part
from . import complaint
from . import complaint_action
from . import callback_type
from . import callback
from . import return_case
from . import return_approval
from . import return_disposition
from . import return_compensation
from . import expense_claim
from . import contract
from . import demand
from . import statistics_export
# training, station inspection and assessments (people)
from . import product_category
from . import training_plan
from . import training_session
from . import mentoring
from . import assessment_figures_mixin
from . import station_inspection
from . import station_assessment
from . import staff_assessment

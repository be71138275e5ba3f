# -*- coding: utf-8 -*-
"""Selection values shared by the service request, time limits, fee standard and statistics."""

CHANNELS = [
    ("hotline", "Service Hotline"),
    ("web", "Web / Online Feedback"),
    ("mail", "E-mail / Letter / Fax"),
    ("sales", "Relayed by Sales"),
    ("callback", "Raised in a Callback"),
    ("media", "Media"),
    ("station", "Service Station"),
]

CATEGORIES = [
    ("repair", "Repair"),
    ("installation", "Installation"),
    ("training", "Training"),
    ("consultation", "Technical Consultation"),
    ("parts", "Parts Request"),
    ("inspection", "Maintenance / Inspection"),
    ("return", "Return / Exchange"),
    ("complaint", "Complaint"),
]

PRIORITIES = [
    ("0", "Normal"),
    ("1", "Urgent"),
]

SHIPPING_METHODS = [
    ("courier", "Courier"),
    ("logistics", "Logistics"),
    ("technician", "With the Technician"),
    ("pickup", "Customer Pick-up"),
]

VISIT_PURPOSES = [
    ("installation", "Installation"),
    ("training", "Training"),
    ("repair", "Repair"),
    ("inspection", "Maintenance / Inspection"),
]

# the states of a service request still open (its warranty is decided again when a card or a
# contract changes)
REQUEST_OPEN_STATES = ("new", "in_progress", "waiting")

# the states of a contract that covered the products it lists during its period: an expired
# contract still covers what happened while it was in force
COVERING_STATES = ("active", "expired")

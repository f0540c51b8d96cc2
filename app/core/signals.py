"""Domain signals (blinker, as Flask uses): other parts react without being imported here.

Sent inside the transaction that made the change; receivers only queue work (an outbox row).
"""

from blinker import Namespace

_signals = Namespace()

product_changed = _signals.signal("product-changed")  # sender: the Product
ikm_changed = _signals.signal("ikm-changed")  # sender: the IKM (verification, name, region)
partner_changed = _signals.signal("partner-changed")  # sender: the Partner (activated or not)

"""Who is the trade office: the administrators, who verify, run partners and see the figures."""


def is_trade_office(user) -> bool:
    return bool(getattr(user, "is_admin", False))

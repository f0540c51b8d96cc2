"""Who is the trade office: the administrators, who verify, run partners and see the figures."""


def is_trade_office(user) -> bool:
    return bool(getattr(user, "is_admin", False))


def can_read_audit_trail(user) -> bool:
    """The whole audit trail: who did what, across every organisation."""
    return is_trade_office(user)


def can_manage_users(user) -> bool:
    """Deactivate accounts, grant administrator rights, change anyone's memberships."""
    return is_trade_office(user)

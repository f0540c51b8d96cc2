"""The buyer's shortlist: the save buttons of the catalogue, the shortlist page, and sending a
request to IKMs of the shortlist."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.core import clock, uow
from app.core.access import requires
from app.core.forms import ConfirmForm
from app.core.paging import requested_page
from app.core.security import safe_next
from app.matching import bp, permissions, shortlist
from app.matching.views import _request_or_404


def shortlist_org(user, org_id: int | None = None):
    """The ordering organisation whose shortlist ``user`` keeps: the one asked for if the user
    belongs to it, else the first (by id); None for someone who orders for no organisation."""
    orgs = sorted(permissions.ordering_orgs(user), key=lambda o: o.id)
    chosen = [o for o in orgs if o.id == org_id]
    return (chosen or orgs or [None])[0]


@bp.app_template_global()
def shortlist_state():
    """The save buttons' state for this page (two queries, once per page); None for visitors
    and members of no buyer or partner organisation, who see no button."""
    if "shortlist_state" not in g:
        org = shortlist_org(current_user) if current_user.is_authenticated else None
        g.shortlist_state = shortlist.saved_state(org) if org is not None else None
    return g.shortlist_state


def _org_or_404():
    org = shortlist_org(current_user, request.values.get("org", type=int))
    if org is None:
        abort(404)
    return org


def _back(default: str):
    return redirect(safe_next(request.form.get("next"), default))


def _id_or_none(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


@bp.route("/simpanan")
@login_required
@requires(permissions.can_post_requests)
def shortlist_page():
    org = _org_or_404()
    ikm_page, product_page = requested_page(), requested_page("produk")
    return render_template(
        "matching/shortlist.html",
        org=org,
        orgs=sorted(permissions.ordering_orgs(current_user), key=lambda o: o.id),
        ikms=shortlist.saved_ikms(org, ikm_page),
        ikms_url=lambda n: url_for(
            "matching.shortlist_page", org=org.id, page=n, produk=product_page
        ),
        products=shortlist.saved_products(org, product_page, clock.today()),
        products_url=lambda n: url_for(
            "matching.shortlist_page", org=org.id, page=ikm_page, produk=n
        ),
        confirm_form=ConfirmForm(),
    )


def _change(work, success: str):
    """Save or remove with a checked token; the answer goes back where the button was."""
    org = _org_or_404()
    if ConfirmForm().validate_on_submit():
        uow.run(lambda: work(org), success=success)
    else:
        flash(_("Your form expired. Please send it again."), "error")
    return _back(url_for("matching.shortlist_page", org=org.id))


@bp.route("/simpanan/produk/<int:product_id>", methods=["POST"])
@login_required
@requires(permissions.can_post_requests)
def save_product(product_id: int):
    return _change(
        lambda org: shortlist.save_product(org, product_id, by=current_user),
        _("Saved to your shortlist."),
    )


@bp.route("/simpanan/produk/<int:product_id>/hapus", methods=["POST"])
@login_required
@requires(permissions.can_post_requests)
def remove_product(product_id: int):
    return _change(
        lambda org: shortlist.remove_product(org, product_id, by=current_user),
        _("Removed from your shortlist."),
    )


@bp.route("/simpanan/ikm/<int:ikm_id>", methods=["POST"])
@login_required
@requires(permissions.can_post_requests)
def save_ikm(ikm_id: int):
    return _change(
        lambda org: shortlist.save_ikm(org, ikm_id, by=current_user),
        _("Saved to your shortlist."),
    )


@bp.route("/simpanan/ikm/<int:ikm_id>/hapus", methods=["POST"])
@login_required
@requires(permissions.can_post_requests)
def remove_ikm(ikm_id: int):
    return _change(
        lambda org: shortlist.remove_ikm(org, ikm_id, by=current_user),
        _("Removed from your shortlist."),
    )


def _chosen_ids(values: list[str]) -> list[int] | None:
    """The ``ikm`` values of the form: ids, or None when one is not an id."""
    ids = [_id_or_none(value) for value in values]
    return None if None in ids else list(dict.fromkeys(ids))


@bp.route("/<int:request_id>/dari-simpanan", methods=["GET", "POST"])
@login_required
def send_from_shortlist(request_id: int):
    found = _request_or_404(request_id, manage=True)
    if found.state not in ("draft", "open"):
        abort(404)
    if request.method == "POST":
        chosen = _chosen_ids(request.form.getlist("ikm"))
        if not ConfirmForm().validate_on_submit():
            flash(_("Your form expired. Please send it again."), "error")
        elif chosen is None:
            flash(_("Choose IKMs from your shortlist."), "error")
        else:
            done = uow.run(
                lambda: shortlist.send_from_shortlist(found, chosen, by=current_user),
                success=lambda sent: ngettext(
                    "The request is sent to %(num)d IKM.",
                    "The request is sent to %(num)d IKMs.",
                    len(sent),
                ),
            )
            if done:
                return redirect(url_for("matching.quotes", request_id=found.id))
        return redirect(url_for("matching.send_from_shortlist", request_id=found.id))
    return render_template(
        "matching/send_from_shortlist.html",
        req=found,
        candidates=shortlist.candidates(found, requested_page()),
        page_url=lambda n: url_for("matching.send_from_shortlist", request_id=found.id, page=n),
        confirm_form=ConfirmForm(),
    )

"""Enquiry threads: the inbox, a thread and its reply form, and starting one from a product
page or from a request for one of the IKMs it was sent to."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.catalog.models import Product
from app.core import uow
from app.core.access import found_or_404
from app.core.forms import options
from app.core.paging import MAX_PAGE, requested_page
from app.extensions import db
from app.matching import bp, permissions, threads
from app.matching.forms import MessageForm
from app.matching.models import BuyerRequest, EnquiryThread
from app.orgs.models import IKM


@bp.route("/pesan")
@login_required
def inbox():
    return _inbox(None)


@bp.route("/peluang/<int:ikm_id>/pesan")
@login_required
def ikm_inbox(ikm_id: int):
    return _inbox(found_or_404(IKM, ikm_id, permissions.can_act_for_ikm))


def _inbox(ikm: IKM | None):
    endpoint, values = (
        ("matching.inbox", {}) if ikm is None else ("matching.ikm_inbox", {"ikm_id": ikm.id})
    )
    return render_template(
        "matching/threads.html",
        ikm=ikm,
        rows=threads.inbox(current_user, requested_page(), None if ikm is None else [ikm.id]),
        page_url=lambda n: url_for(endpoint, page=n, **values),
        topic=threads.topic,
        my_org_ids=set(threads.participant_org_ids(current_user)),
    )


def _sent() -> None:
    flash(_("Your message is sent."), "success")


def _message_form(orgs=()) -> MessageForm:
    form = MessageForm()
    if len(orgs) > 1:
        form.organisation_id.choices = options((o.id, o.name) for o in orgs)
    else:
        del form.organisation_id
    return form


@bp.route("/pesan/<int:thread_id>", methods=["GET", "POST"])
@login_required
def thread(thread_id: int):
    found = found_or_404(EnquiryThread, thread_id, permissions.can_view_thread)
    can_write = permissions.can_write_in_thread(current_user, found)
    form = _message_form()
    if form.is_submitted():
        if not can_write:
            abort(404)  # administrators read; they do not write
        if form.validate():
            done = uow.run(lambda: threads.reply(found, form.body.data, by=current_user), form=form)
            if done:
                _sent()
                return redirect(url_for("matching.thread", thread_id=found.id, _anchor="balas"))
    if can_write and not form.is_submitted():
        threads.mark_read(found, current_user)
        db.session.commit()  # before the page is read: a commit expires what was loaded
    page = threads.messages(found, requested_page() if "page" in request.args else MAX_PAGE)
    return _render(found, form, page, can_write)


def _render(found, form, page, can_write, **subject):
    """The thread's page; without a thread yet, its first message's form about ``subject``
    (``topic``, ``ikm`` and the ``product`` or ``req``)."""
    if found is not None:
        subject["topic"] = threads.topic(found)
    return render_template(
        "matching/thread.html",
        thread=found,
        form=form,
        messages=page,
        page_url=lambda n: url_for("matching.thread", thread_id=found.id, page=n),
        can_write=can_write,
        max_message=threads.MAX_MESSAGE,
        ikm_side=found is not None and permissions.thread_sides(current_user, found)[1],
        request_visible=found is not None
        and found.request is not None
        and permissions.can_view_request(current_user, found.request),
        **subject,
    )


@bp.route("/pesan/produk/<int:product_id>", methods=["GET", "POST"])
@login_required
def ask_about_product(product_id: int):
    orgs = permissions.ordering_orgs(current_user)
    if not orgs:
        abort(404)
    product = db.session.get(Product, product_id)
    if product is None or not threads.is_listed(product.id):
        flash(_("This product is not in the catalogue."), "error")
        return redirect(url_for("showcase.search_page"))
    form = _message_form(orgs)
    if len(orgs) == 1 and not form.is_submitted():
        existing = threads.find_thread(orgs[0], product.ikm, product=product)
        if existing is not None:
            return redirect(url_for("matching.thread", thread_id=existing.id, _anchor="balas"))
    if form.validate_on_submit():
        buyer = _chosen(orgs, form)
        done = uow.run(
            lambda: threads.ask_about_product(buyer, product, form.body.data, by=current_user),
            form=form,
        )
        if done:
            _sent()
            return redirect(url_for("matching.thread", thread_id=done.value.thread_id))
    return _render(None, form, None, True, product=product, ikm=product.ikm, topic=product.name)


def _chosen(orgs, form):
    if form.organisation_id is None:
        return orgs[0]
    return next(o for o in orgs if o.id == form.organisation_id.data)


@bp.route("/<int:request_id>/pesan/<int:ikm_id>", methods=["GET", "POST"])
@login_required
def ask_about_request(request_id: int, ikm_id: int):
    found = found_or_404(BuyerRequest, request_id, permissions.can_manage_request)
    ikm = db.session.get(IKM, ikm_id)
    if ikm is None or not threads.is_recipient(found, ikm.id):
        abort(404)
    existing = threads.find_thread(found.buyer, ikm, request=found)
    if existing is not None:
        return redirect(url_for("matching.thread", thread_id=existing.id, _anchor="balas"))
    form = _message_form()
    if form.validate_on_submit():
        done = uow.run(
            lambda: threads.ask_about_request(found, ikm, form.body.data, by=current_user),
            form=form,
        )
        if done:
            _sent()
            return redirect(url_for("matching.thread", thread_id=done.value.thread_id))
    return _render(None, form, None, True, req=found, ikm=ikm, topic=found.title)

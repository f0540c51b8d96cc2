"""The IKM side of the catalogue: products, photos, certificates, and the preview."""

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app import storage
from app.catalog import bp, claims, permissions, readiness, services
from app.catalog.forms import CertificateForm, PhotoForm, ProductForm
from app.catalog.models import Certificate, Photo, Product
from app.core import clock, uow
from app.core.access import found_or_404
from app.core.errors import DomainValidationError
from app.core.forms import ConfirmForm, options
from app.core.paging import requested_page
from app.core.security import log_event
from app.core.urls import parse_id
from app.extensions import db
from app.orgs.forms import fill_region_choices
from app.orgs.models import IKM


def _ikm_or_404(ikm_id: int) -> IKM:
    return found_or_404(IKM, ikm_id, permissions.can_manage_catalog)


def _product_or_404(product_id: int) -> Product:
    product = db.session.get(Product, product_id)
    if product is None or not permissions.can_edit_product(current_user, product):
        abort(404)
    return product


def _certificate_or_404(certificate_id: int) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or not permissions.can_edit_certificate(current_user, certificate):
        abort(404)
    return certificate


# -- products --------------------------------------------------------------------------------


@bp.route("/kelola/ikm/<int:ikm_id>/produk")
@login_required
def products(ikm_id: int):
    ikm = _ikm_or_404(ikm_id)
    archived = request.args.get("arsip") == "1"
    page = services.product_cards(ikm, requested_page(), archived=archived)
    today = clock.today()
    checks = {product.id: readiness.checklist(product, today) for product in page.items}
    return render_template(
        "catalog/products.html",
        ikm=ikm,
        products=page,
        page_url=lambda n: url_for(
            "catalog.products", ikm_id=ikm.id, arsip=1 if archived else None, page=n
        ),
        checks=checks,
        archived=archived,
        summary=readiness.summary,
        confirm_form=ConfirmForm(),
    )


def _product_form(ikm: IKM, product: Product | None = None) -> ProductForm:
    form = ProductForm(obj=product)
    categories = services.leaf_categories()
    form.category_id.choices = options(
        [(0, _("Choose…"))] + [(c.id, c.full_name) for c in categories]
    )
    fill_region_choices(
        form.origin_province, form.origin_regency_code, blank_label=_("Same as the IKM")
    )
    form.certificate_ids.choices = options(
        (c.id, f"{c.type_label} {c.number}") for c in services.ikm_certificates(ikm)
    )
    if request.method == "GET":
        _prefill(form, ikm, product)
    return form


def _prefill(form: ProductForm, ikm: IKM, product: Product | None) -> None:
    regency = product.origin_regency_code if product else ikm.regency_code
    form.origin_regency_code.data = regency
    form.origin_province.data = regency[:2] if regency else ""
    if product is None:
        form.capacity_monthly.data = None
        return
    form.certificate_ids.data = [c.id for c in product.certificates]
    for row, tier in zip(form.price_tiers, product.price_tiers, strict=False):
        row.form.min_qty.data, row.form.unit_price.data = tier.min_qty, tier.unit_price
    for row, pair in zip(form.attributes, product.attributes, strict=False):
        row.form.label.data, row.form.value.data = pair["label"], pair["value"]


def _product_data(form: ProductForm) -> services.ProductData:
    names = [
        n
        for n in services.ProductData.__dataclass_fields__
        if n not in ("price_tiers", "attributes")
    ]
    values = {name: form[name].data for name in names}
    return services.ProductData(
        **values, price_tiers=form.tiers(), attributes=form.attribute_pairs()
    )


@bp.route("/kelola/ikm/<int:ikm_id>/produk/baru", methods=["GET", "POST"])
@login_required
def new_product(ikm_id: int):
    ikm = _ikm_or_404(ikm_id)
    form = _product_form(ikm)
    if form.validate_on_submit():
        done = uow.run(
            lambda: services.create_product(ikm, _product_data(form), by=current_user),
            form=form,
            success=_("The product is saved. Now add photos."),
        )
        if done:
            return redirect(url_for("catalog.photos", product_id=done.value.id))
    return render_template("catalog/product_form.html", form=form, ikm=ikm, product=None)


@bp.route("/kelola/produk/<int:product_id>", methods=["GET", "POST"])
@login_required
def edit_product(product_id: int):
    product = _product_or_404(product_id)
    form = _product_form(product.ikm, product)
    if form.validate_on_submit() and uow.run(
        lambda: services.update_product(product, _product_data(form), by=current_user),
        form=form,
        success=_("The product is saved."),
    ):
        return redirect(url_for("catalog.products", ikm_id=product.ikm_id))
    checks = readiness.checklist(product, clock.today())
    return render_template(
        "catalog/product_form.html", form=form, ikm=product.ikm, product=product, checks=checks
    )


@bp.route("/kelola/produk/<int:product_id>/salin", methods=["POST"])
@login_required
def duplicate_product(product_id: int):
    product = _product_or_404(product_id)
    if ConfirmForm().validate_on_submit():
        copy = services.duplicate_product(product, by=current_user)
        db.session.commit()
        flash(_("A copy is made. Change what differs and save."), "success")
        return redirect(url_for("catalog.edit_product", product_id=copy.id))
    return redirect(url_for("catalog.products", ikm_id=product.ikm_id))


@bp.route("/kelola/produk/<int:product_id>/arsip", methods=["POST"])
@login_required
def archive_product(product_id: int):
    product = _product_or_404(product_id)
    if ConfirmForm().validate_on_submit():
        if product.is_archived:
            services.restore_product(product, by=current_user)
            flash(_("The product is back in your list."), "success")
        else:
            services.archive_product(product, by=current_user)
            flash(_("The product is archived. You find it under Archived."), "success")
        db.session.commit()
    return redirect(url_for("catalog.products", ikm_id=product.ikm_id))


@bp.route("/kelola/produk/<int:product_id>/pratinjau")
@login_required
def preview(product_id: int):
    product = _product_or_404(product_id)
    return render_template(
        "catalog/product_detail.html", product=product, today=clock.today(), preview=True
    )


# -- photos ----------------------------------------------------------------------------------


@bp.route("/kelola/produk/<int:product_id>/foto", methods=["GET", "POST"])
@login_required
def photos(product_id: int):
    product = _product_or_404(product_id)
    form = PhotoForm()
    if form.validate_on_submit():
        _add_photos(product, request.files.getlist(form.photos.name))
        return redirect(url_for("catalog.photos", product_id=product.id))
    return render_template(
        "catalog/photos.html",
        product=product,
        form=form,
        confirm_form=ConfirmForm(),
        limit=current_app.config["PHOTOS_PER_PRODUCT"],
    )


def _add_photos(product: Product, uploads) -> None:
    """Each file on its own: a bad one is reported and skipped, the good ones are kept."""
    added = 0
    for upload in uploads:
        if not upload or not upload.filename:
            continue
        try:
            services.add_photo(product, upload.read(), by=current_user)
        except DomainValidationError as error:
            db.session.rollback()
            log_event(
                "upload.rejected", kind="photo", product_id=product.id, reason=str(error.message)
            )
            flash(
                _("%(file)s: %(problem)s", file=upload.filename[:80], problem=error.message),
                "error",
            )
        else:
            db.session.commit()
            added += 1
    if added:
        flash(ngettext("%(num)d photo added.", "%(num)d photos added.", added), "success")
    elif not any(u and u.filename for u in uploads):
        flash(_("Choose one or more photos first."), "error")


def _photo_or_404(product: Product, photo_id: int) -> Photo:
    photo = db.session.get(Photo, photo_id)
    if photo is None or photo.product_id != product.id:
        abort(404)
    return photo


@bp.route("/kelola/produk/<int:product_id>/foto/<int:photo_id>/<action>", methods=["POST"])
@login_required
def photo_action(product_id: int, photo_id: int, action: str):
    product = _product_or_404(product_id)
    photo = _photo_or_404(product, photo_id)
    actions = {
        "naik": lambda: services.move_photo(photo, -1, by=current_user),
        "turun": lambda: services.move_photo(photo, 1, by=current_user),
        "sampul": lambda: services.set_cover(photo, by=current_user),
        "hapus": lambda: services.delete_photo(photo, by=current_user),
    }
    if action not in actions:
        abort(404)
    if ConfirmForm().validate_on_submit():
        actions[action]()
        db.session.commit()
    return redirect(url_for("catalog.photos", product_id=product.id))


# -- certificates ----------------------------------------------------------------------------


@bp.route("/kelola/ikm/<int:ikm_id>/sertifikat")
@login_required
def certificates(ikm_id: int):
    ikm = _ikm_or_404(ikm_id)
    return render_template(
        "catalog/certificates.html",
        ikm=ikm,
        certificates=services.certificate_cards(ikm, requested_page()),
        page_url=lambda n: url_for("catalog.certificates", ikm_id=ikm.id, page=n),
        today=clock.today(),
        confirm_form=ConfirmForm(),
    )


def _certificate_form(ikm: IKM, certificate: Certificate | None = None) -> CertificateForm:
    form = CertificateForm(obj=certificate)
    form.product_ids.choices = options((p.id, p.name) for p in services.ikm_products(ikm))
    if request.method == "GET" and certificate is not None:
        form.product_ids.data = [p.id for p in certificate.products]
    return form


def _certificate_data(form: CertificateForm) -> services.CertificateData:
    return services.CertificateData(
        **{n: form[n].data for n in services.CertificateData.__dataclass_fields__}
    )


def _upload(form: CertificateForm) -> bytes | None:
    upload = form.document.data
    return upload.read() if upload and getattr(upload, "filename", "") else None


def _warn_if_claimed_elsewhere(certificate) -> None:
    """Saved all the same: the number may be mistyped, or the other claim may be wrong."""
    if claims.claimed_elsewhere([certificate]):
        flash(
            _(
                "Another IKM has already registered a %(kind)s certificate with this number. "
                "Check that you typed it correctly; the trade office will look into it.",
                kind=certificate.type_label,
            ),
            "warning",
        )


@bp.route("/kelola/ikm/<int:ikm_id>/sertifikat/baru", methods=["GET", "POST"])
@login_required
def new_certificate(ikm_id: int):
    ikm = _ikm_or_404(ikm_id)
    form = _certificate_form(ikm)
    chosen = parse_id(request.args.get("produk"))
    if request.method == "GET" and chosen is not None:
        form.product_ids.data = [chosen]
    if form.validate_on_submit():
        done = uow.run(
            lambda: services.create_certificate(
                ikm, _certificate_data(form), _upload(form), by=current_user
            ),
            form=form,
            success=_("The certificate is saved. The trade office will verify it."),
        )
        if done:
            _warn_if_claimed_elsewhere(done.value)
            return redirect(url_for("catalog.certificates", ikm_id=ikm.id))
    return render_template("catalog/certificate_form.html", form=form, ikm=ikm, certificate=None)


@bp.route("/kelola/sertifikat/<int:certificate_id>", methods=["GET", "POST"])
@login_required
def edit_certificate(certificate_id: int):
    certificate = _certificate_or_404(certificate_id)
    form = _certificate_form(certificate.ikm, certificate)
    if form.validate_on_submit() and uow.run(
        lambda: services.update_certificate(
            certificate, _certificate_data(form), _upload(form), by=current_user
        ),
        form=form,
        success=_("The certificate is saved."),
    ):
        _warn_if_claimed_elsewhere(certificate)
        return redirect(url_for("catalog.certificates", ikm_id=certificate.ikm_id))
    return render_template(
        "catalog/certificate_form.html",
        form=form,
        ikm=certificate.ikm,
        certificate=certificate,
        today=clock.today(),
    )


@bp.route("/kelola/sertifikat/<int:certificate_id>/hapus", methods=["POST"])
@login_required
def delete_certificate(certificate_id: int):
    certificate = _certificate_or_404(certificate_id)
    ikm_id = certificate.ikm_id
    if ConfirmForm().validate_on_submit():
        services.delete_certificate(certificate, by=current_user)
        db.session.commit()
        flash(_("The certificate is deleted."), "success")
    return redirect(url_for("catalog.certificates", ikm_id=ikm_id))


@bp.route("/sertifikat/<int:certificate_id>/dokumen")
@login_required
def certificate_document(certificate_id: int):
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or certificate.document is None:
        abort(404)
    if not permissions.can_read_certificate_document(current_user, certificate):
        log_event(
            "access.denied",
            what="certificate_document",
            certificate_id=certificate_id,
            user_id=current_user.id,
        )
        abort(404)
    extension = storage.EXTENSIONS[certificate.document.content_type]
    response = send_file(
        storage.path_for(certificate.document.key),
        mimetype=certificate.document.content_type,
        as_attachment=True,
        download_name=f"sertifikat-{certificate.type}-{certificate.id}.{extension}",
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response

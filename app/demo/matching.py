"""Demo buyer requests, with recommendations sent, quotes in every state and one award.

- Ramayana's 40,000 pairs of women's shoes (the 2020 Mojokerto matching event): more than any
  demo IKM, or any group of them, can make by the date; sent to the closest group.
- A furniture exporter's brass handles, sent to the brass casters of Bejijong, Trowulan.
- The Keranjang Bali's souvenir baskets (awarded: its printable summary can be seen) and tempe
  chips (declined by one IKM; the other's quote declined by the buyer).
- Ramayana's shortlist: women's shoes and a brass caster saved from the catalogue.
- Enquiry threads with unread messages on both sides: the exporter asks the Bejijong brass
  casters about the handles' finishing (their answer waits unread for the exporter); Ramayana
  asks a Mojokerto shoemaker about sizes (Ramayana's follow-up waits unread for the IKM).
"""

from __future__ import annotations

from datetime import timedelta

from app.auth.models import User
from app.catalog.models import Category, Product
from app.core import clock
from app.curation import listing
from app.demo.people import DOMAIN, _buyer
from app.extensions import db
from app.matching import quotes, recommend, services, shortlist, threads
from app.matching.models import BuyerRequest, EnquiryThread
from app.orgs.models import IKM, BuyerType, Organisation, VerificationStatus

EXPORTER = ("eksportir", "Yusuf Maulana", "CV Jati Ekspor Nusantara", BuyerType.COMPANY, "33.20")

REQUESTS = [
    # buyer organisation, login, title, category, quantity, unit, target, days, regency,
    # group size (None: one IKM), visibility, specification
    (
        "Ramayana",
        "ramayana",
        "Sepatu pantofel wanita untuk gerai Ramayana",
        "sepatu-wanita",
        40_000,
        "pasang",
        95_000,
        120,
        "31.71",
        6,
        "invited",
        "Pantofel kulit sintetis, hak 3 cm, ukuran 36-41, hitam dan cokelat, dus per pasang.",
    ),
    (
        "CV Jati Ekspor Nusantara",
        "eksportir",
        "Gagang laci dan pintu lemari dari kuningan cor",
        "kuningan-cor",
        3_000,
        "pcs",
        45_000,
        75,
        "33.20",
        2,
        "invited",
        "Gagang model klasik 12 cm, kuningan cor dipoles, dua lubang baut M4.",
    ),
    (
        "The Keranjang Bali",
        "keranjang",
        "Keranjang suvenir anyaman bambu",
        "anyaman",
        60,
        "lusin",
        None,
        45,
        "51.03",
        None,
        "open",
        "Keranjang kecil 15 cm dengan tutup, untuk paket oleh-oleh.",
    ),
    (
        "The Keranjang Bali",
        "keranjang",
        "Keripik tempe oleh-oleh kemasan 250 g",
        "keripik",
        200,
        "lusin",
        None,
        30,
        "51.03",
        None,
        "open",
        "Kemasan standing pouch dengan label Bali, P-IRT wajib.",
    ),
]


# Sent to the three best shoemakers: the first quotes and withdraws its quote (booked for
# Lebaran), the others have not answered yet.
WITHDRAWN = (
    "Ramayana",
    "ramayana",
    "Sandal kulit wanita edisi Lebaran",
    "sepatu-wanita",
    2_000,
    "pasang",
    120_000,
    90,
    "31.71",
    None,
    "invited",
    "Sandal kulit asli, sol karet, ukuran 36-40, dus per pasang.",
)


def _withdrawn(found: BuyerRequest) -> None:
    sent = quotes.recipients(found, 1).items
    if not sent or quotes.quote_of(found, sent[0].ikm):
        return
    first, owner = sent[0], _owner(sent[0].ikm_id)
    quotes.submit_quote(
        found,
        first.ikm,
        quotes.QuoteData(
            unit_price=125_000,
            quantity=found.quantity,
            delivery_on=found.delivery_on - timedelta(days=10),
            valid_until=clock.today() + timedelta(days=14),
            note="Kulit sapi nabati.",
        ),
        by=owner,
    )
    quotes.withdraw_quote(found, first.ikm, by=owner)


def _user(login: str) -> User:
    return db.session.scalar(db.select(User).filter_by(email=f"{login}@{DOMAIN}"))


def _request(row) -> BuyerRequest:
    org_name, login, title, slug, quantity, unit, target, days, regency, group, seen, spec = row
    org = db.session.scalar(db.select(Organisation).filter_by(name=org_name))
    existing = db.session.scalar(
        db.select(BuyerRequest).filter_by(buyer_org_id=org.id, title=title)
    )
    if existing is not None:
        return existing
    data = services.RequestData(
        title=title,
        category_id=db.session.scalar(db.select(Category.id).filter_by(slug=slug)),
        specification=spec,
        quantity=quantity,
        unit=unit,
        target_unit_price=target,
        delivery_on=clock.today() + timedelta(days=days),
        regency_code=regency,
        allow_consortium=group is not None,
        max_group_size=group,
        visibility=seen,
        required_certificates=["pirt"] if slug == "keripik" else [],
    )
    user = _user(login)
    found = services.create_request(org, data, by=user)
    services.open_request(found, by=user)
    _send(found, user)
    return found


def _send(found: BuyerRequest, user) -> None:
    result = recommend.recommend(found, clock.today())
    shares: dict[int, int | None] = {}
    if found.allow_consortium:
        plan, _ = recommend.consortium(found, result)
        group = plan.best or plan.closest
        shares = dict(group.allocations) if group else {}
    if not shares:
        shares = {r.ikm.id: None for r in result.recommendations[:3]}
    if shares:
        quotes.send(found, shares, by=user)


def _owner(ikm_id: int) -> User:
    return db.session.get(IKM, ikm_id).memberships[0].user


def _quotes(found: BuyerRequest, buyer_login: str) -> None:
    """The first recipient's quote accepted, the second's waiting, a third's declined; where a certificate is required, the first IKM
    declines (capacity) and the buyer declines the second's quote: quotes in every state the
    buyer and the IKMs can bring about."""
    sent = quotes.recipients(found, 1).items
    buyer = _user(buyer_login)
    for index, recipient in enumerate(sent[:3]):
        if quotes.quote_of(found, recipient.ikm) or recipient.declined_at:
            continue
        share = recipient.allocated_quantity or found.quantity
        if found.required_certificates and index == 0:
            quotes.decline_request(
                found,
                recipient.ikm,
                "Kapasitas produksi penuh sampai bulan depan.",
                by=_owner(recipient.ikm_id),
            )
            continue
        quote = quotes.submit_quote(
            found,
            recipient.ikm,
            quotes.QuoteData(
                unit_price=(found.target_unit_price or 60_000) * (100 + 5 * index) // 100,
                quantity=share,
                delivery_on=found.delivery_on - timedelta(days=5),
                valid_until=clock.today() + timedelta(days=21),
                note="Harga termasuk kemasan; ongkos kirim terpisah.",
            ),
            by=_owner(recipient.ikm_id),
        )
        if found.required_certificates or index == 2:
            quotes.decline_quote(quote, by=buyer)
        elif index == 0:
            quotes.accept_quote(quote, None, by=buyer)


def _shortlist(org_name: str, login: str) -> None:
    """A few listed women's shoes and one brass caster on the organisation's shortlist."""
    org = db.session.scalar(db.select(Organisation).filter_by(name=org_name))
    user = _user(login)
    shoes = db.session.scalars(
        listing.listed_products_query()
        .join(Category, Category.id == Product.category_id)
        .where(Category.slug == "sepatu-wanita")
        .with_only_columns(Product.id)
        .limit(3)
    ).all()
    for product_id in shoes:
        shortlist.save_product(org, product_id, by=user)
    caster = db.session.scalar(
        db.select(IKM.id)
        .join(Product, Product.ikm_id == IKM.id)
        .join(Category, Category.id == Product.category_id)
        .where(Category.slug == "kuningan-cor", IKM.status == VerificationStatus.VERIFIED)
        .order_by(IKM.id)
        .limit(1)
    )
    if caster is not None:
        shortlist.save_ikm(org, caster, by=user)


THREADS = [
    # buyer organisation, buyer login, IKM, request title (None: about a listed product),
    # messages in turn from the buyer and the IKM
    (
        "CV Jati Ekspor Nusantara",
        "eksportir",
        "Kuningan Cor Bejijong",
        "Gagang laci dan pintu lemari dari kuningan cor",
        [
            "Selamat siang Pak Joko. Untuk gagang ini, finishing apa yang bisa: kuningan "
            "dipoles mengilap, antik (oksidasi), atau satin? Pembeli kami di Belanda minta "
            "lapisan yang tidak cepat kusam.",
            "Bisa ketiganya, Pak. Yang paling tahan kusam dipoles lalu dilapis clear coat; "
            "antik kami buat dengan oksidasi lalu disikat. Kami kirim foto contoh besok.",
        ],
    ),
    (
        "Ramayana",
        "ramayana",
        "Sepatu Kulit Sumber Rejeki",
        None,
        [
            "Apakah model ini tersedia dalam ukuran 35 sampai 42? Kami perlu rincian ukuran "
            "per kodi untuk gerai di Jakarta dan Surabaya.",
            "Tersedia 36 sampai 41, Bu. Ukuran 35 dan 42 bisa dengan pesanan minimal 5 kodi "
            "per ukuran.",
            "Baik, tolong kirimkan juga tabel panjang kaki per ukuran, kami cocokkan dengan "
            "standar gerai.",
        ],
    ),
]


def _thread(row) -> None:
    buyer_name, login, ikm_name, request_title, turns = row
    buyer = db.session.scalar(db.select(Organisation).filter_by(name=buyer_name))
    ikm = db.session.scalar(db.select(IKM).filter_by(name=ikm_name))
    if buyer is None or ikm is None:
        return
    subject = {}
    if request_title is not None:
        found = db.session.scalar(
            db.select(BuyerRequest).filter_by(buyer_org_id=buyer.id, title=request_title)
        )
        if found is not None and threads.is_recipient(found, ikm.id):
            subject = {"request": found}
    if not subject:
        product = db.session.scalars(listing.listed_products_query(ikm_id=ikm.id).limit(1)).first()
        if product is None:
            return
        subject = {"product": product}
    if threads.find_thread(buyer, ikm, **subject) is not None:
        return
    asker, maker = _user(login), _owner(ikm.id)
    if "request" in subject:
        message = threads.ask_about_request(subject["request"], ikm, turns[0], by=asker)
    else:
        message = threads.ask_about_product(buyer, subject["product"], turns[0], by=asker)
    thread = db.session.get(EnquiryThread, message.thread_id)
    for index, body in enumerate(turns[1:], start=1):
        threads.reply(thread, body, by=maker if index % 2 else asker)


def seed_matching() -> dict[str, int]:
    _buyer(*EXPORTER)
    db.session.flush()
    for row in REQUESTS:
        found = _request(row)
        if found.state == "open":
            _quotes(found, row[1])
    withdrawn = _request(WITHDRAWN)
    if withdrawn.state == "open":
        _withdrawn(withdrawn)
    _shortlist("Ramayana", "ramayana")
    for row in THREADS:
        _thread(row)
    db.session.flush()
    return {
        "buyer requests": db.session.scalar(db.select(db.func.count(BuyerRequest.id))),
        "enquiry threads": db.session.scalar(db.select(db.func.count(EnquiryThread.id))),
    }

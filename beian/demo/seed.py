"""The seed's story as builders, for the demo data and the tests: users of every
role, a qualifying server, and a first filing filled in like the seed's (an
individual in Suzhou, Jiangsu)."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from beian.accounts.models import Role, User
from beian.core import clock
from beian.filings import services
from beian.filings.states import profile
from beian.hosting.models import Billing, Server
from beian.hosting.services import issue_service_code
from beian.materials.requirements import missing_materials
from beian.materials.services import upload_material
from beian.rules import areas

# The seed's filer: a valid resident ID from Suzhou, a Suzhou mobile.
SEED_ID = "320508199003071239"
SEED_MOBILE = "13962100000"
SEED_EMAIL = "zhang.wei@example.cn"
# The filing password (备案密码) MIIT gives a filer on approval, for later filings.
FILING_PASSWORD = "Bamm-2025-zw"


def make_user(
    username: str,
    role: str = Role.APPLICANT,
    *,
    provinces=None,
    password: str = "beian-demo-2026",
    mobile: str = "",
    email: str = "",
) -> User:
    user = User.objects.create_user(
        username=username,
        password=password,
        role=role,
        provinces=provinces or [],
        mobile=mobile,
        email=email or f"{username}@example.cn",
    )
    if role == Role.ADMIN:
        user.is_staff = user.is_superuser = True
        user.save()
    return user


def make_server(owner: User, *, ip: str = "203.0.113.10", months: int = 12, **overrides) -> Server:
    start = clock.today() - dt.timedelta(days=10)
    fields = {
        "owner": owner,
        "instance_id": overrides.pop("instance_id", f"i-{ip.replace('.', '')}"),
        "region": "cn-shanghai",
        "is_mainland": True,
        "province": "310000",
        "public_ip": ip,
        "billing": Billing.SUBSCRIPTION,
        "subscription_start": start,
        "subscription_end": start + dt.timedelta(days=31 * months),
    }
    fields.update(overrides)
    return Server.objects.create(**fields)


def make_code(owner: User, **server_overrides) -> str:
    server = make_server(owner, **server_overrides)
    return issue_service_code(server=server, actor=owner).code


def seed_principal(**overrides) -> dict:
    values = {
        "name": "张伟",
        "certificate_type": "resident_id",
        "certificate_number": SEED_ID,
        "certificate_valid_from": dt.date(2015, 3, 1),
        "certificate_valid_to": dt.date(2035, 3, 1),
        "mobile": SEED_MOBILE,
        "emergency_phone": "15190000000",
        "email": SEED_EMAIL,
    }
    values.update(overrides)
    return values


def id_number(serial: int, prefix: str = "32050819900307") -> str:
    """A valid resident ID number (GB 11643) with the given 14-digit prefix."""
    body = f"{prefix}{serial:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(a) * w for a, w in zip(body, weights)) % 11]


def start_seed_filing(
    applicant: User,
    code: str,
    *,
    domain: str = "zhangwei-notes.cn",
    certificate_number: str = SEED_ID,
):
    """Bind the code and open the seed's first filing (individual, Suzhou)."""
    return services.start_application(
        account=applicant,
        service_code=code,
        nature="individual",
        certificate_type="resident_id",
        certificate_number=certificate_number,
        province="320000",
        domains=[domain],
        subject_name="张伟",
    )


def _place(province: str) -> dict:
    """The seed's 苏州市姑苏区; in another province, its first city and county in force."""
    if province == "320000":
        return {"city": "320500", "county": "320508"}
    city = next(code for code, _ in areas.cities(province) if areas.counties(code))
    return {"city": city, "county": areas.counties(city)[0][0]}


def fill_seed_filing(
    app, applicant, *, website_name: str = "张伟的读书笔记", materials: bool = True
):
    """Fill in the seed's data; with `materials`, also upload every required scan."""
    services.save_subject(
        app,
        actor=applicant,
        values={
            "name": "张伟",
            "certificate_address": "江苏省苏州市姑苏区人民路100号",
            **_place(app.province),
            "mailing_address": "江苏省苏州市姑苏区人民路100号3幢201室",
            "principal": seed_principal(),
        },
    )
    website = app.websites.get()
    services.save_website(
        app,
        actor=applicant,
        website_id=website.pk,
        values={
            "name": website_name,
            "home_url": f"http://www.{website.domains.first().name}",
            "service_content": "blog",
            "remarks": "个人读书笔记与技术学习记录，不涉及任何经营性内容。",
            "principal": "same_as_subject",
        },
    )
    if profile(app.filing_type).filing_password:
        services.save_filing_password(app, actor=applicant, password=FILING_PASSWORD)
    if materials:
        upload_required_materials(app, applicant)
    return app


def upload_required_materials(app, applicant) -> int:
    """Upload a scan for every material the application still lacks; returns how many."""
    missing = missing_materials(app)
    for item in missing:
        upload_material(
            app,
            actor=applicant,
            kind=item["kind"],
            upload=photo_upload(),
            principal_id=item["principal_id"],
            website_id=item["website_id"],
            domain=item["domain"] or "",
        )
    return len(missing)


def photo_upload(width: int = 1024, height: int = 768, fmt: str = "JPEG"):
    """An in-memory photo as an upload."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 200)).save(buffer, fmt)
    return SimpleUploadedFile(
        f"photo.{fmt.lower()}", buffer.getvalue(), content_type=f"image/{fmt.lower()}"
    )

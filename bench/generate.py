"""Generate realistic filed records at any size, straight into the configured database.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/beian migrate
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/generate.py --domains 1000000

Shape (national scale: ~4 M subjects, 5.5 M websites, 7 M domains): per subject
1.375 websites on average, per website 1.27 domains; 75 % organisations (valid
unified social credit codes), 25 % individuals (valid resident IDs); provinces
weighted roughly as filings are in life (Guangdong, Beijing, Zhejiang, Jiangsu,
Shanghai first); mobiles whose home region is the subject's province (found
with phonenumbers' offline geocoder); domains under real, MIIT-approved TLDs.
PII is encrypted and hashed as the application does. Every website is filed
with an open access (the gate's worst case: everything is on the allow-list).
Accounts and servers are pooled (one account per 20 subjects, one server per
500 websites) to keep the run short; they play no part in the measurements.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beian.settings")

import django  # noqa: E402

django.setup()

import phonenumbers  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from phonenumbers import geocoder  # noqa: E402

from beian.accounts.models import User  # noqa: E402
from beian.core import crypto  # noqa: E402
from beian.filings.models import (  # noqa: E402
    Access,
    Domain,
    Principal,
    Subject,
    Website,
)
from beian.hosting.models import Server  # noqa: E402
from beian.rules.areas import divisions  # noqa: E402

# (code, abbreviation, Chinese name as the geocoder says it, weight ‰)
PROVINCES = [
    ("440000", "粤", "广东", 180),
    ("110000", "京", "北京", 110),
    ("330000", "浙", "浙江", 90),
    ("320000", "苏", "江苏", 80),
    ("310000", "沪", "上海", 70),
    ("370000", "鲁", "山东", 50),
    ("350000", "闽", "福建", 45),
    ("510000", "川", "四川", 40),
    ("420000", "鄂", "湖北", 35),
    ("410000", "豫", "河南", 35),
    ("430000", "湘", "湖南", 30),
    ("340000", "皖", "安徽", 28),
    ("130000", "冀", "河北", 25),
    ("500000", "渝", "重庆", 22),
    ("610000", "陕", "陕西", 22),
    ("120000", "津", "天津", 18),
    ("210000", "辽", "辽宁", 18),
    ("360000", "赣", "江西", 18),
    ("450000", "桂", "广西", 15),
    ("530000", "云", "云南", 12),
    ("140000", "晋", "山西", 10),
    ("220000", "吉", "吉林", 8),
    ("230000", "黑", "黑龙江", 8),
    ("520000", "贵", "贵州", 10),
    ("460000", "琼", "海南", 8),
    ("150000", "蒙", "内蒙古", 5),
    ("620000", "甘", "甘肃", 5),
    ("650000", "新", "新疆", 4),
    ("640000", "宁", "宁夏", 2),
    ("630000", "青", "青海", 1),
    ("540000", "藏", "西藏", 1),
]
TLDS = [
    ("cn", 38),
    ("com", 34),
    ("com.cn", 8),
    ("net", 7),
    ("top", 4),
    ("net.cn", 2),
    ("org", 2),
    ("vip", 2),
    ("xyz", 1),
    ("org.cn", 1),
    ("cc", 1),
]
SYLLABLES = (
    "zhong an bei jing hua xin tian da li mei yun hai shan long feng kai tong ming "
    "guang sheng chuang zhi rui jia he kang yuan bo wei chen yi ke ji"
).split()
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余于杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰文辉鹏华红玉飞建国志宇浩然子轩欣怡"
WORDS = "华信 天成 启明 云帆 锐智 嘉和 博远 恒通 创新 海纳 星辰 远景 卓越 盛世 新程 联创 德邦 睿思".split()
TRADES = "科技 网络科技 信息技术 电子商务 文化传媒 教育科技 软件 数据科技 贸易 咨询".split()
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def resident_id(rng: random.Random, area: str) -> str:
    born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(365 * 45))
    body = f"{area}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return body + "10X98765432"[sum(int(a) * w for a, w in zip(body, ID_WEIGHTS)) % 11]


def uscc(rng: random.Random, area: str) -> str:
    body = "91" + area + "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, USCC_WEIGHTS))
    return body + USCC_ALPHABET[(31 - total % 31) % 31]


def mobile_prefixes(rng: random.Random) -> dict[str, list[str]]:
    """7-digit mobile prefixes by province, sampled from the offline geocoder."""
    by_name = {name: code for code, _, name, _ in PROVINCES}
    found: dict[str, list[str]] = {code: [] for code, *_ in PROVINCES}
    for head in (
        "139",
        "138",
        "137",
        "136",
        "135",
        "150",
        "151",
        "152",
        "158",
        "159",
        "186",
        "189",
    ):
        for block in range(0, 10000, 7):
            prefix = f"{head}{block:04d}"
            region = geocoder.description_for_number(phonenumbers.parse(f"+86{prefix}0000"), "zh")
            for name, code in by_name.items():
                if region.startswith(name):
                    found[code].append(prefix)
                    break
    return found


def areas_by_province() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {code: [] for code, *_ in PROVINCES}
    for code in divisions():
        if code[2:] != "0000" and code[4:] != "00" and code[:2] + "0000" in out:
            out[code[:2] + "0000"].append(code)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domains", type=int, required=True, help="filed domains to create")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch", type=int, default=5000)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    phones = mobile_prefixes(rng)
    areas = areas_by_province()
    provinces = [p for p in PROVINCES if phones[p[0]] and areas[p[0]]]
    weights = [p[3] for p in provinces]
    tld_names, tld_weights = zip(*TLDS)
    now = dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)

    owner, _ = User.objects.get_or_create(
        username="bench-owner", defaults={"role": "hosting_owner"}
    )
    start_subject = Subject.objects.count()
    n_servers = max(1, args.domains // 635)
    servers = Server.objects.bulk_create(
        Server(
            owner=owner,
            instance_id=f"bench-{start_subject}-{i}",
            region="cn-shanghai",
            is_mainland=True,
            province="310000",
            public_ip=f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}",
            billing="subscription",
        )
        for i in range(n_servers)
    )
    accounts: list[User] = []
    serial = {code: 0 for code, *_ in PROVINCES}
    made = {"subjects": 0, "websites": 0, "domains": 0}
    taken: set[str] = set()

    def domain_name() -> str:
        while True:
            label = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3))))
            if rng.random() < 0.5:
                label += str(rng.randrange(1, 9999))
            name = f"{label}.{rng.choices(tld_names, tld_weights)[0]}"
            if name not in taken:
                taken.add(name)
                return name

    while made["domains"] < args.domains:
        principals, subjects, plan = [], [], []
        for _ in range(args.batch):
            if len(accounts) <= made["subjects"] // 20:
                accounts.append(
                    User(username=f"bench-{start_subject}-{len(accounts)}", role="applicant")
                )
            code, abbr, _, _ = rng.choices(provinces, weights)[0]
            area = rng.choice(areas[code])
            organisation = rng.random() < 0.75
            person = rng.choice(SURNAMES) + "".join(
                rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))
            )
            id_number = resident_id(rng, area)
            mobile = rng.choice(phones[code]) + f"{rng.randrange(10000):04d}"
            email = f"u{start_subject + made['subjects']}@example.cn"
            principals.append(
                Principal(
                    account=None,
                    name=person,
                    certificate_number=id_number,
                    certificate_hash=crypto.lookup_hash(id_number),
                    mobile=mobile,
                    mobile_hash=crypto.lookup_hash(mobile),
                    email=email,
                    email_hash=crypto.lookup_hash(email),
                )
            )
            serial[code] += 1
            number = f"{abbr}ICP备{2015 + serial[code] % 11}{start_subject + serial[code]:06d}号"
            certificate = uscc(rng, area) if organisation else id_number
            subjects.append(
                Subject(
                    account=None,
                    nature="enterprise" if organisation else "individual",
                    name=(rng.choice(WORDS) + rng.choice(TRADES) + "有限公司")
                    if organisation
                    else person,
                    certificate_type="uscc" if organisation else "resident_id",
                    certificate_number=certificate,
                    certificate_hash=crypto.lookup_hash(certificate),
                    province=code,
                    status="filed",
                    icp_number=number,
                    filed_at=now,
                )
            )
            n_websites = 1 if rng.random() < 0.75 else rng.choice((2, 2, 3))  # 1.375 on average
            plan.append(
                [1 if rng.random() < 0.8 else rng.choice((2, 2, 3)) for _ in range(n_websites)]
            )  # 1.27
            made["subjects"] += 1
        with transaction.atomic():
            new_accounts = [a for a in accounts if a.pk is None]
            if new_accounts:
                User.objects.bulk_create(new_accounts)
                accounts[-len(new_accounts) :] = list(
                    User.objects.filter(username__in=[a.username for a in new_accounts]).order_by(
                        "pk"
                    )
                )
            for i, (p, s) in enumerate(zip(principals, subjects)):
                account = accounts[(made["subjects"] - len(subjects) + i) // 20]
                p.account = account
                s.account = account
            Principal.objects.bulk_create(principals)
            for p, s in zip(principals, subjects):
                s.principal = p
            Subject.objects.bulk_create(subjects)
            websites, per_website = [], []
            for s, p, counts in zip(subjects, principals, plan):
                for index, n_domains in enumerate(counts, 1):
                    websites.append(
                        Website(
                            subject=s,
                            name=rng.choice(WORDS) + rng.choice(("官网", "商城", "博客", "资讯")),
                            principal=p,
                            status="filed",
                            icp_number=f"{s.icp_number}-{index}",
                            index=index,
                            filed_at=now,
                        )
                    )
                    per_website.append(n_domains)
            Website.objects.bulk_create(websites)
            domains, accesses = [], []
            for w, n_domains in zip(websites, per_website):
                for _ in range(n_domains):
                    domains.append(Domain(website=w, name=domain_name(), status="filed"))
                server = servers[w.pk % len(servers)]
                accesses.append(
                    Access(
                        website=w,
                        server=server,
                        ip=server.public_ip,
                        status="open",
                        opened_at=now,
                        changed_at=now,
                    )
                )
            Domain.objects.bulk_create(domains)
            Access.objects.bulk_create(accesses)
        made["websites"] += len(websites)
        made["domains"] += len(domains)
        rate = made["domains"] / (time.perf_counter() - started)
        print(
            f"\r{made['domains']:>9} domains {made['websites']:>9} websites "
            f"{made['subjects']:>9} subjects  {rate:,.0f} domains/s",
            end="",
            flush=True,
        )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"\ndone in {time.perf_counter() - started:.0f}s: {made}")


if __name__ == "__main__":
    main()

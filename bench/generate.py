"""Generate realistic filed records at any size, straight into the configured database.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/beian migrate
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/generate.py --domains 1000000

Shape (national scale: ~4 M subjects, 5.5 M websites, 7 M domains): per subject
1.375 websites on average, per website 1.27 domains; 75 % organisations (valid
unified social credit codes), 25 % individuals (valid resident IDs); provinces
weighted roughly as filings are in life (Guangdong, Beijing, Zhejiang, Jiangsu,
Shanghai first); mobiles whose home region is the subject's province (found
with phonenumbers' offline geocoder); domains under real, MIIT-approved TLDs.
Every website is filed with an open access (the gate's worst case: everything
is on the allow-list). Accounts and servers are pooled (one account per 20
subjects, one server per 635 domains); they play no part in the measurements.

Speed: rows are written in bulk, not through the ORM: `executemany` with one
transaction per batch on SQLite (journal and fsync switched off while
generating: a bench database, rebuilt if the run dies), `COPY` on PostgreSQL.
Primary keys are assigned here so no row has to be read back. Column defaults
come from the models (one template row per model), so new columns with a
default need no change here.

PII: the lookup hashes are computed from each record's own generated value
(the hash indexes have realistic selectivity). The encrypted columns hold real
Fernet ciphertext, but from a pool of values encrypted once (encrypting every
value would dominate the run): decrypting a record gives a valid value of the
right kind, not necessarily the one its hash was computed from.

Run it on an empty (freshly migrated) database: domain names are unique only
within one run.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import hashlib
import hmac
import itertools
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
from django.db import connection  # noqa: E402
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


class Table:
    """Rows of one model as tuples in column order, from a template of the model's defaults."""

    def __init__(self, model, varying: list[str], **constants) -> None:
        instance = model(**constants)
        fields = model._meta.concrete_fields
        self.name = model._meta.db_table
        self.columns = [f.column for f in fields]
        self.template = [
            f.get_db_prep_save(getattr(instance, f.attname), connection) for f in fields
        ]
        self.positions = [self.columns.index(c) for c in varying]
        self.rows: list[tuple] = []

    def add(self, *values) -> None:
        row = self.template.copy()
        for position, value in zip(self.positions, values):
            row[position] = value
        self.rows.append(tuple(row))


class SqliteWriter:
    """executemany with the journal and fsync off and the secondary indexes
    dropped until the end (built once, sorted, instead of grown row by row)."""

    def __init__(self, path: str, tables: list[str]) -> None:
        import sqlite3

        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("PRAGMA cache_size=-1000000")  # 1 GB page cache
        marks = ", ".join("?" * len(tables))
        self.indexes = self.db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            f" AND tbl_name IN ({marks})",
            tables,
        ).fetchall()
        for name, _ in self.indexes:
            self.db.execute(f'DROP INDEX "{name}"')

    def next_id(self, table: str) -> int:
        return (self.db.execute(f'SELECT max(id) FROM "{table}"').fetchone()[0] or 0) + 1

    def write(self, tables: list[Table]) -> None:
        self.db.execute("BEGIN")
        for t in tables:
            columns = ", ".join(f'"{c}"' for c in t.columns)
            marks = ", ".join("?" * len(t.columns))
            self.db.executemany(f'INSERT INTO "{t.name}" ({columns}) VALUES ({marks})', t.rows)
        self.db.execute("COMMIT")

    def finish(self, tables: list[Table]) -> None:
        for name, definition in self.indexes:
            started = time.perf_counter()
            self.db.execute(definition)
            print(f"\nindex {name}: {time.perf_counter() - started:.0f}s", end="")
        self.db.execute("ANALYZE")
        self.db.execute("PRAGMA journal_mode=WAL")  # as the application runs it
        self.db.close()


class PostgresWriter:
    """COPY into the tables with their secondary indexes dropped and foreign-key
    triggers off (session_replication_role; needs a superuser, fine for a bench
    database): the ids are consistent by construction, and building an index once
    at the end is several times faster than growing it row by row."""

    def __init__(self, tables: list[str]) -> None:
        connection.ensure_connection()
        self.db = connection.connection  # the psycopg 3 connection Django opened
        with self.db.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)"
                " AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                [tables],
            )
            self.indexes = cursor.fetchall()
            for name, _ in self.indexes:
                cursor.execute(f'DROP INDEX "{name}"')

    def next_id(self, table: str) -> int:
        with self.db.cursor() as cursor:
            cursor.execute(f'SELECT max(id) FROM "{table}"')
            return (cursor.fetchone()[0] or 0) + 1

    def write(self, tables: list[Table]) -> None:
        with self.db.transaction(), self.db.cursor() as cursor:
            for t in tables:
                columns = ", ".join(f'"{c}"' for c in t.columns)
                with cursor.copy(f'COPY "{t.name}" ({columns}) FROM STDIN') as copy:
                    for row in t.rows:
                        copy.write_row(row)

    def finish(self, tables: list[Table]) -> None:
        with self.db.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
            cursor.execute("SET maintenance_work_mem = '1GB'")
            for name, definition in self.indexes:
                started = time.perf_counter()
                cursor.execute(definition)
                print(f"\nindex {name}: {time.perf_counter() - started:.0f}s", end="")
            for t in tables:  # ids were given explicitly: move the sequences past them
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{t.name}\"', 'id'), "
                    f'(SELECT coalesce(max(id), 1) FROM "{t.name}"))'
                )
            cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domains", type=int, required=True, help="filed domains to create")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch", type=int, default=20000, help="subjects per transaction")
    parser.add_argument("--pool", type=int, default=2000, help="encrypted values per kind")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    phones = mobile_prefixes(rng)
    areas = areas_by_province()
    provinces = [p for p in PROVINCES if phones[p[0]] and areas[p[0]]]
    province_cum = list(itertools.accumulate(p[3] for p in provinces))
    tld_names, tld_weights = zip(*TLDS)
    tld_cum = list(itertools.accumulate(tld_weights))
    now = dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)

    # Same key and normalisation as crypto.lookup_hash, derived once (checked below).
    hash_key = crypto._derive(b"beian-pii-lookup-v1")

    def lookup_hash(value: str) -> str:
        return hmac.new(hash_key, value.upper().encode(), hashlib.sha256).hexdigest()

    assert lookup_hash("91440300MA5F1234X1") == crypto.lookup_hash("91440300MA5F1234X1")

    # Small objects through the ORM; the bulk below goes around it.
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
    servers = list(Server.objects.filter(owner=owner).values_list("pk", "public_ip"))

    # Pools of real ciphertext (see the module notes).
    pool_area = areas[provinces[0][0]][0]
    pool = {
        "id": [crypto.encrypt(resident_id(rng, pool_area)) for _ in range(args.pool)],
        "uscc": [crypto.encrypt(uscc(rng, pool_area)) for _ in range(args.pool)],
        "mobile": [
            crypto.encrypt(rng.choice(phones[provinces[0][0]]) + f"{rng.randrange(10000):04d}")
            for _ in range(args.pool)
        ],
        "email": [crypto.encrypt(f"p{i}@example.cn") for i in range(args.pool)],
    }

    bulk_tables = [m._meta.db_table for m in (User, Principal, Subject, Website, Domain, Access)]
    if connection.vendor == "sqlite":
        path = connection.settings_dict["NAME"]
        connection.close()  # switching the journal off needs the only connection
        writer = SqliteWriter(path, bulk_tables)
    else:
        writer = PostgresWriter(bulk_tables)
    next_id = {
        m: writer.next_id(m._meta.db_table)
        for m in (User, Principal, Subject, Website, Domain, Access)
    }
    taken: set[str] = set()
    serial = {code: 0 for code, *_ in PROVINCES}
    made = {"subjects": 0, "websites": 0, "domains": 0}
    suffixes = ("官网", "商城", "博客", "资讯")
    account_id = None

    def domain_name() -> str:
        while True:
            label = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3))))
            if rng.random() < 0.5:
                label += str(rng.randrange(1, 9999))
            name = f"{label}.{tld_names[bisect.bisect_right(tld_cum, rng.random() * tld_cum[-1])]}"
            if name not in taken:
                taken.add(name)
                return name

    while made["domains"] < args.domains:
        users = Table(User, ["id", "username"], role="applicant", date_joined=now)
        principals = Table(
            Principal,
            ["id", "account_id", "name", "certificate_number", "certificate_hash", "mobile"]
            + ["mobile_hash", "email", "email_hash"],
        )
        subjects = Table(
            Subject,
            ["id", "account_id", "principal_id", "nature", "name", "certificate_type"]
            + ["certificate_number", "certificate_hash", "province", "icp_number"],
            status="filed",
            filed_at=now,
        )
        websites = Table(
            Website,
            ["id", "subject_id", "principal_id", "name", "icp_number", "index"],
            status="filed",
            filed_at=now,
        )
        domains = Table(Domain, ["id", "website_id", "name", "unicode_name"], status="filed")
        accesses = Table(
            Access,
            ["id", "website_id", "server_id", "ip"],
            status="open",
            opened_at=now,
            changed_at=now,
        )
        # Stop close to the target: a subject brings 1.375 × 1.27 ≈ 1.75 domains.
        remaining = args.domains - made["domains"]
        for _ in range(min(args.batch, remaining * 4 // 7 + 1)):
            if made["subjects"] % 20 == 0:
                account_id = next_id[User]
                next_id[User] += 1
                users.add(account_id, f"bench-{start_subject}-{account_id}")
            code, abbr, _, _ = provinces[
                bisect.bisect_right(province_cum, rng.random() * province_cum[-1])
            ]
            area = rng.choice(areas[code])
            organisation = rng.random() < 0.75
            person = rng.choice(SURNAMES) + "".join(
                rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))
            )
            id_number = resident_id(rng, area)
            mobile = rng.choice(phones[code]) + f"{rng.randrange(10000):04d}"
            email = f"u{start_subject + made['subjects']}@example.cn"
            k = rng.randrange(args.pool)
            principal_id = next_id[Principal]
            next_id[Principal] += 1
            principals.add(
                principal_id,
                account_id,
                person,
                pool["id"][k],
                lookup_hash(id_number),
                pool["mobile"][k],
                lookup_hash(mobile),
                pool["email"][k],
                lookup_hash(email),
            )
            serial[code] += 1
            # A well-formed number (beian.rules.icp: year + 6 digits), so that the
            # query by number finds it; unique per province up to 11 M subjects.
            n = start_subject + serial[code]
            number = f"{abbr}ICP备{2015 + n // 1_000_000 % 11}{n % 1_000_000:06d}号"
            subject_id = next_id[Subject]
            next_id[Subject] += 1
            subjects.add(
                subject_id,
                account_id,
                principal_id,
                "enterprise" if organisation else "individual",
                (rng.choice(WORDS) + rng.choice(TRADES) + "有限公司") if organisation else person,
                "uscc" if organisation else "resident_id",
                pool["uscc"][k] if organisation else pool["id"][k],
                lookup_hash(uscc(rng, area) if organisation else id_number),
                code,
                number,
            )
            n_websites = 1 if rng.random() < 0.75 else rng.choice((2, 2, 3))  # 1.375 on average
            for index in range(1, n_websites + 1):
                website_id = next_id[Website]
                next_id[Website] += 1
                websites.add(
                    website_id,
                    subject_id,
                    principal_id,
                    rng.choice(WORDS) + rng.choice(suffixes),
                    f"{number}-{index}",
                    index,
                )
                n_domains = 1 if rng.random() < 0.8 else rng.choice((2, 2, 3))  # 1.27
                for _ in range(n_domains):
                    name = domain_name()
                    domains.add(next_id[Domain], website_id, name, name)
                    next_id[Domain] += 1
                server_id, ip = servers[website_id % len(servers)]
                accesses.add(next_id[Access], website_id, server_id, ip)
                next_id[Access] += 1
            made["subjects"] += 1
        tables = [users, principals, subjects, websites, domains, accesses]
        writer.write(tables)
        made["websites"] += len(websites.rows)
        made["domains"] += len(domains.rows)
        rate = made["domains"] / (time.perf_counter() - started)
        print(
            f"\r{made['domains']:>9} domains {made['websites']:>9} websites "
            f"{made['subjects']:>9} subjects  {rate:,.0f} domains/s",
            end="",
            flush=True,
        )
    writer.finish(tables)
    print(f"\ndone in {time.perf_counter() - started:.0f}s: {made}")


if __name__ == "__main__":
    main()

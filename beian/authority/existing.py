"""Filings the administration approved before Beian's history begins (the demo's).

ICP numbers are the administration's to issue: Beian never allocates one. A record that
must already be filed when the demo loads gets its numbers the way a real one did, from
the administration — here the simulator, which files it in its own database with the next
numbers of its own counter. A later approval then continues after them instead of issuing
the same 苏ICP备2026000001号 again (issue 13).

Two ways to reach the simulator's tables:

- ``file_in_simulator_process``: the simulator's own database (``make run``: its own
  SQLite file), by running ``beian authority-sim --file-existing`` with the simulator's
  settings, the upload file on stdin, the numbers as JSON on stdout;
- ``file_here``: the simulator's tables in this database (tests, where the loopback
  simulator shares the test database, decision 0003).

Either way the file is the upload Beian would send (``mapping.mapped``, XSD-validated),
read by the simulator's own parser.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys

from beian.authority.client import setting
from beian.authority.codec import build_upload_xml
from beian.authority.mapping import mapped
from beian.authority.sim import services as sim
from beian.filings.states import FilingType

NEW_FILINGS = (
    FilingType.FIRST_FILING,
    FilingType.ADD_WEBSITE_HERE,
    FilingType.ADD_WEBSITE_ELSEWHERE,
)


def upload_xml(apps) -> bytes:
    """One upload file with the new filing (first filing or new website) of each application."""
    records = []
    for app in apps:
        if app.filing_type not in NEW_FILINGS:
            raise ValueError(f"{app.number}: only new filings are filed as existing")
        records += mapped(app).records
    return build_upload_xml(records, requester_id=int(setting("AUTHORITY_ISP_ID")))


def approval_data(filed: dict) -> dict:
    """The simulator's answer for one subject → the data of ``authority_approve``."""
    data: dict = {
        "subject_number": filed["subject_number"],
        "subject_record_id": filed["subject_id"],
        "website_numbers": {},
        "website_record_ids": {},
    }
    for w in filed["websites"]:
        data["website_numbers"][str(w["isp_website_id"])] = w["number"]
        data["website_record_ids"][str(w["isp_website_id"])] = w["website_id"]
    return data


def _by_application(apps, answer: list[dict]) -> dict:
    """Match the answers to the applications: a first filing by our subject id, a new
    website by its subject's number (each of those once)."""
    first = {f["isp_subject_id"]: f for f in answer if f["isp_subject_id"] is not None}
    more = {f["subject_number"]: f for f in answer if f["isp_subject_id"] is None}
    out = {}
    for app in apps:
        filed = first.get(app.subject_id) or more.get(app.subject.icp_number)
        out[app.pk] = approval_data(filed)
    return out


def file_here(apps) -> dict:
    """File `apps` in the simulator's tables of this database; {application pk: data}."""
    apps = list(apps)
    if not apps:
        return {}
    answer = sim.file_existing(upload_xml(apps), int(setting("AUTHORITY_ISP_ID")))
    return _by_application(apps, answer)


def file_in_simulator_process(apps) -> dict:
    """File `apps` in the simulator's own database (its process, its settings)."""
    apps = list(apps)
    if not apps:
        return {}
    request = json.dumps({"xml": base64.b64encode(upload_xml(apps)).decode()})
    run = subprocess.run(
        [sys.executable, "-m", "beian", "authority-sim", "--file-existing"],
        input=request,
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=300,
        check=False,
    )
    if run.returncode != 0:
        raise RuntimeError(f"the simulator could not file the records: {run.stderr.strip()}")
    return _by_application(apps, json.loads(run.stdout.strip().splitlines()[-1]))

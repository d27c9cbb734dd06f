"""Asking the provincial administration what is filed elsewhere, behind a small interface.

    lookup = get_lookup()
    lookup.learn_filed(names, certificate_type, certificate_number, cert_hash)
    lookup.check_filing_password(record_number, password)  # True, False, or None
    lookup.reset_filing_password(record_number)  # True (sent), None, or a Refusal

`learn_filed` asks about each registrable domain and the subject's certificate when an
application starts and keeps what is filed at other providers as ExternalRecords; it
never blocks the applicant (an unreachable administration is logged, the reviewer sees
the type and may correct it). `check_filing_password` answers None when it could not
ask; the upload is then checked at the administration. `reset_filing_password` asks the
administration to send a new password to the subject's contacts (忘记备案密码); None when
it could not be asked (the applicant is told to use MIIT's own site).

Chosen by `settings.BEIAN["AUTHORITY_LOOKUP"]`, read at every call:
- False (default): `NoLookup` asks nobody (tests, offline);
- True or "miit": the MIIT enterprise interface, `beian.authority.lookup.MiitLookup`
  (isp_querybeianstatus, isp_verifybamm) — named by its path, since the authority app
  sits above filings;
- a dotted path to a class with the same three methods.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string


class NoLookup:
    name = "none"

    def learn_filed(
        self, names: list[str], certificate_type: str, certificate_number: str, cert_hash: str
    ) -> None:
        return None

    def check_filing_password(self, record_number: str, password: str) -> bool | None:
        return None

    def reset_filing_password(self, record_number: str) -> bool | None:
        return None


MIIT = "beian.authority.lookup.MiitLookup"


def get_lookup():
    chosen = getattr(settings, "BEIAN", {}).get("AUTHORITY_LOOKUP", False)
    if not chosen:
        return NoLookup()
    path = MIIT if chosen is True or chosen == "miit" else chosen
    return import_string(path)()

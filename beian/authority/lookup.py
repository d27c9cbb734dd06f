"""The filings app's look-up at the administration (`beian.filings.adapters.lookup`),
done through the MIIT enterprise interface: isp_querybeianstatus and isp_verifybamm, and
the filing password reset the simulator adds (``services.reset_filing_password``)."""

from __future__ import annotations

import logging

from beian.authority import services as authority
from beian.authority.client import TransportError
from beian.authority.soap import SoapFault
from beian.core.errors import Refusal

# The filings' logger: these lines are about an applicant's filing, as before the move.
logger = logging.getLogger("beian.filings")


class MiitLookup:
    name = "miit"

    def learn_filed(
        self, names: list[str], certificate_type: str, certificate_number: str, cert_hash: str
    ) -> None:
        try:
            for name in names:
                authority.learn_external("domain", name, authority.query_status(domain=name))
            status = authority.query_status(
                certificate_type=certificate_type, certificate_number=certificate_number
            )
            authority.learn_external("subject", cert_hash, status)
        except (TransportError, SoapFault, Refusal) as exc:
            logger.warning("filing status lookup at the administration failed: %s", exc)

    def check_filing_password(self, record_number: str, password: str) -> bool | None:
        try:
            return authority.verify_filing_password(record_number, password)
        except (TransportError, SoapFault) as exc:
            logger.warning("filing password check at the administration failed: %s", exc)
            return None

    def reset_filing_password(self, record_number: str) -> bool | None:
        """True when the administration sent a new password; None when it could not be
        asked; a Refusal (wrong subject, too many tries) passes through."""
        try:
            return authority.reset_filing_password(record_number) or None
        except TransportError as exc:
            logger.warning("filing password reset at the administration failed: %s", exc)
            return None

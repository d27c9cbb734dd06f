"""Code tables for the tests, through the real JCDM reader.

The bundled access-method table has no 云接入 yet (another branch rebuilds the code tables
from public sources and adds it as id 5). Until then the tests build uploads with the bundled
set refreshed from a JCDM ``Wzjrfs_dms`` written from the spec (§JCDM), so a cloud server's
access travels as 云接入 and not as a stand-in.
"""

from __future__ import annotations

from lxml import etree

from beian.authority import codes

ACCESS_METHODS_JCDM = """<JCDM><Jcdm_xx><Wzjrfs_dms>
<Wzjrfs_xx><Id>1</Id><Mc>专线</Mc><Sfyx>1</Sfyx></Wzjrfs_xx>
<Wzjrfs_xx><Id>2</Id><Mc>主机托管</Mc><Sfyx>1</Sfyx></Wzjrfs_xx>
<Wzjrfs_xx><Id>3</Id><Mc>虚拟主机</Mc><Sfyx>1</Sfyx></Wzjrfs_xx>
<Wzjrfs_xx><Id>4</Id><Mc>其他</Mc><Sfyx>1</Sfyx></Wzjrfs_xx>
<Wzjrfs_xx><Id>5</Id><Mc>云接入</Mc><Sfyx>1</Sfyx></Wzjrfs_xx>
</Wzjrfs_dms></Jcdm_xx></JCDM>"""
CLOUD_ACCESS_ID = 5


def tables_with_cloud_access() -> codes.CodeTables:
    """The bundled tables; access methods as the JCDM above gives them."""
    if any(c.name == "云接入" for c in codes.load_bundled().table("access_methods").values()):
        return codes.load_bundled()
    return codes.refresh_from_jcdm(etree.fromstring(ACCESS_METHODS_JCDM.encode()))

"""Where the code tables that uploads use come from: the newest JCDM download, else the
bundled set (``codes.load_bundled``).

``codes.refresh_from_jcdm`` turns a JCDM element into tables; this module stores the result
(:class:`CodeTableSet`) and loads it back. A download that carries only some tables keeps
the others from the set before it. Kept apart from ``codes.py`` (its tables' contents are
another piece of work) so each changes alone.
"""

from __future__ import annotations

from beian.authority import codes
from beian.authority.models import CodeTableSet
from beian.core import clock

_cache: dict = {"pk": None, "tables": None}


def current_tables() -> codes.CodeTables:
    """The tables to build uploads with: the newest downloaded set, else the bundled one."""
    newest = CodeTableSet.objects.order_by("-received_at", "-pk")
    key = newest.values_list("pk", "received_at", "download_id").first()
    if key is None:
        return codes.load_bundled()
    if _cache["pk"] != key:
        row = CodeTableSet.objects.get(pk=key[0])
        _cache["pk"], _cache["tables"] = key, codes.CodeTables.from_dict(row.tables)
    return _cache["tables"]


def store_jcdm(root, download) -> CodeTableSet | None:
    """Refresh the current tables from the JCDM in ``root`` (a DownloadData, JCDM or SJTB
    element) and store the result; None when it carries no table."""
    names = sorted(codes.read_jcdm(root))
    if not names:
        return None
    tables = codes.refresh_from_jcdm(root, base=current_tables())
    return CodeTableSet.objects.create(
        download=download, tables=tables.to_dict(), names=names, received_at=clock.now()
    )

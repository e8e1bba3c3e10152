"""Per-region ClickHouse users of the local stack, each allowed only its region's database (users.d XML)."""
from __future__ import annotations

import hashlib
from xml.sax.saxutils import escape

from core.config import REGIONS

USERS_D_FILE = "rampart-regions.xml"


def region_user(region: str) -> tuple[str, str]:
    """(user, password) the local stack gives a region's API; production sets its own via RAMPART_API_*."""
    return f"rampart_{region}", f"rampart-{region}-dev"


def users_d_xml(regions: tuple[str, ...] = REGIONS) -> str:
    """A users.d file (ClickHouse 18.16+ syntax): one loopback-only user per region, confined to rampart_<region>."""
    users = []
    for region in regions:
        user, password = region_user(region)
        users.append(
            f"    <{user}><password_sha256_hex>{hashlib.sha256(password.encode()).hexdigest()}</password_sha256_hex>"
            f"<networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota>"
            f"<allow_databases><database>{escape(f'rampart_{region}')}</database></allow_databases></{user}>")
    return '<?xml version="1.0"?>\n<yandex>\n  <users>\n' + "\n".join(users) + "\n  </users>\n</yandex>\n"

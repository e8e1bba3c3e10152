"""The blind batches (written by people who never saw the detectors): what is caught and flagged, exactly."""
from __future__ import annotations

import pytest

from sensor.detect import verdict
from tests.detect.blind_attacks_a import BLIND_ATTACKS_A
from tests.detect.blind_attacks_b import BLIND_ATTACKS_B
from tests.detect.blind_benign import BLIND_BENIGN
from tests.detect.wild_benign import build_request

# First measurement, 2026-11-26 15:40 UTC, before any fix (bench/blind_bench.py, BENCHMARKS.md "Blind batches"):
# 427 of 439 attacks caught, 27 of 307 benign values flagged. What is left after the fixes it prompted is listed here,
# each with the reason it stays; the tests fail when anything else changes in either direction.
KNOWN_MISS: dict[str, str] = {
}
KNOWN_FP: dict[str, str] = {
    'My script breaks on filenames with spaces:\n\n```bash\nfor f in $(ls *.mp3); do\n  ffmpeg -i "$f" "${f%.mp3}.ogg"\ndone\n```\n\nI know parsing `ls` is bad, but what should I use instead?':
        'fenced shell code in a forum post: three backticks are an empty substitution, the $(...) in it runs in a shell exactly like an attack wrapped the same way; a Q&A site needs a rule (docs/rules.md)',
    'The button does nothing in Firefox, Chrome is fine:\n\n```html\n<button id="save">Save</button>\n<script>\n  document.getElementById(\'save\').addEventListener(\'click\', () => {\n    fetch(\'/api/notes\', { method: \'POST\', body: JSON.stringify(note) });\n  });\n</script>\n```\n\nThe console is empty. What am I doing wrong?':
        'a <script> element in a fenced HTML block: markup runs wherever the post is not rendered as Markdown; a programming forum needs a rule',
    "Is this enough to be safe from SQL injection, or do I still need to escape the email?\n\n```php\n$stmt = $pdo->prepare('SELECT id, name FROM users WHERE email = ?');\n$stmt->execute([$_POST['email']]);\n$user = $stmt->fetch();\n```":
        'PHP code quoting $_POST beside a SELECT in a forum post (php:superglobal, xss:js_sink): code by design; a programming forum needs a rule',
    '```\nkubectl rollout restart deploy/checkout -n payments\n```\nthat fixed it 🙌':
        'a command in a fence in a chat message: runs in a shell as it stands (see the first entry)',
}


def _attacks() -> list[tuple[str, str, str, str]]:
    return list(BLIND_ATTACKS_A) + list(BLIND_ATTACKS_B)


def test_batches_are_distinct_and_build():
    values = [v for *_, v in _attacks()]
    assert len(values) == len(set(values)) == 439
    assert len({v for _c, _k, v in BLIND_BENIGN}) == len(BLIND_BENIGN) == 307
    assert set(KNOWN_MISS) <= set(values) and set(KNOWN_FP) <= {v for _c, _k, v in BLIND_BENIGN}


@pytest.mark.parametrize("family,carrier,key,value", _attacks(), ids=lambda v: str(v)[:40])
def test_blind_attack_is_caught(engine, family, carrier, key, value):
    caught = verdict(engine.inspect(build_request(carrier, value, key))) == "attack"
    assert caught != (value in KNOWN_MISS), f"{family} via {carrier}: {'known miss now caught' if caught else 'missed'}"


@pytest.mark.parametrize("carrier,key,value", list(BLIND_BENIGN), ids=lambda v: str(v)[:40])
def test_blind_benign_stays_clean(engine, carrier, key, value):
    hits = engine.inspect(build_request(carrier, value, key))
    flagged = verdict(hits) == "attack"
    why = ", ".join(sorted({h.rule for h in hits if h.score >= 0.5}))
    assert flagged == (value in KNOWN_FP), f"{carrier}:{key}: {'flagged by ' + why if flagged else 'known FP now clean'}"

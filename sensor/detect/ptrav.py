"""Path traversal and local file inclusion: path normalisation (encodings, overlong UTF-8, NUL, backslashes)."""
from __future__ import annotations

import re

from sensor.detect.base import Finding
from sensor.points.decoders import percent_decode

TYPE = "ptrav"

TRIGGERS = [
    r"\.\.", r"0x2e", r"0x5c", r"0x2f", r"passwd", r"global\.asa", r"[a-z]:/?(?:inetpub|windows|winnt)", r"%2e", r"%c0", r"%c1", r"%e0", r"%u", r"\x00", r"/etc/", r"\\windows", r"/proc/", r"/sys/",
    r"(?:passwd|shadow|boot\.ini|win\.ini|system\.ini|web\.config|\.htaccess|\.htpasswd|id_rsa|\.bash_history|\.git/|\.env\b|\.svn/|web-inf|meta-inf)",
    r"^\s*(?:/|[a-z]:\\|\\\\|~/|file:)", r"\.(?:log|sql|bak|old|orig|swp|save|backup)\b", r"\.(?:ssh|aws|docker|kube|claude|cursor|vscode|idea|config|gnupg|npmrc|pypirc|netrc|git-credentials)\b",
]

_SEP = re.compile(r"[\\/]+")
_DOTS = re.compile(r"(?:^|[\\/;=])\.{2,}(?:[\\/]|$)")
_HIDDEN = re.compile(r"/\.(?!well-known/)[a-z0-9_][a-z0-9_.\-]*(?:/|$)")
# Files and folders that are worth reading for an attacker (unix, windows, app secrets).
_SENSITIVE = re.compile(
    r"(?:^|/)(?:etc/(?:passwd|shadow|group|gshadow|hosts|issue|motd|hostname|crontab|sudoers|fstab|mtab|resolv\.conf|"
    r"ssh/|apache2?/|httpd/|nginx/|mysql/|php\d*/|security/|pam\.d/|profile|bashrc|environment|os-release|lsb-release|"
    r"network/|sysconfig/|master\.passwd|inetd\.conf|xinetd|init\.d/|cron|logrotate|aliases|exports|ld\.so|\w+\.conf)|"
    r"proc/(?:self|\d+|version|cpuinfo|meminfo|mounts|net/|cmdline|environ|interrupts|sched_debug|kcore|partitions|stat)|"
    r"sys/(?:class|kernel|devices|block|bus|firmware|fs|module|power)|var/(?:log|www|lib|run|mail|spool|db|tmp)/|"
    r"root/|home/[^/]+/\.|usr/local/|dev/(?:null|zero|random|urandom|tcp|udp|shm|fd)|tmp/|"
    r"boot\.ini|(?:windows|winnt)/(?:win\.ini|system\.ini|system32|repair|debug|panther|php\.ini)|win\.ini|system\.ini|"
    r"inetpub/|autoexec\.bat|config\.sys|pagefile\.sys|\.htaccess|\.htpasswd|\.htdigest|web\.config|"
    r"web-inf/|meta-inf/|\.git(?:/|$)|\.svn/|\.hg/|\.bzr/|\.env(?:\.|$)|\.ssh/|\.aws/|\.docker/|\.kube/|"
    r"\.bash_history|\.zsh_history|\.mysql_history|\.psql_history|\.npmrc|\.pypirc|\.netrc|\.git-credentials|"
    r"\.gnupg/|id_[rd]sa|id_ecdsa|id_ed25519|authorized_keys|known_hosts|wp-config\.php|config\.inc\.php|"
    r"configuration\.php|localsettings\.php|settings\.php|database\.yml|secrets\.yml|credentials|\.ds_store|"
    r"\.claude/|\.cursor/|\.vscode/|\.idea/|\.config/|appsettings\.json|composer\.json|package\.json|"
    r"\.dockerenv|docker-compose\.ya?ml|\.travis\.yml|\.gitlab-ci\.yml|phpinfo\.php)", re.I)
_ABS = re.compile(r"^\s*(?:file:/*)?(?:/|[a-z]:[\\/]|\\\\)", re.I)


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
    v = v.replace("\u2215", "/").replace("\u2216", "\\").replace("\uff0f", "/").replace("\uff3c", "\\").replace("\uff0e", ".")
    if "0x" in v.lower():
        v = _HEXSEP.sub(lambda m: {"2e": ".", "2f": "/", "5c": "/"}[m.group(1).lower()], v)
    v = v.replace("\\", "/")
    return v, nul


# One level up, then a plain relative path to an image, stylesheet, script or font.
_ASSET_UP = re.compile(r"^\.\./(?:[a-z0-9_\-]+/){0,4}[a-z0-9_\-]+(?:\.[a-z0-9_\-]+)*\.(?:png|jpe?g|gif|svg|webp|ico|bmp|avif|css|js|mjs|woff2?|ttf|eot|otf|map)$")
# A path, a blank, then only plain words: the path is the subject of a phrase, not a file a program opens.
_PATH_THEN_PROSE = re.compile(r"^\s*\S+\s+[a-z]+(?:[\s,]+[a-z]+)*[.?!]?\s*$")
_RESTRICTED = re.compile(r"(?:^|/)(?:debug|error|errors|access|install|php_errors)\.log$|\.(?:sql|bak|old|orig|swp|save|backup)(?:\.(?:zip|gz|tgz|bz2|7z|rar|tar))?$|\.(?:sql|db|sqlite|mdb)\.(?:zip|gz|tgz|bz2|7z|rar|tar)$", re.I)
_HEXSEP = re.compile(r"0x(2e|2f|5c)", re.I)
_DOT_RUN = re.compile(r"(?:^|[/\\])\.{3,}|\.{4,}")
# An ellipsis: dots after a plain word (no `name.ext`, which Windows trims to `name.ext`), ending the value or a
# phrase (`wait....`, `hmm.... ok`); or a value that is only `...`.
_ELLIPSIS = re.compile(r"(?:^|[\s(])[^\s./\\]*[a-z0-9)!?]\.{3,}(?:\s|$)|^\s*\.{3}\s*$")
_BARE_SENSITIVE = re.compile(r"etc/?(?:passwd|shadow)(?![a-z0-9_\-])|boot\.ini|win\.ini|system\.ini|web-inf/?web\.xml|global\.asa|"
                             r"^[a-z]:/?(?:inetpub|windows|winnt|boot|autoexec|config\.sys)", re.I)


def _whole_name(low: str, end: int) -> bool:
    """The sensitive name ends there (`/etc/passwd`, `/etc/passwd%00`), not inside a longer one (`etc/passwd_file_format`)."""
    return end >= len(low) or not low[end - 1].isalnum() or not (low[end].isalnum() or low[end] in "_-")


def analyze(value: str, is_path: bool = False) -> Finding | None:
    v, nul = normalize(value)
    low = v.lower()
    best = (0.0, "")
    dots = len(_DOTS.findall(low)) if low.strip() != "..." else 0  # a value that is an ellipsis
    sens = next((m for m in _SENSITIVE.finditer(low) if _whole_name(low, m.end())), None)
    if dots:
        if sens:
            best = (0.97, "ptrav:traversal_sensitive")
        elif dots == 1 and not nul and _ASSET_UP.match(low):
            best = (0.45, "ptrav:traversal")  # `../img/logo.png`: a page's relative link to a static asset
        elif dots >= 2 or "..." in low and "/" in low or re.search(r"(?:^|/)\.{2,}(?:/|$)", low) and (low.startswith("..") or "/../" in low and not is_path):
            best = (0.9 if dots >= 2 else 0.75, "ptrav:traversal")
        elif is_path and "/../" in low:
            best = (0.8, "ptrav:traversal")
        else:
            best = (0.6, "ptrav:traversal")
    if sens and best[0] < 0.9:
        if is_path:
            best = max(best, (0.8, "ptrav:sensitive_path"))
        elif (_ABS.match(low) or low.startswith(("~/", "."))) and _PATH_THEN_PROSE.match(low):
            best = max(best, (0.45, "ptrav:sensitive_file"))  # `/etc/hosts file format`: a path named in a sentence
        elif _ABS.match(low) or low.startswith(("~/", ".")):
            best = max(best, (0.9, "ptrav:sensitive_file"))
        elif "/" in low:
            best = max(best, (0.6, "ptrav:sensitive_file"))
    if best[0] < 0.7 and _DOT_RUN.search(low) and not (_ELLIPSIS.search(low) and len(_DOT_RUN.findall(low)) == len(_ELLIPSIS.findall(low))):
        best = (0.7, "ptrav:dot_run")
    if best[0] < 0.8 and _BARE_SENSITIVE.search(low):
        best = (0.8, "ptrav:sensitive_file")
    if is_path and best[0] < 0.6 and _RESTRICTED.search(low):
        best = (0.6, "ptrav:restricted_file")
    if is_path and best[0] < 0.6 and _HIDDEN.search(low):
        best = (0.6, "ptrav:hidden_path")
    if nul and ("." in low or "/" in low):
        best = max(best, (0.8 if best[0] else 0.6, "ptrav:null_byte"))
    if best[0] <= 0:
        return None
    return Finding(TYPE, best[1], best[0])

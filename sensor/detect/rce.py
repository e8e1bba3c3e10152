"""OS command injection: a POSIX-shell word tokenizer (quotes, escapes, $IFS, braces, globs) and cmd.exe checks."""
from __future__ import annotations

import fnmatch
import functools
import re

from sensor.detect.base import Finding

TYPE = "rce"

TRIGGERS_BASE = [
    r"[;|&`\n]", r"\$\(", r"\$\{", r"\$ifs", r"\(\s*\)\s*\{", r"/(?:bin|usr|etc|dev|tmp|proc|sbin|var|opt)/", r"\{[a-z/]+,",
    r"\b(?:for|if)\b", r"%[a-z_]+%", r"\bpowershell\b", r"\bcmd(?:\.exe)?\b", r"\biex\b", r"\binvoke-",
    r"\b[a-z][a-z0-9_.\-]+\s+(?:-{1,2}[a-z]|/[a-z]|[<>]|\S*/)", r"/[^/\s]*[?*\[][^/\s]*/", r"\?\?", r"\*/", r"\w=\w", r"\balias\s", r"\"\"|''", r"^\s*\\[a-z]", r"[<>]\(", r"\$\[", r"\$\(\(", r"[;\n]\s*\.[a-z]", r"\{,", r"bin/", r"^\s*\(\s*\)", r"^\s*['\"`]+\s*[a-z]+\s*['\"`]+\s*$",
    r"^\s*~[+\-]?\d*\s*$", r"!-\d|(?:^|[\s;&|`])!!",
    r"[a-z]\\[a-z]",  # a backslash inside a word (`c\at`): shell quoting, undone before analysis
    r"\b(?:pip3?|npm|gem|apt(?:-get)?|yum|dnf|brew|cargo|composer|yarn|conda|apk|pacman|zypper|pipx|poetry|bun)\s+(?:install|uninstall|add|remove|update|upgrade|download|exec|run|purge|erase)\b",
]

# POSIX utilities and common tools; "strong" ones are not English words, so no argument evidence is needed.
_STRONG = set("""
whoami uname ifconfig ipconfig wget curl nc ncat netcat socat telnet nmap masscan bash zsh ksh csh tcsh dash sh
chmod chown chgrp passwd useradd usermod adduser userdel crontab nohup sudo su python python2 python3 perl ruby php
php5 php7 lua node nodejs jjs irb gcc cc g++ make nslookup dig traceroute tracepath netstat ss lsof ps pkill killall
xxd hexdump od base64 base32 openssl ssh scp sftp rsync ftp tftp smbclient rpcclient mysql psql sqlite3 mongo
redis-cli uptime hostname id groups getent env printenv awk gawk mawk nawk sed xargs tee mkfifo mknod chattr lsattr
setfacl getfacl tcpdump tshark iptables ip6tables nft ufw systemctl service journalctl dmesg sysctl modprobe insmod
rmmod lsmod umount fdisk mkfs shred wipe strace ltrace gdb objdump readelf strings nm ldd busybox
apt apt-get yum dnf rpm dpkg pip pip3 gem npm docker kubectl podman lxc ansible ansible-vault cscli ssh-copy-id
ssh-keygen ssh-agent flock aptitude bcdboot bridge ex ip iwr iwmi irm rmt-tar rmt-dump lastlogin perf uconv visudo ansible knife terraform helm gcloud kubeadm zstd zstdcat zstdless lz4 lz4cat lzma lzcat brotli c89 c99 tclsh
rlwrap unshare nsenter capsh setarch stdbuf run-parts start-stop-daemon jrunscript ginsh cpulimit dmsetup easy_install
facter ghci gimp hping3 jq logsave ltrace octave pdb pry puppet rake rview rvim tmux zypper bundler pipx
uvx npx bunx deno rustc dotnet javac mvn gradle kotlin jshell sshpass
certbot openvpn ngrok chisel frpc proxychains torsocks sqlmap hashcat msfconsole msfvenom gpg ncftp lftp aria2c fetch lynx links w3m elinks iconv zcat bzcat xzcat gzip gunzip
bzip2 bunzip2 xz unxz tar zip unzip 7z 7za rar unrar cpio ar pax vim nano emacs ed pico less more tail head
cat tac nl rev cut paste join sort uniq wc tr fold fmt pr column expand unexpand split csplit comm diff patch cmp
ls dir vdir find locate updatedb which whereis type file stat readlink realpath basename dirname pwd mktemp
touch mkdir rmdir rm mv cp ln install shred truncate chroot runuser pkexec doas visudo timeout watch at batch
killall5 kill nice renice ionice taskset time sleep yes seq jot expr bc dc factor echo printf test true false
exec eval source alias unalias export unset set declare typeset readonly local let shift trap wait ulimit umask
history fc jobs cd pushd popd fold wish expect yarn cargo composer poetry bun bg fg disown logout exit halt reboot poweroff shutdown init telinit last lastlog w who finger
write wall mesg ping ping6 arp route host whois nsupdate resolvectl nmcli iwconfig iw ethtool mtr hping3
showmount nfsstat exportfs smbstatus rpcinfo ypcat nis getsebool setenforce sestatus aa-status grep egrep fgrep
rgrep zgrep perldoc pydoc ri mail mailx sendmail mutt postfix exim uuencode uudecode nproc lscpu lsblk lspci
lsusb free vmstat iostat mpstat sar top htop pstree pgrep pidof fuser sysdig auditctl ausearch last ll rc
""".split())
# English words among the commands: need shell-ish arguments or a separator before them.
_PROSE = set("""
tar pico nano finger cd fold bridge wish expect yarn cargo composer poetry bun mount dd at batch bc cat column comm cut dc diff dir echo ed env ex exit expand export false fetch file find fold free
head history host id install join jobs kill last less let links local mail make more mount nice nl paste patch
pr printf rev route seq set shift sort source split stat strings tail tee test time top touch trap true type
uniq unset wait watch wc who write yes sleep ln cmp units fc fg bg init w ss su sh cc ed ar at dd nm od pax
groups alias service shutdown halt reboot login logout mesg wall finger date locate expr factor timeout ping
declare readonly typeset ulimit umask eval exec which whereis basename dirname tr ip apt gem pip less rm cp mv ll rc
""".split())
_WIN = set("""
regedit bcdboot cmd cmd.exe powershell powershell.exe pwsh certutil bitsadmin wmic reg regsvr32 rundll32 mshta cscript wscript
schtasks sc tasklist taskkill systeminfo ipconfig netsh net net1 nltest dsquery whoami type dir copy xcopy robocopy
del erase rd rmdir md mkdir ren move attrib cacls icacls takeown vssadmin wevtutil bcdedit diskpart format fsutil
findstr find more echo set setx ver vol hostname ping nslookup tracert pathping arp route netstat qprocess quser
query runas start call forfiles where msiexec installutil regasm regsvcs msbuild odbcconf cmstp control explorer
""".split())
_WIN_STRONG = {"cmd", "cmd.exe", "powershell", "powershell.exe", "pwsh", "certutil", "bitsadmin", "wmic", "regsvr32",
               "rundll32", "mshta", "cscript", "wscript", "schtasks", "tasklist", "taskkill", "systeminfo", "ipconfig",
               "netsh", "net1", "nltest", "dsquery", "vssadmin", "wevtutil", "bcdedit", "icacls", "cacls", "msiexec",
               "installutil", "regasm", "msbuild", "takeown", "forfiles", "whoami", "net", "findstr"}
_ALL = _STRONG | _WIN

_WIN_FLOW = re.compile(
    r"\bif(?:\s*/i)?(?:\s+not)?\s+(?:exist\b|defined\b|errorlevel\b|cmdextversion\b|\S+\s*==|\(?\s*\S+\s+(?:equ|neq|lss|leq|gtr|geq)\s+\S+)|"
    r"\bfor(?:\s*/[a-z]+(?:\s+\"[^\"]*\"|\s+[a-z]:\\\S*)?)*\s+%%?~?\S{1,30}\s+in\s*\(.*\)\s*do\b", re.I | re.S)
_WIN_MISC = re.compile(
    r"%(?:comspec|systemroot|windir|programfiles|appdata|temp|userprofile|homedrive|computername|username|path)%|"
    r"\biex\s*[(\$'\"]|\|\s*iex\b|\b(?:invoke-expression|invoke-webrequest|invoke-command|start-process|new-object\s+net\.webclient|"
    r"downloadstring|downloadfile|frombase64string|-encodedcommand|-enc\s+[a-z0-9+/=]{8,}|set-executionpolicy|"
    r"get-wmiobject|get-process|get-childitem|get-content|add-mppreference)\b|\bcmd(?:\.exe)?\s*/[ck]\b|"
    r"\bpowershell(?:\.exe)?\s+-|\\windows\\system32\\|c:\\windows\\|\brundll32(?:\.exe)?\s+\S+,", re.I)
# Cheap substring gate for _WIN_MISC (one of these occurs in every string it can match).
_WIN_KEYS = ("%", "iex", "invoke-", "start-process", "new-object", "download", "frombase64", "-enc", "set-execution",
             "get-", "add-mppreference", "cmd", "powershell", "\\windows\\", "c:\\windows", "rundll32")
_SHELLSHOCK = re.compile(r"\(\s*\)\s*\{[^}]*[;}]")
_SHELLSHOCK_START = re.compile(r"^\s*\(\s*\)\s*\{")
_BIN_PATH = re.compile(r"(?:^|[\s;|&=`(])/?(?:usr/(?:local/)?)?s?bin/[a-z][\w.\-]*")
_DEV_TCP = re.compile(r"/dev/(?:tcp|udp)/|\b(?:bash|sh)\s+-i\s*[>&]|\bnc(?:at)?\s+(?:-\w+\s+)*-e\s|\bmkfifo\s|\b0<&\d")
_SUBST = re.compile(r"\$\(\s*([^)]*)\)|`([^`]*)`")
_IFS = re.compile(r"\$\{ifs(?:[^}]*)\}|\$ifs(?:\$\d|\b)?", re.I)
_PATHVAR = re.compile(r"\$\{(?:path|home|pwd|shell|oldpwd)\s*:\s*0\s*:\s*1\}", re.I)
_POSITIONAL = re.compile(r"\$(?:[@*#?!\d]|\{[@*#?!\d]\})")
_BRACE = re.compile(r"([^\s{},;|&]*)\{([^{}\s]*,[^{}]*)\}([^\s{},;|&]*)")
# Inside a word, `$()`, `$-`, `$_`, `${}` and one-letter unset variables expand to nothing: c$-at == cat.
_EMPTY_VAR = re.compile(r"(?<=[a-z])\$(?:\(\)|\{\}|[-_]|[a-z](?![a-z0-9_]))|\$\(\)")
_DOLLAR_QUOTE = re.compile(r"\$(?=['\"])")
# `name=value` assignments (value quoted, escaped or bare) whose later `$name` / `${name}` the shell substitutes.
_ASSIGN = re.compile(r"(?:^|[;&|\s`(])([a-z_][a-z0-9_]{0,30})=('[^']*'|\"[^\"]*\"|(?:\\.|[^\s;&|`\\])*)")
_VAR_WORD = re.compile(r"^\$\{?([a-z_][a-z0-9_]*)\}?$")
_WORD_VAR = re.compile(r"\$\{[a-z_][a-z0-9_]*\}|\$[a-z_][a-z0-9_]*")
_WIN_SWITCH = re.compile(r"^([a-z][\w.\-]*)/[a-z?]{1,3}$")
_PKG_MANAGERS = {"pip", "pip3", "npm", "gem", "apt", "apt-get", "yum", "dnf", "brew", "cargo", "composer", "yarn",
                 "conda", "apk", "pacman", "zypper", "pipx", "easy_install", "poetry", "bun"}
_PKG_VERBS = {"install", "uninstall", "add", "remove", "update", "upgrade", "download", "exec", "run", "purge", "erase"}
_SHELLS = {"sh", "bash", "zsh", "ksh", "dash", "csh", "tcsh", "ash", "rc", "busybox", "su", "sudo"}
_TILDE = re.compile(r"^\s*~[+\-]?\d*\s*$")
# `!!`, `!-2` are history events; `!!!` is an exclamation
_HISTORY = re.compile(r"(?:^|[\s;&|`])!(?:-\d+(?=$|[\s;&|!`])|!(?=$|[\s;&|`]))")
# `${SHELL} -c …`, `$EDITOR -x`: a variable that names a program, run with options
_VAR_COMMAND = re.compile(r"^\s*\$\{?(?:shell|bash|sh|editor|visual|pager|browser|0)\}?\s+-{1,2}[a-z]")
_DATA_URI_HEAD = re.compile(r"^data:[a-z]+/[a-z0-9.+\-]+(?:;[a-z0-9\-]+=[^;,]*)*;base64,")
_TITLE = re.compile(r"^[ \t]*[a-z][a-z0-9]*(?:\.exe)?[ \t]+[a-z]{2,}[ \t]*$")  # `ansible-vault x`: compound names are tools
# Where programs are run from: an absolute path of two or more parts, a `bin`/`sbin` folder, `./`, `../`, or any
# path spelled with globs (`/???/c?t`); the last part names the program.
_PROGRAM_PATH = re.compile(r"^(?:/[^/]*/.*|(?:[^/]*/)*s?bin/[^/]+|\.{1,2}/.*|.*[?*\[].*)$")
_GROUP = re.compile(r"\{[^{};\n&|]*[;\n&|][^{}]*\}|\{[^{}]*$")  # a `{ …; }` command group (or one left open)
_PLAIN_EXPANSION = re.compile(r"\$\{([a-z_][a-z0-9_.]*)\}")
_SHELL_ENV = {"path", "home", "shell", "pwd", "oldpwd", "user", "ifs", "ps1", "ps4", "bash", "bash_env", "env",
              "ld_preload", "hostname", "uid", "euid", "random", "histfile", "term"}
_NUMBER_ARG = re.compile(r"^\d{1,6}(?:[.:]\d{1,4})?[smhd]?$")
_PREFIX_CMDS = {"time", "nohup", "sudo", "xargs", "env", "exec", "timeout", "nice", "strace", "watch", "busybox", "doas"}
# Characters words() treats specially; everything else is copied into the current word in runs.
_PLAIN = re.compile(r"[^\\\"' \t\r\x0b\x0c,+<>$;|&\n`(){}]+")
_SEPS = (";", "|", "&", "\n", "`", "(", ")", "{", "}")


def _expand_braces(m: re.Match) -> str:
    pre, body, post = m.group(1), m.group(2), m.group(3)
    return " ".join(pre + x + post for x in body.split(",") if (pre + x + post).strip())


def normalize(s: str) -> str:
    """Undo the usual shell-level evasions so that words read as the shell would run them."""
    s = s.lower()
    if "$" in s:
        s = _DOLLAR_QUOTE.sub("", s)
        s = _IFS.sub(" ", s)
        s = _PATHVAR.sub("/", s)
        s = _POSITIONAL.sub("", s)
        s = _EMPTY_VAR.sub("", s)
    if "{" in s and "," in s:
        s = _BRACE.sub(_expand_braces, s)
    return s


def words(s: str, limit: int = 400) -> list[tuple[str, str]]:
    """Split into (separator-before, word) pairs, joining quoted and escaped parts as the shell does."""
    out: list[tuple[str, str]] = []
    cur: list[str] = []
    sep = "^"
    pending = "^"
    i, n = 0, len(s)
    quoted = False

    def flush() -> None:
        nonlocal cur, pending, quoted
        if cur or quoted:
            out.append((pending, "".join(cur)))
            pending = ""
        cur = []
        quoted = False

    plain = _PLAIN.match
    while i < n and len(out) < limit:
        m = plain(s, i)
        if m is not None:  # a run of ordinary characters: one step instead of one per character
            cur.append(m.group())
            i = m.end()
            continue
        c = s[i]
        if c == "\\":
            if i + 1 < n and s[i + 1] != "\n":
                cur.append(s[i + 1])
            i += 2
            continue
        if c == '"' or c == "'" and s.find(c, i + 1) < 0:
            # double quotes do not stop `...`/$(...) from running; an unterminated quote is just noise
            quoted = True
            i += 1
            continue
        if c == "'":
            j = s.find(c, i + 1)
            cur.append(s[i + 1:j])
            quoted = True
            i = j + 1
            continue
        if c in " \t\r\x0b\x0c,+":
            flush()
            i += 1
            continue
        if c in "<>":
            flush()
            j = i
            while j < n and s[j] in "<>&0123456789":
                j += 1
            i = max(j, i + 1)
            if not pending:
                pending = "<"
            continue
        if c == "$" and i + 1 < n and s[i + 1] == "(":
            flush()
            pending = "$("
            i += 2
            continue
        if c == "(" and pending in (";", "|", "||", "&&", "&", "\n", ";;"):
            flush()  # `; (id)`: the subshell still follows the `;`, which is what places it in command position
            i += 1
            continue
        if c in _SEPS:
            flush()
            two = s[i:i + 2]
            if two in ("||", "&&", ";;"):
                pending = two
                i += 2
            else:
                pending = c
                i += 1
            continue
        cur.append(c)
        i += 1
    flush()
    return out


_FAMILY = re.compile(r"^(?:ansible|chef|knife|salt|aa|terraform|helm|gcloud|kubeadm|kubelet|vault|consul|nomad|packer)(?:-[a-z]+)?$")
_VERSIONED = re.compile(r"^(python|perl|ruby|php|lua|node|pip|gcc|g\+\+|clang|java|tclsh|bash|zsh)[\d.\-]+$")


def _substitute(s: str) -> str:
    """Expand `$name` / `${name}` for variables assigned earlier in the same value (`c=ca;d=t;$c$d /etc/passwd`)."""
    env: dict[str, str] = {}
    for n, m in enumerate(_ASSIGN.finditer(s)):
        if n >= 64:  # bound the alternation built below
            break
        v = m.group(2)
        if v[:1] in ("'", '"') and len(v) >= 2:
            v = v[1:-1]
        else:
            v = re.sub(r"\\(.)", r"\1", v)
        env[m.group(1)] = v
    if not env:
        return s
    names = sorted(env, key=len, reverse=True)  # $a10 before $a1
    rx = re.compile(r"\$\{(" + "|".join(map(re.escape, names)) + r")\}|\$(" + "|".join(map(re.escape, names)) + r")")
    return rx.sub(lambda m: env[m.group(1) or m.group(2)], s)


def _cmd_name(w: str, aliases: dict[str, str] | None = None) -> str | None:
    if not w:
        return None
    if aliases and w in aliases:
        return aliases[w]
    return _known_command(w) if len(w) <= 64 else None


@functools.lru_cache(maxsize=4096)
def _known_command(w: str) -> str | None:
    """The command a word names (path, version suffix, .exe, glob, unset variables and cmd.exe switches undone)."""
    if "$" in w and w[0] != "$":
        # an unset variable inside a word expands to nothing: sh$x, wh${u}oami
        bare = _WORD_VAR.sub("", w)
        if bare != w and bare and "$" not in bare:
            return _cmd_name(bare)
    if "/" in w and w[0] != "/":
        m = _WIN_SWITCH.match(w)  # cmd.exe reads `dir/s`, `bcdboot/r` as command + switch
        if m and m.group(1) in _WIN:
            return m.group(1)
    if "/" in w and not _PROGRAM_PATH.match(w):
        return None  # `/ps`, `ab/ls`: no program lives there (base64 tokens are full of `/word+`)
    base = w.rsplit("/", 1)[-1] if "/" in w else w
    m = _VERSIONED.match(base)
    if m:
        return m.group(1)
    if _FAMILY.match(base):
        return "ansible"
    if "\\" in base:
        base = base.rsplit("\\", 1)[-1]
    if base.endswith(".exe") and base[:-4] in _ALL:
        return base[:-4]
    if base in _ALL:
        return base
    if ("?" in base or "*" in base or "[" in base) and ("/" in w or len(base) >= 4) and sum(c.isalpha() for c in base) >= 2:
        return _glob_command(base)
    return None


_STRONG_LINES = "\n".join(sorted(_STRONG))


@functools.lru_cache(maxsize=1024)
def _glob_command(pattern: str) -> str | None:
    """The first known command a glob (`c?t`, `wh*i`) matches: one regex over all names instead of fnmatch per name."""
    rx = fnmatch.translate(pattern).replace("(?s:", "(?:", 1)
    rx = rx[:-2] if rx.endswith("\\Z") else rx
    try:
        m = re.search("^" + rx + "$", _STRONG_LINES, re.M)
    except re.error:
        return None
    return m.group() if m else None


_SENSITIVE_ARG = re.compile(r"^/(?:etc|bin|usr|tmp|dev|proc|var|home|root|sbin|opt|sys|boot|lib|windows)\b", re.I)
_WEAK_ARG = re.compile(r"^(?:/[a-z0-9_.\-]+/|\.{1,2}/|[a-z0-9_.\-]+\.(?:sh|py|pl|php|rb|txt|log|conf|cfg|ini|gz)$)", re.I)
_SHELLISH_ARG = re.compile(r"^(?:-{1,2}[a-z0-9]|[a-z]:(?:[\\/]|$)|/(?:etc|bin|usr|tmp|dev|proc|var|home|root|sbin|opt|sys|boot|lib|windows)\b|"
                           r"/[a-z]$|[a-z]+://|\.{1,2}/|~/|\$|\d+\.\d+\.\d+\.\d+|/\S*[?*\[]|(?:passwd|shadow|id_rsa|authorized_keys|\.bash_history|\.ssh|sudoers|crontab)$|[a-z0-9_.\-]+\.(?:sh|py|pl|php|rb|elf|bin|txt|log|conf|cfg|ini|exe|bat|ps1)$|"
                           r"/[a-z0-9_.\-]+/)", re.I)


_WIN_KEY_RX = re.compile("|".join(re.escape(k) for k in _WIN_KEYS))


def analyze(value: str, depth: int = 0) -> Finding | None:
    low = value.lower()
    best = (0.0, "")

    def take(sc: float, rule: str) -> None:
        nonlocal best
        if sc > best[0]:
            best = (sc, rule)

    if "(" in low and _SHELLSHOCK.search(low):
        take(0.98, "rce:shellshock")
    elif low.lstrip().startswith("(") and _SHELLSHOCK_START.match(low):
        take(0.85, "rce:shellshock")
    if "bin/" in low and _BIN_PATH.search(low):
        take(0.8, "rce:bin_path")
    if "/dev/" in low or "-e" in low or "-i" in low or "0<&" in low or "mkfifo" in low:
        if _DEV_TCP.search(low):
            take(0.95, "rce:reverse_shell")
    if ("if" in low or "for" in low) and _WIN_FLOW.search(low):
        take(0.85, "rce:cmd_flow")
    if _WIN_KEY_RX.search(low) and _WIN_MISC.search(low):
        take(0.85, "rce:windows")
    s = normalize(value)
    if s.startswith("data:") and _DATA_URI_HEAD.match(s):
        s = _DATA_URI_HEAD.sub("", s, count=1)  # `data:image/png;base64,…`: that `;` separates media-type parameters
    if "=" in s and "$" in s:
        s = _substitute(s)
    ws = words(s)
    if "$" in s:
        ws = _drop_empty_vars(ws, s)
    prev_word_cmd = False
    prefixed = False
    aliases: dict[str, str] = {}
    for idx, (sep, w) in enumerate(ws):
        if "=" in w and not w.startswith("="):
            k, _, v = w.partition("=")
            if _cmd_name(v) is not None and k.replace("_", "").isalnum():
                aliases[k] = _cmd_name(v)  # type: ignore[assignment]
        name = _cmd_name(w, aliases)
        is_cmd_pos = bool(sep) or idx == 0
        if sep in (";", "|", "||", "&&", "\n", "&", "$(", "`", "(") and idx > 0 and w.startswith("$") and len(w) > 1 and w[1:].replace("_", "").isalnum():
            take(0.85, "rce:variable_command")
        at_start = idx == 0 or (prefixed and not sep)
        prefixed = False
        if not is_cmd_pos:
            # `nohup cmd`, `time cmd`, `sudo cmd`, `xargs cmd` run their argument as a command
            if prev_word_cmd and idx > 0 and ws[idx - 1][1] in ("time", "nohup", "sudo", "xargs", "env", "exec",
                                                                     "timeout", "nice", "strace", "watch", "busybox", "doas"):
                is_cmd_pos = True
                at_start = idx == 1 or at_start
            else:
                prev_word_cmd = False
                continue
        prev_word_cmd = name is not None
        if name is None:
            if sep in (";", "|", "||", "&&", "`", "\n") and idx == 0 and len(ws) > 1 and ws[1][0] == "" and \
                    _OPTION.match(ws[1][1]) and w.replace("-", "").isalpha():
                take(0.7, "rce:leading_separator")
            continue
        prefixed = name in ("time", "nohup", "sudo", "xargs", "env", "exec", "timeout", "nice", "strace", "watch", "busybox", "doas") and idx == 0
        args = []
        for s2, w2 in ws[idx + 1: idx + 8]:
            if s2 and s2 != "<":
                break
            args.append(w2)
        shellish = any(_SHELLISH_ARG.match(a) for a in args) or any(s2 in ("|", "<") for s2, _ in ws[idx + 1:idx + 3])
        absolute = w.startswith(("/bin/", "/usr/", "/sbin/", "/etc/", "/tmp/", "/opt/")) or "?" in w
        strong = (name in _STRONG and name not in _PROSE) or (name in _WIN_STRONG)
        if name in _EDITORS and (at_start or sep) and any(
                (m_ := _EDITOR_ESCAPE.match(a)) is not None and _cmd_name(m_.group(1)) is not None for a in args):
            take(0.85, "rce:editor_shell_escape")  # `ex x +silent\ !whoami`: an ex command `!cmd` runs a shell
        if name in _PKG_MANAGERS and args and args[0] in _PKG_VERBS and (at_start or sep):
            take(0.75, "rce:package_manager")
        inner = _command_string(name, args) if depth < 2 else None
        if inner and len(inner) < len(value):
            f = analyze(inner, depth + 1)
            if f is not None and f.score >= 0.5:
                take(0.85, "rce:nested_command")
        if sep in ("$(", "`"):
            if sep == "`" and value.count("`") == 2 and _CODE_SPAN.search(value) and _prose_args(_CODE_SPAN_BODY.sub(" ", low).split()[:8]):
                take(0.45, "rce:command_substitution")  # a Markdown code span in a sentence: `use `ls -la` to list`
            else:
                take(0.95, "rce:command_substitution")
        elif sep == "(" and idx > 0 and _PROSE_WORD.match(ws[idx - 1][1]) and not _CODE_PUNCT.search(value):
            pass  # `nc (netcat) tutorial`: `(` right after a word is a syntax error to the shell, parentheses to a reader
        elif sep == "{" and idx > 0 and not _GROUP.search(s):
            pass  # `{ id name }`: GraphQL selections, JSON, templates; a shell group is `{ cmd; }`
        elif sep in (";", "|", "||", "&&", "\n", ";;", "&", "(", "{") and idx > 0:
            if sep in (";", "&") and not shellish and not absolute and _prose_args(args + [w2 for _, w2 in ws[max(0, idx - 4):idx]]) \
                    and _prose_before(ws, idx):
                pass  # `python is fun; perl too`: a sentence with a semicolon, English words on both sides
            elif strong or absolute:
                take(0.92 if sep != "&" else 0.85, "rce:chained_command")
            elif shellish or not args and sep != "&":
                take(0.85 if sep != "&" else 0.6, "rce:chained_command")
            elif sep in (";", "|", "&&", "||") and ws[idx - 1][1] == "" and not args:
                take(0.7, "rce:chained_command")
        elif sep in (";", "|", "||", "&&", "\n", "&", "`") and idx == 0:
            # value starts with a separator: injection into a command argument
            strong_args = any(_SHELLISH_ARG.match(a) and (not _WEAK_ARG.match(a) or _SENSITIVE_ARG.match(a)) for a in args)
            if strong or absolute or strong_args or not args:
                take(0.92, "rce:leading_separator")
            elif any(_OPTION.match(a) for a in args[:2]):
                take(0.7, "rce:leading_separator")
            elif sep != "&" and any(_WEAK_ARG.match(a) for a in args[:3]):
                take(0.6, "rce:leading_separator")  # `;cat /some/file`: a command on a path after a separator
            elif len(args) <= 2 and all(_NUMBER_ARG.match(a) for a in args):
                take(0.7, "rce:leading_separator")  # `;sleep 5`, `|ping 3`: the timing probes of blind injection
            else:
                take(0.45, "rce:leading_separator")
        else:
            if absolute:
                take(0.85, "rce:absolute_command")
            elif strong and idx > 0 and at_start and ws[idx - 1][1] in _PREFIX_CMDS:
                take(0.85, "rce:command_line")
            elif strong and (shellish or args) and at_start and (shellish or name in _PREFIX_CMDS or not _prose_args(args)):
                # `powershell basics`, `passwd command`: a tool's name and one word, nothing else (not even the
                # newline ending a command line) — a search query or a title far more often than a command line;
                # two words (`cscli alerts list`) read as sub-command and argument
                take(0.45 if not shellish and _TITLE.match(low) and name not in _PREFIX_CMDS and
                     not any(_cmd_name(a) for a in args) else 0.8, "rce:command_line")
            elif strong and idx == 0 and not args and len(ws) == 1:
                take(0.55, "rce:bare_command")
            elif idx == 0 and not args and len(ws) >= 1 and (len(ws) == 1 or ws[1][0] in (";", "|", "||", "&&", "`")) and (
                    name in _STRONG or name in ("id", "ls", "pwd", "w", "who", "ps", "env", "set", "dir", "ver", "vol")) and any(c in value for c in ";|`") \
                    and not (name in _PROSE and _prose_list(ws[1:])):
                take(0.7, "rce:command_terminated")
            elif idx == 0 and not args and len(ws) == 1 and _NL_TERMINATED.match(value) and (
                    name in _STRONG and name not in _PROSE or name in _SYSTEM_STATE):
                take(0.6, "rce:command_terminated")  # `shutdown\n`: one command and the newline that runs it
            elif name in _PROSE and shellish and at_start:
                take(0.75, "rce:command_line")
    if best[0] < 0.8 and "{" in low and "," in low:
        bl = _DOLLAR_QUOTE.sub("", low)
        m = _BRACE.search(bl)
        if m and not bl[:m.start()].strip():
            first = _expand_braces(m).split()
            if first and _cmd_name(first[0].strip("'\"")) is not None:
                take(0.8, "rce:brace_expansion")  # {,ip,a} / c{a,oun}t: the expansion's first word is a command
    if best[0] < 0.55 and "~" in low and _TILDE.match(low) and len(low.strip()) >= 2:
        take(0.55, "rce:tilde_expansion")  # ~+ ~- ~0 ~-1: directory-stack expansion, meaningful only to a shell
    if best[0] < 0.6 and "!" in low and _HISTORY.search(low):
        take(0.6, "rce:history_expansion")
    if best[0] < 0.85 and ("<(" in low or ">(" in low) and _PROC_SUBST.search(low):
        take(0.85, "rce:process_substitution")
    if best[0] < 0.85 and "." in low and _SQLITE_DOT.search(low):
        take(0.85, "rce:sqlite_dot_command")
    if best[0] < 0.6 and ("$[" in low or "$((" in low):
        take(0.6, "rce:arithmetic_expansion")
    if best[0] < 0.8 and "alias" in s and _ALIAS.search(s):  # normalised: `alias$IFS$9a=b`
        take(0.8, "rce:alias")
    if best[0] < 0.8 and "$" in s and _VAR_COMMAND.match(s):
        take(0.8, "rce:variable_command")
    if best[0] < 0.6 and ("${" in low or "<(" in low or ">(" in low) and _EXPANSION.search(low):
        take(0.6, "rce:shell_expansion")
    if best[0] < 0.6 and "${" in low:
        for m in _PLAIN_EXPANSION.finditer(low):
            if m.group(1) in _SHELL_ENV or _cmd_name(m.group(1)) is not None:
                take(0.6, "rce:shell_expansion")  # `${cmd}`, `${PATH}`: a placeholder named for the shell
                break
    if best[0] < 0.8 and depth < 2 and ("\\" in value or "''" in value or '""' in value):
        # The shell drops quoting before it runs anything: `c\at`, `c''at`, `a\lias` mean cat and alias to it, so
        # the value means what its unquoted form means (the checks above that read the raw text see that form here).
        deq = _DEQUOTE.sub("", value)
        if deq != value and deq.strip():
            f = analyze(deq, depth + 1)
            if f is not None:
                take(f.score, f.rule)
    if best[0] <= 0:
        return None
    return Finding(TYPE, best[1], best[0])


# Quoting the shell removes: a backslash before an ordinary character or a newline, and empty quote pairs.
_DEQUOTE = re.compile(r"\\\r?\n|\\(?=[\w./\-])|''|\"\"")
_PROC_SUBST = re.compile(r"[<>]\(\s*[a-z/]")
# A whole value that is one word and the newline ending a command line (a form field keeps the user's newline).
_NL_TERMINATED = re.compile(r"^\s*[a-z0-9_./\-]+[ \t]*\r?\n\s*$")  # lower case: `Shutdown` is no command to a shell
# Commands that change the machine's state; as English they are nouns/verbs nobody submits alone with a newline.
_SYSTEM_STATE = {"shutdown", "reboot", "halt", "poweroff"}

_SQLITE_DOT = re.compile(r"(?:^|[;\n]|\\n|;\s*\d*\s*)\s*\.\\?'?(?:shell|system|databases|tables|dump|import|output|once|load|sh|schema|read)\b")
_ALIAS = re.compile(r"(?:^|[;&|\s`])alias\s+(?:[+-]\w+[+-]?\s+)*['\"]?[\w.\-]+['\"]?=")
# `${var:0:1}`, `${var#x}`, `${var/a/b}` carve strings out of variables (an evasion); a plain `${name}` is how
# templates everywhere write placeholders and does nothing a shell would notice.
_EXPANSION = re.compile(r"\$\{[a-z_][a-z0-9_]*[:#%/^,][^}]*\}|\$\{ifs\}|[<>]\([^)]+\)")  # ${IFS}: a blank in disguise


# One backtick span between words, as Markdown writes inline code inside a sentence.
_CODE_SPAN = re.compile(r"[a-z]\s+`[^`\n]{1,40}`\s+[a-z]|[a-z]\s+`[^`\n]{1,40}`\s*[.?!]?\s*$", re.I)
_CODE_SPAN_BODY = re.compile(r"`[^`]*`")
_CODE_PUNCT = re.compile(r"[;\[\]{}'\"$|&<>`=\\]")
_EDITORS = {"vi", "vim", "ex", "view", "rvim", "rview", "nvim", "vimdiff", "gvim"}
_EDITOR_ESCAPE = re.compile(r"^(?:[+:]|-c:?)?!([a-z/][\w/.\-]*)")
_OPTION = re.compile(r"^(?:-{1,2}[a-z][\w\-]*|/[a-z])$")
_PROSE_WORD = re.compile(r"^[a-z]+[!?.,:]?$")


# Function words of English: sub-commands (`cscli alerts list`, `ansible-vault decrypt secret`) never are.
_STOP = set("""is are was were be been am a an the my your our their his her its this that these those or and but
nor vs versus to of for in on at by with from as than then so too very really not no yes if it i you we they he she
me us them can could should would will shall may might must do does did has have had just also only still""".split())


def _prose_args(args: list[str]) -> bool:
    """Arguments that read as an English phrase (`is great! really`): plain words (no path, option, number or host),
    at least one of them a function word or carrying sentence punctuation."""
    args = [a for a in args if a not in ("-", "--")]  # a dash used as punctuation (`python -- the language`)
    return bool(args) and all(_PROSE_WORD.match(a) for a in args) and \
        any(a.rstrip("!?.,:") in _STOP or a[-1] in "!?,:" for a in args)


def _prose_list(rest: list[tuple[str, str]]) -> bool:
    """`yes; no; maybe`: after an English word that is also a command come only plain words, none of them a command."""
    return bool(rest) and all(sep in ("", ";", ",") and _PROSE_WORD.match(w) and _cmd_name(w) is None for sep, w in rest)


def _prose_before(ws: list[tuple[str, str]], idx: int) -> bool:
    """The words before a separator are a phrase: at least two plain words and no shell syntax."""
    prev = [w for _, w in ws[max(0, idx - 4):idx]]
    return len(prev) >= 2 and all(_PROSE_WORD.match(w) for w in prev) and all(not s for s, _ in ws[1:idx])


def _drop_empty_vars(ws: list[tuple[str, str]], s: str) -> list[tuple[str, str]]:
    """A word that is only an unset `$var` before a command name expands to nothing: `|$u wget x` runs wget."""
    assigned = {m.group(1) for m in _ASSIGN.finditer(s)}
    out: list[tuple[str, str]] = []
    carry = ""
    for i, (sep, w) in enumerate(ws):
        m = _VAR_WORD.match(w)
        if m and m.group(1) not in assigned and m.group(1) != "ifs" and sep and i + 1 < len(ws) and not ws[i + 1][0] \
                and _cmd_name(ws[i + 1][1]) is not None:
            carry = carry or sep
            continue
        if carry and not sep:
            sep, carry = carry, ""
        out.append((sep, w))
    return out


def _command_string(name: str, args: list[str]) -> str | None:
    """The argument a command runs as shell code: `trap 'cmd' SIG`, `eval 'cmd'`, `sh -c 'cmd'`."""
    if name in ("trap", "eval") and args:
        return args[0]
    if name in _SHELLS and len(args) >= 2 and args[0] in ("-c", "-lc", "-ic"):
        return args[1]
    return None


# Any unambiguous command name, wherever it stands (the tokenizer decides whether it is in command position).
# One literal pattern per name: hyperscan compiles these in well under a second, a single alternation in seconds.
TRIGGERS = TRIGGERS_BASE + [r"\b" + re.escape(c) + r"\b" for c in sorted(_STRONG - _PROSE)] + [r"\bansible-\w", r"\bchef-\w"]

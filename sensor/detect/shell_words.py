"""Command names the shell analyser knows: POSIX tools and GTFOBins, Windows and LOLBAS, PowerShell cmdlets."""
from __future__ import annotations

import re

# POSIX utilities and common tools; "strong" ones are not English words, so no argument evidence is needed.
STRONG = frozenset("""
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
lsusb free vmstat iostat mpstat sar top htop pstree pgrep pidof fuser sysdig auditctl ausearch last ll rc dd
aws gsutil doctl eksctl df du chef
arj atobm basenc bpftrace busctl byebug cdist choom cobc cowsay cowthink cpan csvtool cupsfilter debugfs dmidecode dosbox
dstat dvips efax eqn espeak exiftool fping gcore genisoimage ghc gtester iftop ispell jtag ksshell ksu latexmk ldconfig
loginctl lualatex luatex lwp-download lwp-request minicom mosquitto mosquitto_pub mosquitto_sub msgattrib msgcat msgconv
msgfilter msgmerge msguniq multitime nasm neofetch nroff openvt opkg pandoc pdflatex pdftex perlbug pexec pidstat psftp
rpmdb rpmquery rpmverify rtorrent run-mailcap runscript scanmem scrot setlock slsh softlimit ssh-keyscan systemd-resolve
tasksh tdbtool timedatectl tmate torify unsquashfs update-alternatives vagrant valgrind varnishncsa vigr vipw virsh
volatility whiptail xdg-user-dir xdotool xelatex xetex xmodmap xpad yash zathura zsoelim vimdiff shuf restic rlogin rsh rexec
snap julia ash cancel crash date fish genie grc highlight joe latex look man posh ptx redis sash
screen script socket soelim task tbl tex view yelp
""".split())
# The names from `arj` on complete the list with GTFOBins (gtfobins.github.io); the words among them (`man`, `screen`,
# `fish`, `date`…) are also in PROSE below. Left out: two-letter names that are abbreviations in text and markup
# (`pg`, `hd`, `lp`, `ul`, `vi`, `sg`, `eb`) and `dialog`, an HTML element.
# English words among the commands: need shell-ish arguments or a separator before them.
PROSE = frozenset("""
tar pico nano finger cd fold bridge wish expect yarn cargo composer poetry bun mount dd at batch bc cat column comm cut dc diff dir echo ed env ex exit expand export false fetch file find fold free
head history host id install join jobs kill last less let links local mail make more mount nice nl paste patch
pr printf rev route seq set shift sort source split stat strings tail tee test time top touch trap true type
uniq unset wait watch wc who write yes sleep ln cmp units fc fg bg init w ss su sh cc ed ar at dd nm od pax
groups alias service shutdown halt reboot login df du knife helm chef git snap julia ash cancel crash fish genie grc
highlight joe latex look man posh ptx redis sash screen script socket soelim task tbl tex view yelp logout mesg wall finger date locate expr factor timeout ping
declare readonly typeset ulimit umask eval exec which whereis basename dirname tr ip apt gem pip less rm cp mv ll rc
""".split())
WIN = frozenset("""
regedit bcdboot cmd cmd.exe powershell powershell.exe pwsh certutil bitsadmin wmic reg regsvr32 rundll32 mshta cscript wscript
schtasks sc tasklist taskkill systeminfo ipconfig netsh net net1 nltest dsquery whoami type dir copy xcopy robocopy
del erase rd rmdir md mkdir ren move attrib cacls icacls takeown vssadmin wevtutil bcdedit diskpart format fsutil
findstr find more echo set setx ver vol hostname ping nslookup tracert pathping arp route netstat qprocess quser
query runas start call forfiles where msiexec installutil regasm regsvcs msbuild odbcconf cmstp control explorer
calc notepad mspaint waitfor timeout
tree cipher compact replace label expand
certreq esentutl extrac32 makecab mavinject msdt pcalua wuauclt ieexec infdefaultinstall hh cmdkey klist gpresult auditpol
qwinsta rwinsta tscon winrs psexec procdump sdelete wbadmin fltmc dism dsget nbtstat getmac driverquery openfiles
ntdsutil secedit netdom csvde ldifde manage-bde bootcfg powercfg mountvol
gci gcm gwmi ipmo icm saps spps sls gsv sal nal iex
""".split())
# Binaries from LOLBAS (lolbas-project.github.io) and PowerShell's built-in aliases (`Get-Alias`) that are no English
# words; `tree`, `cipher`, `replace`, `sal`… above are, and need a command line around them.
WIN_STRONG = frozenset({"cmd", "cmd.exe", "powershell", "powershell.exe", "pwsh", "certutil", "bitsadmin", "wmic", "regsvr32",
               "rundll32", "mshta", "cscript", "wscript", "schtasks", "tasklist", "taskkill", "systeminfo", "ipconfig",
               "netsh", "net1", "nltest", "dsquery", "vssadmin", "wevtutil", "bcdedit", "icacls", "cacls", "msiexec",
               "installutil", "regasm", "msbuild", "takeown", "forfiles", "whoami", "net", "findstr", "certreq", "esentutl",
               "extrac32", "makecab", "mavinject", "msdt", "pcalua", "wuauclt", "ieexec", "infdefaultinstall", "cmdkey",
               "klist", "gpresult", "auditpol", "qwinsta", "rwinsta", "tscon", "winrs", "psexec", "procdump", "sdelete",
               "wbadmin", "fltmc", "dsget", "nbtstat", "getmac", "driverquery", "openfiles", "ntdsutil", "secedit",
               "netdom", "csvde", "ldifde", "manage-bde", "bootcfg", "powercfg", "mountvol", "gwmi", "ipmo", "spps",
               "saps", "iex"})
# Sub-commands that make an everyday word a command after a separator (`x && ip a`, `& sc query`); alone as a search
# (`ip address lookup`, `sc query meaning`) they stay words.
SUBCOMMANDS = {
    "ip": {"a", "addr", "link", "l", "route", "r", "neigh", "n", "rule", "netns", "-4", "-6", "-br", "-s"},
    "sc": {"query", "queryex", "qc", "qdescription", "create", "config", "start", "stop", "delete", "sdshow", "sdset"},
    "reg": {"query", "add", "delete", "export", "save", "load", "import", "copy"},
    "tree": {"/f", "/a"}, "expand": {"-r", "-f"},
    "chef": {"exec", "generate", "install", "gem", "shell-init", "push", "update", "export", "provision", "verify",
             "env", "diff", "undelete", "show-policy"},
    "knife": {"ssh", "exec", "bootstrap", "node", "role", "cookbook", "data", "search", "vault", "client"},
    "helm": {"install", "upgrade", "uninstall", "template", "repo", "plugin", "pull", "rollback"},
    "at": {"-f", "-m", "-l"},
}

# PowerShell cmdlets are Verb-Noun with a verb from the approved list (`Get-Verb`, learn.microsoft.com "Approved Verbs
# for PowerShell Commands"). English compounds share the shape (`get-together`, `Add-ons`, `set-up`), so a cmdlet counts
# in command position only when it is spelled as one (a CamelCase noun: `Get-LocalUser`), takes a `-Parameter`, or
# names a noun from the system-administration nouns below.
PS_VERBS = ("add|clear|close|copy|enter|exit|find|format|get|hide|join|lock|move|new|open|optimize|pop|push|redo|"
             "remove|rename|reset|resize|search|select|set|show|skip|split|step|switch|undo|unlock|watch|connect|"
             "disconnect|read|receive|send|write|backup|checkpoint|compare|compress|convert|convertfrom|convertto|"
             "dismount|edit|expand|export|group|import|initialize|limit|merge|mount|out|publish|restore|save|sync|"
             "unpublish|update|approve|assert|build|complete|confirm|deny|deploy|disable|enable|install|invoke|"
             "register|request|restart|resume|start|stop|submit|suspend|uninstall|unregister|wait|debug|measure|"
             "ping|repair|resolve|test|trace|block|grant|protect|revoke|unblock|unprotect|use|foreach|where|tee")
PS_NOUNS = ("process|service|childitem|content|itemproperty|wmiobject|ciminstance|cimmethod|localuser|localgroup|"
             "localgroupmember|acl|command|alias|history|module|object|variable|executionpolicy|eventlog|winevent|"
             "netipaddress|nettcpconnection|netfirewallprofile|mppreference|mpcomputerstatus|scheduledtask|webrequest|"
             "restmethod|expression|psdrive|pssession|clipboard|computerinfo|hotfix|credential|adcomputer|aduser|"
             "adgroupmember|dnsname|psreadlineoption|bitstransfer")
PS_VERB_SET = frozenset(PS_VERBS.split("|"))
PS_NOUN_SET = frozenset(PS_NOUNS.split("|"))
# A Verb-Noun word at the start or after a separator; the verb and noun are checked against the sets in Python
# (one regex alternation over a hundred verbs costs more than the whole tokenizer on long values).
# (`\s*+(?:[\"'(]\s*+)?` reads what `\s*[\"'(]?\s*` read: blanks, an optional quote, blanks. The older spelling let
# the two blank runs trade characters, so a run of newlines cost cubic time: 69 s of CPU for a 2 KB value. And a
# newline starts a candidate only when it is the last one of its blank run: from any newline of the run the same
# blanks lead to the same next character, and trying each of them made a run of n newlines cost n² steps.)
PS_CANDIDATE = re.compile(r"(?:^|[;|&`({]|\n(?=[^\S\n]*+\S)|\$\()\s*+(?:[\"'(]\s*+)?([a-z]{2,15})-([a-z]{2,40})\b",
                          re.I)


def ps_candidates(value: str, limit: int = 32) -> list[re.Match]:
    """The first `limit` Verb-Noun candidates in `value` (a newline run's candidate starts at its last newline)."""
    found: list[re.Match] = []
    for m in PS_CANDIDATE.finditer(value):
        found.append(m)
        if len(found) >= limit:
            break
    return found
CAMEL = re.compile(r"^[A-Z][a-z]+[A-Z][A-Za-z]*$")
PS_FOLLOW = re.compile(r"[ \t]+-[a-z]{2,}\b|[ \t]*\|", re.I)
PS_PARAM = re.compile(r"\s+-[a-z]{2,}\b", re.I)


def cmdlet_at(value: str, m: re.Match) -> bool:
    """The Verb-Noun word `m` found is spelled as a cmdlet: an approved verb, and a CamelCase noun, a noun from the
    administration list, or a `-Parameter` after it."""
    if m.group(1).lower() not in PS_VERB_SET:
        return False
    noun = m.group(2)
    return bool(CAMEL.match(noun)) or noun.lower() in PS_NOUN_SET or PS_PARAM.match(value, m.end()) is not None
# `sal x iex`, `Set-Alias -Name y -Value Invoke-Expression`: an alias made for a program (PowerShell's `alias a=b`)
# (`(?![^\S\n]*+\n)`: a separator followed through blanks by a newline leaves the match to that newline, which
# reaches the same text; every newline of a long run rescanned the run to its end, quadratic)
PS_ALIAS = re.compile(r"(?:^|[;|&\n`(])(?![^\S\n]*+\n)\s*(?:sal|nal|set-alias|new-alias)\s+(?:-name\s+)?[\w-]+\s+(?:-value\s+)?"
                       r"['\"]?([a-z][\w.-]*)", re.I)

# --- Round 3: CRS 4.25 vocabularies (coreruleset.org, Apache-2.0; NOTICE credits CRS). unix-shell.data (718 entries,
# itself built from GTFOBins and the distributions' shell lists) and unix-shell-builtins.data added the names below;
# the English words among them go to PROSE (they need a command line around them), the rest need no evidence.
# Left out: `GET`/`HEAD`/`POST` (lwp-request's aliases, spelled like the HTTP methods in every API doc), the
# two-letter abbreviations (`pg`, `hd`, `lp`, `ul`, `es`, `eb`, `as`, `ld`, `sg`, `pf`), `dialog`, `pic`, `tic` and
# `red` (ed's restricted mode; `{red,green,blue}` is a colour list).
CRS4_UNIX = frozenset("""
7zr 7zx addgroup agetty ascii-xfr ascii85 aspell aurepot axel blkid bsdcat bsdiff bsdtar byobu bzcmp bzdiff bzegrep
bzexe bzfgrep bzgrep bzip2recover bzless bzmore c89-gcc c99-gcc cargo-audit cargo-miri cargo-watch check_by_ssh
check_cups check_log check_memory check_raid check_ssl_cert check_statusfile chflags chgpasswd chpass chsh clang
clang++ clippy-driver cobcrun dhclient e2fsck env-update fdfind fdmount fdumount fping6 ftpstats ftpwho getcap
grcat groupmod gzcat gzexe hostid htdigest htpasswd ippeveprinter ippfind ipptool jexec lastcomm lessecho lessfile
lesspipe lftpget logname losetup lsb_release lshw lwp-dump lwp-mirror lz4c lzcmp lzdiff lzegrep lzfgrep lzgrep lzless
lzmadec lzmainfo lzmore mailq mlocate mysqladmin mysqldump mysqldumpslow mysqlhotcopy mysqlshow nc.openbsd
nc.traditional netkit-ftp netplan nping nstat pdb2mb pdb3 pdksh perl5 perlsh pftp pigz pkg_info pkginfo psed ptar
ptardiff ptargrep pxz py3versions pyversions raku rbash rcp rmuser rnano rsync-ssl runc rust-analyzer rust-gdb
rust-lldb rustdoc rustfmt rustup setcap setsid sh.distrib ssh-add sudo-rs sudoedit sudoreplay svn svnadmin svnauthz
svnbench svndumpfilter svnfsfs svnlook svnmucc svnrdump svnserve svnsync svnversion tailf tcping tcptraceroute
traceroute6 uncompress unlz4 unlzma unpigz unzstd visudo-rs wireshark xmore xterm xzcmp xzdec xzdiff xzegrep xzfgrep
xzgrep xzless xzmore zcmp zdiff zegrep zfgrep zipcloak zipcmp zipdetails zipgrep zipinfo zipmerge zipnote zipsplit
ziptool zless zmore zrun zstdgrep zstdmt pacman bzz esh
zmodload coproc setenv
""".split())
CRS4_UNIX_PROSE = frozenset("""
arch compress command hash parted rename repeat function builtin unlink
""".split())
# Windows commands of CRS 4's 932370 (LOLBAS binaries) and 932380 (Windows Server command reference); `WIN_STRONG` only
# for names no text uses. Left out as words: goto print remote update url offline excel desk microsoft tracker squirrel
# rescan san te gpt psr pester jetpack filesystems gettype replace.
CRS4_WIN_STRONG = frozenset("""
acccheckconsole adplus advpack agentexecutor appinstaller appvlp aspnet_compiler atbroker bginfo certoc cmdl32 comsvcs
configsecuritypolicy conhost coregen createdump customshellhost datasvcutil desktopimgdownldr devicecredentialdeployment
devtoolslauncher dfshim dfsvc diantz diskshadow dnscmd dump64 dxcap extexport fsianycpu gfxdownloadwrapper ie4uinit
ieadvpack imewdbld mpcmdrun msdeploy msohtmed msxsl offlinescannershell onedrivestandaloneupdater pcwrun pcwutl pktmon
pnputil presentationhost printbrm protocolhandler rasautou rdrleakdiag regini runexehelper runscripthelper scriptrunner
settingsynchost sqldumper sqltoolsps stordiag syncappvpublishingserver ttdinject tttracer unregmp2 verclsid
visualuiaverifynative vsiisexelauncher vsjitdebugger wlrmdr wsreset xwizard evntcmd atmadm autochk autoconv autofmt
bdehdcfg chglogon chgport chgusr chkdsk chkntfs cleanmgr dcdiag dcgpofix dfsdiag dfsrmig diskcomp diskcopy diskperf
diskraid dispdiag doskey endlocal eventcreate eventvwr flattemp freedisk fveupdate gpfixup gpscript gpupdate graftabl
helpctr ipxroute ksetup ktmutil ktpass lodctr logman mapadmin mftrace mklink mqbkup mqsvc mqtgsvc msconfig msinfo32
mstsc netcfg nfsadmin nfsshare nlbmgr ntbackup ntcmdprompt ntfrsutl pagefileconfig pbadmin pentnt perfmon pnpunattend
prncnfg prndrvr prnjobs prnmngr prnport prnqctl pubprn pushprinterconnections pwlauncher qappsrv rdpsign refsutil relog
repadmin risetup scwcmd serverceipoptin servermanagercmd serverweroptin setupapi shdocvw sxstrace sysocmgr syssetup
tapicfg tcmsetup tlntadmn tpmtool tpmvscmgr tracerpt tsdiscon tsecimp tskill tsprof typeperf tzutil unlodctr wdsutil
wecutil winnt32 winrm winword powerpnt ftype chcp assoc
epcsv ipcsv etsn exsn gsnp rsnp asnp rcjb sajb spjb sujb rujb rwmi swmi npssc rcsn cnsn dnsn clhy
""".split())
# Short or product-like Windows names (`wsl`, `winget`, `mmc`, `sfc`) and PowerShell's two- and three-letter aliases
# (932125): words or abbreviations in text (`GPS`, `GBP`, `FL`, `CPI`), so a command only with a command line's
# arguments after a separator (rce.py keeps them in its abbreviation set).
CRS4_WIN_SHORT = frozenset("""
wsl winget mmc sfc csc csi cdb fsi jsc vbc wab wfc wt lpr lpq dnx logoff subst
gc gi gl gm gp gps gu gv ii ni mp sp rp ri rv ft fl fw cls clc cli clp clv ebp ndr rdr gdr sv sl nv gbp gcs gjb nsn rsn
rmo nmo gmo rni rnp gsn trcm shcm cvpa rvpa cpi cpp ogv gal dbp sbp rbp ghy ihy wjb gerr gpv ipal epal ipsn epsn
""".split())
STRONG = STRONG | CRS4_UNIX | CRS4_UNIX_PROSE
PROSE = PROSE | CRS4_UNIX_PROSE
WIN = WIN | CRS4_WIN_STRONG | CRS4_WIN_SHORT
WIN_STRONG = WIN_STRONG | CRS4_WIN_STRONG
# Cmdlet nouns of windows-powershell-commands.data (CRS 4, from Microsoft's PowerShell-Docs) and of the networking and
# SMB modules; the English nouns among them (`date`, `file`, `help`, `host`, `job`, `list`, `item`…) are left to the
# CamelCase and `-Parameter` checks, so `Home | Get-Help` stays a menu.
PS_NOUN_SET = PS_NOUN_SET | frozenset("""
archive authenticodesignature cimassociatedinstance cimclass cimsession cimsessionoption clixml cmsmessage computer
computerrestore computerrestorepoint computersecurechannel computermachinepassword controlpanelitem dscresource filehash
formatdata gridview itempropertyvalue jobtrigger mailmessage modulemanifest pfxcertificate psbreakpoint pscallstack
pshostprocess psprovider psreadlinekeyhandler psremoting psrepository pssessionconfiguration pssnapin recyclebin runspace
scheduledjob securestring sddlstring strictmode temporaryfile threadjob timezone transcript typedata wmievent
wmiinstance wmimethod wsman wsmaninstance wsmanquickconfig wsmancredssp webserviceproxy installedmodule packageprovider
packagesource psdebug pstrace psworkflowsession csv json html xml clixml uptime
netadapter netroute netneighbor netfirewallrule smbshare smbsession smbmapping dnsclientcache localuser
""".split())
PS_VERB_SET = PS_VERB_SET | {"sort"}

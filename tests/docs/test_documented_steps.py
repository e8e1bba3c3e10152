"""Runs the command blocks of docs/getting-started.md, in order, in one shell against the local stack."""
from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "getting-started.md"
README = ROOT / "README.md"
ROLES = ("Security engineer", "Analyst", "ML engineer", "Operator")
DEFAULT_TIMEOUT = 300.0

# --- the guide, parsed ---------------------------------------------------------------------------------------
# A ```sh block is a step: it runs in the guide's one shell (`set -eo pipefail`), so it fails on the first
# failing command. A ```text block right after it is what the output must show: every non-empty line matches
# some distinct output line, `...` standing for any text and runs of white space compared as one space.
# `<!-- doc-test: retry=SECONDS timeout=SECONDS -->` before a block: `retry` re-runs a read-only check (in a
# subshell) until it passes, for what the stack does asynchronously; `timeout` bounds a long step.

_FENCE = re.compile(r"^```\s*([\w-]*)\s*$")
_OPTIONS = re.compile(r"^<!--\s*doc-test:(.*?)-->\s*$")


@dataclass
class Step:
    section: str
    line: int
    code: str
    expect: list[str] = field(default_factory=list)
    retry: float = 0.0
    timeout: float = DEFAULT_TIMEOUT


def parse_guide(text: str) -> list[Step]:
    steps: list[Step] = []
    section = ""
    options: dict[str, float] = {}
    lines = text.splitlines()
    i = 0
    last_closed: Step | None = None   # the sh step a ```text block may belong to (only blank lines between)
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        if fence:
            lang, start = fence.group(1), i + 1
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                i += 1
            if i == len(lines):
                raise ValueError(f"{GUIDE.name}:{start}: unclosed code fence")
            body = "\n".join(lines[start:i])
            if lang == "sh":
                step = Step(section, start, body + "\n", retry=options.pop("retry", 0.0),
                            timeout=options.pop("timeout", DEFAULT_TIMEOUT))
                if options:
                    raise ValueError(f"{GUIDE.name}:{start}: unknown doc-test option(s) {sorted(options)}")
                steps.append(step)
                last_closed = step
            elif lang == "text" and last_closed is not None:
                last_closed.expect = [ln for ln in lines[start:i] if ln.strip() and ln.strip() != "..."]
                last_closed = None
            else:
                last_closed = None
            options = {}
            i += 1
            continue
        opts = _OPTIONS.match(line.strip())
        if opts:
            for item in opts.group(1).split():
                key, _, value = item.partition("=")
                try:
                    options[key] = float(value)
                except ValueError:
                    raise ValueError(f"{GUIDE.name}:{i + 1}: bad doc-test option {item!r}") from None
        elif line.startswith("## "):
            section = line[3:].strip()
            last_closed = None
        elif line.strip():
            last_closed = None
            if options:
                raise ValueError(f"{GUIDE.name}:{i + 1}: a doc-test comment must come right before a ```sh block")
        i += 1
    return steps


def _norm(s: str) -> str:
    return " ".join(s.split())


def _pattern(line: str) -> re.Pattern[str]:
    parts = re.split(r"\s*\.\.\.\s*", _norm(line))   # `a ... b` also matches `a b`
    return re.compile(".*".join(re.escape(part) for part in parts) + r"\Z", re.S)


def unmatched(expect: list[str], output: str) -> list[str]:
    """Expected lines that no distinct output line matches (a bipartite matching: any order)."""
    pats = [_pattern(e) for e in expect]
    outs = [_norm(ln) for ln in output.splitlines() if ln.strip()]
    owner: dict[int, int] = {}

    def assign(p: int, seen: set[int]) -> bool:
        for o, text in enumerate(outs):
            if o not in seen and pats[p].match(text):
                seen.add(o)
                if o not in owner or assign(owner[o], seen):
                    owner[o] = p
                    return True
        return False

    return [expect[p] for p in range(len(pats)) if not assign(p, set())]


# --- one persistent shell ------------------------------------------------------------------------------------

class GuideShell:
    """A bash process in its own session: steps run one after another in it, like a reader's terminal."""

    def __init__(self, cwd: Path, env: dict[str, str], scratch: Path) -> None:
        self.scratch = scratch
        self.proc = subprocess.Popen(["bash", "--noprofile", "--norc"], cwd=cwd, env=env, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     start_new_session=True, bufsize=1, errors="replace")
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.count = 0
        self._send("set -eo pipefail\n")

    def _read(self) -> None:
        for line in self.proc.stdout:  # type: ignore[union-attr]
            self.lines.put(line)
        self.lines.put(None)

    def _send(self, text: str) -> None:
        self.proc.stdin.write(text)  # type: ignore[union-attr]
        self.proc.stdin.flush()  # type: ignore[union-attr]

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def run(self, code: str, timeout: float, isolated: bool) -> tuple[int | None, str]:
        """(exit code, output) of one step; None as the code on timeout. An isolated step runs in a subshell
        so that its failure leaves the shell alive (used for retried checks)."""
        self.count += 1
        script = self.scratch / f"step-{self.count:02d}.sh"
        script.write_text(code)
        marker = f"__doc_step_done_{uuid.uuid4().hex}__"
        if isolated:
            cmd = f"set +e; ( set -e; source {script} ) < /dev/null; __rc=$?; set -e\n"
        else:
            cmd = f"source {script} < /dev/null; __rc=$?\n"
        self._send(cmd + f"printf '\\n%s %s\\n' {marker} $__rc\n")
        out: list[str] = []
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return None, "".join(out)
            if line is None:    # the shell exited: `set -e` stopped it on a failing command
                return self.proc.wait(), "".join(out)
            if line.startswith(marker):
                (self.scratch / f"step-{self.count:02d}.out").write_text("".join(out))   # kept for reading
                return int(line.split()[1]), "".join(out)
            out.append(line)

    def close(self) -> None:
        """End the shell and whatever it left running (its own process group only)."""
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        time.sleep(0.5)
        try:   # background jobs (demo site, sensor, tcpdump) share the group; stop any that outlived bash
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the run -------------------------------------------------------------------------------------------------

STEPS = parse_guide(GUIDE.read_text())
SECTIONS = list(dict.fromkeys(s.section for s in STEPS))


def _champion(url: str) -> str | None:
    from mlflow import MlflowClient
    from mlflow.exceptions import MlflowException

    try:
        return MlflowClient(url).get_model_version_by_alias("rampart-detector", "champion").version
    except MlflowException:
        return None


@pytest.fixture(scope="module")
def guide(stack, tmp_path_factory):
    """The guide's shell, with the substitutions a shared machine makes unavoidable: a tenant of this run (so
    its counts are its own), free ports for the demo site and the sensor's metrics, and a TMPDIR of the test."""
    for tool in ("jq", "curl", "tcpdump", "clickhouse-client"):
        if shutil.which(tool) is None:
            pytest.fail(f"the guide needs {tool} (infra/setup.sh installs it)", pytrace=False)
    base = tmp_path_factory.mktemp("guide")
    (base / "tmp").mkdir()
    (base / "steps").mkdir()
    env = dict(os.environ, TMPDIR=str(base / "tmp"), TERM="dumb", NO_COLOR="1")
    for var in ("MLFLOW_TRACKING_URI", "RAMPART_TOKEN", "RAMPART_NODE_TOKEN", "VIRTUAL_ENV"):
        env.pop(var, None)
    subst = {"acme": f"acme-{uuid.uuid4().hex[:8]}", "18765": str(_free_port()), "9108": str(_free_port())}
    champion_before = _champion(stack.mlflow_url)
    shell = GuideShell(ROOT, env, base / "steps")
    state = {"shell": shell, "subst": subst, "failed": None, "done": []}
    yield state
    shell.close()
    if _champion(stack.mlflow_url) != champion_before:   # the guide rolls back; this covers a failed run
        from mlflow import MlflowClient
        client = MlflowClient(stack.mlflow_url)
        if champion_before is None:
            client.delete_registered_model_alias("rampart-detector", "champion")
        else:
            client.set_registered_model_alias("rampart-detector", "champion", champion_before)


def _substitute(text: str, subst: dict[str, str]) -> str:
    for word, value in subst.items():
        text = re.sub(rf"\b{re.escape(word)}\b", value, text)
    return text


def test_guide_has_a_tested_walkthrough_per_role():
    for role in ROLES:
        sections = [s for s in SECTIONS if s.startswith(role)]
        assert sections, f"{GUIDE.name} has no '## {role} …' section with commands"
        steps = [s for s in STEPS if s.section in sections]
        assert len(steps) >= 3, f"{role}: only {len(steps)} command block(s)"
        assert sum(bool(s.expect) for s in steps) >= 2, f"{role}: its steps hardly say what they show"
    assert SECTIONS[0] == "Before you start"


@pytest.mark.timeout(1800)
@pytest.mark.parametrize("section", SECTIONS, ids=[re.sub(r"\W+", "-", s.split(" —")[0]).strip("-").lower()
                                                   for s in SECTIONS])
def test_guide_section(guide, section):
    if guide["failed"]:
        pytest.fail(f"not run: the guide already failed in {guide['failed']!r} (its steps build on each other)",
                    pytrace=False)
    before = SECTIONS[:SECTIONS.index(section)]
    if guide["done"] != before:
        pytest.fail(f"not run: the sections before it ({before}) must run first in the same session "
                    "(run the whole module)", pytrace=False)
    shell: GuideShell = guide["shell"]
    guide["failed"] = section
    for step in (s for s in STEPS if s.section == section):
        code = _substitute(step.code, guide["subst"])
        expect = [_substitute(e, guide["subst"]) for e in step.expect]
        where = f"{GUIDE.name}:{step.line}"
        deadline = time.monotonic() + step.retry
        while True:
            rc, out = shell.run(code, step.timeout, isolated=bool(step.retry))
            missing = unmatched(expect, out) if rc == 0 else expect
            if rc == 0 and not missing:
                break
            if not step.retry or time.monotonic() > deadline or rc is None:
                reason = ("timed out" if rc is None else f"exit {rc}" if rc else
                          "output lacks:\n  " + "\n  ".join(missing))
                pytest.fail(f"{where} ({section}): {reason}\n--- step ---\n{code}--- output ---\n{out}",
                            pytrace=False)
            time.sleep(2)
    guide["failed"] = None
    guide["done"].append(section)


# --- README and guide: every `rampart …` they name exists, with the options they give it --------------------

def _rampart_invocations(text: str) -> list[tuple[str, list[str]]]:
    """(source line, words after `rampart`) for every rampart command in code blocks and inline code."""
    found: list[tuple[str, list[str]]] = []
    snippets: list[str] = []
    in_fence = False
    block: list[str] = []
    for line in text.splitlines():
        if line.startswith("```"):
            if in_fence:
                snippets.append("\n".join(block).replace("\\\n", " "))
                block = []
            in_fence = not in_fence
        elif in_fence:
            block.append(line)
        else:
            snippets.extend(re.findall(r"`([^`]+)`", line))
    for snippet in snippets:
        for raw in snippet.splitlines():
            raw = re.sub(r"\s#.*$", "", raw)
            for segment in re.split(r"\|\||&&|[|;()]|\$\(", raw):
                words = segment.split()
                for k, word in enumerate(words):
                    if word in ("rampart", ".venv/bin/rampart") and (k == 0 or words[k - 1] in ("exec", "sudo")):
                        if not any(w.endswith(":") for w in words[k + 1:k + 3]):   # `rampart train: <reason>`
                            found.append((raw.strip(), words[k + 1:]))         # is a message, not a command
                        break
    return found


def _resolve(words: list[str]):
    import click

    from rampart.cli import main

    cmd, path = main, []
    for word in words:
        if isinstance(cmd, click.Group) and word in cmd.commands:
            cmd = cmd.commands[word]
            path.append(word)
        else:
            break
    return cmd, path


def test_readme_starts_with_the_two_setup_commands():
    text = README.read_text()
    first = re.search(r"^```[^\n]*\n(.*?)^```", text, re.S | re.M)
    assert first, "README.md has no code block"
    commands = [ln.split("#")[0].strip() for ln in first.group(1).splitlines() if ln.strip()]
    assert commands == ["make demo", "make test"], commands


def command_problems(text: str, name: str) -> tuple[list[str], set[tuple[str, ...]]]:
    """What is wrong with the `rampart …` commands of a markdown text, and the command paths it names."""
    import click

    problems, paths = [], set()
    for source, words in _rampart_invocations(text):
        cmd, path = _resolve(words)
        paths.add(tuple(path))
        rest = words[len(path):]
        if isinstance(cmd, click.Group) and rest and not rest[0].startswith("-"):
            problems.append(f"{name}: `rampart {' '.join(path)}` has no subcommand {rest[0]!r} (in: {source})")
            continue
        known = {o for p in cmd.params for o in (*p.opts, *p.secondary_opts)} | {"--help", "-h"}
        for opt in re.findall(r"(?<![\w-])--[a-zA-Z][\w-]*", " ".join(rest)):
            if opt not in known:
                problems.append(f"{name}: `rampart {' '.join(path)}` has no option {opt} (in: {source})")
    return problems, paths


def test_command_check_catches_wrong_commands():
    text = ("Run `rampart sensor replay x.pcap --bogus` or `rampart tokens frobnicate --region eu`.\n"
            "It fails with `rampart train: no data` or `rampart stack up: port in use`.\n"
            "```sh\nrampart stack status --json | jq .\nrampart rules check \\\n    --strict r.yaml\n```\n")
    problems, paths = command_problems(text, "t.md")
    assert paths == {("sensor", "replay"), ("tokens",), ("stack", "status"), ("rules", "check")}
    assert len(problems) == 3 and all(p.startswith("t.md: ") for p in problems), problems
    assert any("--bogus" in p for p in problems) and any("frobnicate" in p for p in problems)
    assert any("--strict" in p for p in problems)


def test_every_named_rampart_command_exists():
    """Each `rampart …` of the README, the guide and the other docs resolves to a command that takes the
    options given to it and whose `--help` exits 0 (in-process through click, and `rampart --help` for real)."""
    from click.testing import CliRunner

    from rampart.cli import main

    problems, paths = [], set()
    for doc in (README, *sorted((ROOT / "docs").glob("*.md"))):
        found, named = command_problems(doc.read_text(), doc.relative_to(ROOT).as_posix())
        problems += found
        paths |= named
        if doc in (README, GUIDE):
            assert len(named) >= 10, f"{doc.name} names only {len(named)} rampart commands: {sorted(named)}"
    for path in sorted(paths):
        res = CliRunner().invoke(main, [*path, "--help"])
        if res.exit_code != 0:
            problems.append(f"`rampart {' '.join(path)} --help` exited {res.exit_code}: {res.output.strip()[-300:]}")
    res = subprocess.run([str(ROOT / ".venv" / "bin" / "rampart"), "--help"], capture_output=True, text=True,
                         timeout=120)
    if res.returncode != 0:
        problems.append(f"`rampart --help` exited {res.returncode}: {res.stderr.strip()}")
    assert not problems, "\n".join(problems)


def test_harness_runs_steps_in_one_shell_and_checks_their_output(tmp_path):
    """The runner itself: shell state carries over, a failing command fails its step, `...` and any-order
    matching, a retried step in a subshell leaves the shell alive, unknown options are refused."""
    doc = ("## One\n```sh\nexport X=41\nY=$((X + 1))\n```\n\n## Two\n"
           "<!-- doc-test: retry=5 timeout=20 -->\n```sh\necho \"b $Y\"; echo 'a  1'\n```\n\n"
           "```text\na ...\nb 42\n```\n")
    steps = parse_guide(doc)
    assert [(s.section, s.retry, s.timeout, s.expect) for s in steps] == [
        ("One", 0.0, DEFAULT_TIMEOUT, []), ("Two", 5.0, 20.0, ["a ...", "b 42"])]
    with pytest.raises(ValueError, match="unknown doc-test option"):
        parse_guide("<!-- doc-test: retries=3 -->\n```sh\ntrue\n```\n")
    assert unmatched(["b 42", "a ..."], "a  1\nb 42\n") == []
    assert unmatched(["a ...", "a ..."], "a 1\n") == ["a ..."]      # each expected line needs its own output line
    (tmp_path / "steps").mkdir()
    shell = GuideShell(tmp_path, dict(os.environ), tmp_path / "steps")
    try:
        assert shell.run(steps[0].code, 20, isolated=False) == (0, "\n")
        rc, out = shell.run(steps[1].code, 20, isolated=True)
        assert rc == 0 and unmatched(steps[1].expect, out) == []
        rc, _ = shell.run("false\necho never\n", 20, isolated=True)
        assert rc == 1 and shell.alive
        assert shell.run("sleep 5\n", 1, isolated=True)[0] is None
    finally:
        shell.close()
    shell = GuideShell(tmp_path, dict(os.environ), tmp_path / "steps")
    try:
        rc, out = shell.run("echo before\nfalse\necho after\n", 20, isolated=False)
        assert rc == 1 and "before" in out and "after" not in out and not shell.alive
    finally:
        shell.close()

"""The detection-model format: point/value features, Spark-identical feature hashing, numpy LR/GBT scorer, MLflow pyfunc."""
from __future__ import annotations

import json
import math
import zlib
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import mmh3
import numpy as np

FORMAT = "rampart.model/1"
SPARK_SEED = 42          # seed of Spark's HashingTF / FeatureHasher
NUMERIC_FEATURES: tuple[str, ...] = (
    "log_len", "entropy", "frac_alpha", "frac_digit", "frac_upper", "frac_space", "frac_special",
    "frac_nonascii",
)
POINT_COLUMNS: tuple[str, ...] = ("point_type", "point_key", "point_path")
_SPECIAL = frozenset("'\"<>;()=&|`$%{}[]\\/*#!~^?:,+-.@")
# Parser tags of design §3 points; the point's key is the last tag that is not one of these (a name).
_PARSER_TAGS = frozenset({"array", "hash", "json_doc", "json", "xml", "form_urlencoded", "multipart", "base64",
                          "percent", "url", "entities", "html", "jwt", "graphql", "gzip", "deflate", "value",
                          "name", "filename"})
_DIGITS = str.maketrans("123456789", "000000000")
_MAX_TERM_CACHE = 1 << 20   # per-scorer term->bucket memo, cleared when full (bounded memory)
_BATCH_MIN = 8              # fewer rows than this: the per-row Python path beats numpy's per-call cost
_BATCH_MAX = 512            # rows per numpy batch (bounds the GBT's dense slot matrix and the n-gram arrays)


# --- MurmurHash3 x86_32, as Spark's Murmur3_x86_32.hashUnsafeBytes2 (standard tail handling) -------------

def murmur3_32(data: bytes, seed: int = SPARK_SEED) -> int:
    """MurmurHash3 x86_32 of `data` as a signed 32-bit int (Java's view of the same bits); mmh3's C code."""
    return mmh3.hash(data, seed & 0xFFFFFFFF, signed=True)


def spark_bucket(term: str, num_features: int) -> int:
    """Index Spark's HashingTF/FeatureHasher give `term`: nonNegativeMod(murmur3(utf8(term), 42), n)."""
    return mmh3.hash(term.encode("utf-8"), SPARK_SEED, signed=True) % num_features  # Python % is non-negative


_C1, _C2 = np.uint32(0xCC9E2D51), np.uint32(0x1B873593)


def _mix_k(k: np.ndarray) -> np.ndarray:
    k = k * _C1
    return ((k << np.uint32(15)) | (k >> np.uint32(17))) * _C2


def murmur3_32_rows(blocks: np.ndarray, length: int, seed: int = SPARK_SEED) -> np.ndarray:
    """murmur3_32 of many byte strings of one `length` at once: `blocks` is uint32[m, ceil(length/4)], the
    strings' little-endian 4-byte words (zero-padded tail). Signed int64 hashes, equal to murmur3_32's."""
    h = np.full(blocks.shape[0], seed & 0xFFFFFFFF, dtype=np.uint32)
    for j in range(length // 4):
        h ^= _mix_k(blocks[:, j])
        h = ((h << np.uint32(13)) | (h >> np.uint32(19))) * np.uint32(5) + np.uint32(0xE6546B64)
    if length % 4:
        h ^= _mix_k(blocks[:, length // 4])
    h ^= np.uint32(length)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h.view(np.int32).astype(np.int64)


# --- features --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FeatureSpec:
    """How a (point, value) pair becomes a vector; stored with every model so scorers rebuild it exactly."""

    ngram_sizes: tuple[int, ...] = (1, 2, 3)
    num_ngram_features: int = 1 << 16   # HashingTF buckets for value n-grams
    num_point_features: int = 1 << 10   # FeatureHasher buckets for point type/key/path
    max_value_chars: int = 1024          # longer values are cut before n-grams (bounded work)
    numeric: tuple[str, ...] = NUMERIC_FEATURES

    @property
    def size(self) -> int:
        return self.num_ngram_features + self.num_point_features + len(self.numeric)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "FeatureSpec":
        d = dict(d)
        d["ngram_sizes"] = tuple(d["ngram_sizes"])
        d["numeric"] = tuple(d["numeric"])
        return cls(**d)


def _clean(text: str) -> str:
    # Lone surrogates cannot cross into the JVM; both sides see '?' as Java's UTF-8 encoder would write.
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")


def parse_point(point: str | Sequence[Any] | None) -> list[Any]:
    """A point as a list of tags; accepts the JSON path string of the scorer input or a list."""
    if point is None or point == "":
        return []
    if isinstance(point, str):
        try:
            parsed = json.loads(point)
        except ValueError:
            return [point]
        return parsed if isinstance(parsed, list) else [parsed]
    return list(point)


def point_fields(point: str | Sequence[Any] | None) -> tuple[str, str, str]:
    """(type, key, path) of a point: first tag, last name that is no parser tag (lower-case), tags joined
    with '.' and integers written '#' (array positions do not make distinct paths)."""
    tags = parse_point(point)
    if not tags:
        return "", "", ""
    ptype = _clean(str(tags[0]).lower())
    names = [t for t in tags[1:] if isinstance(t, str) and t.lower() not in _PARSER_TAGS]
    key = _clean(names[-1].lower()) if names else ""
    path = ".".join("#" if isinstance(t, int) and not isinstance(t, bool) else _clean(str(t).lower())
                    for t in tags)
    return ptype, key, path


def _ngram_text(value: str, spec: FeatureSpec) -> str:
    return _clean(value[: spec.max_value_chars]).lower().translate(_DIGITS)


def _ngrams(text: str, n: int) -> set[str]:
    return {text[i:i + n] for i in range(len(text) - n + 1)}


def value_terms(value: str, spec: FeatureSpec) -> list[str]:
    """Distinct character n-gram terms of a value (lower-cased, digits folded to 0), e.g. '3:or '."""
    text = _ngram_text(value, spec)
    return [f"{n}:{g}" for n in spec.ngram_sizes for g in _ngrams(text, n)]


def numeric_features(value: str) -> list[float]:
    """Length, Shannon entropy and character-class ratios of a value (order: NUMERIC_FEATURES)."""
    n = len(value)
    if n == 0:
        return [0.0] * len(NUMERIC_FEATURES)
    alpha = digit = upper = space = special = nonascii = 0
    entropy = 0.0
    # Counter counts in C; sorting the (char, count) pairs fixes the float summation order everywhere.
    for ch, c in sorted(Counter(value).items()):
        if ch.isalpha():
            alpha += c
            if ch.isupper():
                upper += c
        elif ch.isdigit():
            digit += c
        elif ch.isspace():
            space += c
        if ch in _SPECIAL:
            special += c
        if ch > "\x7f":
            nonascii += c
        p = c / n
        entropy -= p * math.log2(p)
    return [math.log1p(n), entropy, alpha / n, digit / n, upper / n, space / n, special / n, nonascii / n]


def _char_class(ch: str) -> int:
    """numeric_features' classes of one char as bits: 1 alpha, 2 upper (alpha only), 4 digit, 8 space,
    16 special (the same if/elif chain)."""
    if ch.isalpha():
        bits = 3 if ch.isupper() else 1
    elif ch.isdigit():
        bits = 4
    elif ch.isspace():
        bits = 8
    else:
        bits = 0
    return bits | (16 if ch in _SPECIAL else 0)


_ASCII_CLASS = np.array([_char_class(chr(c)) for c in range(128)], dtype=np.uint8)


def row_features(point: str | Sequence[Any] | None, value: str, spec: FeatureSpec) -> dict[str, Any]:
    """Everything the Spark pipeline and the numpy scorer hash/assemble for one row (the shared source)."""
    value = "" if value is None else str(value)
    ptype, key, path = point_fields(point)
    return {"terms": value_terms(value, spec), "point_type": ptype, "point_key": key,
            "point_path": path, "numeric": numeric_features(value)}


def holdout_by_value(value: str, folds: int = 5) -> bool:
    """Deterministic split for rows without time: held out when crc32(utf-8 value) % folds == 0 (Spark crc32)."""
    return zlib.crc32(_clean(value).encode("utf-8")) % folds == 0


# --- model -----------------------------------------------------------------------------------------------

@dataclass
class Trees:
    """A GBT ensemble as flat arrays: per node feature (-1 = leaf), threshold, children and leaf value."""

    feature: np.ndarray       # int32  [trees, nodes]
    threshold: np.ndarray     # float64[trees, nodes]
    left: np.ndarray          # int32  [trees, nodes]
    right: np.ndarray         # int32  [trees, nodes]
    value: np.ndarray         # float64[trees, nodes] (prediction of a leaf)
    weights: np.ndarray       # float64[trees]
    depth: int


@dataclass
class Model:
    """A trained detector: kind 'lr' or 'gbt', its feature spec, parameters and operating threshold."""

    kind: str
    spec: FeatureSpec
    threshold: float = 0.5
    coef: np.ndarray | None = None      # lr: dense float64[spec.size]
    intercept: float = 0.0
    trees: Trees | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def save(self, directory: str | Path) -> Path:
        """Write `model.json` + `arrays.npz` into `directory` (created)."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {}
        if self.coef is not None:
            arrays["coef"] = self.coef.astype(np.float64)
        if self.trees is not None:
            for name in ("feature", "threshold", "left", "right", "value", "weights"):
                arrays[f"trees_{name}"] = getattr(self.trees, name)
        np.savez_compressed(d / "arrays.npz", **arrays)
        doc = {"format": FORMAT, "kind": self.kind, "spec": self.spec.to_dict(), "threshold": self.threshold,
               "intercept": self.intercept, "depth": self.trees.depth if self.trees else 0, "meta": self.meta}
        (d / "model.json").write_text(json.dumps(doc, indent=1, sort_keys=True))
        return d

    @classmethod
    def load(cls, directory: str | Path) -> "Model":
        d = Path(directory)
        doc = json.loads((d / "model.json").read_text())
        if doc.get("format") != FORMAT:
            raise ValueError(f"{d}: not a {FORMAT} model (format={doc.get('format')!r})")
        with np.load(d / "arrays.npz") as z:
            arrays = {k: z[k] for k in z.files}
        trees = None
        if doc["kind"] == "gbt":
            trees = Trees(*(arrays[f"trees_{n}"] for n in ("feature", "threshold", "left", "right", "value",
                                                             "weights")), depth=int(doc["depth"]))
        return cls(kind=doc["kind"], spec=FeatureSpec.from_dict(doc["spec"]), threshold=float(doc["threshold"]),
                   coef=arrays.get("coef"), intercept=float(doc["intercept"]), trees=trees, meta=doc["meta"])


class Scorer:
    """Scores (point, value) pairs with a Model in pure Python/numpy: no Spark, no JVM.

    `score_many` builds the features of a whole batch in numpy (n-gram windows as code points, murmur3 of all
    ASCII terms vectorised, one sort to dedupe buckets); single rows take a pure-Python path with a bounded
    term -> bucket memo. Both give bit-identical vectors and probabilities (tests/training/test_scorer_fast.py).
    """

    def __init__(self, model: Model) -> None:
        self.model = model
        self.spec = model.spec
        self._gram_idx: dict[str, int] = {}      # n-gram -> bucket (a gram's length tells its n)
        self._point_idx: dict[str, list[int]] = {}
        self._point_lr: dict[str, float] = {}    # point -> sum of its FeatureHasher weights (lr)
        self._entropy_terms: dict[int, float] = {}
        self._class_bits: dict[int, int] = {}
        self._point_base = self.spec.num_ngram_features
        self._num_base = self.spec.num_ngram_features + self.spec.num_point_features
        self._sizes = tuple(sorted(set(self.spec.ngram_sizes)))
        if model.kind == "lr":
            assert model.coef is not None
            self._coef = np.ascontiguousarray(model.coef, dtype=np.float64)
            self._coef_list: list[float] = self._coef.tolist()
            self._num_w = self._coef_list[self._num_base:self._num_base + len(self.spec.numeric)]
        elif model.kind == "gbt":
            self._flatten_trees()
        else:
            raise ValueError(f"unknown model kind {model.kind!r}")

    def _flatten_trees(self) -> None:
        # All trees as one node array (global ids): a leaf points to itself, reads slot 0 (always 0.0) and
        # compares with +inf, so every tree can take `depth` steps in lock-step whatever its own depth.
        t = self.model.trees
        assert t is not None
        n_trees, width = t.feature.shape
        base = (np.arange(n_trees) * width)[:, None]
        used = np.unique(t.feature[t.feature >= 0])
        self._slot = {int(f): k + 1 for k, f in enumerate(used)}
        self._slot_of = np.zeros(self.spec.size, dtype=np.int64)     # feature -> slot (0: unused)
        self._slot_of[used[used < self.spec.size]] = np.arange(1, used.size + 1)[used < self.spec.size]
        lookup = np.zeros(int(used.max()) + 1 if used.size else 1, dtype=np.int64)
        lookup[used] = np.arange(1, used.size + 1)
        leaf = t.feature < 0
        self._node_slot = np.where(leaf, 0, lookup[np.maximum(t.feature, 0)]).ravel()
        self._node_thr = np.where(leaf, np.inf, t.threshold).ravel()
        self._node_left = (t.left + base).ravel()
        self._node_right = (t.right + base).ravel()
        self._node_value = t.value.ravel()
        self._roots = (np.arange(n_trees) * width).astype(np.int64)
        self._nslots = used.size + 1
        self._tree_w: list[float] = t.weights.tolist()

    # --- per row (pure Python) ---------------------------------------------------------------------------

    def _point_indices(self, point: str | Sequence[Any] | None) -> list[int]:
        key = point if isinstance(point, str) else json.dumps(point)
        idx = self._point_idx.get(key)
        if idx is None:
            if len(self._point_idx) >= _MAX_TERM_CACHE:
                self._point_idx.clear()
                self._point_lr.clear()
            n2 = self.spec.num_point_features
            f = dict(zip(POINT_COLUMNS, point_fields(point)))
            idx = self._point_idx[key] = [self._point_base + spark_bucket(f"{c}={f[c]}", n2)
                                          for c in POINT_COLUMNS]   # FeatureHasher: "col=value"
        return idx

    def _point_margin(self, point: str | Sequence[Any] | None) -> float:
        key = point if isinstance(point, str) else json.dumps(point)
        m = self._point_lr.get(key)
        if m is None:
            m = 0.0
            for i in self._point_indices(point):      # may clear the memos when full: store after
                m += self._coef_list[i]
            self._point_lr[key] = m
        return m

    def _gram_buckets(self, text: str) -> set[int]:
        """HashingTF buckets of the value n-grams of `text` (binary: a set)."""
        if not self._sizes:
            return set()
        # N-grams by concatenating shifted strings in C (map/str.__add__), not by slicing in a Python loop.
        grams: set[str] = set(text) if 1 in self._sizes else set()
        prev: list[str] = list(text)
        for n in range(2, self._sizes[-1] + 1):
            prev = list(map(str.__add__, prev, text[n - 1:]))
            if n in self._sizes:
                grams.update(prev)
        cache = self._gram_idx
        idx = set(map(cache.get, grams))
        if None in idx:
            idx.discard(None)
            if len(cache) + len(grams) > _MAX_TERM_CACHE:
                cache.clear()
            n1 = self.spec.num_ngram_features
            for g in grams:
                i = cache.get(g)
                if i is None:
                    i = cache[g] = spark_bucket(f"{len(g)}:{g}", n1)
                idx.add(i)
        return idx  # type: ignore[return-value]

    def sparse(self, point: str | Sequence[Any] | None, value: str) -> dict[int, float]:
        """The feature vector of one row as {index: value}, as Spark's VectorAssembler builds it."""
        value = "" if value is None else str(value)
        vec = dict.fromkeys(self._gram_buckets(_ngram_text(value, self.spec)), 1.0)   # HashingTF(binary=True)
        for i in self._point_indices(point):
            vec[i] = vec.get(i, 0.0) + 1.0                              # FeatureHasher sums collisions
        for j, x in enumerate(numeric_features(value)):
            if x != 0.0:
                vec[self._num_base + j] = x
        return vec

    def _lr_margin_row(self, point: str | Sequence[Any] | None, value: str) -> float:
        # Summation order = the batch path's (sorted buckets, point, numeric in order, intercept): same bits.
        value = "" if value is None else str(value)
        coef = self._coef_list
        s = 0.0
        for i in sorted(self._gram_buckets(_ngram_text(value, self.spec))):
            s += coef[i]
        s += self._point_margin(point)
        for x, w in zip(numeric_features(value), self._num_w):
            s += x * w
        return s + self.model.intercept

    def margin(self, vec: dict[int, float]) -> float:
        """Raw margin of a sparse vector (as `sparse` returns); scoring itself goes through `margins`."""
        m = self.model
        if m.kind == "lr":
            idx = np.fromiter(vec.keys(), dtype=np.int64, count=len(vec))
            val = np.fromiter(vec.values(), dtype=np.float64, count=len(vec))
            return float(np.dot(self._coef[idx], val)) + m.intercept
        return self._gbt_margin_vec(vec)

    def _gbt_margin_vec(self, vec: dict[int, float]) -> float:
        # One row: the batch walk's arithmetic (same leaves, same tree-by-tree sum) without its per-tree numpy
        # calls, which cost more than the whole row.
        t = self.model.trees
        assert t is not None
        x = np.zeros(self._nslots, dtype=np.float64)
        slot = self._slot
        for i, v in vec.items():
            k = slot.get(i)
            if k is not None:
                x[k] = v
        node = self._roots
        for _ in range(t.depth):
            go_left = x[self._node_slot[node]] <= self._node_thr[node]
            node = np.where(go_left, self._node_left[node], self._node_right[node])
        m = 0.0
        for w, v in zip(self._tree_w, self._node_value[node].tolist()):
            m += w * v
        return m

    # --- batch (numpy) -----------------------------------------------------------------------------------

    def _batch_grams(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(row, bucket) of every distinct n-gram bucket of each text, sorted by row then bucket."""
        lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        total = int(lens.sum())
        nmax = max(self._sizes, default=0)
        big = "".join(texts)
        cps = np.zeros(total + nmax, dtype=np.uint32)
        cps[:total] = np.frombuffer(big.encode("utf-32-le"), dtype="<u4")   # one code point per str index
        row_of = np.repeat(np.arange(len(texts), dtype=np.int64), lens)
        local = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(lens) - lens, lens)
        left = np.repeat(lens, lens) - local                               # chars from here to the row's end
        nonascii = cps >= 128
        n1 = self.spec.num_ngram_features
        keys = []
        for n in self._sizes:
            pos = np.flatnonzero(left >= n)
            if not pos.size:
                continue
            bad = nonascii[pos].copy()
            for j in range(1, n):
                bad |= nonascii[pos + j]
            # ASCII terms "n:gram" are len(prefix)+n bytes: hash them all at once from a byte matrix.
            prefix = f"{n}:".encode()
            length = len(prefix) + n
            ok = pos[~bad]
            mat = np.zeros((ok.size, -(-length // 4) * 4), dtype=np.uint8)
            mat[:, :len(prefix)] = np.frombuffer(prefix, dtype=np.uint8)
            for j in range(n):
                mat[:, len(prefix) + j] = cps[ok + j]
            buckets = murmur3_32_rows(mat.view("<u4"), length) % n1
            keys.append(row_of[ok] * n1 + buckets)
            if bad.any():                              # non-ASCII n-grams: per term, memoised, in Python
                cache = self._gram_idx
                if len(cache) >= _MAX_TERM_CACHE:
                    cache.clear()
                slow = pos[bad]
                b = np.empty(slow.size, dtype=np.int64)
                for k, p in enumerate(slow.tolist()):
                    g = big[p:p + n]
                    i = cache.get(g)
                    if i is None:
                        i = cache[g] = spark_bucket(f"{n}:{g}", n1)
                    b[k] = i
                keys.append(row_of[slow] * n1 + b)
        if not keys:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        u = _sorted_unique(np.concatenate(keys))                            # HashingTF(binary=True)
        return u // n1, u % n1

    def _batch_numeric(self, values: list[str]) -> np.ndarray:
        """numeric_features of every value as float64[rows, 8], bit-identical to the per-row function."""
        rows = len(values)
        lens = np.fromiter(map(len, values), dtype=np.int64, count=rows)
        out = np.zeros((rows, len(NUMERIC_FEATURES)), dtype=np.float64)
        if not lens.any():
            return out
        cps = np.frombuffer("".join(values).encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.int64)
        row_of = np.repeat(np.arange(rows, dtype=np.int64), lens)
        bits = np.empty(cps.size, dtype=np.uint8)
        ascii_ = cps < 128
        bits[ascii_] = _ASCII_CLASS[cps[ascii_]]
        if not ascii_.all():
            memo = self._class_bits
            if len(memo) >= _MAX_TERM_CACHE:
                memo.clear()
            wide = ~ascii_
            u, inv = np.unique(cps[wide], return_inverse=True)
            bits[wide] = np.array([memo[c] if c in memo else memo.setdefault(c, _char_class(chr(c)))
                                   for c in u.tolist()], dtype=np.uint8)[inv]
        n = lens.astype(np.float64)
        nz = lens > 0
        for col, mask in ((2, 1), (4, 2), (3, 4), (5, 8), (6, 16)):        # alpha, upper, digit, space, special
            cnt = np.bincount(row_of, weights=(bits & mask) != 0, minlength=rows)
            out[nz, col] = cnt[nz] / n[nz]
        out[nz, 7] = np.bincount(row_of, weights=~ascii_, minlength=rows)[nz] / n[nz]
        out[:, 0] = [math.log1p(x) for x in lens.tolist()]                # math's, not numpy's: same bits
        # Entropy: counts per (row, char) in char order, p*log2(p) by math (numpy's log2 differs in the last
        # bit now and then), summed in that order: the per-row loop's exact arithmetic.
        rc, counts = np.unique((row_of << 21) | cps, return_counts=True)
        r = rc >> 21
        pair = lens[r] << 32 | counts
        up, pinv = np.unique(pair, return_inverse=True)
        memo_e = self._entropy_terms
        if len(memo_e) >= _MAX_TERM_CACHE:
            memo_e.clear()
        terms = []
        for key in up.tolist():
            t = memo_e.get(key)
            if t is None:
                p = (key & 0xFFFFFFFF) / (key >> 32)
                t = memo_e[key] = p * math.log2(p)
            terms.append(t)
        out[:, 1] = 0.0 - np.bincount(r, weights=np.array(terms)[pinv], minlength=rows)
        return out

    def _walk(self, x: np.ndarray) -> np.ndarray:
        """GBT margins of dense slot rows x[rows, slots]: all trees of all rows in lock-step."""
        t = self.model.trees
        assert t is not None
        rows = np.arange(x.shape[0])[:, None]
        node = np.broadcast_to(self._roots, (x.shape[0], self._roots.size))
        for _ in range(t.depth):
            go_left = x[rows, self._node_slot[node]] <= self._node_thr[node]
            node = np.where(go_left, self._node_left[node], self._node_right[node])
        leaf = self._node_value[node]
        m = np.zeros(x.shape[0], dtype=np.float64)
        for k, w in enumerate(self._tree_w):         # tree by tree: the per-row path's order
            m += w * leaf[:, k]
        return m

    def margins(self, points: Sequence[Any], values: Sequence[Any]) -> np.ndarray:
        """Raw margins (Spark's rawPrediction[1] for LR; the GBT sum before the 2x of LogLoss) of a batch."""
        vals = ["" if v is None else str(v) for v in values]
        if len(vals) < _BATCH_MIN:
            if self.model.kind == "lr":
                return np.array([self._lr_margin_row(p, v) for p, v in zip(points, vals)], dtype=np.float64)
            return np.array([self._gbt_margin_vec(self.sparse(p, v)) for p, v in zip(points, vals)],
                            dtype=np.float64)
        rows, cols = self._batch_grams([_ngram_text(v, self.spec) for v in vals])
        num = self._batch_numeric(vals)
        if self.model.kind == "lr":
            # .astype: bincount of no rows at all (every value empty) returns int64 zeros, weights or not
            m = np.bincount(rows, weights=self._coef[cols], minlength=len(vals)).astype(np.float64)
            m += np.array([self._point_margin(p) for p in points], dtype=np.float64)
            for j, w in enumerate(self._num_w):
                m += num[:, j] * w
            return m + self.model.intercept
        x = np.zeros((len(vals), self._nslots), dtype=np.float64)
        s = self._slot_of[cols]
        x[rows[s > 0], s[s > 0]] = 1.0
        pr, ps = [], []
        for r, p in enumerate(points):
            for i in self._point_indices(p):
                k = self._slot.get(i)
                if k is not None:
                    pr.append(r)
                    ps.append(k)
        np.add.at(x, (np.array(pr, dtype=np.int64), np.array(ps, dtype=np.int64)), 1.0)
        for j in range(num.shape[1]):
            k = self._slot.get(self._num_base + j)
            if k is not None:
                x[:, k] = num[:, j]
        return self._walk(x)

    def _probabilities(self, margins: np.ndarray) -> list[float]:
        out = []
        gbt = self.model.kind == "gbt"
        for z in margins.tolist():
            if gbt:
                z = 2.0 * z                                            # Spark LogLoss: 1 / (1 + e^(-2m))
            out.append(1.0 / (1.0 + math.exp(-z)) if z >= -700 else 0.0)
        return out

    def probability(self, point: str | Sequence[Any] | None, value: str) -> float:
        """Attack probability of one (point, value) pair, equal to Spark's `probability[1]`."""
        return self._probabilities(self.margins([point], [value]))[0]

    def score_many(self, points: Iterable[Any], values: Iterable[str]) -> np.ndarray:
        """Attack probabilities of many pairs (batched in chunks of _BATCH_MAX rows: bounded memory)."""
        pts, vals = list(points), list(values)
        out: list[float] = []
        for i in range(0, len(pts), _BATCH_MAX):
            out.extend(self._probabilities(self.margins(pts[i:i + _BATCH_MAX], vals[i:i + _BATCH_MAX])))
        return np.array(out, dtype=np.float64)


def _sorted_unique(a: np.ndarray) -> np.ndarray:
    # np.unique of numpy >= 2.3 hashes first: several times slower than one sort on these small int arrays.
    a = np.sort(a)
    keep = np.empty(a.size, dtype=bool)
    keep[:1] = True
    np.not_equal(a[1:], a[:-1], out=keep[1:])
    return a[keep]


def load_scorer(directory: str | Path) -> Scorer:
    return Scorer(Model.load(directory))


def _make_pyfunc_class() -> type:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # mlflow nags about type hints; the signature is given at log time
        import mlflow.pyfunc
        import pandas as pd

        class RampartPyfunc(mlflow.pyfunc.PythonModel):
            """MLflow pyfunc: predict(DataFrame[point, value]) -> attack probabilities (float64)."""

            def load_context(self, context):  # noqa: ANN001, ANN201 - mlflow's PythonModelContext
                self._scorer = load_scorer(context.artifacts["rampart_model"])

            def predict(self, context, model_input, params=None):  # noqa: ANN001, ANN201
                missing = {"point", "value"} - set(getattr(model_input, "columns", []))
                if missing:
                    raise ValueError(f"model input lacks column(s): {sorted(missing)}")
                values = ["" if v is None else str(v) for v in model_input["value"].tolist()]
                probs = self._scorer.score_many(model_input["point"].tolist(), values)
                return pd.Series(probs, name="attack_probability", index=model_input.index)

            def score_many(self, points: list[Any], values: list[Any]) -> np.ndarray:
                """predict's probabilities from plain lists (no DataFrame): the stream workers' fast path."""
                return self._scorer.score_many(points, values)

    RampartPyfunc.__module__ = __name__
    RampartPyfunc.__qualname__ = "RampartPyfunc"
    return RampartPyfunc


_LAZY: dict[str, type] = {}


def __getattr__(name: str) -> Any:
    """`RampartPyfunc` is built on first use so sensors import this module without loading mlflow."""
    if name == "RampartPyfunc":
        if name not in _LAZY:
            _LAZY[name] = _make_pyfunc_class()
        return _LAZY[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

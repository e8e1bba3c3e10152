"""The detection-model format: point/value features, Spark-identical feature hashing, numpy LR/GBT scorer, MLflow pyfunc."""
from __future__ import annotations

import json
import math
import struct
import zlib
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

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


# --- MurmurHash3 x86_32, as Spark's Murmur3_x86_32.hashUnsafeBytes2 (standard tail handling) -------------

def _fmix(h: int) -> int:
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & 0xFFFFFFFF
    h ^= h >> 16
    return h


def murmur3_32(data: bytes, seed: int = SPARK_SEED) -> int:
    """MurmurHash3 x86_32 of `data` as a signed 32-bit int (Java's view of the same bits)."""
    c1, c2 = 0xCC9E2D51, 0x1B873593
    h = seed & 0xFFFFFFFF
    n = len(data)
    nblocks = n // 4
    for (k,) in struct.iter_unpack("<I", data[: nblocks * 4]):
        k = (k * c1) & 0xFFFFFFFF
        k = ((k << 15) | (k >> 17)) & 0xFFFFFFFF
        k = (k * c2) & 0xFFFFFFFF
        h ^= k
        h = ((h << 13) | (h >> 19)) & 0xFFFFFFFF
        h = (h * 5 + 0xE6546B64) & 0xFFFFFFFF
    tail = data[nblocks * 4:]
    if tail:
        k = int.from_bytes(tail, "little")
        k = (k * c1) & 0xFFFFFFFF
        k = ((k << 15) | (k >> 17)) & 0xFFFFFFFF
        k = (k * c2) & 0xFFFFFFFF
        h ^= k
    h = _fmix(h ^ n)
    return h - (1 << 32) if h & 0x80000000 else h


def spark_bucket(term: str, num_features: int) -> int:
    """Index Spark's HashingTF/FeatureHasher give `term`: nonNegativeMod(murmur3(utf8(term), 42), n)."""
    return murmur3_32(term.encode("utf-8"), SPARK_SEED) % num_features  # Python % is already non-negative


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

    Term -> bucket hashes are memoised per scorer (bounded), so steady-state scoring does no murmur3 at all.
    """

    def __init__(self, model: Model) -> None:
        self.model = model
        self.spec = model.spec
        self._gram_idx: list[dict[str, int]] = [{} for _ in self.spec.ngram_sizes]
        self._point_idx: dict[str, list[int]] = {}
        self._point_base = self.spec.num_ngram_features
        self._num_base = self.spec.num_ngram_features + self.spec.num_point_features
        if model.kind == "lr":
            assert model.coef is not None
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

    def _point_indices(self, point: str | Sequence[Any] | None) -> list[int]:
        key = point if isinstance(point, str) else json.dumps(point)
        idx = self._point_idx.get(key)
        if idx is None:
            if len(self._point_idx) >= _MAX_TERM_CACHE:
                self._point_idx.clear()
            n2 = self.spec.num_point_features
            f = dict(zip(POINT_COLUMNS, point_fields(point)))
            idx = self._point_idx[key] = [self._point_base + spark_bucket(f"{c}={f[c]}", n2)
                                          for c in POINT_COLUMNS]   # FeatureHasher: "col=value"
        return idx

    def sparse(self, point: str | Sequence[Any] | None, value: str) -> dict[int, float]:
        """The feature vector of one row as {index: value}, as Spark's VectorAssembler builds it."""
        value = "" if value is None else str(value)
        text = _ngram_text(value, self.spec)
        n1 = self.spec.num_ngram_features
        vec: dict[int, float] = {}
        for n, cache in zip(self.spec.ngram_sizes, self._gram_idx):
            for g in _ngrams(text, n):
                i = cache.get(g)
                if i is None:
                    if len(cache) >= _MAX_TERM_CACHE:
                        cache.clear()
                    i = cache[g] = spark_bucket(f"{n}:{g}", n1)
                vec[i] = 1.0                                            # HashingTF(binary=True)
        for i in self._point_indices(point):
            vec[i] = vec.get(i, 0.0) + 1.0                              # FeatureHasher sums collisions
        for j, x in enumerate(numeric_features(value)):
            if x != 0.0:
                vec[self._num_base + j] = x
        return vec

    def margin(self, vec: dict[int, float]) -> float:
        m = self.model
        if m.kind == "lr":
            coef = m.coef
            assert coef is not None
            idx = np.fromiter(vec.keys(), dtype=np.int64, count=len(vec))
            val = np.fromiter(vec.values(), dtype=np.float64, count=len(vec))
            return float(np.dot(coef[idx], val)) + m.intercept
        t = m.trees
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
        return float(np.dot(t.weights, self._node_value[node]))

    def probability(self, point: str | Sequence[Any] | None, value: str) -> float:
        """Attack probability of one (point, value) pair, equal to Spark's `probability[1]`."""
        z = self.margin(self.sparse(point, value))
        if self.model.kind == "gbt":
            z = 2.0 * z                                                # Spark LogLoss: 1 / (1 + e^(-2m))
        return 1.0 / (1.0 + math.exp(-z)) if z >= -700 else 0.0

    def score_many(self, points: Iterable[Any], values: Iterable[str]) -> np.ndarray:
        return np.array([self.probability(p, v) for p, v in zip(points, values)], dtype=np.float64)


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

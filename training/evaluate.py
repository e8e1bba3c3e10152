"""Evaluation of attack probabilities: metrics at the operating threshold and ROC / PR / confusion PNGs."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.metrics import (average_precision_score, confusion_matrix, precision_recall_curve,
                             precision_recall_fscore_support, roc_auc_score, roc_curve)


def metrics(label: np.ndarray, prob: np.ndarray, threshold: float) -> dict[str, float]:
    """precision, recall, F1, ROC-AUC, PR-AUC and the false-positive rate at `threshold` (attack = 1)."""
    pred = (prob >= threshold).astype(np.int64)
    p, r, f1, _ = precision_recall_fscore_support(label, pred, average="binary", pos_label=1, zero_division=0)
    tn, fp, fn, tp = confusion_matrix(label, pred, labels=[0, 1]).ravel()
    return {
        "precision": float(p), "recall": float(r), "f1": float(f1),
        "roc_auc": float(roc_auc_score(label, prob)),
        "pr_auc": float(average_precision_score(label, prob)),
        "fpr": float(fp / (fp + tn)) if fp + tn else 0.0,
        "tp": float(tp), "fp": float(fp), "tn": float(tn), "fn": float(fn),
        "eval_rows": float(len(label)), "eval_attacks": float(label.sum()),
    }


def plots(label: np.ndarray, prob: np.ndarray, threshold: float, out_dir: Path, title: str) -> list[Path]:
    """Write roc.png, pr.png and confusion.png into `out_dir`; return their paths."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    fpr, tpr, _ = roc_curve(label, prob)
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot(fpr, tpr, label=f"AUC {roc_auc_score(label, prob):.4f}")
    ax.plot([0, 1], [0, 1], "k--", lw=0.8)
    ax.set(xlabel="false-positive rate", ylabel="true-positive rate", title=f"ROC — {title}")
    ax.legend(loc="lower right")
    paths.append(_save(fig, out_dir / "roc.png"))

    prec, rec, _ = precision_recall_curve(label, prob)
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot(rec, prec, label=f"AP {average_precision_score(label, prob):.4f}")
    ax.set(xlabel="recall", ylabel="precision", title=f"Precision/recall — {title}")
    ax.legend(loc="lower left")
    paths.append(_save(fig, out_dir / "pr.png"))

    cm = confusion_matrix(label, (prob >= threshold).astype(np.int64), labels=[0, 1])
    fig, ax = plt.subplots(figsize=(4.5, 4))
    ax.imshow(cm, cmap="Blues")
    for (i, j), n in np.ndenumerate(cm):
        ax.text(j, i, str(n), ha="center", va="center", color="black")
    ax.set(xticks=[0, 1], yticks=[0, 1], xticklabels=["benign", "attack"], yticklabels=["benign", "attack"],
           xlabel="predicted", ylabel="actual", title=f"Confusion @ {threshold:g} — {title}")
    paths.append(_save(fig, out_dir / "confusion.png"))
    return paths


def _save(fig, path: Path) -> Path:  # noqa: ANN001 - matplotlib Figure
    import matplotlib.pyplot as plt

    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path

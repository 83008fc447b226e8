"""Markdown tables the model cards share."""
from metrics import LABELS, pct


def license_rows(files, label):
    """Model-card table rows, one per data file (2-augment/augment.mjs's split.json `files`): its licence, and
    whether the licence switch left it out or it is not free for commercial training."""
    return [f"| {label}`{f['file']}` | {f['license']}{'' if f['used'] else ' (left out: LICENSES=commercial)'}"
            f"{'' if f['commercial'] else ' — not free for commercial training'} |" for f in files]


def per_source_table(ev):
    """Test rows per source at the shipped (1% validation FPR) thresholds: benign rows flagged by any
    label, and attack rows caught by any label and by their own label(s)."""
    lines = ["| test source | rows | benign flagged (any label) | attacks caught (any label) | attacks caught (own label) |",
             "| --- | --- | --- | --- | --- |"]
    for s, m in ev["_benign_fpr_by_source"].items():
        lines.append(f"| {s} (benign) | {m['n']} | {pct(m['any_label'])} | | |")
    for s, m in ev.get("_attack_by_source", {}).items():
        lines.append(f"| {s} | {m['n']} | | {pct(m['any_label'])} | {pct(m['own_label'])} |")
    return "\n".join(lines)


def metrics_table(ev):
    lines = ["| label | test positives (sources) | ROC-AUC | recall @1% FPR | recall @2% FPR | recall @1% FPR, hard benign only | threshold (score) | precision | recall | F1 | benign FPR | hard-benign FPR |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for l in LABELS:
        m = ev[l]
        lines.append(f"| {l} | {m['positives']} ({', '.join(m['positive_sources'])}) | {m['roc_auc']:.3f} | {pct(m['recall_at_1pct_fpr'])} | {pct(m['recall_at_2pct_fpr'])} | "
                     f"{pct(m['recall_at_1pct_fpr_hard_benign'])} | {m['threshold_score']:.4f} | {pct(m['precision'])} | {pct(m['recall'])} | {pct(m['f1'])} | {pct(m['benign_fpr'])} | {pct(m['hard_benign_fpr'])} |")
    return "\n".join(lines)

"""A smaller WordPiece vocabulary for guard-minilm (tools/vocab-trim.py measures it on a trained
model; tools/trim-work.py makes a work folder that trains on it).

Kept: ids 0-103 (padding, the unused slots and the special tokens keep their ids, so nothing that
inserts [CLS]/[SEP] by id changes), every single-character piece and its "##" form (any word can
still be spelled out, so trimming never makes a word [UNK] that was not), and every piece that
occurs at least MIN_COUNT times in the training split's ids. Dropped pieces' words are tokenized
again by the same WordPiece rules over the smaller vocabulary, so they split into shorter pieces."""
import json

KEEP_BELOW = 104  # [PAD] 0, [unused*] 1-99, [UNK] 100, [CLS] 101, [SEP] 102, [MASK] 103


def trimmed_vocab(vocab, counts, min_count):
    """Old ids kept, in old order."""
    keep = []
    for piece, i in sorted(vocab.items(), key=lambda kv: kv[1]):
        bare = piece[2:] if piece.startswith("##") else piece
        if i < KEEP_BELOW or len(bare) == 1 or counts[i] >= min_count:
            keep.append(i)
    return keep


def trimmed_tokenizer(tok_json, keep):
    """tokenizer.json over the kept pieces, renumbered in their old order."""
    inv = {i: p for p, i in tok_json["model"]["vocab"].items()}
    out = json.loads(json.dumps(tok_json))
    out["model"]["vocab"] = {inv[old]: new for new, old in enumerate(keep)}
    return out

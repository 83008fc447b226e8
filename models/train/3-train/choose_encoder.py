"""guard-use-lite's encoder choice, the last step of stage 3: ship the fine-tuned encoder when its
mean validation recall at the 1% validation thresholds beats the frozen one's by at least 0.01
(rule fixed before the first fine-tuned test number was seen). Writes <work>/encoder_choice.json.

Usage: /usr/bin/python3 choose_encoder.py <work-use> <frozen-variant>
"""
import json
import os
import sys

from head import variant_val_recall

work, frozen = sys.argv[1], sys.argv[2]
f, t = variant_val_recall(work, frozen), variant_val_recall(work, "finetuned")
ship = "finetuned" if t >= f + 0.01 else frozen
json.dump({"rule": "fine-tuned if its mean validation recall at 1% FPR >= the frozen one's + 0.01", "frozen_variant": frozen,
           "frozen": round(f, 4), "finetuned": round(t, 4), "ship": ship}, open(os.path.join(work, "encoder_choice.json"), "w"), indent=2)
print(f"validation mean recall@1%: frozen {f:.4f}, fine-tuned {t:.4f} -> ship {ship}")

"""1,000 seeded texts of stage 1's rows (no augmentation): what guard-use-lite's tokenizer is
checked on (use-tokenizer-json.mjs) and its encoder port is checked against TF.js with (3-train).

Usage: /usr/bin/python3 check_sample.py <prepared.jsonl> <sample.jsonl> <seed>
"""
import json
import random
import sys

rows = [json.loads(l) for l in open(sys.argv[1])]
rng = random.Random(int(sys.argv[3]) + 3087)
with open(sys.argv[2], "w") as f:
    for r in rng.sample([r for r in rows if not r["aug"]], 1000):
        f.write(json.dumps({"text": r["text"], "source": r["source"]}) + "\n")

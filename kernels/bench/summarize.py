"""Prints the JMH results of run.sh as params/s per family, group and path, with the ratio to the copy."""
import json
import sys

results = json.load(open(sys.argv[1]))
copy = next((r for r in results if r["benchmark"].endswith("copyBfloat16Weight")), None)
copy_rate = copy["primaryMetric"]["score"] if copy else None
if copy_rate:
    print(f"memory copy of the bf16 bytes: {copy_rate / 1e9:.2f} G params/s = {2 * copy_rate / 1e9:.2f} GB/s")
print(f"{'family':<16} {'group':>5} {'path':<7} {'G params/s':>10} {'+/-':>6} {'ratio to copy':>13}")
for r in results:
    if not r["benchmark"].endswith("quantize"):
        continue
    p = r["params"]
    score = r["primaryMetric"]["score"]
    error = r["primaryMetric"]["scoreError"]
    error = error if isinstance(error, (int, float)) else float("nan")
    ratio = f"{score / copy_rate:.3f}" if copy_rate else "n/a"
    print(f"{p['family']:<16} {p['group']:>5} {p['path']:<7} {score / 1e9:>10.3f} {error / 1e9:>6.3f} {ratio:>13}")

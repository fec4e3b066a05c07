"""Summarizes an async-profiler collapsed-stack profile of a qspark run.

Each sample goes to the category of the deepest frame that matches one of the rules below, so time
in zstd or in a memory copy counts as that, whatever called it. Prints the categories, then the
methods with the most samples at the top of the stack.

Usage: python3 profile_summary.py PROFILE.collapsed [INTERVAL_MS]
"""

import collections
import sys

# (category, text in a frame); the first rule a frame matches names its category.
RULES = [
    ("garbage collector", "G1"),
    ("JIT compiler", "Compile"),
    ("zstd", "ZSTD_"),
    ("zstd", "HUF_"),
    ("zstd", "HIST_"),
    ("zstd", "luben/zstd"),
    ("memory copies and zeroing", "arraycopy"),
    ("memory copies and zeroing", "memset"),
    ("memory copies and zeroing", "memcpy"),
    ("memory copies and zeroing", "memmove"),
    ("memory copies and zeroing", "copyMemory"),
    ("file writes", "__GI_write"),
    ("error sums", "VectorBlockComparison"),
    ("error sums", "BlockSumsBuilder"),
    ("dequantize", "equantize"),
    ("quantize", "qspark/kernels"),
    ("read and decode", "qspark/checkpoint"),
    ("Parquet", "org/apache/parquet"),
    ("Spark rows and writers", "org/apache/spark/sql"),
]


def category(frames):
    for frame in reversed(frames):
        for name, text in RULES:
            if text in frame:
                return name
    return "other"


def main():
    path = sys.argv[1]
    interval_ms = float(sys.argv[2]) if len(sys.argv) > 2 else None
    categories = collections.Counter()
    leaves = collections.Counter()
    total = 0
    with open(path) as profile:
        for line in profile:
            stack, _, count = line.rstrip().rpartition(" ")
            samples = int(count)
            frames = stack.split(";")
            total += samples
            categories[category(frames)] += samples
            leaves[frames[-1]] += samples
    if total == 0:
        print("No samples in " + path)
        return
    cpu = f", about {total * interval_ms / 1000:.1f} s of CPU" if interval_ms else ""
    print(f"{total} samples{cpu}")
    print("\nBy category (deepest matching frame):")
    for name, samples in categories.most_common():
        print(f"  {100.0 * samples / total:5.1f} %  {name}")
    print("\nMethods at the top of the stack:")
    for frame, samples in leaves.most_common(20):
        print(f"  {100.0 * samples / total:5.1f} %  {frame}")


if __name__ == "__main__":
    main()

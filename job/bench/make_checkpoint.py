#!/usr/bin/env python3
"""Writes a synthetic Llama-shaped bfloat16 checkpoint in Hugging Face's sharded layout.

The folder gets config.json, model.safetensors.index.json and model-0000i-of-0000n.safetensors
shards of at most --shard-bytes each. Weights are normal with standard deviation 0.02 and about
one value in 100,000 an outlier of 10 to 20 standard deviations, so that some quantization
groups have a wide range, as in trained weights. To keep generation fast, each tensor is cut
from a pool of 2^24 random values at a random offset and with a random sign, so the values are
not independent across tensors.
Only numpy is needed.
"""

import argparse
import json
import os
import struct

import numpy as np

PRESETS = {
    # TinyLlama-1.1B's shapes: about 1.10 G parameters.
    "1.1b": dict(hidden=2048, intermediate=5632, layers=22, heads=32, kv_heads=4, vocab=32000),
    # Llama-2-7B's shapes: about 6.74 G parameters.
    "7b": dict(hidden=4096, intermediate=11008, layers=32, heads=32, kv_heads=32, vocab=32000),
}

POOL_SIZE = 1 << 24


def tensor_shapes(shape):
    hidden = shape["hidden"]
    kv = hidden // shape["heads"] * shape["kv_heads"]
    tensors = [("model.embed_tokens.weight", (shape["vocab"], hidden))]
    for layer in range(shape["layers"]):
        prefix = f"model.layers.{layer}."
        tensors += [
            (prefix + "input_layernorm.weight", (hidden,)),
            (prefix + "self_attn.q_proj.weight", (hidden, hidden)),
            (prefix + "self_attn.k_proj.weight", (kv, hidden)),
            (prefix + "self_attn.v_proj.weight", (kv, hidden)),
            (prefix + "self_attn.o_proj.weight", (hidden, hidden)),
            (prefix + "post_attention_layernorm.weight", (hidden,)),
            (prefix + "mlp.gate_proj.weight", (shape["intermediate"], hidden)),
            (prefix + "mlp.up_proj.weight", (shape["intermediate"], hidden)),
            (prefix + "mlp.down_proj.weight", (hidden, shape["intermediate"])),
        ]
    tensors += [("model.norm.weight", (hidden,)), ("lm_head.weight", (shape["vocab"], hidden))]
    return tensors


def to_bfloat16_bits(values):
    """Rounds float32 to bfloat16 bits, ties to even (NaN does not occur here)."""
    bits = values.astype(np.float32).view(np.uint32)
    rounded = bits + 0x7FFF + ((bits >> 16) & 1)
    return (rounded >> 16).astype(np.uint16)


def make_pool(rng):
    pool = rng.standard_normal(POOL_SIZE, dtype=np.float32) * 0.02
    outliers = rng.integers(0, POOL_SIZE, POOL_SIZE // 100_000)
    pool[outliers] = rng.uniform(10, 20, outliers.size).astype(np.float32) * 0.02 * rng.choice([-1, 1], outliers.size)
    return to_bfloat16_bits(pool)


def tensor_bits(name, shape, pool, rng):
    count = int(np.prod(shape))
    if len(shape) == 1:
        return np.full(count, to_bfloat16_bits(np.ones(1, dtype=np.float32))[0], dtype=np.uint16)
    offset = int(rng.integers(0, POOL_SIZE))
    repeats = -(-(offset + count) // POOL_SIZE)
    values = np.tile(pool, repeats)[offset:offset + count] if repeats > 1 else pool[offset:offset + count]
    if rng.integers(0, 2):
        values = values ^ np.uint16(0x8000)
    return values


def write_shard(path, entries, pool, rng, headers_only=False):
    header = {"__metadata__": {"format": "pt"}}
    offset = 0
    for name, shape in entries:
        size = int(np.prod(shape)) * 2
        header[name] = {"dtype": "BF16", "shape": list(shape), "data_offsets": [offset, offset + size]}
        offset += size
    header_bytes = json.dumps(header, separators=(",", ":")).encode()
    header_bytes += b" " * (-len(header_bytes) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(header_bytes)))
        out.write(header_bytes)
        if headers_only:
            # A sparse file of the full size: planning reads only headers, and the data reads as zeros.
            out.truncate(8 + len(header_bytes) + offset)
            return offset
        for name, shape in entries:
            out.write(tensor_bits(name, shape, pool, rng).tobytes())
    return offset


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="folder to create")
    parser.add_argument("--preset", choices=PRESETS, default="1.1b", help="model shapes (default: 1.1b)")
    parser.add_argument("--layers", type=int, help="number of decoder layers (default: the preset's)")
    parser.add_argument("--shard-bytes", type=int, default=2 << 30, help="max bytes per shard (default: 2 GiB)")
    parser.add_argument("--headers-only", action="store_true",
                        help="write sparse shards with headers and no data, to measure planning alone")
    parser.add_argument("--seed", type=int, default=20260101, help="random seed (default: 20260101)")
    args = parser.parse_args()

    shape = dict(PRESETS[args.preset])
    if args.layers is not None:
        shape["layers"] = args.layers
    tensors = tensor_shapes(shape)
    shards = [[]]
    shard_size = 0
    for name, tensor_shape in tensors:
        size = int(np.prod(tensor_shape)) * 2
        if shards[-1] and shard_size + size > args.shard_bytes:
            shards.append([])
            shard_size = 0
        shards[-1].append((name, tensor_shape))
        shard_size += size

    os.makedirs(args.out, exist_ok=False)
    rng = np.random.default_rng(args.seed)
    pool = make_pool(rng)
    weight_map = {}
    total_bytes = 0
    for index, entries in enumerate(shards, start=1):
        file_name = f"model-{index:05d}-of-{len(shards):05d}.safetensors"
        total_bytes += write_shard(os.path.join(args.out, file_name), entries, pool, rng, args.headers_only)
        weight_map.update({name: file_name for name, _ in entries})

    with open(os.path.join(args.out, "model.safetensors.index.json"), "w") as out:
        json.dump({"metadata": {"total_size": total_bytes}, "weight_map": weight_map}, out, indent=2)
    config = {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama", "torch_dtype": "bfloat16",
        "hidden_size": shape["hidden"], "intermediate_size": shape["intermediate"],
        "num_hidden_layers": shape["layers"], "num_attention_heads": shape["heads"],
        "num_key_value_heads": shape["kv_heads"], "vocab_size": shape["vocab"], "tie_word_embeddings": False,
    }
    with open(os.path.join(args.out, "config.json"), "w") as out:
        json.dump(config, out, indent=2)
    params = sum(int(np.prod(s)) for _, s in tensors)
    print(f"{params} parameters, {total_bytes} bytes in {len(shards)} shards")


if __name__ == "__main__":
    main()

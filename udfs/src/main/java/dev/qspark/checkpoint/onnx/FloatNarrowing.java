package dev.qspark.checkpoint.onnx;

/**
 * Conversions between float32 and the 16-bit float formats bfloat16 and IEEE float16, rounding to
 * nearest with ties to even as PyTorch's {@code Tensor.to(dtype)} does.
 *
 * <p>NaN becomes the canonical quiet NaN: {@code 0x7FC0} for bfloat16 (the sign is dropped, as in
 * PyTorch's c10::BFloat16) and sign | {@code 0x7E00} for float16. Values beyond the largest finite
 * 16-bit value round to infinity. Values below the smallest normal round to subnormals or zero.
 */
public final class FloatNarrowing {

    private FloatNarrowing() {}

    /** Rounds {@code value} to the nearest bfloat16 (ties to even) and returns its bits. */
    public static short toBfloat16Bits(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7fff_ffff) > 0x7f80_0000) {
            return (short) 0x7fc0;
        }
        // Adding 0x7FFF plus the lowest kept bit carries into bit 16 exactly when the dropped half is
        // above one half, or equal to one half with an odd kept part. No NaN remains, so the sum
        // cannot wrap past -Inf (0xFF800000).
        int roundingBias = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    /** Returns the float32 value of bfloat16 {@code bits}; exact. */
    public static float fromBfloat16Bits(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** Rounds {@code value} to the nearest IEEE float16 (ties to even) and returns its bits. */
    public static short toFloat16Bits(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int magnitude = bits & 0x7fff_ffff;

        if (magnitude > 0x7f80_0000) {
            return (short) (sign | 0x7e00);
        }
        if (magnitude >= 0x477f_f000) {
            // 65520 lies halfway between the largest float16 (65504, odd mantissa) and 2^16, so it and
            // everything above round to infinity.
            return (short) (sign | 0x7c00);
        }
        if (magnitude >= 0x3880_0000) {
            // Normal float16 (at least 2^-14): rebias the exponent and keep 10 of 23 mantissa bits.
            int half = ((magnitude >>> 23) - 127 + 15) << 10 | ((magnitude >>> 13) & 0x3ff);
            int dropped = magnitude & 0x1fff;
            if (dropped > 0x1000 || (dropped == 0x1000 && (half & 1) == 1)) {
                half++; // a mantissa carry moves into the exponent, which is the correct next value
            }
            return (short) (sign | half);
        }

        if (magnitude <= 0x3300_0000) {
            // At most 2^-25, half the smallest subnormal 2^-24: rounds to zero (the tie goes to even 0).
            return (short) sign;
        }

        // Subnormal float16: the value in units of 2^-24 is the 24-bit significand shifted right.
        int exponent = magnitude >>> 23;
        int significand = (magnitude & 0x7f_ffff) | 0x80_0000;
        int shift = 126 - exponent;
        int half = significand >>> shift;
        int dropped = significand & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (dropped > halfway || (dropped == halfway && (half & 1) == 1)) {
            half++;
        }
        return (short) (sign | half);
    }

    /** Returns the float32 value of IEEE float16 {@code bits}; exact. */
    public static float fromFloat16Bits(short bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f80_0000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }
}

package dev.qspark.checkpoint.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FloatNarrowingTest {

    /** Random float bit patterns checked against the nearest-value definition in each property test. */
    private static final int SAMPLES = 2_000_000;

    @ParameterizedTest(name = "bf16({0}) = {1}")
    @CsvSource({
        "0x3f800000, 0x3f80", // 1.0
        "0x3f808000, 0x3f80", // 1 + 2^-8: tie, kept part even, rounds down
        "0x3f818000, 0x3f82", // 1 + 3 * 2^-8: tie, kept part odd, rounds up
        "0x3f808001, 0x3f81", // just above the tie
        "0x3f807fff, 0x3f80", // just below the tie
        "0xbf808000, 0xbf80", // negative tie
        "0x7f7fffff, 0x7f80", // largest float rounds to +Inf
        "0x7f7f7fff, 0x7f7f", // stays the largest finite bf16
        "0x7f800000, 0x7f80", // +Inf
        "0xff800000, 0xff80", // -Inf
        "0x7fc00000, 0x7fc0", // quiet NaN
        "0x7f800001, 0x7fc0", // signalling NaN whose payload would be lost by truncation
        "0xffffffff, 0x7fc0", // negative NaN
        "0x00000000, 0x0000", // +0
        "0x80000000, 0x8000", // -0
        "0x00010000, 0x0001", // smallest bf16 subnormal
        "0x00008000, 0x0000", // half of it: tie to even zero
        "0x00018000, 0x0002", // tie between subnormals 1 and 2, goes to 2
        "0x007fffff, 0x0080", // largest float subnormal rounds up to the smallest normal
    })
    void bfloat16EdgeCases(String floatBits, String expectedBits) {
        float value = Float.intBitsToFloat(Integer.parseUnsignedInt(floatBits.substring(2), 16));
        int expected = Integer.parseInt(expectedBits.substring(2), 16);
        assertThat(FloatNarrowing.toBfloat16Bits(value) & 0xffff).isEqualTo(expected);
    }

    @ParameterizedTest(name = "fp16({0}) = {1}")
    @CsvSource({
        "0x3f800000, 0x3c00", // 1.0
        "0x3f801000, 0x3c00", // 1 + 2^-11: tie, rounds to even 1.0
        "0x3f803000, 0x3c02", // 1 + 3 * 2^-11: tie, rounds up to even
        "0x3f801001, 0x3c01", // just above the tie
        "0x477fe000, 0x7bff", // 65504, the largest float16
        "0x477fefff, 0x7bff", // just below 65520
        "0x477ff000, 0x7c00", // 65520: tie between 65504 and 2^16, rounds to +Inf
        "0xc77ff000, 0xfc00", // -65520 to -Inf
        "0x7f800000, 0x7c00", // +Inf
        "0xff800000, 0xfc00", // -Inf
        "0x7fc00000, 0x7e00", // NaN
        "0xffc00000, 0xfe00", // negative NaN keeps its sign
        "0x7f800001, 0x7e00", // signalling NaN
        "0x80000000, 0x8000", // -0
        "0x38800000, 0x0400", // 2^-14, the smallest normal
        "0x387fffff, 0x0400", // just below 2^-14 rounds up to it
        "0x387fc000, 0x03ff", // largest subnormal, 1023 * 2^-24
        "0x33800000, 0x0001", // 2^-24, the smallest subnormal
        "0x33000000, 0x0000", // 2^-25: tie between 0 and 2^-24, goes to 0
        "0x33000001, 0x0001", // just above 2^-25
        "0x33c00000, 0x0002", // 1.5 * 2^-24: tie between 1 and 2 units, goes to 2
        "0x34200000, 0x0002", // 2.5 * 2^-24: tie between 2 and 3 units, goes to 2
        "0x00000001, 0x0000", // smallest float32 subnormal
        "0x477fffff, 0x7c00", // above 65520
    })
    void float16EdgeCases(String floatBits, String expectedBits) {
        float value = Float.intBitsToFloat(Integer.parseUnsignedInt(floatBits.substring(2), 16));
        int expected = Integer.parseInt(expectedBits.substring(2), 16);
        assertThat(FloatNarrowing.toFloat16Bits(value) & 0xffff).isEqualTo(expected);
    }

    @Test
    void bfloat16IsNearestWithTiesToEven() {
        SplittableRandom random = new SplittableRandom(20261204L);
        for (int i = 0; i < SAMPLES; i++) {
            float value = Float.intBitsToFloat(random.nextInt());
            if (Float.isNaN(value)) {
                continue;
            }
            short bits = FloatNarrowing.toBfloat16Bits(value);
            assertNearest(value, bits & 0xffff, FloatNarrowing.fromBfloat16Bits(bits), 0x7f80, true);
        }
    }

    @Test
    void float16IsNearestWithTiesToEven() {
        SplittableRandom random = new SplittableRandom(20261205L);
        for (int i = 0; i < SAMPLES; i++) {
            // Exponents near float16's range, where every rounding branch is taken.
            int exponent = 100 + random.nextInt(45);
            int bits = (random.nextInt(2) << 31) | (exponent << 23) | random.nextInt(1 << 23);
            float value = Float.intBitsToFloat(bits);
            short half = FloatNarrowing.toFloat16Bits(value);
            assertNearest(value, half & 0xffff, FloatNarrowing.fromFloat16Bits(half), 0x7c00, false);
        }
    }

    @Test
    void decodingIsExactForEveryFloat16() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float value = FloatNarrowing.fromFloat16Bits((short) bits);
            int exponent = (bits >>> 10) & 0x1f;
            if (exponent == 0x1f && (bits & 0x3ff) != 0) {
                assertThat(value).isNaN();
            } else {
                assertThat(FloatNarrowing.toFloat16Bits(value) & 0xffff).as("bits 0x%04x", bits).isEqualTo(bits);
            }
        }
    }

    /**
     * Checks that {@code rounded} (with bit pattern {@code bits}) is at least as close to {@code value}
     * as both 16-bit neighbours, and that an exact tie picks the even pattern. Infinity stands for
     * overflow beyond the largest finite value plus half a unit.
     */
    private static void assertNearest(float value, int bits, float rounded, int infinityBits, boolean bfloat16) {
        int magnitude = bits & 0x7fff;
        int sign = bits & 0x8000;
        double exact = value;
        if (magnitude == infinityBits) {
            double largest = decode(sign | (infinityBits - 1), bfloat16);
            double nextUlp = largest - decode(sign | (infinityBits - 2), bfloat16);
            assertThat(Math.abs(exact)).as("%s overflows", value).isGreaterThanOrEqualTo(Math.abs(largest) + Math.abs(nextUlp) / 2);
            return;
        }
        double error = Math.abs(exact - rounded);
        double below = magnitude == 0 ? Double.NaN : decode(sign | (magnitude - 1), bfloat16);
        double above = decode(sign | (magnitude + 1), bfloat16);
        if (magnitude + 1 == infinityBits) {
            above = decode(sign | magnitude, bfloat16) + (decode(sign | magnitude, bfloat16) - decode(sign | (magnitude - 1), bfloat16));
        }
        for (double neighbour : new double[] {below, above, magnitude == 0 ? -rounded : Double.NaN}) {
            if (Double.isNaN(neighbour)) {
                continue;
            }
            double neighbourError = Math.abs(exact - neighbour);
            assertThat(error).as("%s rounded to 0x%04x", value, bits).isLessThanOrEqualTo(neighbourError);
            if (error == neighbourError && neighbour != rounded) {
                assertThat(magnitude & 1).as("tie %s must round to even, got 0x%04x", value, bits).isZero();
            }
        }
    }

    private static double decode(int bits, boolean bfloat16) {
        return bfloat16 ? FloatNarrowing.fromBfloat16Bits((short) bits) : FloatNarrowing.fromFloat16Bits((short) bits);
    }
}

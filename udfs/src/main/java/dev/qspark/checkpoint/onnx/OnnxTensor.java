package dev.qspark.checkpoint.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One initializer of an ONNX graph.
 *
 * @param name the initializer name as stored in the file
 * @param dataType the element type
 * @param dims the shape; empty for a scalar
 * @param data the element bytes, little-endian and row-major, exactly {@code elementCount() x
 *     elementSize} bytes. For {@code raw_data} this is a view of the memory-mapped file, for typed
 *     data a buffer decoded from it.
 */
public record OnnxTensor(String name, OnnxDataType dataType, long[] dims, ByteBuffer data) {

    /** Number of elements, the product of {@link #dims()}. */
    public long elementCount() {
        return elementCount(dims);
    }

    /** Returns a fresh little-endian view of {@link #data()}, positioned at its start. */
    public ByteBuffer dataView() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    static long elementCount(long[] dims) {
        long count = 1;
        for (long dim : dims) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }
}

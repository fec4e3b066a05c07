package dev.qspark.checkpoint.onnx;

import dev.qspark.checkpoint.SafetensorsWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;

/**
 * Streaming source of one initializer's output bytes: floating point values converted to the target
 * dtype, 2-D weights optionally transposed, integers copied unchanged. Output is produced in chunks of
 * about 1 MiB, so no second copy of a whole tensor is held.
 *
 * <p>NOTE: float64 values are rounded to float32 first, so narrowing them to bf16 or fp16 rounds twice.
 */
final class TensorConversion implements SafetensorsWriter.TensorSource {

    private static final int CHUNK_BYTES = 1 << 20;

    private final OnnxTensor tensor;
    private final OnnxDataType sourceType;
    private final TargetDtype target;
    private final boolean transpose;

    /**
     * Creates the source for {@code tensor}; {@code transpose} requires a 2-D tensor.
     *
     * @param target the dtype for floating point tensors; ignored for integer tensors
     */
    TensorConversion(OnnxTensor tensor, TargetDtype target, boolean transpose) {
        if (transpose && tensor.dims().length != 2) {
            throw new IllegalArgumentException("Cannot transpose initializer " + tensor.name() + ": it has "
                    + tensor.dims().length + " dims, transposition needs 2");
        }
        this.tensor = tensor;
        this.sourceType = tensor.dataType();
        this.target = target;
        this.transpose = transpose;
    }

    /** Safetensors dtype of the output: the target for floating point tensors, else the ONNX type's own. */
    String outputDtype() {
        return converts() ? target.safetensorsDtype() : sourceType.safetensorsDtype();
    }

    /** Output shape: the ONNX dims, swapped when transposed. */
    long[] outputShape() {
        long[] dims = tensor.dims();
        return transpose ? new long[] {dims[1], dims[0]} : dims.clone();
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        ByteBuffer source = tensor.dataView();
        if (!converts() && !transpose) {
            WritableByteChannel channel = Channels.newChannel(out);
            while (source.hasRemaining()) {
                channel.write(source);
            }
        } else if (transpose) {
            writeTransposed(source, out);
        } else {
            writeConverted(source, out);
        }
    }

    private boolean converts() {
        return sourceType.isFloatingPoint() && !sourceType.safetensorsDtype().equals(target.safetensorsDtype());
    }

    private int outputElementSize() {
        return converts() ? target.elementSize() : sourceType.elementSize();
    }

    private void writeConverted(ByteBuffer source, OutputStream out) throws IOException {
        int count = Math.toIntExact(tensor.elementCount());
        int chunkElements = CHUNK_BYTES / outputElementSize();
        ByteBuffer chunk = ByteBuffer.allocate(chunkElements * outputElementSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < count; start += chunkElements) {
            int end = Math.min(count, start + chunkElements);
            chunk.clear();
            for (int i = start; i < end; i++) {
                copyElement(source, i, chunk);
            }
            out.write(chunk.array(), 0, chunk.position());
        }
    }

    /**
     * Writes the transpose of a {@code [rows, columns]} source. Each chunk contains a block of output
     * rows and is filled by walking the source rows in order, reading a contiguous run of each. Reads
     * stay sequential, where a plain column walk would stride through the whole tensor.
     */
    private void writeTransposed(ByteBuffer source, OutputStream out) throws IOException {
        int rows = Math.toIntExact(tensor.dims()[0]);
        int columns = Math.toIntExact(tensor.dims()[1]);
        int elementSize = outputElementSize();
        int blockRows = Math.max(1, CHUNK_BYTES / Math.max(1, rows * elementSize));
        ByteBuffer chunk = ByteBuffer.allocate(Math.toIntExact((long) blockRows * rows * elementSize))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int firstColumn = 0; firstColumn < columns; firstColumn += blockRows) {
            int endColumn = Math.min(columns, firstColumn + blockRows);
            int outputRows = endColumn - firstColumn;
            chunk.clear();
            for (int row = 0; row < rows; row++) {
                for (int column = firstColumn; column < endColumn; column++) {
                    chunk.position(((column - firstColumn) * rows + row) * elementSize);
                    copyElement(source, row * columns + column, chunk);
                }
            }
            out.write(chunk.array(), 0, outputRows * rows * elementSize);
        }
    }

    /** Appends element {@code index} of the source to {@code output}, converted when it is floating point. */
    private void copyElement(ByteBuffer source, int index, ByteBuffer output) {
        if (!converts()) {
            int size = sourceType.elementSize();
            for (int b = 0; b < size; b++) {
                output.put(source.get(index * size + b));
            }
            return;
        }
        float value = switch (sourceType) {
            case FLOAT -> source.getFloat(index * 4);
            case DOUBLE -> (float) source.getDouble(index * 8);
            case FLOAT16 -> FloatNarrowing.fromFloat16Bits(source.getShort(index * 2));
            case BFLOAT16 -> FloatNarrowing.fromBfloat16Bits(source.getShort(index * 2));
            default -> throw new IllegalStateException("not a floating point type: " + sourceType);
        };
        switch (target) {
            case BF16 -> output.putShort(FloatNarrowing.toBfloat16Bits(value));
            case FP16 -> output.putShort(FloatNarrowing.toFloat16Bits(value));
            case FP32 -> output.putFloat(value);
        }
    }
}

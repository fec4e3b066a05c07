package dev.qspark.job.output;

/**
 * One row of {@code metrics/}: the result of one config on one tensor. The error fields are null
 * unless the status is {@code quantized}.
 *
 * @param elements values in the tensor
 * @param bytesIn bytes of the tensor in the checkpoint
 * @param storedBytes bytes of qdata plus qparams as stored
 * @param storedBitsPerWeight {@code 8 * storedBytes / elements}
 * @param nominalBitsPerWeight the qdata dtype's bits plus the qparams' bits per weight
 * @param mse mean of {@code (dequantized - input)^2}
 * @param sqnrDb {@code 10 log10(signal power / squared error)}; infinite when the error is zero
 * @param maxAbsError largest {@code |dequantized - input|}
 * @param relativeFrobeniusError {@code ||dequantized - input|| / ||input||}
 * @param nonFiniteCount NaN or infinite values: in the dequantized output, or in the input of a rejected tensor
 */
public record TensorMetrics(
    String configId,
    String config,
    String tensor,
    Integer layer,
    String module,
    String moduleType,
    String status,
    String reason,
    long elements,
    long bytesIn,
    Long storedBytes,
    Double storedBitsPerWeight,
    Double nominalBitsPerWeight,
    Double mse,
    Double sqnrDb,
    Double maxAbsError,
    Double relativeFrobeniusError,
    Long nonFiniteCount) {}

package dev.qspark.checkpoint.onnx;

import dev.qspark.checkpoint.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Importer of an ONNX model's initializers into a Hugging Face style {@code model.safetensors}.
 *
 * <p>Names and layouts follow {@link OnnxWeightNaming}. Floating point tensors are written in the
 * chosen {@link TargetDtype} (rounded to nearest even), integer tensors such as
 * {@code embeddings.position_ids} unchanged. The file is written to a temporary name and renamed on
 * success.
 */
public final class OnnxImporter {

    /** File name of the output inside the output folder, as Hugging Face names single-file checkpoints. */
    public static final String MODEL_FILE = "model.safetensors";

    private static final Logger LOG = LoggerFactory.getLogger(OnnxImporter.class);

    /**
     * Facts about one finished import.
     *
     * @param file the safetensors file written
     * @param tensorCount tensors written
     * @param elementCount elements over all tensors
     * @param transposedCount MatMul weights written transposed to {@code [out, in]}
     */
    public record Summary(Path file, int tensorCount, long elementCount, int transposedCount) {}

    private OnnxImporter() {}

    /**
     * Writes {@code outputFolder/model.safetensors} from the initializers of {@code onnxFile}, creating
     * the folder when needed.
     *
     * @throws IllegalArgumentException when the ONNX file is invalid or uses an unsupported feature, or
     *     the output folder is a file
     */
    public static Summary importModel(Path onnxFile, Path outputFolder, TargetDtype dtype) throws IOException {
        if (Files.exists(outputFolder) && !Files.isDirectory(outputFolder)) {
            throw new IllegalArgumentException("Cannot write " + outputFolder
                    + ": it is a file; the output must be a folder, new or existing");
        }
        OnnxGraph graph = OnnxModelReader.read(onnxFile);
        Map<String, WeightPlan> plans = OnnxWeightNaming.plan(graph);

        Path file = outputFolder.resolve(MODEL_FILE);
        SafetensorsWriter writer = new SafetensorsWriter(file).metadata("format", "pt");
        long elements = 0;
        int transposed = 0;
        for (OnnxTensor tensor : graph.initializers()) {
            WeightPlan plan = plans.get(tensor.name());
            TensorConversion conversion = new TensorConversion(tensor, dtype, plan.transpose());
            writer.add(plan.targetName(), conversion.outputDtype(), conversion.outputShape(), conversion);
            elements += tensor.elementCount();
            transposed += plan.transpose() ? 1 : 0;
        }
        writer.write();

        Summary summary = new Summary(file, writer.size(), elements, transposed);
        LOG.info("Imported {}: {} tensors, {} elements, {} MatMul weights transposed, floating point as {}",
                onnxFile, summary.tensorCount(), summary.elementCount(), summary.transposedCount(), dtype);
        return summary;
    }
}

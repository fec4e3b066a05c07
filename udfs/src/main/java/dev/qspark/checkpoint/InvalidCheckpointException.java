package dev.qspark.checkpoint;

/**
 * A checkpoint that breaks the safetensors format or disagrees with its own index. The message
 * names the file, the tensor and the bad value, and states what is accepted.
 */
public class InvalidCheckpointException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidCheckpointException(String message) {
    super(message);
  }

  public InvalidCheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.qspark.job.cli;

import dev.qspark.job.fetch.KnownModel;
import java.util.Arrays;
import java.util.Iterator;

/**
 * The names of {@link KnownModel}, as picocli completion candidates, so that help text lists them with
 * {@code ${COMPLETION-CANDIDATES}}.
 */
final class KnownModelNames implements Iterable<String> {

  @Override
  public Iterator<String> iterator() {
    return Arrays.stream(KnownModel.values()).map(KnownModel::id).iterator();
  }
}

package dev.qspark.job.mixedprecision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.qspark.job.report.MetricRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The planner on synthetic metrics, against an exhaustive search over every combination. */
class MixedPrecisionPlannerTest {

  private static final double TOLERANCE = 1e-9;

  @Test
  void meanObjectiveMatchesExhaustiveSearch() {
    Random random = new Random(20261204L);
    for (int trial = 0; trial < 40; trial++) {
      List<MetricRow> metrics = randomSweep(random, 6, 3);
      double budget = 4 + random.nextDouble() * 4;
      MixedPrecisionPlan plan = MixedPrecisionPlanner.plan(metrics, PlanBudget.nominalBits(budget),
          PlanObjective.MEAN_SQNR);
      double best = exhaustiveBest(metrics, budget, PlanObjective.MEAN_SQNR);
      assertThat(plan.expected().nominalBitsPerWeight()).isLessThanOrEqualTo(budget + TOLERANCE);
      assertThat(plan.expected().meanSqnrDb()).as("trial %d", trial).isCloseTo(best, within(1e-6));
      assertThat(plan.exact()).isTrue();
    }
  }

  @Test
  void minObjectiveMatchesExhaustiveSearch() {
    Random random = new Random(42L);
    for (int trial = 0; trial < 40; trial++) {
      List<MetricRow> metrics = randomSweep(random, 6, 3);
      double budget = 4 + random.nextDouble() * 4;
      MixedPrecisionPlan plan = MixedPrecisionPlanner.plan(metrics, PlanBudget.nominalBits(budget),
          PlanObjective.MIN_SQNR);
      double best = exhaustiveBest(metrics, budget, PlanObjective.MIN_SQNR);
      assertThat(plan.expected().nominalBitsPerWeight()).isLessThanOrEqualTo(budget + TOLERANCE);
      assertThat(plan.expected().minSqnrDb()).as("trial %d", trial).isCloseTo(best, within(1e-9));
    }
  }

  @Test
  void byteBudgetIsMet() {
    Random random = new Random(7L);
    List<MetricRow> metrics = randomSweep(random, 8, 4);
    long smallest = 0;
    for (List<PlanOption> options : MixedPrecisionPlanner.optionsByTensor(metrics).values()) {
      smallest += options.stream().mapToLong(PlanOption::storedBytes).min().orElseThrow();
    }
    long budget = smallest + 3000;
    MixedPrecisionPlan plan = MixedPrecisionPlanner.plan(metrics, PlanBudget.storedBytes(budget),
        PlanObjective.MEAN_SQNR);
    assertThat(plan.expected().storedBytes()).isLessThanOrEqualTo(budget);
    assertThat(plan.assignments()).hasSize(8);
  }

  @Test
  void tooSmallBudgetIsRejected() {
    List<MetricRow> metrics = randomSweep(new Random(1L), 3, 2);
    assertThatThrownBy(() -> MixedPrecisionPlanner.plan(metrics, PlanBudget.nominalBits(1.0), PlanObjective.MEAN_SQNR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot plan within 1.0 nominal_bits_per_weight");
  }

  @Test
  void tensorWithoutQuantizedOptionStaysUnquantized() {
    List<MetricRow> metrics = new ArrayList<>(randomSweep(new Random(3L), 2, 2));
    metrics.add(row("c0", "model.layers.0.mlp.down_proj.weight", "skipped", 4096, null, null, null));
    metrics.add(row("c1", "model.layers.0.mlp.down_proj.weight", "rejected", 4096, null, null, null));
    MixedPrecisionPlan plan = MixedPrecisionPlanner.plan(metrics, PlanBudget.nominalBits(12), PlanObjective.MIN_SQNR);
    assertThat(plan.moduleFqnToConfig()).containsEntry("model.layers.0.mlp.down_proj", null);
    assertThat(plan.moduleFqnToConfig()).hasSize(3);
  }

  @Test
  void sweepWithNothingQuantizedIsRejected() {
    List<MetricRow> metrics = List.of(
        row("c0", "model.layers.0.mlp.down_proj.weight", "skipped", 4096, null, null, null),
        row("c1", "model.layers.0.mlp.down_proj.weight", "rejected", 4096, null, null, null));
    assertThatThrownBy(() -> MixedPrecisionPlanner.plan(metrics, PlanBudget.nominalBits(16), PlanObjective.MEAN_SQNR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no config quantized any tensor");
  }

  /** Tensors with options whose SQNR rises with their bits, as real configs do, plus noise. */
  static List<MetricRow> randomSweep(Random random, int tensors, int configs) {
    List<MetricRow> rows = new ArrayList<>();
    for (int t = 0; t < tensors; t++) {
      long elements = 1024L * (1 + random.nextInt(4));
      double difficulty = random.nextDouble() * 6;
      for (int c = 0; c < configs; c++) {
        double bits = 3 + c * 2 + random.nextInt(3) * 0.25;
        double sqnr = 6.02 * bits - difficulty + random.nextDouble();
        rows.add(row("c" + c, "model.layers." + t + ".self_attn.q_proj.weight", "quantized", elements,
            (long) Math.ceil(bits * elements / 8), bits, sqnr));
      }
    }
    return rows;
  }

  static MetricRow row(String configId, String tensor, String status, long elements, Long storedBytes,
      Double nominalBits, Double sqnr) {
    return new MetricRow(configId, "Config(" + configId + ")", tensor, 0, "self_attn.q_proj", "q_proj", status, "",
        elements, elements * 2, storedBytes, storedBytes == null ? null : 8.0 * storedBytes / elements, nominalBits,
        null, sqnr, null, null, 0L);
  }

  /** Returns the best objective value over every choice of one option per tensor within the bits budget. */
  private static double exhaustiveBest(List<MetricRow> metrics, double budgetBits, PlanObjective objective) {
    List<List<PlanOption>> options = new ArrayList<>(MixedPrecisionPlanner.optionsByTensor(metrics).values());
    int[] index = new int[options.size()];
    double best = Double.NEGATIVE_INFINITY;
    while (true) {
      List<PlanOption> chosen = new ArrayList<>();
      for (int t = 0; t < options.size(); t++) {
        chosen.add(options.get(t).get(index[t]));
      }
      PlanScore score = PlanScore.of(chosen);
      if (score.nominalBitsPerWeight() <= budgetBits + TOLERANCE) {
        best = Math.max(best, score.value(objective));
      }
      int t = 0;
      while (t < index.length && ++index[t] == options.get(t).size()) {
        index[t] = 0;
        t++;
      }
      if (t == index.length) {
        return best;
      }
    }
  }
}

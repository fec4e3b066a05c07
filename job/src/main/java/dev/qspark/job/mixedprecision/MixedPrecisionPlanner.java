package dev.qspark.job.mixedprecision;

import dev.qspark.job.report.MetricRow;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Chooses one config per tensor from a sweep's metrics to maximize an objective under a size budget.
 *
 * <p>The planned tensors are those some config targets (every status but kept). A tensor's options
 * are the configs that quantized it. A tensor that no config quantized stays unquantized at its
 * input size, and the SQNR objectives leave it out. Configs that skipped or rejected a tensor are not
 * options for it, because torchao raises for a rejected one and leaves a skipped one unquantized.
 *
 * <p>{@link PlanObjective#MEAN_SQNR} is solved as a multiple-choice knapsack ({@link KnapsackSolver}).
 * {@link PlanObjective#MIN_SQNR} finds the highest SQNR floor whose cheapest options fit the budget
 * (exact, by binary search), then maximizes the weighted mean among the options above that floor.
 */
public final class MixedPrecisionPlanner {

  /** SQNR used in the optimization for an exact (infinite-SQNR) result, so sums stay finite. */
  static final double SQNR_CAP_DB = 1000;

  private MixedPrecisionPlanner() {}

  /**
   * @throws IllegalArgumentException when the metrics plan no tensor, no config quantized any tensor,
   *     or even the smallest option of every tensor exceeds the budget
   */
  public static MixedPrecisionPlan plan(List<MetricRow> metrics, PlanBudget budget, PlanObjective objective) {
    Map<String, List<PlanOption>> options = optionsByTensor(metrics);
    if (options.isEmpty()) {
      throw new IllegalArgumentException("Cannot plan: the metrics hold no tensor that a config targets");
    }
    if (options.values().stream().flatMap(List::stream).noneMatch(PlanOption::isQuantized)) {
      throw new IllegalArgumentException("Cannot plan: no config quantized any tensor in the sweep (every"
          + " target tensor was skipped or rejected), so there is nothing to choose from; run the sweep with"
          + " configs that these tensors accept, for example a smaller group_size");
    }
    List<String> tensors = new ArrayList<>(options.keySet());
    long totalElements = 0;
    for (List<PlanOption> tensorOptions : options.values()) {
      totalElements += tensorOptions.get(0).elements();
    }
    double budgetCost = budget.kind() == PlanBudget.Kind.STORED_BYTES ? budget.value() : budget.value() * totalElements;

    double smallest = 0;
    for (List<PlanOption> tensorOptions : options.values()) {
      smallest += cheapest(tensorOptions, budget.kind(), Double.NEGATIVE_INFINITY).cost(budget.kind());
    }
    if (smallest > budgetCost * (1 + 1e-12)) {
      double smallestSize = budget.kind() == PlanBudget.Kind.STORED_BYTES ? smallest : smallest / totalElements;
      throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
          "Cannot plan within %s %s: the smallest config of every tensor already needs %.4f; raise the budget",
          budget.value(), budget.kind().column(), smallestSize));
    }

    double floor = Double.NEGATIVE_INFINITY;
    if (objective == PlanObjective.MIN_SQNR) {
      floor = highestFeasibleFloor(options, budget.kind(), budgetCost);
    }
    List<double[]> costs = new ArrayList<>();
    List<double[]> values = new ArrayList<>();
    List<List<PlanOption>> allowed = new ArrayList<>();
    for (String tensor : tensors) {
      List<PlanOption> tensorAllowed = new ArrayList<>();
      for (PlanOption option : options.get(tensor)) {
        if (option.sqnrDb() >= floor) {
          tensorAllowed.add(option);
        }
      }
      double[] tensorCosts = new double[tensorAllowed.size()];
      double[] tensorValues = new double[tensorAllowed.size()];
      for (int o = 0; o < tensorAllowed.size(); o++) {
        PlanOption option = tensorAllowed.get(o);
        tensorCosts[o] = option.cost(budget.kind());
        tensorValues[o] = option.isQuantized() ? Math.min(option.sqnrDb(), SQNR_CAP_DB) * option.elements() : 0;
      }
      allowed.add(tensorAllowed);
      costs.add(tensorCosts);
      values.add(tensorValues);
    }

    KnapsackSolver.Solution solution = KnapsackSolver.solve(costs, values, budgetCost);
    List<PlanOption> chosen = new ArrayList<>();
    boolean exact;
    if (solution != null) {
      for (int t = 0; t < tensors.size(); t++) {
        chosen.add(allowed.get(t).get(solution.chosen()[t]));
      }
      exact = solution.exact();
    } else {
      // Rounding costs up can lose a choice that fits exactly; the cheapest allowed options always fit.
      for (List<PlanOption> tensorAllowed : allowed) {
        chosen.add(cheapest(tensorAllowed, budget.kind(), Double.NEGATIVE_INFINITY));
      }
      exact = false;
    }
    List<MixedPrecisionPlan.Assignment> assignments = new ArrayList<>();
    for (int t = 0; t < tensors.size(); t++) {
      assignments.add(new MixedPrecisionPlan.Assignment(tensors.get(t), moduleFqn(tensors.get(t)), chosen.get(t)));
    }
    return new MixedPrecisionPlan(objective, budget, assignments, PlanScore.of(chosen),
        baselines(options, budget, budgetCost), exact);
  }

  /** The options of every planned tensor, by tensor name in name order. */
  static Map<String, List<PlanOption>> optionsByTensor(List<MetricRow> metrics) {
    Map<String, List<PlanOption>> options = new TreeMap<>();
    Map<String, MetricRow> anyRow = new TreeMap<>();
    for (MetricRow row : metrics) {
      if (!row.isTarget()) {
        continue;
      }
      anyRow.putIfAbsent(row.tensor(), row);
      List<PlanOption> tensorOptions = options.computeIfAbsent(row.tensor(), t -> new ArrayList<>());
      if (row.isQuantized() && row.sqnrDb() != null && row.storedBytes() != null
          && row.nominalBitsPerWeight() != null) {
        tensorOptions.add(new PlanOption(row.configId(), row.config(), row.elements(), row.storedBytes(),
            row.nominalBitsPerWeight(), row.sqnrDb()));
      }
    }
    for (Map.Entry<String, List<PlanOption>> entry : options.entrySet()) {
      if (entry.getValue().isEmpty()) {
        MetricRow row = anyRow.get(entry.getKey());
        double inputBits = row.elements() == 0 ? 0 : 8.0 * row.bytesIn() / row.elements();
        entry.getValue().add(new PlanOption(null, null, row.elements(), row.bytesIn(), inputBits,
            Double.POSITIVE_INFINITY));
      }
    }
    return options;
  }

  /** Returns the highest SQNR floor at which the cheapest option at or above it, per tensor, fits the budget. */
  private static double highestFeasibleFloor(
      Map<String, List<PlanOption>> options, PlanBudget.Kind kind, double budgetCost) {
    TreeSet<Double> distinct = new TreeSet<>();
    for (List<PlanOption> tensorOptions : options.values()) {
      for (PlanOption option : tensorOptions) {
        if (option.isQuantized()) {
          distinct.add(option.sqnrDb());
        }
      }
    }
    List<Double> floors = new ArrayList<>(distinct);
    int low = 0;
    int high = floors.size() - 1;
    double best = Double.NEGATIVE_INFINITY;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      if (fits(options, kind, budgetCost, floors.get(middle))) {
        best = floors.get(middle);
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return best;
  }

  private static boolean fits(Map<String, List<PlanOption>> options, PlanBudget.Kind kind, double budgetCost,
      double floor) {
    double total = 0;
    for (List<PlanOption> tensorOptions : options.values()) {
      PlanOption option = cheapest(tensorOptions, kind, floor);
      if (option == null) {
        return false;
      }
      total += option.cost(kind);
    }
    return total <= budgetCost * (1 + 1e-12);
  }

  /** The cheapest option with an SQNR at or above {@code floor}, or null when there is none. */
  private static PlanOption cheapest(List<PlanOption> options, PlanBudget.Kind kind, double floor) {
    PlanOption cheapest = null;
    for (PlanOption option : options) {
      if (option.sqnrDb() >= floor && (cheapest == null || option.cost(kind) < cheapest.cost(kind))) {
        cheapest = option;
      }
    }
    return cheapest;
  }

  /**
   * Scores each config applied to every planned tensor. A config covers the plan when it quantized
   * every tensor that some config quantized; only such configs are comparable with the plan.
   */
  private static List<MixedPrecisionPlan.Baseline> baselines(
      Map<String, List<PlanOption>> options, PlanBudget budget, double budgetCost) {
    Set<String> configIds = new LinkedHashSet<>();
    Map<String, String> configs = new TreeMap<>();
    for (List<PlanOption> tensorOptions : options.values()) {
      for (PlanOption option : tensorOptions) {
        if (option.isQuantized()) {
          configIds.add(option.configId());
          configs.put(option.configId(), option.config());
        }
      }
    }
    List<MixedPrecisionPlan.Baseline> baselines = new ArrayList<>();
    for (String configId : new TreeSet<>(configIds)) {
      List<PlanOption> chosen = new ArrayList<>();
      boolean covers = true;
      for (List<PlanOption> tensorOptions : options.values()) {
        PlanOption match = null;
        for (PlanOption option : tensorOptions) {
          if (configId.equals(option.configId()) || (!option.isQuantized() && tensorOptions.size() == 1)) {
            match = option;
          }
        }
        if (match == null) {
          covers = false;
        } else {
          chosen.add(match);
        }
      }
      PlanScore score = PlanScore.of(chosen);
      double cost = budget.kind() == PlanBudget.Kind.STORED_BYTES
          ? score.storedBytes() : score.nominalBitsPerWeight() * totalElements(chosen);
      baselines.add(new MixedPrecisionPlan.Baseline(configId, configs.get(configId), covers, score,
          covers && cost <= budgetCost * (1 + 1e-12)));
    }
    return baselines;
  }

  private static long totalElements(List<PlanOption> chosen) {
    long total = 0;
    for (PlanOption option : chosen) {
      total += option.elements();
    }
    return total;
  }

  /** The module FQN torchao's per-module config mapping uses: the tensor name without its parameter segment. */
  static String moduleFqn(String tensor) {
    int lastDot = tensor.lastIndexOf('.');
    return lastDot < 0 ? tensor : tensor.substring(0, lastDot);
  }
}

package dev.qspark.job.mixedprecision;

import java.util.List;

/**
 * Solves the multiple-choice knapsack behind a plan: pick one option per tensor to maximize the sum
 * of the options' values with the total cost at most the budget, by dynamic programming over cost.
 *
 * <p>When every cost is an integer (bits or bytes always are in practice) and the budget divided by
 * their greatest common divisor fits in the state limit, the result is exact. Otherwise costs are
 * rounded up to units of {@code budget / stateLimit}, which keeps every result within the budget but
 * may miss the best choice by less than one unit per tensor.
 */
final class KnapsackSolver {

  /** Upper bound on cost states times tensors, which bounds the choice table's memory (2 bytes each). */
  static final long MAX_TABLE_ENTRIES = 64L << 20;

  private KnapsackSolver() {}

  /**
   * @param costs per tensor, the cost of each option
   * @param values per tensor, the value of each option
   * @return the index of the chosen option per tensor, or null when no choice fits the budget
   */
  static Solution solve(List<double[]> costs, List<double[]> values, double budget) {
    int tensors = costs.size();
    long stateLimit = Math.max(1000, Math.min(1 << 20, MAX_TABLE_ENTRIES / Math.max(1, tensors)));
    long divisor = integerDivisor(costs);
    boolean exact = divisor > 0 && Math.floor(budget / divisor) <= stateLimit;
    double unit = exact ? divisor : budget / stateLimit;
    int states = (int) Math.floor(budget / unit + 1e-9);

    int[][] unitCosts = new int[tensors][];
    for (int t = 0; t < tensors; t++) {
      double[] tensorCosts = costs.get(t);
      unitCosts[t] = new int[tensorCosts.length];
      for (int o = 0; o < tensorCosts.length; o++) {
        double units = exact ? Math.rint(tensorCosts[o] / unit) : Math.ceil(tensorCosts[o] / unit - 1e-9);
        unitCosts[t][o] = units > states ? Integer.MAX_VALUE : (int) units;
      }
    }

    double[] best = new double[states + 1];
    short[][] choices = new short[tensors][states + 1];
    for (int t = 0; t < tensors; t++) {
      double[] next = new double[states + 1];
      double[] tensorValues = values.get(t);
      for (int c = 0; c <= states; c++) {
        double bestValue = Double.NEGATIVE_INFINITY;
        short bestOption = -1;
        for (int o = 0; o < unitCosts[t].length; o++) {
          int cost = unitCosts[t][o];
          if (cost <= c && best[c - cost] != Double.NEGATIVE_INFINITY) {
            double value = best[c - cost] + tensorValues[o];
            if (value > bestValue) {
              bestValue = value;
              bestOption = (short) o;
            }
          }
        }
        next[c] = bestValue;
        choices[t][c] = bestOption;
      }
      best = next;
    }
    if (best[states] == Double.NEGATIVE_INFINITY) {
      return null;
    }
    int[] chosen = new int[tensors];
    int remaining = states;
    for (int t = tensors - 1; t >= 0; t--) {
      chosen[t] = choices[t][remaining];
      remaining -= unitCosts[t][chosen[t]];
    }
    return new Solution(chosen, exact);
  }

  /** A choice of one option per tensor; {@code exact} is false when costs were rounded up. */
  record Solution(int[] chosen, boolean exact) {}

  /** The greatest common divisor of all costs when each is an integer, else 0. */
  private static long integerDivisor(List<double[]> costs) {
    long divisor = 0;
    for (double[] tensorCosts : costs) {
      for (double cost : tensorCosts) {
        double rounded = Math.rint(cost);
        if (Math.abs(cost - rounded) > 1e-6 * Math.max(1, Math.abs(cost)) || rounded < 0) {
          return 0;
        }
        divisor = gcd(divisor, (long) rounded);
      }
    }
    return divisor;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long next = a % b;
      a = b;
      b = next;
    }
    return a;
  }
}

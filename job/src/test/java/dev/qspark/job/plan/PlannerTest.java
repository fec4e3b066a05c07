package dev.qspark.job.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlannerTest {

  private static List<WorkUnit> layer(int tensorIndex, long... unitBytes) {
    List<WorkUnit> units = new ArrayList<>();
    long row = 0;
    for (long bytes : unitBytes) {
      units.add(new WorkUnit(tensorIndex, row, 1, bytes));
      row++;
    }
    return units;
  }

  @Test
  void balanceKeepsLayersWhole() {
    List<List<WorkUnit>> layers = List.of(layer(0, 50, 50), layer(1, 60), layer(2, 30), layer(3, 20));

    List<List<WorkUnit>> partitions = Planner.balance(layers, 2);

    assertThat(partitions).hasSize(2);
    for (List<WorkUnit> partition : partitions) {
      long tensorZeroUnits = partition.stream().filter(unit -> unit.tensorIndex() == 0).count();
      assertThat(tensorZeroUnits).isIn(0L, 2L);
    }
    long[] bytes = partitions.stream().mapToLong(p -> p.stream().mapToLong(WorkUnit::inputBytes).sum()).toArray();
    assertThat(bytes).containsExactlyInAnyOrder(100, 110);
  }

  @Test
  void balanceOrdersUnitsByTensorAndRow() {
    List<List<WorkUnit>> partitions = Planner.balance(List.of(layer(5, 1, 1, 1), layer(2, 10)), 1);

    assertThat(partitions.get(0)).extracting(WorkUnit::tensorIndex).containsExactly(2, 5, 5, 5);
    assertThat(partitions.get(0)).extracting(WorkUnit::rowStart).containsExactly(0L, 0L, 1L, 2L);
  }

  @Test
  void partitionCountBoundedByLayers() {
    assertThat(Planner.partitionCount(null, 2, 5)).isEqualTo(4);
    assertThat(Planner.partitionCount(null, 8, 5)).isEqualTo(5);
    assertThat(Planner.partitionCount(3, 8, 5)).isEqualTo(3);
    assertThat(Planner.partitionCount(9, 8, 5)).isEqualTo(5);
    assertThat(Planner.partitionCount(null, 2, 0)).isEqualTo(1);
    assertThatThrownBy(() -> Planner.partitionCount(0, 2, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--partitions 0");
  }
}

package dev.qspark.job.checksum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuantizedChecksumsTest {

  private static final long SEED = 20261204L;

  private final QuantizedFixture fixture = new QuantizedFixture(SEED);

  @Test
  void blockSplitDoesNotChangeChecksums() {
    Map<String, String> whole = QuantizedChecksums.compute(fixture.rows(1000).iterator());
    Map<String, String> uneven = QuantizedChecksums.compute(fixture.rows(5, 7, 1, 9).iterator());
    Map<String, String> single = QuantizedChecksums.compute(fixture.rows(1).iterator());

    assertThat(whole).containsOnlyKeys("int4-g32", "int8-tensor", "uint3-g32");
    assertThat(whole.values()).allSatisfy(hex -> assertThat(hex).matches("[0-9a-f]{64}"));
    assertThat(uneven).isEqualTo(whole);
    assertThat(single).isEqualTo(whole);
  }

  @Test
  void fixtureSplitsReallyDiffer() {
    assertThat(fixture.rows(1000)).hasSize(6);
    assertThat(fixture.rows(5, 7, 1, 9).size()).isGreaterThan(20);
  }

  @Test
  void otherWeightsGiveOtherChecksums() {
    Map<String, String> first = QuantizedChecksums.compute(fixture.rows(8).iterator());
    Map<String, String> second = QuantizedChecksums.compute(new QuantizedFixture(SEED + 1).rows(8).iterator());

    for (String configId : first.keySet()) {
      assertThat(second.get(configId)).as(configId).isNotEqualTo(first.get(configId));
    }
  }

  @Test
  void oneQdataBitChangesOneConfig() {
    Map<String, String> original = QuantizedChecksums.compute(fixture.rows(8).iterator());
    List<BlockRow> rows = fixture.rows(8);
    int target = indexOf(rows, "uint3-g32", 1);
    rows.get(target).qdata()[3] ^= 0x10;

    Map<String, String> changed = QuantizedChecksums.compute(rows.iterator());

    assertThat(changed.get("uint3-g32")).isNotEqualTo(original.get("uint3-g32"));
    assertThat(changed.get("int4-g32")).isEqualTo(original.get("int4-g32"));
    assertThat(changed.get("int8-tensor")).isEqualTo(original.get("int8-tensor"));
  }

  @Test
  void oneScaleBitChangesChecksum() {
    Map<String, String> original = QuantizedChecksums.compute(fixture.rows(8).iterator());
    List<BlockRow> rows = fixture.rows(8);
    float[] scale = rows.get(indexOf(rows, "int4-g32", 2)).scale();
    scale[0] = Float.intBitsToFloat(Float.floatToRawIntBits(scale[0]) ^ 1);

    Map<String, String> changed = QuantizedChecksums.compute(rows.iterator());

    assertThat(changed.get("int4-g32")).isNotEqualTo(original.get("int4-g32"));
  }

  @Test
  void swappedShardBytesChangeChecksum() {
    // The int2 and int1 shards of a uint3 block are hashed separately, so moving a byte between them counts.
    Map<String, String> original = QuantizedChecksums.compute(fixture.rows(8).iterator());
    List<BlockRow> rows = fixture.rows(8);
    byte[] qdata = rows.get(indexOf(rows, "uint3-g32", 0)).qdata();
    int int2Bytes = qdata.length * 2 / 3;
    byte first = qdata[0];
    qdata[0] = qdata[int2Bytes];
    qdata[int2Bytes] = first;
    boolean bytesDiffer = first != qdata[0];

    Map<String, String> changed = QuantizedChecksums.compute(rows.iterator());

    assertThat(bytesDiffer).as("the swapped bytes differ in this fixture").isTrue();
    assertThat(changed.get("uint3-g32")).isNotEqualTo(original.get("uint3-g32"));
  }

  @Test
  void differingPerTensorScaleIsRejected() {
    List<BlockRow> rows = fixture.rows(8);
    rows.get(indexOf(rows, "int8-tensor", 1)).scale()[0] *= 2;

    assertThatThrownBy(() -> QuantizedChecksums.compute(rows.iterator()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("config int8-tensor")
        .hasMessageContaining("per-tensor scale");
  }

  @Test
  void missingBlockIsRejected() {
    List<BlockRow> rows = fixture.rows(8);
    BlockRow removed = rows.remove(indexOf(rows, "int4-g32", 1));

    assertThatThrownBy(() -> QuantizedChecksums.compute(rows.iterator()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tensor " + removed.tensor())
        .hasMessageContaining("rows are missing");
  }

  @Test
  void missingLastBlockIsRejected() {
    List<BlockRow> rows = fixture.rows(8);
    int last = indexOf(rows, "uint3-g32", 0) - 1;
    rows.remove(last);

    assertThatThrownBy(() -> QuantizedChecksums.compute(rows.iterator()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rows are missing");
  }

  @Test
  void duplicateBlockIsRejected() {
    List<BlockRow> rows = fixture.rows(8);
    int index = indexOf(rows, "int8-tensor", 2);
    rows.add(index + 1, rows.get(index));

    assertThatThrownBy(() -> QuantizedChecksums.compute(rows.iterator()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("config int8-tensor")
        .hasMessageContaining("rows are duplicated");
  }

  @Test
  void unsortedTensorsAreRejected() {
    List<BlockRow> rows = new ArrayList<>(fixture.rows(1000));
    Collections.swap(rows, 0, 1);

    assertThatThrownBy(() -> QuantizedChecksums.compute(rows.iterator()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sort by config_id, tensor and row_start");
  }

  @Test
  void noRowsGiveNoChecksums() {
    assertThat(QuantizedChecksums.compute(List.<BlockRow>of().iterator())).isEmpty();
  }

  /** Returns the index of the {@code block}-th row (from 0) of the config's first tensor. */
  private static int indexOf(List<BlockRow> rows, String configId, int block) {
    int seen = 0;
    for (int index = 0; index < rows.size(); index++) {
      BlockRow row = rows.get(index);
      if (row.configId().equals(configId) && row.tensor().equals(QuantizedFixture.TENSORS[0])) {
        if (seen == block) {
          return index;
        }
        seen++;
      }
    }
    throw new IllegalArgumentException("no block " + block + " of " + configId);
  }
}

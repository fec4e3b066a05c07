package dev.qspark.kernels.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.kernels.TorchaoRelease;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QuantConfigRoundTripTest {

  /** Lists each example with every release that accepts it. */
  static Stream<Arguments> examples() {
    List<Arguments> cases = new ArrayList<>();
    TorchaoRelease[] all = TorchaoRelease.values();
    add(cases, "Int4WeightOnlyConfig(group_size=128, int4_packing_format=\"plain\", version=2)", all);
    add(cases, "Int4WeightOnlyConfig(group_size=64, version=1)", TorchaoRelease.V0_15);
    add(cases, "Int4WeightOnlyConfig(group_size=32, int4_packing_format='plain_int32')", all);
    add(cases, "Int4WeightOnlyConfig(group_size=32, int4_packing_format=Int4PackingFormat.TILE_PACKED_TO_4D)", all);
    add(cases, "Int4WeightOnlyConfig(int4_packing_format=\"tile_packed_to_4d\", int4_tile_packed_ntile=16)",
        TorchaoRelease.V0_17, TorchaoRelease.V0_18);
    add(cases, "Int4WeightOnlyConfig(group_size=64, layout=TensorCoreTiledLayout(inner_k_tiles=4), "
        + "zero_point_domain=ZeroPointDomain.FLOAT, preserve_zero=False, version=1)", TorchaoRelease.V0_15);
    add(cases, "IntxWeightOnlyConfig(weight_dtype=torch.int4, granularity=PerGroup(32), "
        + "mapping_type=MappingType.ASYMMETRIC, scale_dtype=torch.float32, version=2)", all);
    add(cases, "IntxWeightOnlyConfig(weight_dtype=torch.int8, granularity=PerAxis(0), version=1)", TorchaoRelease.V0_15);
    add(cases, "IntxWeightOnlyConfig(weight_dtype=torch.int2, mapping_type=MappingType.SYMMETRIC_NO_CLIPPING_ERR)", all);
    add(cases, "IntxWeightOnlyConfig(weight_dtype=torch.int1, scale_dtype=torch.bfloat16)", all);
    add(cases, "Int8WeightOnlyConfig(version=1, group_size=64)",
        TorchaoRelease.V0_15, TorchaoRelease.V0_16, TorchaoRelease.V0_17);
    add(cases, "Int8WeightOnlyConfig(version=2, granularity=PerRow())", all);
    add(cases, "Int8WeightOnlyConfig(version=2, granularity=PerTensor())", all);
    add(cases, "Int8WeightOnlyConfig(version=2, granularity=PerGroup(32))", TorchaoRelease.V0_17, TorchaoRelease.V0_18);
    add(cases, "Int8WeightOnlyConfig(granularity=PerTensor(), reduce_range=True)", TorchaoRelease.V0_18);
    add(cases, "Int8WeightOnlyConfig()", all);
    add(cases, "UIntXWeightOnlyConfig(dtype=torch.uint3, group_size=64)", TorchaoRelease.V0_15, TorchaoRelease.V0_16);
    add(cases, "UIntXWeightOnlyConfig(torch.uint7, 32, set_inductor_config=False)",
        TorchaoRelease.V0_15, TorchaoRelease.V0_16);
    return cases.stream();
  }

  private static void add(List<Arguments> cases, String text, TorchaoRelease... releases) {
    for (TorchaoRelease release : releases) {
      cases.add(Arguments.of(text, release));
    }
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("examples")
  void canonicalFormParsesToEqualConfig(String text, TorchaoRelease release) {
    QuantConfig parsed = QuantConfigs.parse(text, release, null);

    QuantConfig reparsed = QuantConfigs.parse(parsed.canonical(), release, parsed.deviceArithmetic());

    assertThat(reparsed).isEqualTo(parsed);
    assertThat(reparsed.canonical()).isEqualTo(parsed.canonical());
    assertThat(reparsed.configId()).isEqualTo(parsed.configId());
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("examples")
  void canonicalFormSpellsEveryFieldOfTheRelease(String text, TorchaoRelease release) {
    QuantConfig parsed = QuantConfigs.parse(text, release, null);

    List<String> fields = fieldsOf(parsed, release);

    String canonical = parsed.canonical();
    int previous = -1;
    for (String field : fields) {
      int at = canonical.indexOf(" " + field + "=");
      int index = at >= 0 ? at : canonical.indexOf("(" + field + "=");
      assertThat(index).as("%s in %s", field, canonical).isGreaterThan(previous);
      previous = index;
    }
    long assignments = canonical.chars().filter(c -> c == '=').count();
    assertThat(assignments).as(canonical).isEqualTo(fields.size() + nestedAssignments(canonical));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("examples")
  void javaSerializationKeepsTheConfig(String text, TorchaoRelease release) throws Exception {
    QuantConfig parsed = QuantConfigs.parse(text, release, null);

    QuantConfig copy = serializeAndRead(parsed);

    assertThat(copy).isEqualTo(parsed);
    assertThat(copy.canonical()).isEqualTo(parsed.canonical());
  }

  private static List<String> fieldsOf(QuantConfig config, TorchaoRelease release) {
    if (config instanceof Int4WeightOnlyConfig) {
      return Int4WeightOnlyConfig.fields(release);
    }
    if (config instanceof IntxWeightOnlyConfig) {
      return IntxWeightOnlyConfig.fields(release);
    }
    if (config instanceof Int8WeightOnlyConfig) {
      return Int8WeightOnlyConfig.fields(release);
    }
    return UIntXWeightOnlyConfig.fields(release);
  }

  /** Counts '=' inside nested calls such as TensorCoreTiledLayout(inner_k_tiles=8). */
  private static long nestedAssignments(String canonical) {
    String inner = canonical.substring(canonical.indexOf('(') + 1, canonical.length() - 1);
    long count = 0;
    int depth = 0;
    for (char c : inner.toCharArray()) {
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == '=' && depth > 0) {
        count++;
      }
    }
    return count;
  }

  private static QuantConfig serializeAndRead(QuantConfig config) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(config);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (QuantConfig) in.readObject();
    }
  }
}

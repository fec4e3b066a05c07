package dev.qspark.kernels.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.TorchaoRelease;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every rejection names the config class, the field and the value, and states what is accepted. */
class QuantConfigRejectionTest {

  @ParameterizedTest(name = "{1}: {0}")
  @CsvSource(delimiter = '|', value = {
      // text | release | fragments that the message must contain, separated by ';;'
      "IntxWeightOnlyConfig(weight_dtype=torch.int9)|0.15|"
          + "Invalid IntxWeightOnlyConfig: weight_dtype=torch.int9 is not supported;;expected torch.int1 to torch.int8",
      "IntxWeightOnlyConfig(weight_dtype=torch.uint4)|0.15|weight_dtype=torch.uint4;;expected torch.int1 to torch.int8",
      "IntxWeightOnlyConfig(mapping_type=MappingType.SYMMETRIC_NO_CLIPPING_ERR, version=1)|0.15|"
          + "mapping_type=MappingType.SYMMETRIC_NO_CLIPPING_ERR;;expected MappingType.SYMMETRIC or MappingType.ASYMMETRIC",
      "IntxWeightOnlyConfig(weight_dtype=torch.int1, mapping_type=MappingType.SYMMETRIC_NO_CLIPPING_ERR)|0.18|"
          + "mapping_type=MappingType.SYMMETRIC_NO_CLIPPING_ERR;;quant_max, which is 0 for torch.int1",
      "IntxWeightOnlyConfig(mapping_type=MappingType.FOO)|0.15|mapping_type=MappingType.FOO;;expected one of MappingType.SYMMETRIC",
      "IntxWeightOnlyConfig(mapping_type=ZeroPointDomain.INT)|0.15|mapping_type=ZeroPointDomain.INT;;expected MappingType.<NAME>",
      "IntxWeightOnlyConfig(granularity=PerAxis(1))|0.15|granularity=PerAxis(1) is not supported;;expected PerAxis(0) or PerGroup(n)",
      "IntxWeightOnlyConfig(granularity=PerRow())|0.16|granularity=PerRow() is not supported;;expected PerAxis(0)",
      "IntxWeightOnlyConfig(granularity=PerGroup(0))|0.16|granularity=PerGroup(0) is not supported;;positive group size",
      "IntxWeightOnlyConfig(intx_packing_format='opaque_torchao_auto')|0.16|"
          + "intx_packing_format='opaque_torchao_auto' is not supported;;expected one of \"unpacked_to_int8\"",
      "IntxWeightOnlyConfig(intx_choose_qparams_algorithm='hqq_scale_only')|0.16|"
          + "intx_choose_qparams_algorithm=\"hqq_scale_only\";;does not reproduce HQQ",
      "IntxWeightOnlyConfig(layout=PackedLinearInt8DynamicActivationIntxWeightLayout())|0.15|"
          + "layout=PackedLinearInt8DynamicActivationIntxWeightLayout();;expected QDQLayout()",
      "IntxWeightOnlyConfig(layout=QDQLayout())|0.16|field layout does not exist in torchao 0.16;;exists in torchao 0.15",
      "IntxWeightOnlyConfig(weight_dtype=torch.int4, version=1)|0.16|"
          + "version=1 is not supported;;does not exist in torchao 0.16: its last release is 0.15",
      "IntxWeightOnlyConfig(scale_dtype=torch.float64)|0.15|scale_dtype=torch.float64;;expected None, torch.float32",
      "Int4WeightOnlyConfig(group_size=64, version=1)|0.18|"
          + "Invalid Int4WeightOnlyConfig: version=1;;does not exist in torchao 0.18: its last release is 0.15",
      "Int4WeightOnlyConfig(int4_packing_format='preshuffled')|0.18|"
          + "int4_packing_format=\"preshuffled\" is not supported;;opaque GPU kernel layout that qspark does not produce",
      "Int4WeightOnlyConfig(int4_packing_format='marlin_sparse')|0.15|"
          + "int4_packing_format=\"marlin_sparse\" is not supported;;opaque GPU kernel layout",
      "Int4WeightOnlyConfig(int4_packing_format='marlin_sparse')|0.16|"
          + "int4_packing_format=\"marlin_sparse\" is not supported;;torchao 0.16 has no such format",
      "Int4WeightOnlyConfig(int4_packing_format='opaque')|0.15|"
          + "int4_packing_format=\"opaque\" is not supported;;opaque CPU kernel layout",
      "Int4WeightOnlyConfig(int4_packing_format='tiled')|0.15|int4_packing_format='tiled' is not supported;;\"plain\"",
      "Int4WeightOnlyConfig(int4_packing_format='tile_packed_to_4d', int4_choose_qparams_algorithm='hqq')|0.17|"
          + "int4_choose_qparams_algorithm=\"hqq\" is not supported;;does not reproduce HQQ bit-exactly",
      "Int4WeightOnlyConfig(int4_tile_packed_ntile=16)|0.16|"
          + "field int4_tile_packed_ntile does not exist in torchao 0.16;;exists in torchao 0.17, 0.18",
      "Int4WeightOnlyConfig(int4_tile_packed_ntile=12)|0.17|int4_tile_packed_ntile=12 is not supported;;expected 8 or 16",
      "Int4WeightOnlyConfig(group_size=0)|0.17|group_size=0 is not supported;;positive group size",
      "Int4WeightOnlyConfig(group_size='64')|0.17|group_size='64' is invalid;;expected an integer",
      "Int4WeightOnlyConfig(use_hqq=True, version=1)|0.15|use_hqq=True is not supported;;HQQ",
      "Int4WeightOnlyConfig(zero_point_domain=ZeroPointDomain.INT, version=1)|0.15|"
          + "zero_point_domain=ZeroPointDomain.INT is not supported;;expected ZeroPointDomain.NONE or ZeroPointDomain.FLOAT",
      "Int4WeightOnlyConfig(preserve_zero=True, version=1)|0.15|preserve_zero=True is not supported;;expected None or False",
      "Int4WeightOnlyConfig(layout=Int4CPULayout(), version=1)|0.15|layout=Int4CPULayout() is not supported;;TensorCoreTiledLayout",
      "Int4WeightOnlyConfig(layout=TensorCoreTiledLayout(inner_k_tiles=3), version=1)|0.15|inner_k_tiles=3;;expected 2, 4 or 8",
      "Int4WeightOnlyConfig(layout=TensorCoreTiledLayout(8, foo=1), version=1)|0.15|"
          + "layout=TensorCoreTiledLayout(8, foo=1) is invalid;;expected at most the argument inner_k_tiles",
      "Int4WeightOnlyConfig(use_hqq=False)|0.16|field use_hqq does not exist in torchao 0.16",
      "Int4WeightOnlyConfig(version=3)|0.16|version=3 is not supported;;expected 1 or 2",
      "Int4WeightOnlyConfig(packing_format='plain')|0.16|unknown field packing_format;;torchao 0.16 declares group_size",
      "Int4WeightOnlyConfig(64, True, 'plain', 'tinygemm', 8, 2)|0.16|too many positional arguments",
      "Int8WeightOnlyConfig(version=1)|0.18|"
          + "Invalid Int8WeightOnlyConfig: version=1;;does not exist in torchao 0.18: its last release is 0.17",
      "Int8WeightOnlyConfig(version=2, granularity=PerGroup(32))|0.16|"
          + "granularity=PerGroup(32) is not supported;;PerGroup for Int8WeightOnlyConfig version 2 is supported from torchao 0.17",
      "Int8WeightOnlyConfig(version=2, group_size=64)|0.15|group_size=64 is not supported;;asserts group_size is None",
      "Int8WeightOnlyConfig(group_size=64)|0.18|group_size=64 is not supported;;use granularity=PerGroup(64)",
      "Int8WeightOnlyConfig(version=2, granularity=PerAxis(0))|0.18|granularity=PerAxis(0) is not supported;;PerGroup(n)",
      "Int8WeightOnlyConfig(version=2, granularity=None)|0.15|granularity=None is not supported;;expected PerRow() or PerTensor()",
      "Int8WeightOnlyConfig(reduce_range=True)|0.17|field reduce_range does not exist in torchao 0.17;;exists in torchao 0.18",
      "Int8WeightOnlyConfig(set_inductor_config=1)|0.17|set_inductor_config=1 is invalid;;expected True or False",
      "UIntXWeightOnlyConfig(dtype=torch.uint8)|0.15|"
          + "Invalid UIntXWeightOnlyConfig: dtype=torch.uint8 is not supported;;UintxLayout has no uint8 packing",
      "UIntXWeightOnlyConfig(dtype=torch.int4)|0.15|dtype=torch.int4 is not supported;;expected torch.uint1 to torch.uint7",
      "UIntXWeightOnlyConfig(dtype=torch.uint4)|0.17|does not exist in torchao 0.17: its last release is 0.16",
      "UIntXWeightOnlyConfig(group_size=32)|0.15|field dtype is missing",
      "UIntXWeightOnlyConfig(dtype=torch.uint4, use_hqq=True)|0.16|use_hqq=True is not supported;;HQQ",
      "UIntXWeightOnlyConfig(dtype=torch.uint4, pack_dim=0)|0.16|pack_dim=0 is not supported;;expected -1",
      "UIntXWeightOnlyConfig(dtype=torch.uint4, version=1)|0.15|unknown field version",
      "Float8WeightOnlyConfig()|0.15|unknown config class Float8WeightOnlyConfig;;expected Int4WeightOnlyConfig",
  })
  void rejectionNamesFieldAndValue(String text, String release, String fragments) {
    assertThatThrownBy(() -> QuantConfigs.parse(text, TorchaoRelease.parse(release), null))
        .isInstanceOf(InvalidConfigException.class)
        .satisfies(error -> {
          for (String fragment : fragments.split(";;")) {
            assertThat(error).hasMessageContaining(fragment);
          }
        });
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Int4WeightOnlyConfig(int4_packing_format='plain_int32')|cuda|runs only on xpu;;got device cuda",
      "Int4WeightOnlyConfig(int4_packing_format='tile_packed_to_4d')|cpu|runs only on cuda;;got device cpu",
      "Int4WeightOnlyConfig(version=1)|xpu|version=1 with TensorCoreTiledLayout runs only on cuda;;got device xpu",
  })
  void formatsBoundToOneDeviceRejectOthers(String text, String device, String fragments) {
    assertThatThrownBy(() -> QuantConfigs.parse(text, TorchaoRelease.V0_15, DeviceArithmetic.parse(device)))
        .isInstanceOf(InvalidConfigException.class)
        .satisfies(error -> {
          for (String fragment : fragments.split(";;")) {
            assertThat(error).hasMessageContaining(fragment);
          }
        });
  }
}

package dev.qspark.kernels.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qspark.kernels.DeviceArithmetic;
import dev.qspark.kernels.FloatDtype;
import dev.qspark.kernels.Granularity;
import dev.qspark.kernels.MappingType;
import dev.qspark.kernels.TorchaoRelease;
import dev.qspark.kernels.WeightQuantizer.StorageInfo;
import org.junit.jupiter.api.Test;

class StorageInfoTest {

  @Test
  void intxNamesNominalIntegerType() {
    StorageInfo info = new IntxWeightOnlyV2Quantizer(4, new Granularity.PerAxis(0), MappingType.ASYMMETRIC,
        FloatDtype.FLOAT32, TorchaoRelease.V0_18, DeviceArithmetic.CPU).storageInfo(FloatDtype.BFLOAT16, 256);

    assertThat(info.qdataDtype()).isEqualTo("int4");
    assertThat(info.scaleDtype()).isEqualTo("float32");
    assertThat(info.zeroPointDtype()).isEqualTo("int8");
    assertThat(info.blockSize()).containsExactly(1, 256);
  }

  @Test
  void int8TensorStoresZeroPointFrom017() {
    StorageInfo at016 = new Int8WeightOnlyV2Quantizer(new Granularity.PerRow(), TorchaoRelease.V0_16,
        DeviceArithmetic.CPU).storageInfo(FloatDtype.BFLOAT16, 64);
    StorageInfo at018 = new Int8WeightOnlyV2Quantizer(new Granularity.PerGroup(32), TorchaoRelease.V0_18,
        DeviceArithmetic.CPU).storageInfo(FloatDtype.BFLOAT16, 64);

    assertThat(at016.zeroPointDtype()).isNull();
    assertThat(at016.scaleDtype()).isEqualTo("bfloat16");
    assertThat(at018.zeroPointDtype()).isEqualTo("int8");
    assertThat(at018.scaleDtype()).isEqualTo("float32");
    assertThat(at018.blockSize()).containsExactly(1, 32);
  }

  @Test
  void otherFormatsNameTheirDtypes() {
    StorageInfo int8V1 = new Int8WeightOnlyV1Quantizer(null, TorchaoRelease.V0_15, DeviceArithmetic.CPU)
        .storageInfo(FloatDtype.FLOAT32, 64);
    StorageInfo uintx = new UIntXWeightOnlyQuantizer(6, 64, TorchaoRelease.V0_15, DeviceArithmetic.CPU)
        .storageInfo(FloatDtype.BFLOAT16, 128);
    StorageInfo plainInt32 = new Int4PlainInt32Quantizer(128, TorchaoRelease.V0_18, DeviceArithmetic.XPU)
        .storageInfo(FloatDtype.BFLOAT16, 256);

    assertThat(int8V1.zeroPointDtype()).isEqualTo("int64");
    assertThat(int8V1.blockSize()).containsExactly(1, 64);
    assertThat(uintx.qdataDtype()).isEqualTo("uint6");
    assertThat(uintx.zeroPointDtype()).isEqualTo("int32");
    assertThat(plainInt32.qdataDtype()).isEqualTo("uint4");
    assertThat(plainInt32.zeroPointDtype()).isEqualTo("int8");
    assertThat(plainInt32.blockSize()).containsExactly(1, 128);
  }
}

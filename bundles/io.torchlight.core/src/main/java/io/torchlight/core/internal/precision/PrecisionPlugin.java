package io.torchlight.core.internal.precision;

import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.torchlight.api.LightningModule;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.accelerator.Precision;
import io.torchlight.utils.data.Batch;

/**
 * Lightning's precision plug-ins: {@code 32} (nothing to do), {@code 64} (parameters and floating-point batches
 * in float64) and {@code bf16-mixed} (libtorch autocast to bfloat16 around the step methods; parameters and
 * gradients stay float32) and, on CUDA only, {@code 16-mixed} (float16 autocast with {@link GradScaler}).
 */
public abstract class PrecisionPlugin {

    /** The plug-in for the trainer's {@code precision} flag on this accelerator; unsupported combinations are errors. */
    public static PrecisionPlugin of(Precision precision, Accelerator accelerator) {
        if (!accelerator.precisions().contains(precision)) {
            throw new TorchlightException("precision=" + precision + " is not supported by accelerator " + accelerator.name()
                    + ": use precision=" + accelerator.precisions().stream().map(Precision::label).sorted()
                    .collect(Collectors.joining(", ")) + " there, or an accelerator that supports " + precision);
        }
        return switch (precision) {
            case FP32 -> new PrecisionPlugin() {
            };
            case FP64 -> new Double64();
            case BF16_MIXED -> new Autocast(accelerator.deviceType(), ScalarType.BFloat16);
            case FP16_MIXED -> new HalfMixed(accelerator.deviceType(), new GradScaler());
        };
    }

    /** Prepares the module once it is on its device. */
    public void setup(LightningModule module) {
    }

    /** A batch after it was moved to the device. */
    public Batch batch(Batch batch) {
        return batch;
    }

    /** Runs a step method (training, validation, test, predict) in the precision's context. */
    public <T> T step(Supplier<T> body) {
        return body.get();
    }

    /** The loss to back-propagate. */
    public Tensor backwardLoss(Tensor loss) {
        return loss;
    }

    /** Before {@code onBeforeOptimizerStep} and clipping: false when the update must be skipped. */
    public boolean unscale(Optimizer optimizer) {
        return true;
    }

    /** After an update (or a skipped one). */
    public void updated(boolean applied) {
    }

    /** What goes into a checkpoint, under Lightning's key, or an empty map. */
    public Map<String, Object> checkpointState() {
        return Map.of();
    }

    public void loadCheckpointState(Map<String, Object> checkpoint) {
    }

    /** The run moved to a device of this type: autocast follows it (the loss scale is host-side and stays). */
    public void deviceType(DeviceType type) {
    }

    /** float16 autocast on CUDA with loss scaling. */
    static final class HalfMixed extends PrecisionPlugin {
        private final Autocast autocast;
        private final GradScaler scaler;

        HalfMixed(DeviceType device, GradScaler scaler) {
            this.autocast = new Autocast(device, ScalarType.Half);
            this.scaler = scaler;
        }

        @Override
        public <T> T step(Supplier<T> body) {
            return autocast.step(body);
        }

        @Override
        public Tensor backwardLoss(Tensor loss) {
            return scaler.scale(loss);
        }

        @Override
        public boolean unscale(Optimizer optimizer) {
            return scaler.unscale(optimizer);
        }

        @Override
        public void updated(boolean applied) {
            scaler.update(applied);
        }

        @Override
        public Map<String, Object> checkpointState() {
            return Map.of(GradScaler.CHECKPOINT_KEY, scaler.state());
        }

        @Override
        public void loadCheckpointState(Map<String, Object> checkpoint) {
            if (checkpoint.get(GradScaler.CHECKPOINT_KEY) instanceof Map<?, ?> state) {
                scaler.load(state);
            }
        }

        @Override
        public void deviceType(DeviceType type) {
            autocast.deviceType(type);
        }
    }

    /** float64 parameters and floating-point inputs. */
    private static final class Double64 extends PrecisionPlugin {
        @Override
        public void setup(LightningModule module) {
            module.to(ScalarType.Double, false);
        }

        @Override
        public Batch batch(Batch batch) {
            return batch.map(t -> torch.is_floating_point(t) ? t.to(ScalarType.Double) : t);
        }
    }

    /** libtorch autocast on one device type, restored to what it was after each step. */
    private static final class Autocast extends PrecisionPlugin {
        private DeviceType device;
        private final ScalarType dtype;

        Autocast(DeviceType device, ScalarType dtype) {
            this.device = device;
            this.dtype = dtype;
        }

        @Override
        public void deviceType(DeviceType type) {
            device = type;
        }

        @Override
        public <T> T step(Supplier<T> body) {
            boolean wasEnabled = torch.is_autocast_enabled(device);
            ScalarType wasDtype = torch.get_autocast_dtype(device);
            torch.set_autocast_enabled(device, true);
            torch.set_autocast_dtype(device, dtype);
            try {
                return body.get();
            } finally {
                torch.set_autocast_enabled(device, wasEnabled);
                torch.set_autocast_dtype(device, wasDtype);
                if (!wasEnabled) {
                    torch.clear_cache();
                }
            }
        }
    }
}

package io.torchlight.core.internal.precision;

import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import io.torchlight.utils.optim.OptimizerParameters;

/**
 * The loss scaling of 16-bit mixed precision, as PyTorch's GradScaler: the loss is multiplied by the scale before
 * backward, the gradients divided by it before clipping and the update; an update whose gradients are not all
 * finite is skipped and the scale multiplied by the backoff factor; after {@code growthInterval} finite updates in
 * a row the scale grows by the growth factor. Its state goes into checkpoints under Lightning's key.
 */
public final class GradScaler {

    /** The checkpoint key Lightning uses for the scaler's state. */
    static final String CHECKPOINT_KEY = "native_amp_scaling_state";

    private final double growthFactor;
    private final double backoffFactor;
    private final int growthInterval;
    private double scale;
    private int growthTracker;

    GradScaler() {
        this(65536.0, 2.0, 0.5, 2000);
    }

    GradScaler(double initScale, double growthFactor, double backoffFactor, int growthInterval) {
        this.scale = initScale;
        this.growthFactor = growthFactor;
        this.backoffFactor = backoffFactor;
        this.growthInterval = growthInterval;
    }

    double scale() {
        return scale;
    }

    /** The loss to back-propagate. */
    Tensor scale(Tensor loss) {
        return loss.mul(new Scalar(scale));
    }

    /**
     * Divides every gradient of the optimizer's parameters by the scale; false when one is inf or NaN. The check
     * stays on the device until the end: one synchronisation per step, not one per parameter.
     */
    boolean unscale(Optimizer optimizer) {
        Scalar inverse = new Scalar(1.0 / scale);
        Tensor allFinite = null;
        for (Tensor param : OptimizerParameters.of(optimizer)) {
            Tensor grad = param.grad();
            if (grad.defined()) {
                grad.mul_(inverse);
                Tensor finite = torch.isfinite(grad).all();
                allFinite = allFinite == null ? finite : allFinite.logical_and(finite);
            }
        }
        return allFinite == null || allFinite.item_bool();
    }

    /** After an update: backs off after non-finite gradients, grows after enough finite ones in a row. */
    void update(boolean finite) {
        if (!finite) {
            scale *= backoffFactor;
            growthTracker = 0;
        } else if (++growthTracker == growthInterval) {
            scale *= growthFactor;
            growthTracker = 0;
        }
    }

    Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("scale", scale);
        state.put("growth_factor", growthFactor);
        state.put("backoff_factor", backoffFactor);
        state.put("growth_interval", (long) growthInterval);
        state.put("_growth_tracker", (long) growthTracker);
        return state;
    }

    void load(Map<?, ?> state) {
        scale = ((Number) state.get("scale")).doubleValue();
        growthTracker = ((Number) state.get("_growth_tracker")).intValue();
    }
}

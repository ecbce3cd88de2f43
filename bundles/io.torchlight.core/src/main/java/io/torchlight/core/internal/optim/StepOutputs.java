package io.torchlight.core.internal.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;

import io.torchlight.api.TorchlightException;

/** Reads what a step returned: a loss tensor, a map holding {@code "loss"}, or null (skip the batch). */
public final class StepOutputs {

    private StepOutputs() {
    }

    /**
     * The loss of a training step's output, or null when the step returned null; errors name the module's hook
     * ({@code module.hook}, put together only for an error: this runs every step).
     */
    public static Tensor loss(Object output, String module, String hookName) {
        if (output == null) {
            return null;
        }
        Tensor loss;
        if (output instanceof Tensor t) {
            loss = t;
        } else if (output instanceof Map<?, ?> map) {
            Object value = map.get("loss");
            if (!(value instanceof Tensor t)) {
                throw new TorchlightException(module + "." + hookName + " returned a Map " + (value == null ? "without \"loss\"" : "whose \"loss\" is a "
                        + value.getClass().getName()) + ": put the loss Tensor under the key \"loss\"");
            }
            loss = t;
        } else {
            throw new TorchlightException(module + "." + hookName + " returned a " + output.getClass().getName()
                    + ": return a loss Tensor, a Map with \"loss\", or null to skip the batch");
        }
        if (loss.numel() != 1) {
            throw new TorchlightException(module + "." + hookName + " returned a loss of shape " + Arrays.toString(loss.sizes().vec().get())
                    + ": reduce it to a scalar (e.g. .mean())");
        }
        return loss;
    }

    /**
     * The output kept for the epoch-end hook: the map (or {@code {"loss": loss}}) with the loss detached,
     * its tensors retained beyond the step's scope; {@link #release} frees them.
     */
    public static Object keep(Object output) {
        if (output instanceof List<?> nested) { // one output per optimizer or per truncated-backprop split
            List<Object> kept = new ArrayList<>();
            nested.forEach(o -> kept.add(o == null ? null : keep(o)));
            return kept;
        }
        Map<String, Object> kept = new LinkedHashMap<>();
        if (output instanceof Tensor t) {
            kept.put("loss", retained(t.detach()));
        } else if (output instanceof Map<?, ?> map) {
            map.forEach((k, v) -> kept.put(String.valueOf(k), v instanceof Tensor t ? retained(t.detach()) : v));
        }
        return kept;
    }

    /** An evaluation step's output kept for the epoch-end hook (tensors retained). */
    public static Object keepAny(Object output) {
        if (output instanceof Tensor t) {
            return retained(t.detach());
        }
        if (output instanceof Map<?, ?>) {
            return keep(output);
        }
        return output;
    }

    /** Releases the tensors {@link #keep} retained. */
    public static void release(List<?> outputs) {
        for (Object o : outputs) {
            if (o instanceof List<?> nested) {
                release(nested);
            } else if (o instanceof Tensor t) {
                t.releaseReference();
            } else if (o instanceof Map<?, ?> map) {
                map.values().forEach(v -> {
                    if (v instanceof Tensor t) {
                        t.releaseReference();
                    }
                });
            }
        }
    }

    /**
     * The epoch's outputs as Lightning 1.6.5's TrainingEpochLoop._prepare_outputs_training_epoch_end hands them over:
     * with several optimizers, one list per optimizer (each with every batch's output, per split with truncated
     * back-propagation); otherwise the batches' outputs as they are.
     */
    public static List<Object> perOptimizer(List<Object> batches, int optimizers, boolean splits) {
        if (optimizers < 2) {
            return batches;
        }
        List<Object> byOptimizer = new ArrayList<>();
        for (int i = 0; i < optimizers; i++) {
            int optimizer = i;
            List<Object> outputs = new ArrayList<>();
            for (Object batch : batches) {
                outputs.add(splits ? ((List<?>) batch).stream().map(split -> ((List<?>) split).get(optimizer)).toList()
                        : ((List<?>) batch).get(optimizer));
            }
            byOptimizer.add(outputs);
        }
        return byOptimizer;
    }

    private static Tensor retained(Tensor t) {
        t.retainReference();
        return t;
    }
}

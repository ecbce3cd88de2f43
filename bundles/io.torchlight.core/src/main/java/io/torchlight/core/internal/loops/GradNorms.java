package io.torchlight.core.internal.loops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.StringTensorDictItem;
import org.bytedeco.pytorch.Tensor;

import io.torchlight.api.LogOptions;
import io.torchlight.core.internal.hooks.Hook;

/**
 * Lightning 1.6.5's {@code track_grad_norm}: the p-norm of each parameter's gradient as
 * {@code grad_<p>_norm/<name>} and of all of them as {@code grad_<p>_norm_total}, rounded to 4 places, logged on step
 * and epoch from {@code onBeforeOptimizerStep}, only at steps that log (its {@code grad_norm} utility).
 */
final class GradNorms {

    private GradNorms() {
    }

    static void log(RunContext ctx, double p) {
        String prefix = "grad_" + order(p) + "_norm";
        Map<String, Double> norms = new LinkedHashMap<>();
        List<Double> values = new ArrayList<>();
        Scalar order = new Scalar(p);
        try (StringTensorDict params = ctx.module.named_parameters()) {
            for (long i = 0; i < params.size(); i++) {
                StringTensorDictItem item = params.get(i);
                Tensor grad = item.value().grad();
                if (grad.defined()) {
                    double norm = grad.norm(order).item_double();
                    values.add(norm);
                    norms.put(prefix + "/" + item.key().getString(), round(norm));
                }
            }
        }
        if (norms.isEmpty()) {
            return;
        }
        norms.put(prefix + "_total", round(total(values, p)));
        LogOptions options = LogOptions.defaults().onStep(true).onEpoch(true);
        norms.forEach((name, value) -> ctx.logging.train().log(name, value, options, Hook.ON_BEFORE_OPTIMIZER_STEP,
                ctx.state::batchSize));
    }

    /** The p-norm of the parameters' norms: the norm of all gradients together. */
    private static double total(List<Double> norms, double p) {
        if (Double.isInfinite(p)) {
            return norms.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }
        return Math.pow(norms.stream().mapToDouble(n -> Math.pow(Math.abs(n), p)).sum(), 1 / p);
    }

    /** As Python prints {@code float(p)}: {@code 2.0}, {@code 1.5}, {@code inf}. */
    private static String order(double p) {
        if (Double.isInfinite(p)) {
            return "inf";
        }
        return p == Math.rint(p) ? (long) p + ".0" : String.valueOf(p);
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}

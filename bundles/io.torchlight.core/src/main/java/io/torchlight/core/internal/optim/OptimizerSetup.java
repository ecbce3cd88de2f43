package io.torchlight.core.internal.optim;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Optimizer;

import io.torchlight.api.TorchlightException;
import io.torchlight.api.optim.LrSchedulerConfig;
import io.torchlight.api.optim.OptimizerConfig;

/** Normalises what {@code configureOptimizers} returned into optimizers and scheduler configurations. */
public record OptimizerSetup(List<Optimizer> optimizers, List<LrSchedulerConfig> schedulers, List<Integer> frequencies) {

    public OptimizerSetup(List<Optimizer> optimizers, List<LrSchedulerConfig> schedulers) {
        this(optimizers, schedulers, List.of());
    }

    /** Reads the result of {@code configureOptimizers} of {@code module}; errors name the module and the type. */
    public static OptimizerSetup of(Object returned, String module) {
        if (returned instanceof Optimizer o) {
            return new OptimizerSetup(List.of(o), List.of());
        }
        if (returned instanceof OptimizerConfig c) {
            return check(new OptimizerSetup(c.optimizers(), c.schedulers(), c.frequencies()), module);
        }
        if (returned instanceof List<?> list) {
            List<Optimizer> optimizers = new ArrayList<>();
            for (Object o : list) {
                if (!(o instanceof Optimizer opt)) {
                    throw new TorchlightException(module + ".configureOptimizers() returned a List holding a "
                            + (o == null ? "null" : o.getClass().getName()) + ": a List may hold only Optimizers");
                }
                optimizers.add(opt);
            }
            if (optimizers.isEmpty()) {
                throw noOptimizer(module);
            }
            return new OptimizerSetup(List.copyOf(optimizers), List.of());
        }
        if (returned == null) {
            throw noOptimizer(module);
        }
        throw new TorchlightException(module + ".configureOptimizers() returned a " + returned.getClass().getName()
                + ": return an Optimizer, a List of Optimizers, or an OptimizerConfig");
    }

    private static OptimizerSetup check(OptimizerSetup setup, String module) {
        for (LrSchedulerConfig s : setup.schedulers()) {
            if (s.scheduler().needsMetric() && s.monitor() == null) {
                throw new TorchlightException(module + ".configureOptimizers(): " + s.scheduler().getClass().getSimpleName()
                        + " needs a monitored metric: LrSchedulerConfig.of(scheduler).monitor(\"val_loss\")");
            }
            if (setup.optimizers().stream().noneMatch(o -> o.address() == s.scheduler().optimizer().address())) {
                throw new TorchlightException(module + ".configureOptimizers(): a " + s.scheduler().getClass().getSimpleName()
                        + " schedules an optimizer that configureOptimizers did not return");
            }
        }
        return setup;
    }

    private static TorchlightException noOptimizer(String module) {
        return new TorchlightException(module + ".configureOptimizers() returned no optimizer, but automatic optimization "
                + "needs one: return an Optimizer, or call automaticOptimization(false) and optimize in trainingStep");
    }
}

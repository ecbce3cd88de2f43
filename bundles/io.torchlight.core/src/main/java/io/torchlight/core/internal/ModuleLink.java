package io.torchlight.core.internal;

import org.bytedeco.pytorch.Tensor;

import io.torchlight.api.LogOptions;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.TrainerLink;
import io.torchlight.api.TrainerView;
import io.torchlight.core.internal.logging.MetricStore;
import io.torchlight.core.internal.loops.RunContext;
import io.torchlight.core.internal.loops.RunState;
import io.torchlight.core.internal.optim.Backward;

/** The channel a running module's {@code log} and {@code manualBackward} go through, for one stage. */
public final class ModuleLink implements TrainerLink {

    private final DefaultTrainer trainer;
    private final RunContext ctx;

    ModuleLink(DefaultTrainer trainer, RunContext ctx) {
        this.trainer = trainer;
        this.ctx = ctx;
    }

    @Override
    public TrainerView view() {
        return trainer.view();
    }

    @Override
    public void log(String name, Object value, LogOptions options) {
        RunState state = trainer.state;
        if (state.stage() == null) {
            throw new TorchlightException("log('" + name + "') was called while the trainer runs no stage");
        }
        MetricStore store = state.evaluating() ? trainer.logging.eval() : trainer.logging.train();
        store.log(name, options.addDataloaderIdx() ? state.metricSuffix() : "", value, options, state.currentHook(),
                state::batchSize);
    }

    @Override
    public void manualBackward(Tensor loss) {
        if (trainer.state.stage() == null) {
            throw new TorchlightException("manualBackward() was called while the trainer runs no stage");
        }
        if (ctx.module.automaticOptimization()) {
            throw new TorchlightException("manualBackward() is for manual optimization: call automaticOptimization(false) in "
                    + ctx.moduleName() + "'s constructor, or let the trainer back-propagate the loss trainingStep returns");
        }
        Backward.run(ctx, loss, null);
    }
}

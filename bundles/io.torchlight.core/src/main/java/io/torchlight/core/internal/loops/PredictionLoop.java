package io.torchlight.core.internal.loops;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.Tensor;

import io.torchlight.core.internal.hooks.Hook;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;

/**
 * One prediction pass, a batch per advance: eval mode, no gradients, predict start and epoch-start hooks,
 * per batch the transfer trio, batch-start, {@code predictStep}, batch-end; then the epoch-end hook with
 * every prediction. Prediction tensors outlive their batch's scope: they are the result.
 */
public final class PredictionLoop extends Loop<List<List<Object>>> {

    private final RunContext ctx;
    private List<DataLoader> loaders;
    private List<Integer> limits;
    private LoaderCursor cursor;
    private List<List<Object>> predictions;
    private boolean gradWasEnabled = true;

    PredictionLoop(RunContext ctx) {
        this.ctx = ctx;
    }

    void configure(List<DataLoader> loaders, List<Integer> limits) {
        this.loaders = loaders;
        this.limits = limits;
    }

    @Override
    protected void reset() {
        cursor = new LoaderCursor(loaders, limits);
        predictions = new ArrayList<>();
        loaders.forEach(l -> predictions.add(new ArrayList<>()));
    }

    @Override
    protected void onRunStart() {
        gradWasEnabled = GradMode.is_enabled();
        ctx.hooks.module(Hook.ON_PREDICT_MODEL_EVAL, ctx.module::onPredictModelEval);
        GradMode.set_enabled(false);
        ctx.hooks.both(Hook.ON_PREDICT_START, c -> c.onPredictStart(ctx.view, ctx.module), ctx.module::onPredictStart);
        ctx.hooks.both(Hook.ON_PREDICT_EPOCH_START, c -> c.onPredictEpochStart(ctx.view, ctx.module), ctx.module::onPredictEpochStart);
    }

    @Override
    protected boolean done() {
        return ctx.interrupted() || !cursor.hasNext();
    }

    @Override
    protected void advance() {
        try (PointerScope scope = new PointerScope()) {
            Batch raw = cursor.next();
            int d = cursor.loader();
            int i = cursor.batch();
            Batch batch = ctx.transfer(raw, d);
            ctx.state.batch(batch);
            ctx.hooks.callbacks(Hook.ON_PREDICT_BATCH_START, c -> c.onPredictBatchStart(ctx.view, ctx.module, batch, i, d));
            ctx.hooks.module(Hook.ON_PREDICT_BATCH_START, () -> ctx.module.onPredictBatchStart(batch, i, d));
            Object prediction = ctx.hooks.module(Hook.PREDICT_STEP, () -> ctx.precision.step(() -> ctx.module.predictStep(batch, i, d)));
            if (prediction instanceof Tensor t) {
                t.retainReference(); // the caller owns predictions
            }
            ctx.hooks.callbacks(Hook.ON_PREDICT_BATCH_END, c -> c.onPredictBatchEnd(ctx.view, ctx.module, prediction, batch, i, d));
            ctx.hooks.module(Hook.ON_PREDICT_BATCH_END, () -> ctx.module.onPredictBatchEnd(prediction, batch, i, d));
            predictions.get(d).add(prediction);
        } finally {
            ctx.state.batch(null); // its tensors are freed with the scope
        }
    }

    @Override
    protected List<List<Object>> onRunEnd() {
        ctx.hooks.callbacks(Hook.ON_PREDICT_EPOCH_END, c -> c.onPredictEpochEnd(ctx.view, ctx.module, predictions));
        ctx.hooks.module(Hook.ON_PREDICT_EPOCH_END, () -> ctx.module.onPredictEpochEnd(predictions));
        ctx.hooks.both(Hook.ON_PREDICT_END, c -> c.onPredictEnd(ctx.view, ctx.module), ctx.module::onPredictEnd);
        return predictions;
    }

    @Override
    protected void cleanup() {
        GradMode.set_enabled(gradWasEnabled);
        if (cursor != null) {
            cursor.close();
        }
    }
}

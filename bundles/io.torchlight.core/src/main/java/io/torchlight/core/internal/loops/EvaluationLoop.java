package io.torchlight.core.internal.loops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.GradMode;

import io.torchlight.core.internal.optim.StepOutputs;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;

/**
 * One validation or test pass, a batch per advance: eval mode and no gradients; start and epoch-start
 * hooks; per dataloader the transfer trio, batch-start, step, step-end, batch-end; then the epoch-end
 * hook with the outputs, epoch-end hooks, the metrics, the end hooks and train mode again.
 */
public final class EvaluationLoop extends Loop<List<Map<String, Double>>> {

    private final RunContext ctx;
    private final EvaluationHooks hooks;
    private List<DataLoader> loaders;
    private List<Integer> limits;
    private boolean sendToLoggers;
    private LoaderCursor cursor;
    private List<List<Object>> outputs;
    private boolean gradWasEnabled = true;

    EvaluationLoop(RunContext ctx, EvaluationHooks hooks) {
        this.ctx = ctx;
        this.hooks = hooks;
    }

    /** The data of the next run, how many batches of each loader, and whether metrics go to the loggers. */
    void configure(List<DataLoader> loaders, List<Integer> limits, boolean sendToLoggers) {
        this.loaders = loaders;
        this.limits = limits;
        this.sendToLoggers = sendToLoggers;
    }

    @Override
    protected void reset() {
        cursor = new LoaderCursor(loaders, limits);
        outputs = new ArrayList<>();
        loaders.forEach(l -> outputs.add(new ArrayList<>()));
    }

    @Override
    protected void onRunStart() {
        gradWasEnabled = GradMode.is_enabled();
        hooks.modelEval();
        GradMode.set_enabled(false);
        ctx.logging.eval().reset();
        ctx.state.evaluating(true);
        hooks.start();
        hooks.epochStart();
    }

    @Override
    protected boolean done() {
        return ctx.interrupted() || !cursor.hasNext();
    }

    @Override
    protected void advance() {
        // the batch's temporaries are freed with the scope; kept outputs are retained
        try (PointerScope scope = new PointerScope()) {
            Batch raw = cursor.next();
            int d = cursor.loader();
            int i = cursor.batch();
            ctx.state.dataloader(d, loaders.size());
            Batch batch = ctx.transfer(raw, d);
            ctx.state.batch(batch);
            hooks.batchStart(batch, i, d);
            Object output = ctx.precision.step(() -> hooks.step(batch, i, d));
            Object end = hooks.stepEnd(output);
            hooks.batchEnd(end, batch, i, d);
            if (hooks.keepsOutputs() && end != null) {
                outputs.get(d).add(StepOutputs.keepAny(end));
            }
        } finally {
            ctx.state.batch(null); // its tensors are freed with the scope
        }
    }

    @Override
    protected List<Map<String, Double>> onRunEnd() {
        try {
            if (hooks.keepsOutputs()) {
                List<Object> arg = loaders.size() == 1 ? outputs.get(0) : new ArrayList<>(outputs);
                hooks.epochEndOutputs(arg);
            }
        } finally {
            outputs.forEach(StepOutputs::release);
        }
        ctx.state.dataloader(0, 1);
        hooks.epochEnd();
        Map<String, Double> metrics = ctx.logging.evaluationEnd(ctx.progress.batchesThatStepped(), ctx.progress.epoch(), sendToLoggers);
        hooks.end();
        ctx.state.evaluating(false);
        GradMode.set_enabled(gradWasEnabled);
        hooks.modelTrain();
        return split(metrics);
    }

    @Override
    protected void cleanup() {
        // after an error too: gradients are per thread, and the next fit on this thread needs them
        ctx.state.evaluating(false);
        ctx.state.dataloader(0, 1);
        GradMode.set_enabled(gradWasEnabled);
        if (cursor != null) {
            cursor.close();
        }
    }

    private List<Map<String, Double>> split(Map<String, Double> metrics) {
        List<Map<String, Double>> perLoader = new ArrayList<>();
        if (loaders.size() <= 1) {
            perLoader.add(metrics);
            return perLoader;
        }
        for (int d = 0; d < loaders.size(); d++) {
            String suffix = "/dataloader_idx_" + d;
            Map<String, Double> mine = new LinkedHashMap<>();
            metrics.forEach((k, v) -> {
                if (k.endsWith(suffix) || !k.contains("/dataloader_idx_")) {
                    mine.put(k, v);
                }
            });
            perLoader.add(mine);
        }
        return perLoader;
    }
}

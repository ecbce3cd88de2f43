package io.torchlight.core.internal.checkpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.LBFGS;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import io.torchlight.api.Callback;
import io.torchlight.api.LightningDataModule;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.optim.LrSchedulerConfig;
import io.torchlight.core.internal.hooks.Hook;
import io.torchlight.core.internal.loops.RunContext;
import io.torchlight.core.internal.optim.TrainerOptimizer;
import io.torchlight.utils.checkpoint.CheckpointFile;
import io.torchlight.utils.checkpoint.StateDicts;

/**
 * Saves and restores a fit as Lightning does: model weights, optimizer and scheduler states, loop
 * counters (mid-epoch too), callback states by state key, hyperparameters and the random generator, so a
 * resumed fit ends where an uninterrupted one would. Optimizer state is in PyTorch's {@code state_dict} layout
 * ({@link OptimizerStateDicts}), so Python and Lightning read and write it too; optimizers without that translation
 * (LBFGS) keep libtorch's own serialization as bytes.
 */
public final class CheckpointConnector {

    static final String LIGHTNING_VERSION = "1.6.5";
    static final String TORCHLIGHT_VERSION = BuildVersion.read();
    private static final String OPTIMIZER_ARCHIVE = "torchlight_libtorch_archive";
    private static final String OPTIMIZER_UNSAVED = "torchlight_state_not_saved";

    private final RunContext ctx;

    public CheckpointConnector(RunContext ctx) {
        this.ctx = ctx;
    }

    /** The checkpoint dict of the run as it is now (hooks included). */
    Map<String, Object> dump(boolean weightsOnly) {
        Map<String, Object> ckpt = new LinkedHashMap<>();
        ckpt.put("epoch", ctx.progress.epoch());
        ckpt.put("global_step", ctx.progress.optimizerSteps());
        ckpt.put("pytorch-lightning_version", LIGHTNING_VERSION);
        ckpt.put("torchlight_version", TORCHLIGHT_VERSION);
        ckpt.put("state_dict", StateDicts.of(ctx.module));
        if (!weightsOnly) {
            ckpt.put("loops", LightningLoops.of(ctx.progress.stateDict()));
            List<Object> optimizers = new ArrayList<>();
            for (TrainerOptimizer o : ctx.optimization().optimizers()) {
                optimizers.add(OptimizerStateDicts.supports(o.optimizer()) ? OptimizerStateDicts.of(o.optimizer()) : archived(o));
            }
            ckpt.put("optimizer_states", optimizers);
            List<Object> schedulers = new ArrayList<>();
            for (LrSchedulerConfig s : ctx.optimization().schedulers()) {
                schedulers.add(s.scheduler().stateDict());
            }
            ckpt.put("lr_schedulers", schedulers);
            ckpt.putAll(ctx.precision.checkpointState());
            Map<String, Object> callbacks = new LinkedHashMap<>();
            for (Callback c : ctx.hooks.callbackList()) {
                Map<String, Object> state = ctx.hooks.module(Hook.CALLBACK_STATE_DICT, c::stateDict);
                if (!state.isEmpty()) {
                    callbacks.put(c.stateKey(), state);
                }
            }
            ckpt.put("callbacks", callbacks);
            ckpt.put("torchlight_rng", torch.getDefaultCPUGenerator().get_state());
        }
        ckpt.put("hyper_parameters", new LinkedHashMap<>(ctx.module.hparams()));
        LightningDataModule dm = ctx.data.dataModule();
        if (dm != null) {
            Map<String, Object> state = ctx.hooks.module(Hook.DATAMODULE_STATE_DICT, dm::stateDict);
            if (state != null && !state.isEmpty()) {
                ckpt.put(dm.stateKey(), new LinkedHashMap<>(state));
            }
        }
        ctx.hooks.callbacks(Hook.ON_SAVE_CHECKPOINT, c -> c.onSaveCheckpoint(ctx.view, ctx.module, ckpt));
        ctx.hooks.module(Hook.ON_SAVE_CHECKPOINT, () -> ctx.module.onSaveCheckpoint(ckpt));
        if (dm != null) { // as Lightning 1.6.5's dump_checkpoint: the data module's hook comes last
            ctx.hooks.module(Hook.ON_SAVE_CHECKPOINT, () -> dm.onSaveCheckpoint(ckpt));
        }
        return ckpt;
    }

    /** Writes the checkpoint; with several processes only global rank 0 writes (they all hold the same state). */
    public void save(Path path, boolean weightsOnly) {
        if (ctx.strategy.isGlobalZero()) {
            CheckpointFile.write(path, dump(weightsOnly));
        }
    }

    /** Before the optimizers exist: hooks, weights, the data module's and the callbacks' states. */
    public void restoreModel(Map<String, Object> ckpt, Path path) {
        LightningDataModule dm = ctx.data.dataModule();
        if (dm != null) { // Lightning 1.6.5's restore_datamodule: its hook, then its state when the checkpoint holds it
            ctx.hooks.module(Hook.ON_LOAD_CHECKPOINT, () -> dm.onLoadCheckpoint(ckpt));
            Object state = ckpt.get(dm.stateKey());
            if (state instanceof Map<?, ?> s) {
                ctx.hooks.module(Hook.DATAMODULE_LOAD_STATE_DICT, () -> dm.loadStateDict(map(s, dm.stateKey(), path)));
            }
        }
        ctx.hooks.module(Hook.ON_LOAD_CHECKPOINT, () -> ctx.module.onLoadCheckpoint(ckpt));
        ctx.hooks.callbacks(Hook.ON_LOAD_CHECKPOINT, c -> c.onLoadCheckpoint(ctx.view, ctx.module, ckpt));
        StateDicts.load(ctx.module, map(ckpt.get("state_dict"), "state_dict", path), true, path.toString());
        Map<String, Object> callbacks = ckpt.get("callbacks") instanceof Map<?, ?> m ? map(m, "callbacks", path) : Map.of();
        for (Callback c : ctx.hooks.callbackList()) {
            Object state = callbacks.get(c.stateKey());
            if (state instanceof Map<?, ?> s) {
                ctx.hooks.module(Hook.CALLBACK_LOAD_STATE_DICT, () -> c.loadStateDict(map(s, c.stateKey(), path)));
            }
        }
    }

    /** After the optimizers exist: optimizer and scheduler states, counters and the random generator. */
    public void restoreTraining(Map<String, Object> ckpt, Path path) {
        Object loops = ckpt.get("loops");
        if (!(loops instanceof Map<?, ?>) || !(ckpt.get("optimizer_states") instanceof List<?> optimizers)) {
            throw new TorchlightException("checkpoint " + path + " holds weights only (no loops/optimizer_states): "
                    + "it cannot resume a fit; load it with loadFromCheckpoint instead");
        }
        if (optimizers.size() != ctx.optimization().optimizers().size()) {
            throw new TorchlightException("checkpoint " + path + " has " + optimizers.size() + " optimizer states but "
                    + ctx.moduleName() + " configures " + ctx.optimization().optimizers().size());
        }
        for (int i = 0; i < optimizers.size(); i++) {
            String key = "optimizer_states[" + i + "]";
            Map<String, Object> state = map(optimizers.get(i), key, path);
            TrainerOptimizer optimizer = ctx.optimization().optimizers().get(i);
            if (state.containsKey(OPTIMIZER_UNSAVED)) {
                ctx.warnings.once("checkpoint " + path + ": " + key + " holds no optimizer state (" + state.get(OPTIMIZER_UNSAVED)
                        + "); the optimizer starts afresh");
            } else if (state.get(OPTIMIZER_ARCHIVE) instanceof byte[] bytes) {
                OptimizerArchives.load(optimizer.optimizer(), bytes); // written by Torchlight before optimizer states took PyTorch's layout, or LBFGS
            } else if (OptimizerStateDicts.supports(optimizer.optimizer())) {
                OptimizerStateDicts.load(optimizer.optimizer(), state, "checkpoint " + path + ": " + key);
            } else {
                throw new TorchlightException("checkpoint " + path + ": " + key + " holds PyTorch's optimizer layout, which "
                        + "Torchlight reads for SGD, Adam, AdamW, RMSprop and Adagrad, not for "
                        + optimizer.optimizer().getClass().getSimpleName() + "; the weights can still be loaded with "
                        + "loadFromCheckpoint");
            }
        }
        ctx.precision.loadCheckpointState(ckpt);
        List<?> schedulers = ckpt.get("lr_schedulers") instanceof List<?> l ? l : List.of();
        for (int i = 0; i < Math.min(schedulers.size(), ctx.optimization().schedulers().size()); i++) {
            ctx.optimization().schedulers().get(i).scheduler().loadStateDict(map(schedulers.get(i), "lr_schedulers[" + i + "]", path));
        }
        ctx.progress.loadStateDict(LightningLoops.read(map(loops, "loops", path), "checkpoint " + path));
        if (ckpt.get("torchlight_rng") instanceof Tensor rng) {
            torch.getDefaultCPUGenerator().set_state(rng);
        }
    }

    /**
     * libtorch's own archive of an optimizer PyTorch's layout is not written for. libtorch 2.10 cannot archive LBFGS
     * once it has stepped (its history holds undefined tensors): then the checkpoint says so, the run goes on with a
     * warning, and a fit resumed from it starts LBFGS's history afresh.
     */
    private Map<String, Object> archived(TrainerOptimizer optimizer) {
        try {
            return Map.of(OPTIMIZER_ARCHIVE, OptimizerArchives.bytes(optimizer.optimizer()));
        } catch (RuntimeException e) {
            if (!(optimizer.optimizer() instanceof LBFGS)) {
                throw e;
            }
            ctx.warnings.once("libtorch cannot save the state of LBFGS optimizer " + optimizer.index() + " after it has "
                    + "stepped (a libtorch 2.10 limitation): checkpoints keep the weights, schedulers and loop counters, and "
                    + "a fit resumed from them starts LBFGS's history afresh");
            return Map.of(OPTIMIZER_UNSAVED, "libtorch could not archive LBFGS");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String key, Path path) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new TorchlightException("checkpoint " + path + ": '" + key + "' is not a dict");
        }
        return (Map<String, Object>) m;
    }
}

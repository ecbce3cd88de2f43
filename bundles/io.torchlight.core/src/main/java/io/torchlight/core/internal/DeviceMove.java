package io.torchlight.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.LBFGS;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;

import io.torchlight.api.TorchlightException;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.core.internal.checkpoint.OptimizerRelocation;
import io.torchlight.core.internal.loops.RunContext;
import io.torchlight.core.internal.optim.TrainerOptimizer;

/**
 * A request to continue a live fit on another device, carried out by the training thread at its next step boundary:
 * the module's parameters and buffers, every tensor of every optimizer's state (through libtorch's own optimizer
 * archive), the precision plug-in's autocast device and, for a CUDA target, its random generator go to the new
 * device. {@link #done} completes with what was done, or with the reason it was not.
 */
final class DeviceMove {

    /** Refused before anything moved: the run goes on where it was. */
    static final class Refused extends TorchlightException {
        private static final long serialVersionUID = 1L;

        Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Accelerator target;
    private final int index;
    final CompletableFuture<String> done = new CompletableFuture<>();

    DeviceMove(Accelerator target, int index) {
        this.target = target;
        this.index = index;
    }

    Accelerator target() {
        return target;
    }

    /** {@code name:index}, as {@code tl:move} takes it. */
    String describe() {
        return target.name() + ":" + index;
    }

    /**
     * Moves the run from {@code from}; returns a line for the run's log.
     *
     * @throws Refused when an optimizer's state cannot be taken along (nothing has moved then)
     */
    String apply(RunContext ctx, Accelerator from) {
        List<TrainerOptimizer> optimizers = ctx.optimization().optimizers();
        List<byte[]> states = new ArrayList<>(optimizers.size());
        for (TrainerOptimizer optimizer : optimizers) {
            states.add(archive(optimizer, from));
        }
        Device before = ctx.strategy.rootDevice();
        String was = before.str().getString();
        from.teardown();
        ctx.strategy.setup(target, List.of(index));
        Device after = ctx.strategy.rootDevice();
        ctx.strategy.moduleToDevice(ctx.module);
        for (int i = 0; i < optimizers.size(); i++) {
            OptimizerRelocation.load(optimizers.get(i).optimizer(), states.get(i), after);
        }
        ctx.precision.deviceType(target.deviceType());
        if (target.deviceType() == DeviceType.CUDA && before.type().value != DeviceType.CUDA.value) {
            // CUDA keeps its own generator: seeded from the CPU one, so a seeded run moves reproducibly
            torch.cuda_manual_seed(torch.randint(Long.MAX_VALUE, new long[] {1}).item_long());
        }
        return "moved from " + was + " (" + from.name() + ") to " + after.str().getString() + " (" + target.name()
                + ") at step " + ctx.progress.optimizerSteps() + ": parameters, buffers and " + optimizers.size()
                + " optimizer state(s)";
    }

    private byte[] archive(TrainerOptimizer optimizer, Accelerator from) {
        try {
            return OptimizerRelocation.archive(optimizer.optimizer());
        } catch (RuntimeException e) {
            String why = optimizer.optimizer() instanceof LBFGS ? "libtorch cannot archive LBFGS's state once it has stepped"
                    + " (a libtorch 2.10 limitation)" : "libtorch could not archive its state: " + e.getMessage();
            throw new Refused("cannot move to " + describe() + ": optimizer " + optimizer.index() + " ("
                    + optimizer.optimizer().getClass().getSimpleName() + ") cannot be taken along, " + why
                    + "; the run goes on on " + from.name(), e);
        }
    }
}

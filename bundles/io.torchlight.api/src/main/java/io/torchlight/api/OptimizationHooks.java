package io.torchlight.api;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.osgi.annotation.versioning.ConsumerType;

import io.torchlight.api.optim.LightningOptimizer;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.optim.LrScheduler;
import io.torchlight.utils.optim.OptimizerParameters;

/**
 * How a {@link LightningModule} steps its optimizers in automatic optimization: gradient clipping, the step, zeroing,
 * the backward pass and the truncated back-propagation split. The defaults do what Lightning's do; override one to
 * change it (warm-up in {@code optimizerStep}, say).
 */
@ConsumerType
public interface OptimizationHooks {

    /** Clips gradients before the update; by default with the trainer's gradientClipVal and algorithm. */
    default void configureGradientClipping(LightningOptimizer optimizer, int optimizerIdx, Double clipVal,
            GradientClipAlgorithm algorithm) {
        clipGradients(optimizer, clipVal, algorithm);
    }

    /** Clips the gradients of an optimizer's parameters by total norm or by value; nothing when clipVal is null or 0. */
    default void clipGradients(LightningOptimizer optimizer, Double clipVal, GradientClipAlgorithm algorithm) {
        if (clipVal == null || clipVal == 0) {
            return;
        }
        TensorVector params = OptimizerParameters.vector(optimizer.optimizer());
        if (algorithm == GradientClipAlgorithm.VALUE) {
            torch.clip_grad_value_(params, clipVal);
        } else {
            torch.clip_grad_norm_(params, clipVal);
        }
    }

    /** Steps an optimizer: by default {@code optimizer.step(closure)}. Override for warm-up or skipping. */
    default void optimizerStep(int epoch, int batchIdx, LightningOptimizer optimizer, int optimizerIdx, Runnable closure) {
        optimizer.step(closure);
    }

    /** Zeroes gradients: by default {@code optimizer.zeroGrad()}. */
    default void optimizerZeroGrad(int epoch, int batchIdx, LightningOptimizer optimizer, int optimizerIdx) {
        optimizer.zeroGrad();
    }

    /** Back-propagates the loss: by default {@code loss.backward()}. */
    default void backward(Tensor loss, LightningOptimizer optimizer, int optimizerIdx) {
        loss.backward();
    }

    /** Splits a batch for truncated back-propagation through time, along dimension 1 of every tensor. */
    default List<Batch> tbpttSplitBatch(Batch batch, int splitSize) {
        long length = batch.input().size(1);
        List<Batch> splits = new ArrayList<>();
        for (long start = 0; start < length; start += splitSize) {
            long from = start;
            long len = Math.min(splitSize, length - start);
            splits.add(batch.map(t -> t.narrow(1, from, len)));
        }
        return splits;
    }

    /**
     * Steps a learning-rate scheduler when its interval and frequency say so: {@code scheduler.step()}, or
     * {@code scheduler.step(metric)} for one that monitors a metric, as Lightning 1.6's {@code lr_scheduler_step}.
     * Override to drive a scheduler of your own.
     */
    default void lrSchedulerStep(LrScheduler scheduler, int optimizerIdx, Double metric) {
        if (metric == null) {
            scheduler.step();
        } else {
            scheduler.step(metric);
        }
    }
}

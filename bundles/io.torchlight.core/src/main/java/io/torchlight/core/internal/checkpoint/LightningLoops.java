package io.torchlight.core.internal.checkpoint;

import java.util.LinkedHashMap;
import java.util.Map;

import io.torchlight.api.TorchlightException;

/**
 * The fit's counters in Lightning 1.6's {@code checkpoint["loops"]} layout ({@code fit_loop} with its epoch
 * progress, the epoch loop's batch progress and {@code _batches_that_stepped}, the optimizer loop's step progress), and
 * back: a checkpoint Lightning wrote resumes a Torchlight fit at the same epoch, batch and step, and Lightning reads the
 * counters of one Torchlight wrote. Checkpoints of older Torchlight versions hold the counters flat; they read as they are.
 */
final class LightningLoops {

    private static final String FIT = "fit_loop";
    private static final String EPOCH_PROGRESS = "epoch_progress";
    private static final String BATCH_PROGRESS = "epoch_loop.batch_progress";
    private static final String EPOCH_LOOP_STATE = "epoch_loop.state_dict";
    private static final String OPTIM_PROGRESS = "epoch_loop.batch_loop.optimizer_loop.optim_progress";

    private LightningLoops() {
    }

    /** Lightning's layout of Torchlight's counters (the map of {@code Progress.stateDict()}). */
    static Map<String, Object> of(Map<String, Object> progress) {
        long epoch = number(progress, "epoch");
        long inEpoch = number(progress, "batches_processed_in_epoch");
        long total = number(progress, "total_batches");
        long steps = number(progress, "optimizer_steps");
        Map<String, Object> fit = new LinkedHashMap<>();
        fit.put("state_dict", new LinkedHashMap<>());
        // an epoch under way counts as started, not yet processed, as Lightning's epoch_progress does
        long started = epoch + (inEpoch > 0 ? 1 : 0);
        fit.put(EPOCH_PROGRESS, progress(tracker(started, started, epoch, epoch), tracker(started, started, epoch, epoch)));
        fit.put(EPOCH_LOOP_STATE, new LinkedHashMap<>(Map.of("_batches_that_stepped", number(progress, "batches_that_stepped"))));
        Map<String, Object> batches = progress(tracker(total, total, total, total), tracker(inEpoch, inEpoch, inEpoch, inEpoch));
        batches.put("is_last_batch", false);
        fit.put(BATCH_PROGRESS, batches);
        Map<String, Object> step = progress(readyCompleted(steps), readyCompleted(steps));
        Map<String, Object> optimizer = new LinkedHashMap<>();
        optimizer.put("step", step);
        optimizer.put("zero_grad", progress(tracker(steps, steps, -1, steps), tracker(steps, steps, -1, steps)));
        Map<String, Object> optimProgress = new LinkedHashMap<>();
        optimProgress.put("optimizer", optimizer);
        optimProgress.put("optimizer_position", 0);
        fit.put(OPTIM_PROGRESS, optimProgress);
        Map<String, Object> loops = new LinkedHashMap<>();
        loops.put(FIT, fit);
        return loops;
    }

    /**
     * Torchlight's counters from a checkpoint's {@code loops}: Lightning's layout, or the flat one of older Torchlight
     * checkpoints. {@code where} names the checkpoint for errors.
     */
    static Map<String, Object> read(Map<?, ?> loops, String where) {
        if (!(loops.get(FIT) instanceof Map<?, ?> fit)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> flat = (Map<String, Object>) loops;
            return flat;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("epoch", number(at(fit, where, EPOCH_PROGRESS, "current"), "completed"));
        Map<?, ?> batches = at(fit, where, BATCH_PROGRESS);
        long inEpoch = number(at(batches, where, "current"), "processed");
        out.put("batches_processed_in_epoch", inEpoch);
        out.put("batches_completed_in_epoch", inEpoch);
        out.put("total_batches", number(at(batches, where, "total"), "processed"));
        Map<?, ?> step = at(fit, where, OPTIM_PROGRESS, "optimizer", "step", "total");
        long steps = number(step, "completed");
        out.put("optimizer_steps", steps);
        Object stepped = fit.get(EPOCH_LOOP_STATE) instanceof Map<?, ?> state ? state.get("_batches_that_stepped") : null;
        // Lightning before 1.6.4 did not count it; with one optimizer it equals the optimizer steps
        out.put("batches_that_stepped", stepped instanceof Number n ? n.longValue() : steps);
        return out;
    }

    private static Map<String, Object> progress(Map<String, Object> total, Map<String, Object> current) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", total);
        out.put("current", current);
        return out;
    }

    /** Lightning's ready/started/processed/completed tracker; a negative processed leaves that field out. */
    private static Map<String, Object> tracker(long ready, long started, long processed, long completed) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ready", ready);
        out.put("started", started);
        if (processed >= 0) {
            out.put("processed", processed);
        }
        out.put("completed", completed);
        return out;
    }

    private static Map<String, Object> readyCompleted(long n) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ready", n);
        out.put("completed", n);
        return out;
    }

    private static Map<?, ?> at(Map<?, ?> map, String where, String... path) {
        Map<?, ?> here = map;
        StringBuilder key = new StringBuilder("loops.fit_loop");
        for (String p : path) {
            key.append('[').append(p).append(']');
            if (!(here.get(p) instanceof Map<?, ?> next)) {
                throw new TorchlightException(where + ": " + key + " is missing or not a dict; the checkpoint cannot resume a fit");
            }
            here = next;
        }
        return here;
    }

    private static long number(Map<?, ?> map, String key) {
        if (!(map.get(key) instanceof Number n)) {
            throw new TorchlightException("loop counter '" + key + "' is missing or not a number: " + map);
        }
        return n.longValue();
    }
}

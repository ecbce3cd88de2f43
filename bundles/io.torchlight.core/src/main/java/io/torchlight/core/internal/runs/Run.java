package io.torchlight.core.internal.runs;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.bytedeco.pytorch.Device;

import io.torchlight.api.TorchlightException;
import io.torchlight.api.TrainerView;
import io.torchlight.api.run.MetricRecord;
import io.torchlight.api.run.RunRequest;
import io.torchlight.api.run.RunSnapshot;
import io.torchlight.api.run.RunStatus;
import io.torchlight.core.internal.TrainerSession;

/**
 * One run's state. The training thread publishes progress and metrics at safe points
 * ({@link #publish}); other threads read only what was published, never the trainer's tensors.
 */
public final class Run {

    final String id;
    final RunRequest request;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile RunStatus status = RunStatus.QUEUED;
    private volatile String reason;
    private volatile Path dir;
    private volatile TrainerSession session;
    private volatile String stopReason;
    private volatile Instant started;
    private volatile Instant finished;
    private volatile Map<String, Double> metrics = Map.of();
    private volatile String device;
    private volatile int epoch;
    private volatile long step;
    private final MetricHistory history = new MetricHistory(MetricHistory.DEFAULT_CAPACITY);
    private final AtomicBoolean slotHeld = new AtomicBoolean();
    private volatile Runnable slotRelease = () -> {
    };
    private volatile Consumer<String> notes = line -> {
    };

    Run(String id, RunRequest request) {
        this.id = id;
        this.request = request;
    }

    /** The run's folder, known before its trainer exists; null again when a run that failed before its first step removed it. */
    void folder(Path runDir) {
        dir = runDir;
    }

    /** Whether the run got as far as its trainer. */
    boolean trainerStarted() {
        return started != null;
    }

    synchronized void started(Path runDir, TrainerSession running) {
        dir = runDir;
        session = running;
        running.onMetrics(history::add);
        started = Instant.now();
        status = RunStatus.RUNNING;
        if (stopReason != null) {
            running.trainer().view().requestStop();
        }
    }

    /** The run waits for an accelerator (with the reason), or goes on again (null). */
    synchronized void paused(String why) {
        if (status.finished()) {
            return;
        }
        status = why == null ? RunStatus.RUNNING : RunStatus.PAUSED;
        reason = why;
    }

    /** Copies epoch and step; called on the training thread only. */
    void progress(TrainerView t) {
        epoch = t.currentEpoch();
        step = t.globalStep();
        device(t);
    }

    /** Copies progress and metrics; called on the training thread only. */
    void publish(TrainerView t) {
        epoch = t.currentEpoch();
        step = t.globalStep();
        metrics = Map.copyOf(t.callbackMetrics());
        device(t);
    }

    /** Where lines about the run go while it runs (its run.log). */
    void notes(Consumer<String> sink) {
        notes = sink;
    }

    /** Writes a line about the run where its notes go. */
    void note(String line) {
        notes.accept(line);
    }

    /**
     * Asks the running fit to go on on {@code target} ({@code <accelerator>[:<device>]}) from its next training step;
     * what happens then goes into run.log, and the run's device follows. Refused at once, naming why, unless the run
     * is training.
     */
    synchronized CompletableFuture<String> move(String target) {
        TrainerSession running = session;
        if (running == null || status != RunStatus.RUNNING) {
            throw new TorchlightException("run " + id + " is " + status.name().toLowerCase(Locale.ROOT)
                    + ": only a running fit moves");
        }
        CompletableFuture<String> done = running.move(target);
        notes.accept("moving to " + target + " at the next training step (tl:move)");
        return done.whenComplete((line, error) -> {
            if (error == null) {
                device = null; // on the training thread, right after the move: looked at afresh
                device(running.trainer().view());
                notes.accept(line);
            } else {
                notes.accept("not moved to " + target + ": " + error.getMessage());
            }
        });
    }

    /** The accelerator and device the run trains on, as {@code cpu} or {@code cuda:0}; kept from the first look. */
    private void device(TrainerView t) {
        if (device == null && t.accelerator() != null && t.strategy() != null) {
            Device root = t.strategy().rootDevice();
            device = t.accelerator().name() + (root.has_index() ? ":" + root.index() : "");
        }
    }

    synchronized void finish(RunStatus end, String why) {
        if (status.finished()) {
            return;
        }
        status = end;
        reason = why;
        finished = Instant.now();
        session = null;
        ended.countDown();
    }

    /** The run holds one of the manager's run slots until it ends or is abandoned. */
    void holdSlot(Runnable release) {
        slotRelease = release;
        slotHeld.set(true);
    }

    /** Gives the run's slot back, once. */
    void releaseSlot() {
        if (slotHeld.compareAndSet(true, false)) {
            slotRelease.run();
        }
    }

    /**
     * The run did not stop in time (a step that never returns): it ends {@code failed} with the reason and its
     * slot goes to the next run; whatever its thread still does later cannot change that status.
     */
    void abandon(String why) {
        synchronized (this) {
            if (status.finished()) {
                return;
            }
            finish(RunStatus.FAILED, why);
        }
        releaseSlot();
    }

    /** Asks the run to stop; a queued run ends at once, a running one at its next batch boundary. */
    synchronized void stop(String why) {
        if (status.finished()) {
            return;
        }
        stopReason = why;
        TrainerSession running = session;
        if (running != null) {
            running.trainer().view().requestStop();
        } else if (status == RunStatus.QUEUED) {
            finish(RunStatus.STOPPED, why);
        }
    }

    /** The metric records logged so far with {@code seq >= fromSeq}. */
    List<MetricRecord> metrics(long fromSeq) {
        return history.from(fromSeq);
    }

    /** The plug-in services attached to the run while it trains. */
    List<String> plugins() {
        TrainerSession running = session;
        return running == null ? List.of() : running.attachedPlugins();
    }

    String stopReason() {
        return stopReason;
    }

    RunStatus status() {
        return status;
    }

    Path dir() {
        return dir;
    }

    boolean await(long millis) throws InterruptedException {
        return ended.await(millis, TimeUnit.MILLISECONDS);
    }

    RunSnapshot snapshot() {
        return new RunSnapshot(id, request.module(), request.stage(), status, reason, dir, epoch, step, metrics, started,
                finished, request.source(), device);
    }
}

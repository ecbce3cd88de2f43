package io.torchlight.api.run;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs modules in the container. Runs execute on their own threads (a bounded pool); this service
 * answers at once. Every run gets a fresh module instance and its own output folder
 * {@code runs/<module>/version_<n>}.
 */
@ProviderType
public interface RunManager {

    /** Service property of modules: start a run when the module appears ({@link Boolean} or "true"). */
    String AUTORUN = "torchlight.autorun";

    /** Prefix of module service properties that are trainer arguments of its autorun, e.g. {@code trainer.max_epochs=2}. */
    String TRAINER_PREFIX = "trainer.";

    /** Prefix of module service properties that are hyperparameters, e.g. {@code hparams.lr=0.01}. */
    String HPARAMS_PREFIX = "hparams.";

    /**
     * Queues a run. Fails at once, naming what is wrong, for an unknown module (listing the known ones)
     * or a bad trainer argument (naming the key and the expected type).
     */
    RunSnapshot submit(RunRequest request);

    /** Every run since the container started, oldest first. */
    List<RunSnapshot> runs();

    /** One run by id. */
    Optional<RunSnapshot> run(String id);

    /** Asks a run to stop at its next step boundary; the reason is recorded. */
    RunSnapshot stop(String id, String reason);

    /**
     * Asks a running fit to go on on {@code target}, {@code <accelerator>[:<device>]} such as {@code cpu} or
     * {@code cuda:1}, from its next training step: parameters, buffers and every optimizer state tensor move there.
     * Refused at once with the reason (an unknown run or accelerator, a run not training, a device or precision the
     * target lacks); the outcome goes into the run's run.log, and its device into the run's snapshot.
     */
    RunSnapshot move(String id, String target);

    /** Waits until the run ends or the timeout passes, and returns its state then. */
    RunSnapshot await(String id, Duration timeout) throws InterruptedException;

    /** The module services present. */
    List<ModuleInfo> modules();

    /**
     * The logger and callback services attached to a running run now, as {@code logger csv} or
     * {@code callback progress_bar}; empty for a run that is not running or unknown.
     */
    default List<String> attachedPlugins(String id) {
        return List.of();
    }

    /** The plug-in services present, by kind (accelerators, strategies, loggers, callbacks), each with its bundle. */
    default List<PluginInfo> plugins() {
        return List.of();
    }

    /** The request a run was submitted with (module, stage, trainer arguments, hyperparameters); empty for an unknown run. */
    default Optional<RunRequest> request(String id) {
        return Optional.empty();
    }

    /**
     * The metric records a run logged with {@link MetricRecord#seq()} at least {@code fromSeq}, oldest first: the run's
     * metric stream, kept in memory while the container runs. A long run keeps a bounded number, thinned evenly over the
     * run (every other old record goes when the bound is reached), so the whole curve stays; empty for an unknown run.
     */
    default List<MetricRecord> metrics(String id, long fromSeq) {
        return List.of();
    }
}

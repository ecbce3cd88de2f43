package io.torchlight.api.logger;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where metrics and hyperparameters go, like Lightning's {@code Logger}. The trainer calls it from the
 * training thread only. In the container a logger is a service with {@link #PROPERTY_NAME}; a run selects
 * loggers by that name and gets its own instance.
 */
@ConsumerType
public interface Logger {

    /** Service property: the name runs select this logger by ({@link String}). */
    String PROPERTY_NAME = "torchlight.logger.name";

    /** The logger's name, e.g. {@code csv}. */
    String name();

    /** The version of the run being logged, e.g. {@code version_3}. */
    String version();

    /** The folder this logger writes into, when it writes files. */
    default Optional<Path> logDir() {
        return Optional.empty();
    }

    /** Called once before anything is logged, with the run's output folder; file loggers write there. */
    default void setup(Path runDir) {
    }

    /** Records the run's hyperparameters; called before any metric. */
    void logHyperparams(Map<String, Object> params);

    /** Records metric values of one step. */
    void logMetrics(Map<String, Double> metrics, long step);

    /**
     * The logger's own writer, as Lightning's {@code logger.experiment}, for what goes beyond metrics and
     * hyperparameters: the TensorBoard logger's is a {@code TensorBoardExperiment} (images, histograms, text,
     * {@code add_scalars}); by default the logger itself ({@link #logMetrics} is all the CSV logger has).
     */
    default Object experiment() {
        return this;
    }

    /** Makes everything logged so far durable. */
    default void save() {
    }

    /**
     * Flushes and closes; {@code status} is {@code success}, {@code failed} or {@code interrupted} when the stage
     * ends, {@code detached} when the logger leaves a run that goes on (its service went away).
     */
    default void finalize(String status) {
    }
}

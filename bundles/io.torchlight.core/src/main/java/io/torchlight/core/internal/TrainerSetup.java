package io.torchlight.core.internal;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerPlugins;

/**
 * Everything a trainer is made from: the flags, plug-in instances given in plain Java, and what only the container
 * sets: which logger and callback services a run selects by name ({@code *} = all, empty = none) and the run's
 * folder (null: the next free {@code defaultRootDir/lightning_logs/version_<n>}), and the launch variables of a
 * distributed run whose other processes the container started ({@code Strategy.environment}).
 */
public record TrainerSetup(TrainerConfig config, TrainerPlugins instances, String loggerSelection, String callbackSelection,
        Path runDir, Map<String, String> strategyEnvironment) {

    public TrainerSetup {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(instances, "instances");
        loggerSelection = Objects.requireNonNull(loggerSelection, "loggerSelection").trim();
        callbackSelection = Objects.requireNonNull(callbackSelection, "callbackSelection").trim();
        runDir = runDir == null ? null : runDir.toAbsolutePath();
        strategyEnvironment = Map.copyOf(strategyEnvironment);
    }

    /** A run of this process alone, or one an outside launcher started. */
    public TrainerSetup(TrainerConfig config, TrainerPlugins instances, String loggerSelection, String callbackSelection, Path runDir) {
        this(config, instances, loggerSelection, callbackSelection, runDir, Map.of());
    }

    /** Plain Java, or a {@code TrainerFactory} caller: these instances, every service, a new version folder. */
    public static TrainerSetup of(TrainerConfig config, TrainerPlugins instances) {
        return new TrainerSetup(config, instances, "*", "*", null);
    }
}

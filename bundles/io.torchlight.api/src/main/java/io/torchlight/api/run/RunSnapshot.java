package io.torchlight.api.run;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

import io.torchlight.api.Stage;

/**
 * A run as it is at one moment: identity, status and reason, output folder, progress, the latest metrics, and the
 * accelerator and device it trains on ({@code cpu}, {@code cuda:0}; null until the trainer has set up).
 */
@ProviderType
public record RunSnapshot(String id, String module, Stage stage, RunStatus status, String reason, Path dir, int epoch,
        long globalStep, Map<String, Double> metrics, Instant started, Instant ended, String source, String device) {

    public RunSnapshot {
        metrics = Map.copyOf(metrics);
    }

    /** A run whose device is not known (yet). */
    public RunSnapshot(String id, String module, Stage stage, RunStatus status, String reason, Path dir, int epoch,
            long globalStep, Map<String, Double> metrics, Instant started, Instant ended, String source) {
        this(id, module, stage, status, reason, dir, epoch, globalStep, metrics, started, ended, source, null);
    }

    /** One line: {@code 3 boring fit running epoch 1 step 40 on cpu (runs/boring/version_2)}. */
    public String line() {
        return id + " " + module + " " + stage.lightningName() + " " + status.label() + " epoch " + epoch + " step "
                + globalStep + (device == null ? "" : " on " + device) + (reason == null ? "" : ": " + reason)
                + (dir == null ? "" : " (" + dir + ")");
    }
}

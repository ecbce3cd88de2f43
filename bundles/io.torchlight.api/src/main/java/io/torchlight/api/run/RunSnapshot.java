package io.torchlight.api.run;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

import io.torchlight.api.Stage;

/**
 * A run as it is at one moment: identity, status and reason, output folder, progress and the latest
 * metrics.
 */
@ProviderType
public record RunSnapshot(String id, String module, Stage stage, RunStatus status, String reason, Path dir, int epoch,
        long globalStep, Map<String, Double> metrics, Instant started, Instant ended, String source) {

    public RunSnapshot {
        metrics = Map.copyOf(metrics);
    }

    /** One line: {@code 3 boring fit running epoch 1 step 40 (runs/boring/version_2)}. */
    public String line() {
        return id + " " + module + " " + stage.lightningName() + " " + status.label() + " epoch " + epoch + " step "
                + globalStep + (reason == null ? "" : ": " + reason) + (dir == null ? "" : " (" + dir + ")");
    }
}

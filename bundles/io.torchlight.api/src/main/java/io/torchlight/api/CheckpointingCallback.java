package io.torchlight.api;

import java.nio.file.Path;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A callback that saves checkpoints (such as ModelCheckpoint). The trainer runs these after all other
 * callbacks at every hook, so a checkpoint captures what the other callbacks did at that hook.
 */
@ConsumerType
public interface CheckpointingCallback extends Callback {

    /** The best checkpoint saved so far, if any ({@code ckptPath="best"}). */
    default Optional<Path> bestModelPath() {
        return Optional.empty();
    }

    /** The most recent checkpoint saved, if any ({@code ckptPath="last"}). */
    default Optional<Path> lastModelPath() {
        return Optional.empty();
    }
}

package io.torchlight.api.callback;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A callback that saves checkpoints (such as ModelCheckpoint). The trainer runs these after all other
 * callbacks at every hook, so a checkpoint captures what the other callbacks did at that hook.
 */
@ConsumerType
public interface CheckpointingCallback extends Callback {
}

package io.torchlight.api;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/** What a {@link LightningModule} adds to and reads from its checkpoints, as Lightning's {@code CheckpointHooks}. */
@ConsumerType
public interface CheckpointHooks {

    /** Called when a checkpoint is saved; may add entries. */
    default void onSaveCheckpoint(Map<String, Object> checkpoint) {
    }

    /** Called when a checkpoint is loaded, before the weights are restored. */
    default void onLoadCheckpoint(Map<String, Object> checkpoint) {
    }
}

package io.torchlight.api;

import org.bytedeco.pytorch.Tensor;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a {@link LightningModule} holds while a trainer runs it: the channel its {@code log} and
 * {@code manualBackward} go through, and the trainer's view. The trainer attaches one before each stage's
 * first hook (it stays attached afterwards, as Lightning's {@code model.trainer}); user code does not implement
 * or call this.
 */
@ProviderType
public interface TrainerLink {

    TrainerView view();

    /** Records a metric for the current hook; fails naming the hook when logging is not allowed there. */
    void log(String name, Object value, LogOptions options);

    /** Back-propagates in manual optimization with the backward hooks around it. */
    void manualBackward(Tensor loss);
}

package io.torchlight.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A callback that shows training progress (Lightning's progress bar). The trainer leaves such callbacks out
 * of a run whose configuration says {@code enableProgressBar=false}.
 */
@ConsumerType
public interface ProgressBarCallback extends Callback {
}

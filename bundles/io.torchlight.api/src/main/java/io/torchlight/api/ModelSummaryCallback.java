package io.torchlight.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A callback that describes the model when fitting starts (Lightning's ModelSummary). The trainer leaves such
 * callbacks out of a run whose configuration says {@code enableModelSummary=false}.
 */
@ConsumerType
public interface ModelSummaryCallback extends Callback {
}

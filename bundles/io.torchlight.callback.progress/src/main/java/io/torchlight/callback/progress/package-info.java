/** The progress bar, ModelSummary and LearningRateMonitor callbacks as plain classes, for use without the container. */
@Export
@Version("1.0.0")
package io.torchlight.callback.progress;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

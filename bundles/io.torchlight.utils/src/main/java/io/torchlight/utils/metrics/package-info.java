/**
 * Metric objects that keep their own state across batches, as torchmetrics' are used in Lightning code: a module
 * calls {@code forward} in a step and logs the object itself; the trainer logs the batch value per step and
 * {@link io.torchlight.utils.metrics.Metric#compute()} per epoch, then resets it.
 */
@Export
@Version("1.0.0")
package io.torchlight.utils.metrics;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * The {@link io.torchlight.api.profiler.Profiler} SPI: what Lightning's {@code profiler} flag selects. The trainer
 * times its hooks and loops and hands each action's duration to the profiler's recording of the stage.
 */
@Export
@Version("1.0.0")
package io.torchlight.api.profiler;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/** The TensorBoard logger, as a plain class (its record framing and the event-file reader stay private). */
@Export
@Version("1.1.0")
package io.torchlight.logger.tensorboard;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

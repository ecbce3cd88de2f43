/** The TensorBoard logger and its event-file writer, as plain classes. */
@Export
@Version("1.0.0")
package io.torchlight.logger.tensorboard;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

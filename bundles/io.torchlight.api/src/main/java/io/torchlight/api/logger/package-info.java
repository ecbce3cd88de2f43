/** The {@link io.torchlight.api.logger.Logger} SPI: where metrics and hyperparameters are written. */
@Export
@Version("1.1.0")
package io.torchlight.api.logger;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

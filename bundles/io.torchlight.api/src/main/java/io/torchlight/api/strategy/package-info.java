/** The {@link io.torchlight.api.strategy.Strategy} SPI: how a module is placed on devices and how processes cooperate. */
@Export
@Version("1.1.0")
package io.torchlight.api.strategy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

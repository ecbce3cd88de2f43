/** The {@link io.torchlight.api.accelerator.Accelerator} SPI: a kind of device (CPU, CUDA) and its setup. */
@Export
@Version("1.0.0")
package io.torchlight.api.accelerator;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

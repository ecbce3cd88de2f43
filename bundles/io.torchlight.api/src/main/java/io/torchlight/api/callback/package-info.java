/** The {@link io.torchlight.api.callback.Callback} SPI: code that runs at the trainer's hooks, alongside the module. */
@Export
@Version("1.1.0")
package io.torchlight.api.callback;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

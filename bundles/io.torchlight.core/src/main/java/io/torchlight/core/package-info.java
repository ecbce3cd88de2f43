/** Running a {@link io.torchlight.api.LightningModule} without the container: {@link io.torchlight.core.Torchlight}. */
@Export
@Version("1.1.0")
package io.torchlight.core;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

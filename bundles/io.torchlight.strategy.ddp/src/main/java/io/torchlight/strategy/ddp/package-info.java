/** The distributed data parallel strategy as plain classes, for use without the container and by its component. */
@Export
@Version("0.1.0")
package io.torchlight.strategy.ddp;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

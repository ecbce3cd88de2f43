/** What {@code configureOptimizers} returns: optimizers, learning-rate schedulers and their configuration. */
@Export
@Version("1.1.0")
package io.torchlight.api.optim;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * Learning-rate schedulers over libtorch optimizers, as {@code torch.optim.lr_scheduler} has them: each one
 * sets the learning rate of every parameter group from its step count (or, for ReduceLROnPlateau, a metric).
 */
@Export
@Version("1.1.0")
package io.torchlight.utils.optim;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

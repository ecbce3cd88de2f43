/**
 * Checkpoint files in PyTorch's {@code torch.save} format: {@link io.torchlight.utils.checkpoint.CheckpointFile}
 * writes and reads them (reading runs no code and trusts no size), {@link io.torchlight.utils.checkpoint.StateDicts}
 * moves a module's weights in and out.
 */
@Export
@Version("1.0.0")
package io.torchlight.utils.checkpoint;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

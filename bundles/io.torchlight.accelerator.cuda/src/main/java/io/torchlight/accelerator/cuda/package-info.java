/** The CUDA accelerator as a plain class, for use without the container. */
@Export
@Version("1.0.0")
package io.torchlight.accelerator.cuda;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/** Datasets, batches and the {@link io.torchlight.utils.data.DataLoader} that feeds the loops. */
@Export
@Version("1.2.0")
package io.torchlight.utils.data;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/** Datasets, batches and the {@link io.torchlight.api.data.DataLoader} that feeds the loops. */
@Export
@Version("1.0.0")
package io.torchlight.api.data;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

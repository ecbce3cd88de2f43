/** The model side of Torchlight: {@link io.torchlight.api.LightningModule}, {@link io.torchlight.api.LightningDataModule}, the {@link io.torchlight.api.Trainer} view handed to hooks, and its configuration. */
@Export
@Version("1.2.0")
package io.torchlight.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

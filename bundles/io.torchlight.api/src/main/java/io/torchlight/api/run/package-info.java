/**
 * Runs in the container: a {@link io.torchlight.api.run.RunManager} trains, validates, tests or predicts a
 * module service with a trainer configuration, on its own thread, with a status anyone can read.
 */
@Export
@Version("1.3.0")
package io.torchlight.api.run;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

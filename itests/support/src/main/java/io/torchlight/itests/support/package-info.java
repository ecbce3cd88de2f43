/** Helpers for Torchlight's integration tests: the await helpers run inside the framework. */
@Export
@Version("1.0.0")
package io.torchlight.itests.support;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * Small ready-made models and datasets for tests, benchmarks and bug reports, like Lightning's
 * {@code demos.boring_classes}.
 */
@Export
@Version("1.0.0")
package io.torchlight.demos;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

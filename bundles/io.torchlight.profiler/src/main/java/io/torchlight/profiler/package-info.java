/** The profilers as plain classes, for use without the container: {@code TrainerPlugins.withProfiler(new SimpleProfiler())}. */
@Export
@Version("1.0.0")
package io.torchlight.profiler;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

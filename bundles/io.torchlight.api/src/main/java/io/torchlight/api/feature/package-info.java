/**
 * Features at runtime: the distribution's OSGi feature files ({@code features/*.json}), listed, installed and
 * uninstalled in a running container through a {@link io.torchlight.api.feature.FeatureManager}.
 */
@Export
@Version("1.0.0")
package io.torchlight.api.feature;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

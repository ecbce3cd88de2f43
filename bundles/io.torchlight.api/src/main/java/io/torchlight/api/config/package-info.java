/** Reading a plug-in's configuration strictly: {@link io.torchlight.api.config.PluginSettings}. */
@Export
@Version("1.0.0")
package io.torchlight.api.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

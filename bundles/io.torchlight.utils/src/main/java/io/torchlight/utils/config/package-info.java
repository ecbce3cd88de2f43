/** Reading a plug-in's configuration strictly: {@link io.torchlight.utils.config.PluginSettings}. */
@Export
@Version("1.0.0")
package io.torchlight.utils.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

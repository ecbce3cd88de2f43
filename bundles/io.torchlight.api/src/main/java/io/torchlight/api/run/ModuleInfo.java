package io.torchlight.api.run;

import org.osgi.annotation.versioning.ProviderType;

/** A module service the container can run: its name, bundle, and whether it starts a run by itself. */
@ProviderType
public record ModuleInfo(String name, String bundle, String version, String className, boolean autorun, int activeRuns) {
}

package io.torchlight.api.run;

/** A module service the container can run: its name, bundle, and whether it starts a run by itself. */
public record ModuleInfo(String name, String bundle, String version, String className, boolean autorun, int activeRuns) {
}

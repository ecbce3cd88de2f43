package io.torchlight.shell.internal;

import java.util.List;

import io.torchlight.api.run.PluginInfo;
import io.torchlight.api.run.RunManager;

/** Lists the plug-in services present, by kind, with their bundles. */
final class Plugins {

    private Plugins() {
    }

    /**
     * One line per plug-in service; accelerators end with whether they can be used, loggers and callbacks with the
     * running runs they are attached to ({@code attached to runs 2, 5}).
     */
    static List<String> describe(RunManager runs) {
        return runs.plugins().stream().map(Plugins::row).toList();
    }

    private static String row(PluginInfo p) {
        String state = p.availability() != null ? p.availability()
                : p.attachedTo().isEmpty() ? ""
                : "attached to run" + (p.attachedTo().size() > 1 ? "s " : " ") + String.join(", ", p.attachedTo());
        return String.format("%-12s %-16s %s %s%s", p.kind(), p.name(), p.bundle(), p.version(),
                state.isEmpty() ? "" : "  " + state);
    }
}

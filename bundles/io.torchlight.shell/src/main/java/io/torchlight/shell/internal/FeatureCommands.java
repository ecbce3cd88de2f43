package io.torchlight.shell.internal;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.torchlight.api.TorchlightException;
import io.torchlight.api.feature.FeatureInfo;
import io.torchlight.api.feature.FeatureManager;

/** {@code tl:feature list | install <name> | uninstall <name>}: the distribution's features at runtime. */
@Component(service = FeatureCommands.class, property = {"osgi.command.scope=tl", "osgi.command.function=feature"})
public class FeatureCommands {

    private static final String USAGE = "usage: tl:feature list | install <name> | uninstall <name>";

    private final FeatureManager features;

    @Activate
    public FeatureCommands(@Reference FeatureManager features) {
        this.features = features;
    }

    /** tl:feature [list] | install name | uninstall name. */
    public String feature(String... args) {
        try {
            if (args.length == 0 || args.length == 1 && args[0].equals("list")) {
                return list(features.features());
            }
            if (args.length == 2 && args[0].equals("install")) {
                return "feature " + features.install(args[1]).name() + " installed";
            }
            if (args.length == 2 && args[0].equals("uninstall")) {
                return "feature " + features.uninstall(args[1]).name() + " uninstalled";
            }
            return "tl: " + USAGE;
        } catch (TorchlightException | IllegalArgumentException e) {
            return "tl: " + e.getMessage();
        }
    }

    static String list(List<FeatureInfo> all) {
        if (all.isEmpty()) {
            return "no feature files (the distribution's features/ folder is missing)";
        }
        StringBuilder out = new StringBuilder(String.format("%-14s %-17s %s%n", "NAME", "STATE", "DESCRIPTION"));
        for (FeatureInfo f : all) {
            String state = (f.installed() ? "installed" : "available") + (f.fixedBecause() == null ? "" : ", fixed");
            out.append(String.format("%-14s %-17s %s%n", f.name(), state, f.title()));
        }
        return out.toString().stripTrailing();
    }
}

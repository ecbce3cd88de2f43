package io.torchlight.itests.support.options;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.ops4j.pax.exam.Option;

import io.torchlight.itests.support.Fixtures;

/**
 * Pax Exam options for a Felix running Torchlight's platform exactly as the distribution assembles it:
 * the bundles of the built distribution's {@code lib/bundles.list}, by reference. Used on the test class
 * path (in {@code @Configuration} methods), never inside the framework.
 */
public final class TorchlightOptions {

    /** System property naming the built distribution folder (set by the itests pom). */
    public static final String DIST = "torchlight.dist";
    private TorchlightOptions() {
    }

    /**
     * The platform, with a work folder for this test class ({@code work(name)}, emptied first) holding
     * FileInstall's watched {@code deploy/} and {@code etc/} folders and the runs.
     */
    public static Option platform(String name) {
        Path work = cleanWorkFolder(name);
        List<Option> options = new ArrayList<>();
        options.add(systemTimeout(120_000));
        options.add(junitBundles());
        options.add(bundle(fixtureJar(Path.of("../support/target/torchlight-itests-support.jar")).toUri().toString()));
        options.add(systemProperty(Fixtures.WORK).value(work.toString()));
        // the OSGi log keeps every framework and component error for Logs.errors()
        options.add(frameworkProperty("org.apache.felix.log.maxSize").value("10000"));
        options.add(frameworkProperty("felix.fileinstall.dir").value(work.resolve("deploy") + "," + work.resolve("etc")));
        options.add(frameworkProperty("felix.fileinstall.tmpdir").value(work.resolve("fileinstall").toString()));
        options.add(frameworkProperty("felix.fileinstall.poll").value("200"));
        options.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
        options.add(frameworkProperty("felix.fileinstall.enableConfigSave").value("false"));
        options.add(frameworkProperty("gosh.args").value("--nointeractive"));
        options.add(frameworkProperty("torchlight.runs.dir").value(work.resolve("runs").toString()));
        Path dist = Path.of(System.getProperty(DIST, "../../distribution/target/torchlight"));
        for (String entry : bundleList(dist)) {
            Path jar = dist.resolve(entry).toAbsolutePath();
            Option bundle = isFragment(entry) ? bundle("reference:" + jar.toUri()).noStart() : bundle("reference:" + jar.toUri());
            options.add(bundle);
        }
        return composite(options.toArray(Option[]::new));
    }

    /** A bundle built by this reactor, by its path relative to the itests module folder. */
    public static Path fixture(String artifactId) {
        return Fixtures.jar(artifactId);
    }

    private static Path fixtureJar(Path relative) {
        Path jar = relative.toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("bundle " + jar + " is not built: run the reactor build (mvn verify)");
        }
        return jar;
    }

    private static boolean isFragment(String entry) {
        return entry.contains("io.torchlight.torch.linux-");
    }

    private static List<String> bundleList(Path dist) {
        Path list = dist.resolve("lib/bundles.list");
        try {
            return Files.readAllLines(list).stream().map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("the distribution is not built: " + list, e);
        }
    }

    /** The folder where the test class named {@code name} keeps its files: {@code target/itest/<name>}. */
    public static Path work(String name) {
        return Path.of("target", "itest", name).toAbsolutePath();
    }

    private static Path cleanWorkFolder(String name) {
        Path work = work(name);
        try {
            if (Files.exists(work)) {
                try (var files = Files.walk(work)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(work.resolve("deploy"));
            Files.createDirectories(work.resolve("etc"));
            return work;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.torchlight.itests.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Test bundles built by this reactor under {@code itests/fixtures/}, usable inside and outside the framework. */
public final class Fixtures {

    /** System property naming the fixtures folder (set by the suite's pom). */
    public static final String FOLDER = "torchlight.itest.fixtures";

    private Fixtures() {
    }

    /** System property naming the current test class's work folder (set by the platform options). */
    public static final String WORK = "torchlight.itest.work";

    /** The current test class's work folder, holding the watched {@code deploy/} and {@code etc/} folders. */
    public static Path work() {
        String work = System.getProperty(WORK);
        if (work == null) {
            throw new IllegalStateException(WORK + " is not set: configure the test with TorchlightOptions.platform(name)");
        }
        return Path.of(work);
    }

    /** An example bundle of the built distribution's deploy/ folder, e.g. {@code io.torchlight.examples.boring}. */
    public static Path example(String artifactId) {
        Path jar = Path.of(System.getProperty("torchlight.dist", "../../distribution/target/torchlight"), "deploy",
                artifactId + ".jar").toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("example bundle " + jar + " is not built: run the reactor build (mvn verify)");
        }
        return jar;
    }

    /** The built jar of the fixture bundle with this artifactId. */
    public static Path jar(String artifactId) {
        Path folder = Path.of(System.getProperty(FOLDER, "../fixtures"));
        Path jar = folder.resolve(artifactId).resolve("target").resolve(artifactId + ".jar").toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("fixture bundle " + jar + " is not built: run the reactor build (mvn verify)");
        }
        return jar;
    }
}

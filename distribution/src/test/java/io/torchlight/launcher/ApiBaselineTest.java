package io.torchlight.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import aQute.bnd.differ.Baseline;
import aQute.bnd.differ.DiffPluginImpl;
import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Jar;
import aQute.bnd.osgi.Processor;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Semantic versioning of the API, checked by bnd's baseline on every build: the API bundle this reactor built
 * against the API as released ({@code bundles/io.torchlight.api/baseline.properties} names the commit and version).
 * The released API is rebuilt from that commit's sources here, so a fresh clone needs no artifact repository. A
 * package whose change needs a higher version than it declares fails the build with bnd's suggestion. A second test
 * removes a method from the released {@code Trainer} and shows the same check refusing it at the same version.
 */
public class ApiBaselineTest {

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path API = REPO.resolve("bundles/io.torchlight.api");
    private static final String SOURCES = "bundles/io.torchlight.api/src/main/java";

    private static String releasedVersion;
    private static Path releasedSources;
    private static Jar released;

    @BeforeClass
    public static void rebuildTheReleasedApi() throws Exception {
        Properties baseline = new Properties();
        try (InputStream in = Files.newInputStream(API.resolve("baseline.properties"))) {
            baseline.load(in);
        }
        releasedVersion = baseline.getProperty("version");
        releasedSources = TMP.newFolder("released-src").toPath();
        extract(baseline.getProperty("commit"), releasedSources);
        released = bundle(releasedSources, "released");
    }

    /** The API sources of a commit, from git (the history must be there: a shallow clone is an error). */
    private static void extract(String commit, Path into) throws IOException, InterruptedException {
        Path tar = into.resolve("api.tar");
        run(REPO, "git", "archive", "--format=tar", "-o", tar.toString(), commit, SOURCES);
        run(into, "tar", "-xf", tar.toString());
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (the API baseline needs git and the full history "
                    + "of the repository, not a shallow clone): " + out);
        }
    }

    /** Compiles API sources against this test's class path (without the current API) and makes the bundle bnd would. */
    private static Jar bundle(Path root, String name) throws Exception {
        Path src = root.resolve(SOURCES);
        Path classes = TMP.newFolder(name + "-classes").toPath();
        List<String> files;
        try (Stream<Path> walk = Files.walk(src)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
        }
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("io.torchlight.api")).collect(Collectors.joining(File.pathSeparator));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", classpath, "--release", "17",
                "-nowarn", "-Xlint:none"));
        args.addAll(files);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, System.err, args.toArray(String[]::new));
        assertEquals("the " + name + " API sources compile", 0, rc);
        Builder builder = new Builder();
        builder.setProperty("Bundle-SymbolicName", "io.torchlight.api");
        builder.setProperty("Bundle-Version", releasedVersion);
        builder.setProperty("Private-Package", "io.torchlight.api.*");
        builder.addClasspath(classes.toFile());
        Jar jar = builder.build();
        assertTrue(name + " API bundle: " + builder.getErrors(), builder.getErrors().isEmpty());
        return jar;
    }

    private static List<String> mismatches(Jar newer, Jar older) throws Exception {
        try (Processor reporter = new Processor()) {
            Set<Baseline.Info> infos = new Baseline(reporter, new DiffPluginImpl()).baseline(newer, older, null);
            return infos.stream().filter(info -> info.mismatch).map(info -> info.packageName + " " + info.newerVersion
                    + " needs " + info.suggestedVersion + (info.reason == null ? "" : " (" + info.reason + ")")).sorted().toList();
        }
    }

    private static Jar built() throws IOException {
        try (Stream<Path> files = Files.list(API.resolve("target"))) {
            Path jar = files.filter(p -> p.getFileName().toString().matches("io\\.torchlight\\.api-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("the API bundle is not built: run the reactor build"));
            return new Jar(jar.toFile());
        }
    }

    @Test
    public void everyApiPackageVersionFitsItsChangesSinceTheRelease() throws Exception {
        assertEquals("API packages whose version does not fit their change since " + releasedVersion
                + " (bump them as bnd suggests)", List.of(), mismatches(built(), released));
    }

    @Test
    public void removingAMethodOfTheTrainerWithoutAMajorVersionIsRefused() throws Exception {
        Path broken = TMP.newFolder("broken-src").toPath();
        try (Stream<Path> walk = Files.walk(releasedSources.resolve(SOURCES))) {
            for (Path from : walk.filter(Files::isRegularFile).toList()) {
                Path to = broken.resolve(SOURCES).resolve(releasedSources.resolve(SOURCES).relativize(from));
                Files.createDirectories(to.getParent());
                Files.copy(from, to);
            }
        }
        Path trainer = broken.resolve(SOURCES).resolve("io/torchlight/api/Trainer.java");
        String source = Files.readString(trainer);
        String withoutView = source.replace("    TrainerView view();", "");
        assertTrue("the released Trainer declares view()", !withoutView.equals(source));
        Files.writeString(trainer, withoutView);

        List<String> refused = mismatches(bundle(broken, "broken"), released);

        assertEquals(1, refused.size());
        assertTrue(refused.toString(), refused.get(0).startsWith("io.torchlight.api 1.0.0 needs 2.0.0"));
    }
}

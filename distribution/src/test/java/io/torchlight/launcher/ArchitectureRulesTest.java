package io.torchlight.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.Test;

/**
 * The dependency rules of the design, checked on the bundles this reactor built (their manifests, as the framework
 * resolves them) and on the API's sources: {@code torch <- utils <- api <- everything else}; plug-ins and examples
 * never import {@code core}; every interface and abstract class of the API says who implements it.
 */
public class ArchitectureRulesTest {

    private static final Path BUNDLES = Path.of("../bundles");

    /** The packages a built bundle imports. */
    private static List<String> imports(String bundle) throws IOException {
        Path target = BUNDLES.resolve(bundle).resolve("target");
        Path jar;
        try (Stream<Path> files = Files.list(target)) {
            jar = files.filter(p -> p.getFileName().toString().startsWith(bundle) && p.toString().endsWith(".jar")
                    && !p.toString().endsWith("-tests.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError(bundle + " is not built: run the reactor build"));
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            String header = file.getManifest().getMainAttributes().getValue("Import-Package");
            List<String> packages = new ArrayList<>();
            if (header != null) {
                // package names are what is left of each clause once quoted attribute values are removed
                for (String clause : header.replaceAll("\"[^\"]*\"", "").split(",")) {
                    packages.add(clause.split(";")[0].trim());
                }
            }
            return packages;
        }
    }

    private static List<String> bundles() throws IOException {
        try (Stream<Path> dirs = Files.list(BUNDLES)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml"))).map(d -> d.getFileName().toString())
                    .filter(n -> n.startsWith("io.torchlight.") && !n.startsWith("io.torchlight.torch")).sorted().toList();
        }
    }

    @Test
    public void theUtilitiesNeverImportTheApiAndTheApiNeverImportsTheCore() throws IOException {
        assertEquals(List.of(), imports("io.torchlight.utils").stream().filter(p -> p.startsWith("io.torchlight.api")
                || p.startsWith("io.torchlight.core")).toList());
        assertEquals(List.of(), imports("io.torchlight.api").stream().filter(p -> p.startsWith("io.torchlight.core")).toList());
    }

    @Test
    public void pluginAndExampleBundlesNeverImportTheCore() throws IOException {
        List<String> offending = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        for (String bundle : bundles()) {
            if (bundle.equals("io.torchlight.core") || bundle.equals("io.torchlight.shell")) {
                continue; // the shell drives the core's run manager; it is part of the container, not a plug-in
            }
            checked.add(bundle);
            imports(bundle).stream().filter(p -> p.startsWith("io.torchlight.core")).forEach(p -> offending.add(bundle + " -> " + p));
        }
        assertTrue("checked " + checked, checked.size() >= 10);
        assertEquals(List.of(), offending);
    }

    private static final Pattern TYPE = Pattern.compile("^public (abstract class|interface|@interface|final class|class|enum|record)\\s+(\\w+)",
            Pattern.MULTILINE);

    @Test
    public void everyApiInterfaceAndBaseClassSaysWhoImplementsIt() throws IOException {
        List<String> missing = new ArrayList<>();
        try (Stream<Path> sources = Files.walk(BUNDLES.resolve("io.torchlight.api/src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java") && !p.endsWith("package-info.java")).toList()) {
                String text = Files.readString(source);
                Matcher type = TYPE.matcher(text);
                if (type.find() && (type.group(1).equals("interface") || type.group(1).equals("abstract class"))) {
                    String head = text.substring(0, type.start());
                    if (!head.contains("@ProviderType") && !head.contains("@ConsumerType")) {
                        missing.add(type.group(2));
                    }
                }
            }
        }
        assertEquals("API types without @ProviderType or @ConsumerType", List.of(), missing);
    }

    /** Keeps the reader honest: the manifest parser sees a known import of a known bundle. */
    @Test
    public void theCoreImportsTheApi() throws IOException {
        assertTrue(imports("io.torchlight.core").contains("io.torchlight.api"));
        try (InputStream pom = Files.newInputStream(BUNDLES.resolve("io.torchlight.api/pom.xml"))) {
            assertTrue(new String(pom.readAllBytes()).contains("io.torchlight.utils"));
        }
    }
}

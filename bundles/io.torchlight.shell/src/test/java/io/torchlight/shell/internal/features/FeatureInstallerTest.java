package io.torchlight.shell.internal.features;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.apache.felix.framework.Felix;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;

import io.torchlight.api.TorchlightException;

/** Installs and uninstalls features of real bundle files in a real Felix framework. */
public class FeatureInstallerTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Felix felix;
    private Path bundles;
    private FeatureInstaller installer;

    @Before
    public void startFelix() throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, tmp.newFolder("cache").getPath());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        felix = new Felix(config);
        felix.start();
        bundles = tmp.newFolder("bundles").toPath();
        installer = new FeatureInstaller(felix.getBundleContext(), bundles);
        bundle("lib-1.0.jar", "example.lib", "example.lib", null);
        bundle("plugin-1.0.jar", "example.plugin", null, "example.lib");
        bundle("broken-1.0.jar", "example.broken", null, "example.nowhere");
        bundle("user-1.0.jar", "example.user", null, "example.lib");
    }

    @After
    public void stopFelix() throws Exception {
        felix.stop();
        felix.waitForStop(10_000);
    }

    @Test
    public void anInstalledFeatureHasItsBundlesStartedAndUninstallRemovesThem() throws Exception {
        FeatureFile feature = feature("torchlight-plugin", "lib-1.0.jar", "plugin-1.0.jar");
        assertFalse(installer.installed(feature));

        installer.install(feature);

        assertTrue(installer.installed(feature));
        assertEquals(Bundle.ACTIVE, bundle("example.plugin").getState());
        assertEquals("plugin", installer.info(feature).name());
        assertNull(installer.info(feature).fixedBecause());
        TorchlightException twice = assertThrows(TorchlightException.class, () -> installer.install(feature));
        assertTrue(twice.getMessage(), twice.getMessage().contains("already installed"));

        installer.uninstall(feature, List.of(feature));

        assertFalse(installer.installed(feature));
        assertNull(bundle("example.plugin"));
        assertNull(bundle("example.lib"));
    }

    @Test
    public void aBundleThatDoesNotResolveLeavesTheContainerAsItWas() throws Exception {
        List<Long> before = ids();
        FeatureFile feature = feature("torchlight-broken", "lib-1.0.jar", "broken-1.0.jar");

        TorchlightException e = assertThrows(TorchlightException.class, () -> installer.install(feature));

        assertTrue(e.getMessage(), e.getMessage().startsWith("feature broken was not installed: example.broken 1.0.0: "));
        assertTrue(e.getMessage(), e.getMessage().contains("example.nowhere"));
        assertEquals(before, ids());
        assertFalse(installer.installed(feature));
    }

    @Test
    public void aMissingBundleFileIsNamedAndNothingStays() throws Exception {
        List<Long> before = ids();
        FeatureFile feature = feature("torchlight-gone", "lib-1.0.jar", "gone-1.0.jar");

        TorchlightException e = assertThrows(TorchlightException.class, () -> installer.install(feature));

        assertTrue(e.getMessage(), e.getMessage().contains("gone-1.0.jar") && e.getMessage().contains("the distribution has no"));
        assertEquals(before, ids());
    }

    @Test
    public void aFeatureInUseIsNotUninstalledAndSharedBundlesStay() throws Exception {
        FeatureFile lib = feature("torchlight-lib", "lib-1.0.jar");
        FeatureFile plugin = feature("torchlight-plugin", "lib-1.0.jar", "plugin-1.0.jar");
        installer.install(lib);
        felix.getBundleContext().installBundle(installer.location(new FeatureFile.BundleFile("user-1.0.jar", false))).start();

        TorchlightException e = assertThrows(TorchlightException.class, () -> installer.uninstall(lib, List.of(lib)));
        assertEquals("feature lib is in use by example.user (uses example.lib): uninstall what uses it first", e.getMessage());
        assertEquals(Bundle.ACTIVE, bundle("example.lib").getState());

        installer.install(plugin); // lib is there already: only the plugin is added
        installer.uninstall(plugin, List.of(lib, plugin));
        assertNull(bundle("example.plugin"));
        assertEquals("lib is named by the installed feature lib", Bundle.ACTIVE, bundle("example.lib").getState());
    }

    @Test
    public void thePlatformFeaturesAndDropInsCannotChangeAtRuntime() throws Exception {
        for (String fixed : List.of("torchlight-torch-cpu", "torchlight-core", "torchlight-platform")) {
            FeatureFile feature = feature(fixed, "lib-1.0.jar");
            TorchlightException e = assertThrows(TorchlightException.class, () -> installer.install(feature));
            assertTrue(e.getMessage(), e.getMessage().contains("cannot be installed at runtime"));
        }
        FeatureFile examples = new FeatureFile("examples", "io.torchlight:torchlight-examples:osgifeature:1", "Examples", "",
                List.of(new FeatureFile.BundleFile("plugin-1.0.jar", true)));
        assertEquals("its bundles are drop-ins: add or remove them in deploy/", installer.info(examples).fixedBecause());
    }

    @Test
    public void featureFilesAreReadWithTheirBundleFileNames() throws Exception {
        Path file = Files.writeString(tmp.getRoot().toPath().resolve("torchlight-web.json"), """
                { "feature-resource-version": "1.0", "id": "io.torchlight:torchlight-web:osgifeature:0.1.0",
                  "name": "Torchlight dashboard", "description": "the \\"web\\" page",
                  "bundles": [ { "id": "org.slf4j:slf4j-api:1.7.36" }, { "id": "org.example:natives:jar:linux-x86_64:2.0" },
                               { "id": "io.torchlight:io.torchlight.examples.boring:0.1.0", "deploy": true, "start-order": 2 } ] }
                """);
        FeatureFile feature = FeatureFile.read(file);
        assertEquals("web", feature.shortName());
        assertEquals("the \"web\" page", feature.description());
        assertEquals(List.of(new FeatureFile.BundleFile("slf4j-api-1.7.36.jar", false),
                new FeatureFile.BundleFile("natives-2.0-linux-x86_64.jar", false),
                new FeatureFile.BundleFile("io.torchlight.examples.boring-0.1.0.jar", true)), feature.bundles());
        Path broken = Files.writeString(tmp.getRoot().toPath().resolve("broken.json"), "{ \"id\": \"x\", \"bundles\": [ ");
        IOException e = assertThrows(IOException.class, () -> FeatureFile.read(broken));
        assertTrue(e.getMessage(), e.getMessage().contains("broken.json is not a valid feature file"));
    }

    private FeatureFile feature(String artifact, String... files) {
        return new FeatureFile(FeatureFile.shortName("io.torchlight:" + artifact + ":osgifeature:1"),
                "io.torchlight:" + artifact + ":osgifeature:1", artifact, "",
                Arrays.stream(files).map(f -> new FeatureFile.BundleFile(f, false)).toList());
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(felix.getBundleContext().getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst().orElse(null);
    }

    private List<Long> ids() {
        return Arrays.stream(felix.getBundleContext().getBundles()).map(Bundle::getBundleId).toList();
    }

    private void bundle(String file, String symbolicName, String exports, String imports) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        main.putValue(Constants.BUNDLE_SYMBOLICNAME, symbolicName);
        main.putValue(Constants.BUNDLE_VERSION, "1.0.0");
        if (exports != null) {
            main.putValue(Constants.EXPORT_PACKAGE, exports);
        }
        if (imports != null) {
            main.putValue(Constants.IMPORT_PACKAGE, imports);
        }
        try (OutputStream out = Files.newOutputStream(bundles.resolve(file)); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
    }
}

package io.torchlight.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class LayoutTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void foldersDefaultToHomeAndFollowTheirVariables() throws Exception {
        Path home = tmp.newFolder("home").toPath();
        Path runs = tmp.newFolder("elsewhere").toPath();

        Layout layout = Layout.fromEnvironment(Map.of("TORCHLIGHT_HOME", home.toString(), "TORCHLIGHT_RUNS", runs.toString()));

        assertEquals(home.resolve("deploy"), layout.deploy());
        assertEquals(home.resolve("etc"), layout.etc());
        assertEquals(runs, layout.runs());
        assertEquals(home.resolve("lib/bundles.list"), layout.bundleList());
    }

    @Test
    public void aFolderThatIsNotADistributionIsRefused() throws Exception {
        Path home = tmp.newFolder("empty").toPath();
        Layout layout = Layout.fromEnvironment(Map.of("TORCHLIGHT_HOME", home.toString()));

        LaunchException e = assertThrows(LaunchException.class, layout::prepare);

        assertTrue(e.getMessage(), e.getMessage().contains("lib/bundles.list is missing"));
    }

    @Test
    public void anUnusableFolderNamesItsVariable() throws Exception {
        Path home = tmp.newFolder("home").toPath();
        Files.createDirectories(home.resolve("lib"));
        Files.writeString(home.resolve("lib/bundles.list"), "");
        Path blocker = Files.writeString(home.resolve("a-file"), "not a folder");
        Layout layout = Layout.fromEnvironment(Map.of("TORCHLIGHT_HOME", home.toString(),
                "TORCHLIGHT_ETC", blocker.resolve("etc").toString()));

        LaunchException e = assertThrows(LaunchException.class, layout::prepare);

        assertTrue(e.getMessage(), e.getMessage().contains("TORCHLIGHT_ETC") && e.getMessage().contains(blocker.toString()));
    }
}

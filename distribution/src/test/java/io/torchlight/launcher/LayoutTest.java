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

    /** A rank other than 0 under torchrun on the same machine must not share rank 0's framework cache or run folders. */
    @Test
    public void aWorkerRankKeepsItsDataAndRunsApart() throws Exception {
        Path home = tmp.newFolder("dist").toPath();

        Layout worker = Layout.fromEnvironment(Map.of("TORCHLIGHT_HOME", home.toString(), "WORLD_SIZE", "2", "RANK", "1"));
        Layout zero = Layout.fromEnvironment(Map.of("TORCHLIGHT_HOME", home.toString(), "WORLD_SIZE", "2", "RANK", "0"));

        assertEquals(home.resolve("data/ddp/rank-1"), worker.data());
        assertEquals(home.resolve("data/ddp/rank-1/runs"), worker.runs());
        assertEquals(home.resolve("data"), zero.data());
        assertEquals(home.resolve("runs"), zero.runs());
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

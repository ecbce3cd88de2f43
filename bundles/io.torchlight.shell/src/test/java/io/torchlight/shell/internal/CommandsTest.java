package io.torchlight.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.LightningModule;
import io.torchlight.core.internal.DefaultTrainer;
import io.torchlight.core.internal.TrainerSetup;
import io.torchlight.core.internal.hooks.Hooks;
import io.torchlight.core.internal.plugins.Plugins;
import io.torchlight.core.internal.runs.ModuleSource;
import io.torchlight.core.internal.runs.RunManagerImpl;
import io.torchlight.demos.BoringModel;
import io.torchlight.strategy.single.SingleDeviceStrategy;

/** The tl: commands and the command-line runner over a real run manager and trainer. */
public class CommandsTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private RunManagerImpl runs;

    @Before
    public void runManager() throws Exception {
        Path dir = tmp.newFolder("runs").toPath();
        runs = new RunManagerImpl(setup -> DefaultTrainer.open(new TrainerSetup(setup.config(),
                setup.instances().withAccelerator(new CpuAccelerator()).withStrategy(new SingleDeviceStrategy()),
                setup.loggerSelection(), setup.callbackSelection(), setup.runDir()), Plugins.instances(), Hooks.HookListener.NONE),
                dir, 1);
        runs.addModule(new ModuleSource<>() {
            @Override
            public String name() {
                return "boring";
            }

            @Override
            public LightningModule create() {
                return new BoringModel();
            }

            @Override
            public void release(LightningModule instance) {
            }

            @Override
            public Map<String, Object> properties() {
                return Map.of();
            }

            @Override
            public String bundle() {
                return "io.torchlight.examples.boring";
            }

            @Override
            public String version() {
                return "1.2.3";
            }

            @Override
            public String className() {
                return "BoringModel";
            }
        });
    }

    @After
    public void close() {
        runs.close();
    }

    @Test
    public void shellCommandsAnswerInOneLineEach() throws Exception {
        TorchlightCommands tl = new TorchlightCommands(runs);

        String modules = tl.modules();
        String queued = tl.fit("boring", "max_steps=3", "limit_val_batches=0");
        runs.await("1", Duration.ofMinutes(1));

        assertTrue(modules, modules.contains("boring") && modules.contains("io.torchlight.examples.boring") && modules.contains("1.2.3"));
        assertEquals("run 1 queued: fit boring (tl:status 1)", queued);
        assertTrue(tl.runs(), tl.runs().startsWith("run 1 boring fit: completed, epoch 1, step 3 on cpu"));
        assertTrue(tl.status("1"), tl.status("1").contains("folder "));
        assertEquals("tl: unknown module 'nope'; available: boring", tl.fit("nope"));
        assertEquals("tl: expected key=value, got 'max_epochs' (e.g. max_epochs=3)", tl.fit("boring", "max_epochs"));
        assertEquals("tl: no run 9 (tl:runs lists them)", tl.status("9"));
        assertEquals("tl: run 1 is completed: only a running fit moves", tl.move("1", "cpu"));
        assertTrue(tl.move("9", "cpu"), tl.move("9", "cpu").startsWith("tl: ") && tl.move("9", "cpu").contains("9"));
    }

    @Test
    public void theCommandLineRunnerFollowsARunAndReturnsItsExitCode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CommandLineRunner cli = new CommandLineRunner(runs, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        int ok = cli.apply(List.of("fit", "boring", "max_epochs=1", "limit_train_batches=5", "limit_val_batches=2"));
        int unknown = cli.apply(List.of("fit", "ghost"));
        int bad = cli.apply(List.of("fit", "boring", "max_epochs=abc"));
        int missing = cli.apply(List.of("test"));
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertEquals(0, ok);
        assertTrue(out, out.contains("run 1 boring fit: completed, epoch 1, step 5 on cpu"));
        assertEquals(1, unknown);
        assertTrue(out, out.contains("torchlight: unknown module 'ghost'; available: boring"));
        assertEquals(2, bad);
        assertEquals(2, missing);
        assertTrue(out, out.contains("test needs a module") && out.contains("(modules: boring)"));
    }
}

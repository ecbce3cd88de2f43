package io.torchlight.core.internal.runs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Stage;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.data.Batch;
import io.torchlight.api.demos.BoringModel;
import io.torchlight.api.run.RunRequest;
import io.torchlight.api.run.RunSnapshot;
import io.torchlight.api.run.RunStatus;
import io.torchlight.core.Torchlight;
import io.torchlight.strategy.single.SingleDeviceStrategy;

public class RunManagerImplTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private RunManagerImpl manager;

    private RunManagerImpl manager() throws Exception {
        Path runs = tmp.newFolder("runs").toPath();
        manager = new RunManagerImpl(config -> Torchlight.trainer(config.toBuilder().accelerator(new CpuAccelerator())
                .strategy(new SingleDeviceStrategy()).build()), runs, 1);
        return manager;
    }

    @After
    public void close() {
        if (manager != null) {
            manager.close();
        }
    }

    static ModuleSource<LightningModule> source(String name, Map<String, Object> properties, Supplier<LightningModule> make) {
        return new ModuleSource<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public LightningModule create() {
                return make.get();
            }

            @Override
            public void release(LightningModule instance) {
            }

            @Override
            public Map<String, Object> properties() {
                return properties;
            }

            @Override
            public String bundle() {
                return "example." + name;
            }

            @Override
            public String version() {
                return "1.0.0";
            }

            @Override
            public String className() {
                return "Example";
            }
        };
    }

    private static RunRequest fit(String module, String... args) {
        return RunRequest.parse(module, Stage.FIT, java.util.List.of(args), "test");
    }

    @Test
    public void aRunCompletesInItsOwnVersionFolder() throws Exception {
        RunManagerImpl m = manager();
        m.addModule(source("boring", Map.of("hparams.lr", "0.1"), BoringModel::new));

        RunSnapshot first = m.await(m.submit(fit("boring", "max_epochs=1", "limit_train_batches=4", "limit_val_batches=2")).id(),
                Duration.ofMinutes(2));
        RunSnapshot second = m.await(m.submit(fit("boring", "max_steps=2", "limit_val_batches=0")).id(), Duration.ofMinutes(2));

        assertEquals(first.line(), RunStatus.COMPLETED, first.status());
        assertEquals(4, first.globalStep());
        assertTrue(first.dir().endsWith("boring/version_0"));
        assertTrue(Files.readString(first.dir().resolve("run.log")).contains("completed"));
        assertEquals(RunStatus.COMPLETED, second.status());
        assertTrue(second.dir().endsWith("boring/version_1"));
        assertEquals(2, m.runs().size());
    }

    @Test
    public void unknownModulesAndBadArgumentsAreRefusedAtOnce() throws Exception {
        RunManagerImpl m = manager();
        m.addModule(source("boring", Map.of(), BoringModel::new));

        TorchlightException unknown = assertThrows(TorchlightException.class, () -> m.submit(fit("nosuch")));
        TorchlightException bad = assertThrows(TorchlightException.class, () -> m.submit(fit("boring", "max_epochs=abc")));

        assertEquals("unknown module 'nosuch'; available: boring", unknown.getMessage());
        assertEquals("max_epochs: expected an integer (-1 = unbounded), got 'abc'", bad.getMessage());
        assertTrue(m.runs().isEmpty());
    }

    /** BoringModel that signals its first batch and waits for permission to go on. */
    static final class Gate extends BoringModel {
        final CountDownLatch first = new CountDownLatch(1);
        final CountDownLatch go = new CountDownLatch(1);

        @Override
        public int onTrainBatchStart(Batch batch, int batchIdx) {
            first.countDown();
            try {
                go.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }
    }

    @Test
    public void stopEndsARunAtTheNextBatchBoundaryWithTheReason() throws Exception {
        RunManagerImpl m = manager();
        Gate gate = new Gate();
        m.addModule(source("gated", Map.of(), () -> gate));
        String id = m.submit(fit("gated", "max_epochs=5", "limit_val_batches=0")).id();

        assertTrue(gate.first.await(1, TimeUnit.MINUTES));
        m.stop(id, "stopped by tl:stop");
        gate.go.countDown();
        RunSnapshot done = m.await(id, Duration.ofMinutes(1));

        assertEquals(RunStatus.STOPPED, done.status());
        assertEquals("stopped by tl:stop", done.reason());
        assertEquals(1, done.globalStep());
    }

    @Test
    public void aStoppedFitLeavesACheckpointThatCkptPathLastResumes() throws Exception {
        RunManagerImpl m = manager();
        Gate gate = new Gate();
        m.addModule(source("gated", Map.of(), () -> gate));
        String id = m.submit(fit("gated", "max_epochs=2", "limit_val_batches=0", "seed=3")).id();
        assertTrue(gate.first.await(1, TimeUnit.MINUTES));
        m.stop(id, "stopped by tl:stop");
        gate.go.countDown();
        RunSnapshot stopped = m.await(id, Duration.ofMinutes(1));
        assertTrue(Files.isRegularFile(stopped.dir().resolve("checkpoints/last.ckpt")));
        m.removeModule(m.module("gated"));
        m.addModule(source("gated", Map.of(), BoringModel::new));

        RunSnapshot resumed = m.await(m.submit(fit("gated", "max_epochs=2", "limit_val_batches=0", "seed=3", "ckpt_path=last"))
                .id(), Duration.ofMinutes(1));

        assertEquals(resumed.line(), RunStatus.COMPLETED, resumed.status());
        assertEquals("the resumed fit continues from step 1 to the end of epoch 2", 128, resumed.globalStep());
        TorchlightException missing = assertThrows(TorchlightException.class,
                () -> RunExecution.checkpoint("last", tmp.newFolder("empty").toPath()));
        assertTrue(missing.getMessage(), missing.getMessage().contains("no checkpoint under"));
    }

    @Test
    public void aWithdrawnModuleStopsItsRunNamingTheBundle() throws Exception {
        RunManagerImpl m = manager();
        Gate gate = new Gate();
        ModuleSource<LightningModule> source = source("gated", Map.of(), () -> gate);
        m.addModule(source);
        String id = m.submit(fit("gated", "max_epochs=5", "limit_val_batches=0")).id();

        assertTrue(gate.first.await(1, TimeUnit.MINUTES));
        m.removeModule(source);
        gate.go.countDown();
        RunSnapshot done = m.await(id, Duration.ofMinutes(1));

        assertEquals(RunStatus.STOPPED, done.status());
        assertEquals("module bundle example.gated 1.0.0 withdrawn", done.reason());
        assertTrue(m.modules().isEmpty());
    }

    @Test
    public void aFailingModuleFailsOnlyItsRun() throws Exception {
        RunManagerImpl m = manager();
        m.addModule(source("broken", Map.of(), () -> new BoringModel() {
            @Override
            public Object trainingStep(Batch batch, int batchIdx) {
                throw new IllegalStateException("boom at batch " + batchIdx);
            }
        }));
        m.addModule(source("unbuildable", Map.of(), () -> {
            throw new IllegalStateException("constructor needs a GPU");
        }));
        m.addModule(source("boring", Map.of(), BoringModel::new));

        RunSnapshot broken = m.await(m.submit(fit("broken")).id(), Duration.ofMinutes(1));
        RunSnapshot unbuildable = m.await(m.submit(fit("unbuildable")).id(), Duration.ofMinutes(1));
        RunSnapshot fine = m.await(m.submit(fit("boring", "max_steps=1", "limit_val_batches=0")).id(), Duration.ofMinutes(1));

        assertEquals(RunStatus.FAILED, broken.status());
        assertTrue(broken.reason(), broken.reason().contains("failed in trainingStep") && broken.reason().contains("boom at batch 0"));
        assertTrue(Files.readString(broken.dir().resolve("run.log")).contains("IllegalStateException"));
        assertEquals(RunStatus.FAILED, unbuildable.status());
        assertTrue(unbuildable.reason(), unbuildable.reason().contains("could not be created") && unbuildable.reason().contains("needs a GPU"));
        assertEquals(RunStatus.COMPLETED, fine.status());
    }

    @Test
    public void autorunModulesStartARunWithTheirTrainerProperties() throws Exception {
        RunManagerImpl m = manager();
        m.addModule(source("auto", Map.of("torchlight.autorun", "true", "trainer.max_steps", "3", "trainer.limit_val_batches", "0"),
                BoringModel::new));

        RunSnapshot run = m.await(m.runs().get(0).id(), Duration.ofMinutes(1));

        assertEquals(RunStatus.COMPLETED, run.status());
        assertEquals("autorun", run.source());
        assertEquals(3, run.globalStep());
    }
}

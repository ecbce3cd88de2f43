package io.torchlight.core.internal.runs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.bytedeco.pytorch.Tensor;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.LightningModule;
import io.torchlight.api.LogOptions;
import io.torchlight.api.Stage;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.api.run.MetricRecord;
import io.torchlight.api.run.RunRequest;
import io.torchlight.api.run.RunSnapshot;
import io.torchlight.api.run.RunStatus;
import io.torchlight.core.internal.DefaultTrainer;
import io.torchlight.core.internal.TrainerSession;
import io.torchlight.core.internal.TrainerSetup;
import io.torchlight.core.internal.hooks.Hooks;
import io.torchlight.core.internal.plugins.Plugins;
import io.torchlight.demos.BoringModel;
import io.torchlight.strategy.single.SingleDeviceStrategy;
import io.torchlight.utils.data.Batch;

public class RunManagerImplTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private RunManagerImpl manager;

    private RunManagerImpl manager() throws Exception {
        Path runs = tmp.newFolder("runs").toPath();
        manager = new RunManagerImpl(RunManagerImplTest::cpuSession, runs, 1);
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
        return RunRequest.parse(module, Stage.FIT, List.of(args), "test");
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
        String log = Files.readString(first.dir().resolve("run.log"));
        assertTrue(log, log.contains("completed"));
        assertTrue("the time to the first batch, for start-up measurements: " + log,
                log.matches("(?s).* first training batch done \\d+ ms after the run started \\(\\d+ ms after the process started\\)\n.*"));
        assertEquals(RunStatus.COMPLETED, second.status());
        assertTrue(second.dir().endsWith("boring/version_1"));
        assertEquals(2, m.runs().size());
    }

    /**
     * Text hyperparameters arrive typed, as Lightning's CLI types them: hparams.yaml and TensorBoard's HPARAMS
     * table then hold numbers, not the strings "0.05" and "32".
     */
    @Test
    public void theMetricStreamHoldsWhatTheLoggersAreSentAtTheirSteps() throws Exception {
        RunManagerImpl m = manager();
        m.addModule(source("boring", Map.of(), LoggingBoring::new));
        String id = m.submit(fit("boring", "max_epochs=2", "limit_train_batches=4", "limit_val_batches=2",
                "log_every_n_steps=2", "num_sanity_val_steps=0")).id();
        RunSnapshot done = m.await(id, Duration.ofMinutes(2));
        assertEquals(done.line(), RunStatus.COMPLETED, done.status());

        List<MetricRecord> records = m.metrics(id, 0);
        // per epoch: train_loss_step at steps 1 and 3 (log_every_n_steps=2), then valid_loss and train_loss_epoch at 3
        List<Long> steps = records.stream().map(MetricRecord::step).toList();
        assertEquals(List.of(1L, 3L, 3L, 3L, 5L, 7L, 7L, 7L), steps);
        for (int i = 0; i < records.size(); i++) {
            assertEquals(i, records.get(i).seq());
            assertTrue(records.get(i).values().containsKey("epoch"));
        }
        assertEquals(1.0, records.get(records.size() - 1).values().get("epoch"), 0.0);
        assertEquals(records.subList(5, 8), m.metrics(id, 5));
        assertEquals(List.of(), m.metrics(id, 8));
        assertEquals(List.of(), m.metrics("no-such-run", 0));
        assertEquals(Set.of("train_loss_step", "epoch"), records.get(0).values().keySet());
        assertEquals(Set.of("valid_loss", "epoch"), records.get(2).values().keySet());
        assertEquals(Set.of("train_loss_epoch", "epoch"), records.get(3).values().keySet());
        assertEquals(List.of("max_epochs=2"), m.request(id).orElseThrow().trainerArgs().entrySet().stream()
                .filter(e -> e.getKey().equals("max_epochs")).map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    /** The boring model logging its losses as Lightning's test models do. */
    static final class LoggingBoring extends BoringModel {
        @Override
        public Object trainingStep(Batch batch, int batchIdx) {
            Tensor loss = loss(forward(batch.input()));
            log("train_loss", loss, LogOptions.defaults().onStep(true).onEpoch(true));
            return loss;
        }

        @Override
        public Object validationStep(Batch batch, int batchIdx) {
            log("valid_loss", loss(forward(batch.input())));
            return null;
        }
    }

    @Test
    public void hyperparametersGivenAsTextArriveTyped() throws Exception {
        RunManagerImpl m = manager();
        List<LightningModule> made = new CopyOnWriteArrayList<>();
        m.addModule(source("boring", Map.of("hparams.width", "32"), () -> {
            BoringModel model = new BoringModel();
            made.add(model);
            return model;
        }));

        RunSnapshot done = m.await(m.submit(fit("boring", "max_steps=1", "limit_val_batches=0", "hparams.lr=0.05",
                "hparams.amsgrad=True", "hparams.name=mlp", "hparams.tag=007", "hparams.eps=1e-8")).id(), Duration.ofMinutes(2));

        assertEquals(done.line(), RunStatus.COMPLETED, done.status());
        assertEquals(Map.of("width", 32L, "lr", 0.05, "amsgrad", true, "name", "mlp", "tag", "007", "eps", 1e-8),
                made.get(0).hparams());
    }

    @Test
    public void unknownModulesAndBadArgumentsAreRefusedAtOnce() throws Exception {
        RunManagerImpl m = manager();
        m.addModule(source("boring", Map.of(), BoringModel::new));

        TorchlightException unknown = assertThrows(TorchlightException.class, () -> m.submit(fit("nosuch")));
        TorchlightException bad = assertThrows(TorchlightException.class, () -> m.submit(fit("boring", "max_epochs=abc")));

        assertEquals("unknown module 'nosuch'; available: boring", unknown.getMessage());
        assertEquals("max_epochs: expected an integer >= -1 (-1 = unbounded), got 'abc'", bad.getMessage());
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

        List<String> errors = new CopyOnWriteArrayList<>();
        m.onError((message, error) -> errors.add(message + " | " + error));
        RunSnapshot broken = m.await(m.submit(fit("broken")).id(), Duration.ofMinutes(1));
        RunSnapshot unbuildable = m.await(m.submit(fit("unbuildable")).id(), Duration.ofMinutes(1));
        RunSnapshot fine = m.await(m.submit(fit("boring", "max_steps=1", "limit_val_batches=0")).id(), Duration.ofMinutes(1));

        assertEquals(RunStatus.FAILED, broken.status());
        assertTrue(broken.reason(), broken.reason().contains("failed in trainingStep") && broken.reason().contains("boom at batch 0"));
        assertTrue(Files.readString(broken.dir().resolve("run.log")).contains("IllegalStateException"));
        assertEquals(RunStatus.FAILED, unbuildable.status());
        assertTrue(unbuildable.reason(), unbuildable.reason().contains("could not be created") && unbuildable.reason().contains("needs a GPU"));
        // failed before its trainer existed: no folder holding only a trace; the trace went to the container's log
        assertNull(unbuildable.dir());
        assertFalse(Files.exists(tmp.getRoot().toPath().resolve("runs").resolve("unbuildable").resolve("version_0")));
        assertEquals(1, errors.size());
        assertTrue(errors.get(0), errors.get(0).startsWith("run 2 (unbuildable) failed before its first step: module unbuildable "
                + "could not be created") && errors.get(0).endsWith("java.lang.IllegalStateException: constructor needs a GPU"));
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
    /** A module whose training step throws {@code error}; the run must still end. */
    private static ModuleSource<LightningModule> throwing(String name, Supplier<Error> error) {
        return source(name, Map.of(), () -> new BoringModel() {
            @Override
            public Object trainingStep(Batch batch, int batchIdx) {
                throw error.get();
            }
        });
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    @Test
    public void errorsBeyondExceptionsStillEndTheRunFailedAndTheNextRunStarts() throws Exception {
        RunManagerImpl m = manager();
        m.addModule(throwing("oom", () -> new OutOfMemoryError("Java heap space")));
        m.addModule(source("deep", Map.of(), () -> new BoringModel() {
            @Override
            public Object trainingStep(Batch batch, int batchIdx) {
                return recurse(0);
            }
        }));
        m.addModule(source("boring", Map.of(), BoringModel::new));

        RunSnapshot oom = m.await(m.submit(fit("oom", "max_steps=2")).id(), Duration.ofMinutes(1));
        RunSnapshot deep = m.await(m.submit(fit("deep", "max_steps=2")).id(), Duration.ofMinutes(1));
        RunSnapshot after = m.await(m.submit(fit("boring", "max_steps=1", "limit_val_batches=0")).id(), Duration.ofMinutes(1));

        assertEquals(oom.line(), RunStatus.FAILED, oom.status());
        assertTrue(oom.reason(), oom.reason().contains("OutOfMemoryError: Java heap space"));
        assertTrue(Files.readString(oom.dir().resolve("run.log")).contains("java.lang.OutOfMemoryError"));
        assertEquals(deep.line(), RunStatus.FAILED, deep.status());
        assertTrue(deep.reason(), deep.reason().contains("StackOverflowError"));
        assertEquals("the run thread survived both", RunStatus.COMPLETED, after.status());
    }

    @Test
    public void aRunFolderThatCannotBeCreatedFailsTheRunWithTheFolderNamed() throws Exception {
        RunManagerImpl m = manager();
        Path runs = tmp.getRoot().toPath().resolve("runs");
        Files.writeString(runs.resolve("boring"), "a file where the module's run folder should be");
        m.addModule(source("boring", Map.of(), BoringModel::new));

        RunSnapshot run = m.await(m.submit(fit("boring", "max_steps=1")).id(), Duration.ofMinutes(1));

        assertEquals(RunStatus.FAILED, run.status());
        assertTrue(run.reason(), run.reason().contains("cannot create a run folder under " + runs.resolve("boring")));
    }

    /** Never returns from its first batch until released. */
    static final class Stuck extends BoringModel {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public Object trainingStep(Batch batch, int batchIdx) {
            entered.countDown();
            try {
                release.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.trainingStep(batch, batchIdx);
        }
    }

    @Test
    public void aRunThatDoesNotStopInTimeIsMarkedFailedAndFreesItsSlot() throws Exception {
        Path runs = tmp.newFolder("runs").toPath();
        manager = new RunManagerImpl(RunManagerImplTest::cpuSession, runs, new RunManagerImpl.Options(1, Duration.ofSeconds(1)), w -> {
                });
        Stuck stuck = new Stuck();
        manager.addModule(source("stuck", Map.of(), () -> stuck));
        manager.addModule(source("boring", Map.of(), BoringModel::new));
        String id = manager.submit(fit("stuck", "max_steps=5")).id();
        String queued = manager.submit(fit("boring", "max_steps=1", "limit_val_batches=0")).id();
        assertTrue(stuck.entered.await(1, TimeUnit.MINUTES));

        manager.stop(id, "stopped by tl:stop");
        RunSnapshot abandoned = manager.await(id, Duration.ofMinutes(1));
        RunSnapshot next = manager.await(queued, Duration.ofMinutes(1));
        stuck.release.countDown();

        assertEquals(RunStatus.FAILED, abandoned.status());
        assertTrue(abandoned.reason(), abandoned.reason().startsWith("did not stop within 1 s of the stop request (stopped by tl:stop)"));
        assertEquals("the queued run got the slot", RunStatus.COMPLETED, next.status());
    }

    @Test
    public void aSecondBundleCannotTakeAModuleNameAndTakesOverWhenTheFirstLeaves() throws Exception {
        Path runs = tmp.newFolder("runs").toPath();
        List<String> warnings = new CopyOnWriteArrayList<>();
        manager = new RunManagerImpl(RunManagerImplTest::cpuSession, runs, RunManagerImpl.Options.defaults(), warnings::add);
        ModuleSource<LightningModule> real = source("fashion-mlp", Map.of(), BoringModel::new);
        ModuleSource<LightningModule> impostor = new DelegatingSource(source("fashion-mlp", Map.of(), BoringModel::new), "evil.bundle");

        manager.addModule(real);
        manager.addModule(impostor);

        assertEquals("example.fashion-mlp", manager.modules().get(0).bundle());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0), warnings.get(0).contains("module name 'fashion-mlp' of bundle evil.bundle 1.0.0 is refused: "
                + "bundle example.fashion-mlp 1.0.0 already registers it"));

        manager.removeModule(real);

        assertEquals("evil.bundle", manager.modules().get(0).bundle());
        manager.removeModule(impostor);
        assertTrue(manager.modules().isEmpty());
        manager.removeModule(impostor); // a second unbind, and one of a name never seen, change nothing
        manager.removeModule(source("never-registered", Map.of(), BoringModel::new));
        assertTrue(manager.modules().isEmpty());
    }

    @Test
    public void versionContinuesInAnExistingFolderAndANewRunNeverReusesOne() throws Exception {
        RunManagerImpl m = manager();
        m.addModule(source("boring", Map.of(), BoringModel::new));
        RunSnapshot first = m.await(m.submit(fit("boring", "max_steps=1", "limit_val_batches=0")).id(), Duration.ofMinutes(1));

        RunSnapshot again = m.await(m.submit(fit("boring", "max_steps=1", "limit_val_batches=0", "version=0")).id(),
                Duration.ofMinutes(1));
        RunSnapshot fresh = m.await(m.submit(fit("boring", "max_steps=1", "limit_val_batches=0")).id(), Duration.ofMinutes(1));
        RunSnapshot missing = m.await(m.submit(fit("boring", "max_steps=1", "version=7")).id(), Duration.ofMinutes(1));

        assertEquals(first.dir(), again.dir());
        assertTrue(fresh.dir().endsWith("boring/version_1"));
        assertEquals(RunStatus.FAILED, missing.status());
        assertTrue(missing.reason(), missing.reason().contains("version=7") && missing.reason().contains("does not exist"));
        RunSnapshot badTrainer = m.await(m.submit(fit("boring", "max_steps=1", "precision=16-mixed")).id(), Duration.ofMinutes(1));
        assertEquals(RunStatus.FAILED, badTrainer.status());
        assertTrue(badTrainer.reason(), badTrainer.reason().contains("16-mixed"));
        assertNull("a run that fails while its trainer is made leaves no folder holding only its trace", badTrainer.dir());
        assertFalse(Files.exists(fresh.dir().resolveSibling("version_2")));
    }

    /** Another bundle's registration of a source's module. */
    private record DelegatingSource(ModuleSource<LightningModule> inner, String bundle) implements ModuleSource<LightningModule> {
        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public LightningModule create() {
            return inner.create();
        }

        @Override
        public void release(LightningModule instance) {
        }

        @Override
        public Map<String, Object> properties() {
            return inner.properties();
        }

        @Override
        public String version() {
            return inner.version();
        }

        @Override
        public String className() {
            return inner.className();
        }
    }

    /** The container's sessions with the CPU plug-ins as instances instead of services. */
    static TrainerSession cpuSession(TrainerSetup setup) {
        TrainerPlugins cpu = setup.instances().withAccelerator(new CpuAccelerator()).withStrategy(new SingleDeviceStrategy());
        return DefaultTrainer.open(new TrainerSetup(setup.config(), cpu, setup.loggerSelection(), setup.callbackSelection(),
                setup.runDir()), Plugins.instances(), Hooks.HookListener.NONE);
    }
}

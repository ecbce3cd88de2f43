package io.torchlight.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.PrototypeServiceFactory;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

import io.torchlight.api.Callback;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Stage;
import io.torchlight.api.run.RunManager;
import io.torchlight.api.run.RunRequest;
import io.torchlight.api.run.RunSnapshot;
import io.torchlight.api.run.RunStatus;
import io.torchlight.demos.BoringModel;
import io.torchlight.itests.support.Await;
import io.torchlight.itests.support.Fixtures;
import io.torchlight.itests.support.Logs;
import io.torchlight.itests.support.options.TorchlightOptions;

/**
 * What a careless or hostile user does to a running container, with the real bundles: checkpoint settings
 * in etc/ with a bad value and then with the README's snake_case keys, a checkpoint folder that cannot be
 * written, a module whose constructor throws, a second bundle claiming a module's name. Each is a failed run
 * or an error naming the cause, never a run that quietly completes without what it was asked for; the
 * user's etc/ file is never rewritten.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ReliabilityIT {

    /** A factory configuration of ModelCheckpoint's PID: a second checkpoint callback, {@code checkpoint_strict}. */
    private static final String CHECKPOINT_CFG = "io.torchlight.callback.checkpoint-strict.cfg";

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return options(TorchlightOptions.platform("reliability"),
                bundle(Fixtures.jar("io.torchlight.itests.failing").toUri().toString()));
    }

    private RunSnapshot fit(RunManager runs, String module, String... args) throws InterruptedException {
        List<String> words = Stream.concat(Stream.of("limit_val_batches=0", "callbacks=checkpoint_strict", "loggers="), Stream.of(args))
                .toList();
        return runs.await(runs.submit(RunRequest.parse(module, Stage.FIT, words, "it")).id(), Duration.ofMinutes(2));
    }

    /** Waits until a callback service matching {@code filter} is registered (a configuration took effect). */
    private void awaitCallback(String filter) throws InterruptedException {
        Await.condition(() -> {
            try {
                ServiceReference<?>[] refs = context.getAllServiceReferences(Callback.class.getName(), filter);
                return Optional.ofNullable(refs).map(r -> r[0]);
            } catch (InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
        }, "a callback service " + filter);
    }

    @Test
    public void checkpointSettingsFromEtcAreStrictAndTheUsersFileIsNeverRewritten() throws Exception {
        RunManager runs = Await.service(context, RunManager.class, null);
        Path cfg = Fixtures.work().resolve("etc").resolve(CHECKPOINT_CFG);
        String bad = "# checkpoints every two steps\ntorchlight.callback.name=checkpoint_strict\nevery.n.train.steps=abc\n";
        Files.writeString(cfg, bad);
        awaitCallback("(&(torchlight.callback.name=checkpoint_strict)(every.n.train.steps=abc))");

        RunSnapshot failed = fit(runs, "failing", "max_steps=2");

        assertEquals(failed.line(), RunStatus.FAILED, failed.status());
        assertTrue(failed.reason(), failed.reason().contains("configuration io.torchlight.callback.checkpoint is invalid: "
                + "every.n.train.steps: expected an integer, got 'abc'"));
        // it failed before its trainer existed: no run folder holding only a trace (the trace is in data/log)
        assertNull(failed.line(), failed.dir());
        assertEquals("FileInstall did not write the file back", bad, Files.readString(cfg));

        String good = "torchlight.callback.name=checkpoint_strict\nevery_n_train_steps=2\nsave_top_k=-1\nsave_last=true\n"
                + "filename={step}\n";
        Files.writeString(cfg, good);
        awaitCallback("(&(torchlight.callback.name=checkpoint_strict)(every_n_train_steps=2))");
        RunSnapshot fine = fit(runs, "failing", "max_steps=2");

        assertEquals(fine.line(), RunStatus.COMPLETED, fine.status());
        try (Stream<Path> files = Files.list(fine.dir().resolve("checkpoints"))) {
            assertEquals("the README's snake_case keys apply", List.of("last.ckpt", "step=2.ckpt"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(good, Files.readString(cfg));
    }

    @Test
    public void aCheckpointThatCannotBeWrittenFailsTheRunInsteadOfCompleting() throws Exception {
        RunManager runs = Await.service(context, RunManager.class, null);
        Path blocker = Files.writeString(Fixtures.work().resolve("not-a-folder"), "a file where checkpoints should go");
        Path cfg = Fixtures.work().resolve("etc").resolve("io.torchlight.callback.checkpoint-blocked.cfg");
        Files.writeString(cfg, "torchlight.callback.name=checkpoint_blocked\ndirpath=" + blocker.resolve("ckpts")
                + "\nevery_n_train_steps=1\n");
        awaitCallback("(torchlight.callback.name=checkpoint_blocked)");

        RunSnapshot run = runs.await(runs.submit(RunRequest.parse("failing", Stage.FIT, List.of("max_steps=2",
                "limit_val_batches=0", "callbacks=checkpoint_blocked", "loggers="), "it")).id(), Duration.ofMinutes(2));

        assertEquals(run.line(), RunStatus.FAILED, run.status());
        assertTrue(run.reason(), run.reason().contains("cannot write checkpoint " + blocker.resolve("ckpts")));
        assertEquals("it stopped at the first save that failed", 1, run.globalStep());
    }

    @Test
    public void aModuleWhoseConstructorThrowsFailsItsRunWithTheCause() throws Exception {
        RunManager runs = Await.service(context, RunManager.class, null);

        RunSnapshot run = runs.await(runs.submit(RunRequest.of("unbuildable", Stage.FIT, "it")).id(), Duration.ofMinutes(2));

        assertEquals(run.line(), RunStatus.FAILED, run.status());
        assertTrue(run.reason(), run.reason().contains("module unbuildable could not be created")
                && run.reason().contains("the unbuildable fixture needs /nonexistent/weights.bin"));
    }

    @Test
    public void aSecondBundleCannotHijackAModuleName() throws Exception {
        RunManager runs = Await.service(context, RunManager.class, null);
        Await.condition(() -> runs.modules().stream().filter(m -> m.name().equals("failing")).findFirst(), "the failing module");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(LightningModule.PROPERTY_NAME, "failing");
        ServiceRegistration<?> impostor = context.registerService(LightningModule.class.getName(),
                new PrototypeServiceFactory<LightningModule>() {
                    @Override
                    public LightningModule getService(Bundle bundle, ServiceRegistration<LightningModule> registration) {
                        return new BoringModel();
                    }

                    @Override
                    public void ungetService(Bundle bundle, ServiceRegistration<LightningModule> registration, LightningModule m) {
                    }
                }, props);
        try {
            String error = Await.condition(() -> Logs.warnings(context).stream().filter(e -> e.contains("module name 'failing'"))
                    .findFirst(), "the refusal");

            assertTrue(error, error.contains("is refused: bundle io.torchlight.itests.failing"));
            assertEquals("io.torchlight.itests.failing", runs.modules().stream().filter(m -> m.name().equals("failing"))
                    .findFirst().orElseThrow().bundle());
        } finally {
            impostor.unregister();
        }
    }
}

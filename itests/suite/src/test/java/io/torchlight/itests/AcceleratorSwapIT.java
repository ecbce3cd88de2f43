package io.torchlight.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.Stage;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.run.RunManager;
import io.torchlight.api.run.RunRequest;
import io.torchlight.api.run.RunSnapshot;
import io.torchlight.api.run.RunStatus;
import io.torchlight.itests.support.Await;
import io.torchlight.itests.support.Fixtures;
import io.torchlight.itests.support.options.TorchlightOptions;
import io.torchlight.utils.checkpoint.CheckpointFile;

/**
 * A running run's accelerator changes: the CPU accelerator bundle uninstalled under it (the run pauses, then ends as
 * if nothing happened), or the run moved by {@code tl:move} to a second CPU accelerator service with another thread
 * count (it goes on there and ends with the weights of a run that never moved).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AcceleratorSwapIT {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return options(TorchlightOptions.platform("accelerator-swap"),
                bundle(Fixtures.example("io.torchlight.examples.boring").toUri().toString()));
    }

    @Test
    public void aRunWhoseAcceleratorGoesAwayPausesAndFinishesWithTheSameWeights() throws Exception {
        RunManager runs = Await.service(context, RunManager.class, null);
        List<String> args = List.of("max_epochs=150", "limit_val_batches=0", "seed=3", "enable_progress_bar=false");
        RunSnapshot quiet = runs.await(runs.submit(RunRequest.parse("boring", Stage.FIT, args, "it")).id(), Duration.ofMinutes(3));
        Bundle cpu = Arrays.stream(context.getBundles()).filter(b -> b.getSymbolicName().equals("io.torchlight.accelerator.cpu"))
                .findFirst().orElseThrow();
        String location = cpu.getLocation();

        String id = runs.submit(RunRequest.parse("boring", Stage.FIT, args, "it")).id();
        Await.condition(() -> runs.run(id).filter(r -> r.globalStep() > 100), "the run to pass step 100");
        cpu.uninstall();
        RunSnapshot paused = Await.condition(() -> runs.run(id).filter(r -> r.status() == RunStatus.PAUSED), "the run to pause");
        RunSnapshot stillPaused = runs.run(id).orElseThrow();
        context.installBundle(location).start();
        Await.service(context, Accelerator.class, "(" + Accelerator.PROPERTY_NAME + "=cpu)");
        RunSnapshot done = runs.await(id, Duration.ofMinutes(3));

        assertTrue(paused.line(), paused.reason().startsWith("waiting for an accelerator: cpu went away"));
        assertEquals("no step while paused", paused.globalStep(), stillPaused.globalStep());
        assertEquals(done.line(), RunStatus.COMPLETED, done.status());
        assertEquals(quiet.globalStep(), done.globalStep());
        Map<String, Object> expected = weights(quiet);
        Map<String, Object> actual = weights(done);
        assertEquals(expected.keySet(), actual.keySet());
        for (String key : expected.keySet()) {
            assertTrue(key + " differs", ((Tensor) expected.get(key)).equal((Tensor) actual.get(key)));
        }
        String log = Files.readString(done.dir().resolve("run.log"));
        assertTrue(log, log.contains("paused: waiting for an accelerator") && log.contains("resumed"));
    }

    @Test
    public void aRunMovedToASecondCpuServiceWithOtherThreadsEndsWithTheSameWeights() throws Exception {
        RunManager runs = Await.service(context, RunManager.class, null);
        // libtorch's default here, as a run thread starts with it (the training step sees the count; MoveRunTest)
        int other = torch.get_num_threads() == 1 ? 2 : 1;
        ServiceRegistration<Accelerator> second = context.registerService(Accelerator.class, new CpuAccelerator(other) {
            @Override
            public String name() {
                return "cpu_" + other;
            }
        }, new Hashtable<>(Map.of(Accelerator.PROPERTY_NAME, "cpu_" + other, Constants.SERVICE_RANKING, -10)));
        try {
            List<String> args = List.of("max_epochs=60", "limit_val_batches=0", "seed=3", "enable_progress_bar=false");
            RunSnapshot quiet = runs.await(runs.submit(RunRequest.parse("boring", Stage.FIT, args, "it")).id(), Duration.ofMinutes(3));
            String id = runs.submit(RunRequest.parse("boring", Stage.FIT, args, "it")).id();
            Await.condition(() -> runs.run(id).filter(r -> r.globalStep() > 100), "the run to pass step 100");

            String unknown = assertThrows(TorchlightException.class, () -> runs.move(id, "tpu")).getMessage();
            runs.move(id, "cpu_" + other);
            Await.condition(() -> runs.run(id).filter(r -> ("cpu_" + other).equals(r.device())), "the run to move");
            RunSnapshot done = runs.await(id, Duration.ofMinutes(3));

            assertTrue(unknown, unknown.contains("no accelerator named 'tpu'") && unknown.contains("cpu_" + other));
            assertEquals(done.line(), RunStatus.COMPLETED, done.status());
            assertEquals(quiet.globalStep(), done.globalStep());
            Map<String, Object> expected = weights(quiet);
            Map<String, Object> actual = weights(done);
            for (String key : expected.keySet()) {
                assertTrue(key + " differs", ((Tensor) expected.get(key)).equal((Tensor) actual.get(key)));
            }
            String log = Files.readString(done.dir().resolve("run.log"));
            assertTrue(log, log.contains("moving to cpu_" + other) && log.contains("moved from cpu (cpu) to cpu (cpu_" + other + ") at step"));
            String finished = assertThrows(TorchlightException.class, () -> runs.move(id, "cpu")).getMessage();
            assertTrue(finished, finished.contains("only a running fit moves"));
        } finally {
            second.unregister();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> weights(RunSnapshot run) throws IOException {
        try (var files = Files.list(run.dir().resolve("checkpoints"))) {
            Path ckpt = files.filter(f -> f.toString().endsWith(".ckpt")).findFirst()
                    .orElseThrow(() -> new AssertionError("no checkpoint in " + run.dir()));
            return (Map<String, Object>) CheckpointFile.read(ckpt).get("state_dict");
        }
    }
}

package io.torchlight.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
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
import org.osgi.framework.BundleException;

import io.torchlight.api.Callback;
import io.torchlight.api.Stage;
import io.torchlight.api.logger.Logger;
import io.torchlight.api.run.RunManager;
import io.torchlight.api.run.RunRequest;
import io.torchlight.api.run.RunSnapshot;
import io.torchlight.api.run.RunStatus;
import io.torchlight.itests.support.Await;
import io.torchlight.itests.support.Fixtures;
import io.torchlight.itests.support.Logs;
import io.torchlight.itests.support.options.TorchlightOptions;
import io.torchlight.logger.tensorboard.events.TensorBoardEvents;

/**
 * Logger bundles stopped and started while a run trains: the run goes on, every file stays valid, a logger that
 * joins late gets the hyperparameters and every metric from its join on, and repeated swaps leak nothing.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LoggerSwapIT {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return options(TorchlightOptions.platform("logger-swap"),
                bundle(Fixtures.example("io.torchlight.examples.boring").toUri().toString()),
                bundle(Fixtures.jar("io.torchlight.itests.tensorboard").toUri().toString()));
    }

    @Test
    public void stoppingAndRestartingTheCsvLoggerMidRun() throws Exception {
        RunManager runs = Await.service(context, RunManager.class, null);
        Bundle csv = installed("io.torchlight.logger.csv");
        String id = runs.submit(RunRequest.parse("boring", Stage.FIT, List.of("max_epochs=120", "limit_val_batches=0",
                "log_every_n_steps=4", "loggers=csv"), "it")).id();

        Await.condition(() -> runs.run(id).filter(r -> r.globalStep() > 200), "the run to pass step 200");
        csv.stop();
        Await.serviceGone(context, Logger.class, "(" + Logger.PROPERTY_NAME + "=csv)");
        long stoppedAt = runs.run(id).orElseThrow().globalStep();
        Await.condition(() -> runs.run(id).filter(r -> r.globalStep() > stoppedAt + 304), "300 steps without the logger");
        csv.start();
        RunSnapshot done = runs.await(id, Duration.ofMinutes(3));

        assertEquals(done.line(), RunStatus.COMPLETED, done.status());
        List<String> lines = Files.readAllLines(done.dir().resolve("metrics.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        int stepColumn = header.indexOf("step");
        List<Long> steps = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            assertEquals("every row has every column: " + line, header.size(), cells.length);
            steps.add(Long.parseLong(cells[stepColumn]));
        }
        for (int i = 1; i < steps.size(); i++) {
            assertTrue("steps increase: " + steps, steps.get(i) > steps.get(i - 1));
        }
        long biggestGap = 0;
        for (int i = 1; i < steps.size(); i++) {
            biggestGap = Math.max(biggestGap, steps.get(i) - steps.get(i - 1));
        }
        assertTrue("nothing was logged while the logger was away (gap " + biggestGap + ")", biggestGap >= 300);
        // the epoch-end row carries the last batch's step, one below the global step, as Lightning 1.6.5 logs it
        assertEquals("the logger that came back logged to the end", done.globalStep() - 1, (long) steps.get(steps.size() - 1));
        assertTrue(Files.isRegularFile(Path.of(done.dir().toString(), "hparams.yaml")));
    }

    @Test
    public void tensorBoardInstalledAndCsvUninstalledMidRun() throws Exception {
        RunManager runs = Await.service(context, RunManager.class, null);
        Bundle csv = installed("io.torchlight.logger.csv");
        Bundle tensorboard = installed("io.torchlight.logger.tensorboard");
        String csvLocation = csv.getLocation();
        String tensorboardLocation = tensorboard.getLocation();
        tensorboard.uninstall();
        Await.serviceGone(context, Logger.class, "(" + Logger.PROPERTY_NAME + "=tensorboard)");
        String id = runs.submit(RunRequest.parse("boring", Stage.FIT, List.of("max_epochs=120", "limit_val_batches=0",
                "log_every_n_steps=4", "loggers=csv,tensorboard"), "it")).id();
        try {
            Await.condition(() -> runs.run(id).filter(r -> r.globalStep() > 100), "the run to pass step 100");
            long beforeJoin = runs.run(id).orElseThrow().globalStep();
            context.installBundle(tensorboardLocation).start();
            Await.service(context, Logger.class, "(" + Logger.PROPERTY_NAME + "=tensorboard)");
            Await.condition(() -> runs.run(id).filter(r -> r.globalStep() > beforeJoin + 200), "200 more steps");
            csv.uninstall();
            Await.serviceGone(context, Logger.class, "(" + Logger.PROPERTY_NAME + "=csv)");
            long csvGone = runs.run(id).orElseThrow().globalStep();
            RunSnapshot done = runs.await(id, Duration.ofMinutes(3));

            assertEquals(done.line(), RunStatus.COMPLETED, done.status());
            List<Long> csvSteps = csvSteps(done.dir().resolve("metrics.csv"));
            long lastCsv = csvSteps.get(csvSteps.size() - 1);
            // the logger leaves at the first step boundary after its service is gone; rows come every 4 steps
            assertTrue("metrics.csv ends at the swap (last row " + lastCsv + ", logger gone by step " + csvGone
                    + ", run ended at " + done.globalStep() + ")",
                    lastCsv <= csvGone + 5 && lastCsv > beforeJoin + 200 - 4 && lastCsv < done.globalStep() - 64);
            try (var files = Files.list(done.dir())) {
                Path events = files.filter(f -> f.getFileName().toString().startsWith("events.out.tfevents.")).findFirst()
                        .orElseThrow(() -> new AssertionError("no events file in " + done.dir()));
                TensorBoardEvents read = TensorBoardEvents.read(events);
                List<TensorBoardEvents.Scalar> losses = read.scalars("train_loss_step");
                assertEquals(List.of("hparams/text_summary"), read.textTags());
                assertTrue("first scalar at " + losses.get(0).step() + ", joined after " + beforeJoin,
                        losses.get(0).step() >= beforeJoin);
                assertEquals(done.globalStep() - 1, read.scalars().get(read.scalars().size() - 1).step());
            }
        } finally {
            reinstall(csvLocation);
            reinstall(tensorboardLocation);
        }
    }

    @Test
    public void twentyUninstallsAndReinstallsLeakNothingAndChangeNoNumber() throws Exception {
        RunManager runs = Await.service(context, RunManager.class, null);
        Bundle csv = installed("io.torchlight.logger.csv");
        List<String> args = List.of("max_epochs=400", "limit_val_batches=0", "log_every_n_steps=2", "seed=7",
                "loggers=csv");
        RunSnapshot quiet = runs.await(runs.submit(RunRequest.parse("boring", Stage.FIT, args, "it")).id(), Duration.ofMinutes(3));
        long fdsBefore = openFileDescriptors();
        List<String> threadsBefore = threadsOutsideTheRunPool();

        String id = runs.submit(RunRequest.parse("boring", Stage.FIT, args, "it")).id();
        for (int i = 0; i < 20; i++) {
            long step = runs.run(id).orElseThrow().globalStep();
            Await.condition(() -> runs.run(id).filter(r -> r.globalStep() > step), "a step after swap " + i);
            assertEquals("swap " + i + " while the run trains", RunStatus.RUNNING, runs.run(id).orElseThrow().status());
            String location = csv.getLocation();
            csv.uninstall();
            Await.serviceGone(context, Logger.class, "(" + Logger.PROPERTY_NAME + "=csv)");
            csv = context.installBundle(location);
            csv.start();
            Await.service(context, Logger.class, "(" + Logger.PROPERTY_NAME + "=csv)");
        }
        RunSnapshot swapped = runs.await(id, Duration.ofMinutes(3));

        assertEquals(swapped.line(), RunStatus.COMPLETED, swapped.status());
        assertEquals(quiet.globalStep(), swapped.globalStep());
        assertEquals("the same numbers with and without swapping", quiet.metrics(), swapped.metrics());
        // a descriptor may be open for a moment (a class loaded, a file being listed): a leak is one that stays
        Await.condition(() -> fdsNow() <= fdsBefore ? Optional.of(true) : Optional.empty(),
                "open file descriptors back to " + fdsBefore + " (now " + openFileDescriptors() + ")");
        List<String> threadsAfter = threadsOutsideTheRunPool();
        assertTrue("new threads: " + threadsAfter, threadsBefore.containsAll(threadsAfter));
    }

    @Test
    public void theProgressCallbackBundleLeavesAndRejoinsARun() throws Exception {
        RunManager runs = Await.service(context, RunManager.class, null);
        Bundle progress = installed("io.torchlight.callback.progress");
        String filter = "(" + Callback.PROPERTY_NAME + "=progress_bar)";
        String id = runs.submit(RunRequest.parse("boring", Stage.FIT, List.of("max_epochs=120", "limit_val_batches=0",
                "callbacks=progress_bar,model_summary"), "it")).id();
        Await.condition(() -> runs.run(id).filter(r -> r.globalStep() > 100), "the run to pass step 100");
        List<String> attached = runs.attachedPlugins(id);
        progress.stop();
        Await.serviceGone(context, Callback.class, filter);
        Await.condition(() -> Optional.of(runs.attachedPlugins(id)).filter(p -> !p.contains("callback progress_bar")),
                "the progress bar to leave the run");
        long stoppedAt = runs.run(id).orElseThrow().globalStep();
        Await.condition(() -> runs.run(id).filter(r -> r.globalStep() > stoppedAt + 200), "200 steps without it");
        progress.start();
        Await.service(context, Callback.class, filter);
        Await.condition(() -> Optional.of(runs.attachedPlugins(id)).filter(p -> p.contains("callback progress_bar")),
                "the progress bar to rejoin the run");
        RunSnapshot done = runs.await(id, Duration.ofMinutes(3));

        assertTrue(attached.toString(), attached.containsAll(List.of("logger csv", "logger tensorboard",
                "callback progress_bar", "callback model_summary")));
        assertEquals("nothing attached once the run ended", List.of(), runs.attachedPlugins(id));

        assertEquals(done.line(), RunStatus.COMPLETED, done.status());
        assertEquals(120 * 64, done.globalStep());
        assertEquals(List.of(), Logs.errors(context));
    }

    /** Installs and starts the bundle from this location unless it is there. */
    private void reinstall(String location) throws BundleException {
        if (context.getBundle(location) == null) {
            context.installBundle(location).start();
        }
    }

    private Bundle installed(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> b.getSymbolicName().equals(symbolicName)).findFirst()
                .orElseThrow(() -> new AssertionError(symbolicName + " is not installed"));
    }

    private static List<Long> csvSteps(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        int stepColumn = List.of(lines.get(0).split(",")).indexOf("step");
        List<Long> steps = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            steps.add(Long.parseLong(line.split(",", -1)[stepColumn]));
        }
        return steps;
    }

    /** Live thread names, less the run pool's (which grows to its size as runs are submitted). */
    private static List<String> threadsOutsideTheRunPool() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> !n.startsWith("torchlight-run-")).sorted().toList();
    }

    private static long fdsNow() {
        try {
            return openFileDescriptors();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long openFileDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}

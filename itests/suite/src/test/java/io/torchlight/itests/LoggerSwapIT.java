package io.torchlight.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

import io.torchlight.api.Stage;
import io.torchlight.api.logger.Logger;
import io.torchlight.api.run.RunManager;
import io.torchlight.api.run.RunRequest;
import io.torchlight.api.run.RunSnapshot;
import io.torchlight.api.run.RunStatus;
import io.torchlight.itests.support.Await;
import io.torchlight.itests.support.Fixtures;
import io.torchlight.itests.support.options.TorchlightOptions;

/** The CSV logger bundle stopped and started while a run trains: the run goes on, the file stays valid. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LoggerSwapIT {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return options(TorchlightOptions.platform("logger-swap"),
                bundle(Fixtures.example("io.torchlight.examples.boring").toUri().toString()));
    }

    @Test
    public void stoppingAndRestartingTheCsvLoggerMidRun() throws Exception {
        RunManager runs = Await.service(context, RunManager.class, null);
        Bundle csv = Arrays.stream(context.getBundles()).filter(b -> b.getSymbolicName().equals("io.torchlight.logger.csv"))
                .findFirst().orElseThrow();
        String id = runs.submit(RunRequest.parse("boring", Stage.FIT, List.of("max_epochs=40", "limit_val_batches=0",
                "log_every_n_steps=4", "loggers=csv"), "it")).id();

        Await.condition(() -> runs.run(id).filter(r -> r.globalStep() > 200), "the run to pass step 200");
        csv.stop();
        Await.serviceGone(context, Logger.class, "(" + Logger.PROPERTY_NAME + "=csv)");
        long stoppedAt = runs.run(id).orElseThrow().globalStep();
        Await.condition(() -> runs.run(id).filter(r -> r.globalStep() > stoppedAt + 300), "300 steps without the logger");
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
        assertEquals("the logger that came back logged to the end", done.globalStep(), (long) steps.get(steps.size() - 1));
        assertTrue(Files.isRegularFile(Path.of(done.dir().toString(), "hparams.yaml")));
    }
}

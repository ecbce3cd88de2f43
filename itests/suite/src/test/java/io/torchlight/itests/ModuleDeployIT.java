package io.torchlight.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

import io.torchlight.api.Stage;
import io.torchlight.api.run.RunManager;
import io.torchlight.api.run.RunRequest;
import io.torchlight.api.run.RunSnapshot;
import io.torchlight.api.run.RunStatus;
import io.torchlight.itests.support.Await;
import io.torchlight.itests.support.Fixtures;
import io.torchlight.itests.support.options.TorchlightOptions;

/**
 * The main workflow: a module bundle dropped into deploy/ autoruns; withdrawing it mid-run stops that run
 * with the reason; dropping it again starts a new version.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ModuleDeployIT {

    private static final String BORING = "io.torchlight.examples.boring";

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return options(TorchlightOptions.platform("module-deploy"));
    }

    @Test
    public void dropTrainWithdrawMidRunDropAgain() throws Exception {
        RunManager runs = Await.service(context, RunManager.class, null);
        Path deployed = Fixtures.work().resolve("deploy").resolve(BORING + ".jar");
        Path boringRuns = Fixtures.work().resolve("runs").resolve("boring");

        Files.copy(Fixtures.example(BORING), deployed);
        RunSnapshot auto = Await.condition(() -> runs.runs().stream().findFirst(), "the autorun of boring");
        auto = runs.await(auto.id(), Duration.ofMinutes(2));

        assertEquals(auto.line(), RunStatus.COMPLETED, auto.status());
        assertEquals("autorun", auto.source());
        List<String> csv = Files.readAllLines(boringRuns.resolve("version_0/metrics.csv"));
        assertTrue(csv.toString(), csv.get(0).contains("train_loss_step") && csv.size() > 2);

        String longRun = runs.submit(RunRequest.parse("boring", Stage.FIT, List.of("max_epochs=100000", "limit_val_batches=0"),
                "it")).id();
        Await.condition(() -> runs.run(longRun).filter(r -> r.globalStep() > 0), "the long run to train");
        Files.delete(deployed);
        RunSnapshot stopped = runs.await(longRun, Duration.ofMinutes(2));

        assertEquals(stopped.line(), RunStatus.STOPPED, stopped.status());
        assertTrue(stopped.reason(), stopped.reason().startsWith("module bundle " + BORING + " ")
                && stopped.reason().endsWith(" withdrawn"));
        Await.bundleGone(context, BORING);
        assertTrue(runs.modules().isEmpty());

        Files.copy(Fixtures.example(BORING), deployed);
        RunSnapshot again = Await.condition(() -> runs.runs().stream().filter(r -> r.source().equals("autorun")).skip(1)
                .findFirst(), "the second autorun");
        again = runs.await(again.id(), Duration.ofMinutes(2));

        assertEquals(again.line(), RunStatus.COMPLETED, again.status());
        assertEquals(boringRuns.resolve("version_2"), again.dir());
        assertTrue(Files.isRegularFile(boringRuns.resolve("version_2/metrics.csv")));
    }
}

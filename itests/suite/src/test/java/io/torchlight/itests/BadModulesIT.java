package io.torchlight.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.nio.file.Files;
import java.time.Duration;
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
import io.torchlight.api.run.RunManager;
import io.torchlight.api.run.RunRequest;
import io.torchlight.api.run.RunSnapshot;
import io.torchlight.api.run.RunStatus;
import io.torchlight.itests.support.Await;
import io.torchlight.itests.support.Fixtures;
import io.torchlight.itests.support.options.TorchlightOptions;

/** A bundle that cannot resolve and a module whose step throws: both reported, the container keeps working. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BadModulesIT {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return options(TorchlightOptions.platform("bad-modules"),
                bundle(Fixtures.jar("io.torchlight.itests.failing").toUri().toString()));
    }

    @Test
    public void brokenModulesFailAloneAndTheContainerKeepsWorking() throws Exception {
        RunManager runs = Await.service(context, RunManager.class, null);

        Files.copy(Fixtures.jar("io.torchlight.itests.unresolvable"),
                Fixtures.work().resolve("deploy").resolve("io.torchlight.itests.unresolvable.jar"));
        Bundle unresolvable = Await.condition(() -> Arrays.stream(context.getBundles())
                .filter(b -> b.getSymbolicName().equals("io.torchlight.itests.unresolvable")).findFirst(), "the dropped bundle");
        assertEquals("installed, not resolved", Bundle.INSTALLED, unresolvable.getState());

        RunSnapshot failing = runs.await(runs.submit(RunRequest.of("failing", Stage.FIT, "it")).id(), Duration.ofMinutes(2));

        assertEquals(failing.line(), RunStatus.FAILED, failing.status());
        assertTrue(failing.reason(), failing.reason().contains("failed in trainingStep")
                && failing.reason().contains("the failing fixture fails at batch 2"));
        assertTrue(Files.readString(failing.dir().resolve("run.log")).contains("IllegalStateException"));

        RunSnapshot fine = runs.await(runs.submit(RunRequest.parse("failing", Stage.FIT, List.of("max_steps=2",
                "limit_val_batches=0"), "it")).id(), Duration.ofMinutes(2));
        assertEquals(fine.line(), RunStatus.COMPLETED, fine.status());
    }
}

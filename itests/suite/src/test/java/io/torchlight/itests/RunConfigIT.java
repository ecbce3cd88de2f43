package io.torchlight.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

import io.torchlight.api.run.RunManager;
import io.torchlight.api.run.RunSnapshot;
import io.torchlight.api.run.RunStatus;
import io.torchlight.itests.support.Await;
import io.torchlight.itests.support.Fixtures;
import io.torchlight.itests.support.Logs;
import io.torchlight.itests.support.options.TorchlightOptions;

/** Runs configured by files in etc/: a good one runs; a malformed one is a logged error naming the file. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RunConfigIT {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return options(TorchlightOptions.platform("run-config"),
                bundle(Fixtures.example("io.torchlight.examples.boring").toUri().toString()));
    }

    @Test
    public void aConfigFileStartsARunAndAMalformedOneIsReported() throws Exception {
        RunManager runs = Await.service(context, RunManager.class, null);
        Path etc = Fixtures.work().resolve("etc");

        Files.writeString(etc.resolve("io.torchlight.run-bad.cfg"), "module=boring\nmax_epochs=abc\n");
        Files.writeString(etc.resolve("io.torchlight.run-quick.cfg"),
                "module=boring\nmax_epochs=1\nlimit_train_batches=4\nlimit_val_batches=2\nhparams.note=from-etc\n");

        RunSnapshot run = Await.condition(() -> runs.runs().stream()
                .filter(r -> r.source().endsWith("io.torchlight.run-quick.cfg")).findFirst(), "the configured run");
        run = runs.await(run.id(), Duration.ofMinutes(2));

        assertEquals(run.line(), RunStatus.COMPLETED, run.status());
        assertEquals(4, run.globalStep());
        assertTrue(Files.readString(run.dir().resolve("hparams.yaml")).contains("note: from-etc"));
        String error = Await.condition(() -> Logs.errors(context).stream().filter(e -> e.contains("io.torchlight.run-bad.cfg"))
                .findFirst(), "the error about the malformed configuration");
        assertTrue(error, error.contains("max_epochs: expected an integer"));
        assertTrue(runs.runs().stream().noneMatch(r -> r.source().endsWith("io.torchlight.run-bad.cfg")));
    }
}

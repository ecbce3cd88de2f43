package io.torchlight.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;
import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

import io.torchlight.itests.support.Await;
import io.torchlight.itests.support.Fixtures;
import io.torchlight.itests.support.options.TorchlightOptions;

/** A bundle dropped into the watched folder is installed and its component activates; removing it undoes that. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DeployFolderIT {

    private static final String FIXTURE = "io.torchlight.itests.torchstep";

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return options(TorchlightOptions.platform("deploy"));
    }

    @Test
    public void dropThenRemoveABundle() throws Exception {
        Path deployed = Fixtures.work().resolve("deploy").resolve(FIXTURE + ".jar");
        Files.copy(Fixtures.jar(FIXTURE), deployed);

        @SuppressWarnings("unchecked")
        Supplier<double[]> check = Await.service(context, Supplier.class, "(torchlight.itest=torchstep)");
        double[] losses = check.get();
        assertTrue(losses[1] < losses[0]);

        Files.delete(deployed);

        Await.serviceGone(context, Supplier.class, "(torchlight.itest=torchstep)");
        Await.bundleGone(context, FIXTURE);
        assertEquals(0, Arrays.stream(context.getBundles()).filter(b -> FIXTURE.equals(b.getSymbolicName())).count());
    }
}

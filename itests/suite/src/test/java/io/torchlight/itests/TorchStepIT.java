package io.torchlight.itests;

import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.options;

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
import io.torchlight.itests.support.options.TorchlightOptions;

/** A DS component in its own bundle trains with libtorch: forward, backward and optimizer steps. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TorchStepIT {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return options(TorchlightOptions.platform("torchstep"),
                bundle(TorchlightOptions.fixture("io.torchlight.itests.torchstep").toUri().toString()));
    }

    @Test
    public void componentTrainsALinearModel() throws InterruptedException {
        @SuppressWarnings("unchecked")
        Supplier<double[]> check = Await.service(context, Supplier.class, "(torchlight.itest=torchstep)");

        double[] result = check.get();

        assertTrue("loss fell from " + result[0] + " to " + result[1], result[1] < result[0] / 100);
        assertTrue(result[2] >= 1);
    }
}

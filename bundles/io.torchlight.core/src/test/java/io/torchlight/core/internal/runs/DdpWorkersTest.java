package io.torchlight.core.internal.runs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.Test;

import io.torchlight.api.Stage;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.run.RunRequest;

/** When a container run starts its own ddp workers, and the command line each worker gets. */
public class DdpWorkersTest {

    private static final RunRequest REQUEST = RunRequest.parse("boring", Stage.FIT,
            List.of("strategy=ddp", "devices=2", "max_epochs=3", "hparams.lr=0.1", "datamodule=mnist", "ckpt_path=last",
                    "test_after_fit=true", "loggers=csv", "callbacks=none"), "test");

    @Test
    public void aWorkerGetsTheSameRequestWithTheCheckpointRankZeroResolved() {
        Path ckpt = Path.of("/runs/boring/version_3/checkpoints/last.ckpt");
        List<String> words = DdpWorkers.words(REQUEST, ckpt);

        RunRequest worker = RunRequest.parse("boring", Stage.FIT, words, "worker");
        assertEquals(REQUEST.trainerArgs(), worker.trainerArgs());
        assertEquals(REQUEST.hparams(), worker.hparams());
        assertEquals("mnist", worker.dataModule());
        assertEquals("the file rank 0 resolved 'last' to, not the worker's own newest", ckpt.toString(), worker.ckptPath());
        assertTrue(worker.testAfterFit());
        assertEquals("csv", worker.loggers());
        assertEquals("", worker.callbacks());
    }

    @Test
    public void devicesCountAsLightningsCpuDevices() {
        assertEquals(2, DdpWorkers.count("2"));
        assertEquals(2, DdpWorkers.count("[0,1]"));
        assertEquals(3, DdpWorkers.count("0,1,2"));
        assertEquals(1, DdpWorkers.count("auto"));
        assertEquals(1, DdpWorkers.count("-1"));
    }

    @Test
    public void onlyAnUnlaunchedDdpRunOverSeveralProcessesStartsWorkers() {
        TrainerConfig single = TrainerConfig.builder().strategy("ddp").devices("1").build();
        TrainerConfig two = TrainerConfig.builder().strategy("ddp").devices("2").build();
        TrainerConfig plain = TrainerConfig.builder().devices("2").build();
        DdpWorkers.Home none = null;

        assertEquals(Optional.empty(), DdpWorkers.start("1", REQUEST, single, null, none, Map.of()).map(w -> "started"));
        assertEquals(Optional.empty(), DdpWorkers.start("1", REQUEST, plain, null, none, Map.of()).map(w -> "started"));
        assertEquals("torchrun (or bin/torchlight) launched this process already", Optional.empty(),
                DdpWorkers.start("1", REQUEST, two, null, none, Map.of("WORLD_SIZE", "2")).map(w -> "started"));

        TorchlightException noHome = assertThrows(TorchlightException.class, () -> DdpWorkers.start("1", REQUEST, two, null, none, Map.of()));
        assertTrue(noHome.getMessage(), noHome.getMessage().contains("this container cannot start the other ranks"));
        TrainerConfig nodes = TrainerConfig.builder().strategy("ddp").devices("2").numNodes(2).build();
        TorchlightException multiNode = assertThrows(TorchlightException.class,
                () -> DdpWorkers.start("1", REQUEST, nodes, null, new DdpWorkers.Home(Path.of("/opt/torchlight"), Path.of("/data")), Map.of()));
        assertTrue(multiNode.getMessage(), multiNode.getMessage().contains("num_nodes=2: a run over several machines starts with bin/torchlight"));
    }
}

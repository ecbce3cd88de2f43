package io.torchlight.strategy.ddp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.junit.Test;

import io.torchlight.api.TorchlightException;

/** A rendezvous that cannot happen is a clear error naming the address, the port and what to check, within the timeout. */
public class DdpRendezvousTest {

    private static DdpEnvironment rank(int rank, int port) {
        return new DdpEnvironment("127.0.0.1", port, 2, rank, rank, 0, Duration.ofSeconds(2));
    }

    @Test
    public void rankZeroOnAPortInUseSaysSo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            DdpStrategy strategy = new DdpStrategy(rank(0, taken.getLocalPort()));

            TorchlightException e = assertThrows(TorchlightException.class, () -> strategy.barrier("start"));

            assertTrue(e.getMessage(), e.getMessage().contains("ddp rank 0 of 2: no rendezvous at 127.0.0.1:" + taken.getLocalPort())
                    && e.getMessage().contains("is the port in use? set MASTER_PORT"));
        }
    }

    @Test
    public void aRankWhoseMasterNeverAnswersFailsAfterTheTimeout() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        DdpStrategy strategy = new DdpStrategy(rank(1, port));
        long start = System.nanoTime();

        TorchlightException e = assertThrows(TorchlightException.class, () -> strategy.barrier("start"));

        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(e.getMessage(), e.getMessage().contains("ddp rank 1 of 2: no rendezvous at 127.0.0.1:" + port)
                && e.getMessage().contains("is rank 0 up and MASTER_ADDR reachable?"));
        assertTrue("bounded by the 2 s timeout: " + seconds, seconds < 30);
    }

    @Test
    public void badVariablesAreNamed() {
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> DdpEnvironment.of(Map.of("WORLD_SIZE", "2", "RANK", "2")));
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> DdpEnvironment.of(Map.of("MASTER_PORT", "http")));

        assertEquals("RANK 2 is not in a world of 2 (WORLD_SIZE)", rank.getMessage());
        assertEquals("MASTER_PORT must be a whole number, got 'http'", port.getMessage());
        assertEquals(1, DdpEnvironment.of(Map.of()).worldSize());
        IllegalArgumentException bucket = assertThrows(IllegalArgumentException.class,
                () -> DdpEnvironment.of(Map.of("TORCHLIGHT_DDP_BUCKET_CAP_MB", "0")));
        assertEquals("TORCHLIGHT_DDP_BUCKET_CAP_MB must be a positive number of MB, got 0.0", bucket.getMessage());
        assertEquals(5L << 19, DdpEnvironment.of(Map.of("TORCHLIGHT_DDP_BUCKET_CAP_MB", "2.5")).bucketCapBytes());
    }

    /** The CPU build has no NCCL: a CUDA rank asking for it gets the reason and what to do, and the JVM goes on. */
    @Test
    public void ncclWhereThisLibtorchHasNoneIsAClearError() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        DdpEnvironment one = new DdpEnvironment("127.0.0.1", port, 1, 0, 0, 0, Duration.ofSeconds(5));
        TCPStoreOptions options = new TCPStoreOptions();
        options.port((short) port);
        options.isServer(true);
        options.numWorkers(new SizeTPointer(1).put(1));
        options.timeout(new Milliseconds(5000));
        TCPStore store = new TCPStore("127.0.0.1", options);

        TorchlightException e = assertThrows(TorchlightException.class, () -> ProcessGroups.nccl(store, one.rank(), one.worldSize(), new Milliseconds(5000)));

        assertTrue(e.getMessage(), e.getMessage().startsWith("ddp rank 0 on CUDA needs NCCL, which this installation lacks"));
        assertTrue(e.getMessage(), e.getMessage().endsWith("use accelerator=cpu for Gloo"));
        store.close();
    }

    /** A run whose other ranks the container started: their variables replace the process's for that run alone. */
    @Test
    public void theVariablesTheContainerLaunchedARunWithAreThatRunsWorld() {
        DdpStrategy strategy = new DdpStrategy(DdpEnvironment.of(Map.of()));
        assertEquals(1, strategy.worldSize());

        strategy.environment(Map.of("WORLD_SIZE", "2", "RANK", "1", "LOCAL_RANK", "1", "MASTER_PORT", "29511"));

        assertEquals(2, strategy.worldSize());
        assertEquals(1, strategy.globalRank());
        assertEquals(1, strategy.localRank());
        assertEquals(29511, strategy.environment().masterPort());
        assertEquals("another run of this container still sees the process's own world", 1, new DdpStrategy(DdpEnvironment.of(Map.of())).worldSize());
    }
}

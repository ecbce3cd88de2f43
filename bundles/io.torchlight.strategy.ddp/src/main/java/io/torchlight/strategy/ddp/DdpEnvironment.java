package io.torchlight.strategy.ddp;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Where this process stands in a distributed run, from the environment variables {@code torchrun} sets (and
 * Lightning reads): {@code MASTER_ADDR}, {@code MASTER_PORT}, {@code WORLD_SIZE}, {@code RANK}, {@code LOCAL_RANK},
 * {@code NODE_RANK}; plus {@code TORCHLIGHT_DDP_TIMEOUT} (seconds) bounding every rendezvous and collective and
 * {@code TORCHLIGHT_DDP_BUCKET_CAP_MB}, the gradient bucket size (torch's {@code bucket_cap_mb}).
 */
public record DdpEnvironment(String masterAddr, int masterPort, int worldSize, int rank, int localRank, int nodeRank,
        Duration timeout, double bucketCapMb) {

    /** The port c10d uses by default, as torch.distributed. */
    public static final int DEFAULT_PORT = 29500;
    /** How long a rank waits for the others before it fails, as torch.distributed's default is 30 minutes. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
    /** The gradient bucket size after the first, in MB, as torch's DDP {@code bucket_cap_mb}. */
    public static final double DEFAULT_BUCKET_CAP_MB = 25;

    public DdpEnvironment {
        if (worldSize < 1) {
            throw new IllegalArgumentException("WORLD_SIZE must be at least 1, got " + worldSize);
        }
        if (rank < 0 || rank >= worldSize) {
            throw new IllegalArgumentException("RANK " + rank + " is not in a world of " + worldSize + " (WORLD_SIZE)");
        }
        if (masterPort < 1 || masterPort > 65535) {
            throw new IllegalArgumentException("MASTER_PORT must be a port number, got " + masterPort);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the ddp timeout must be positive, got " + timeout);
        }
        if (!(bucketCapMb > 0) || Double.isInfinite(bucketCapMb)) {
            throw new IllegalArgumentException("TORCHLIGHT_DDP_BUCKET_CAP_MB must be a positive number of MB, got " + bucketCapMb);
        }
    }

    /** With torch's default bucket size. */
    public DdpEnvironment(String masterAddr, int masterPort, int worldSize, int rank, int localRank, int nodeRank, Duration timeout) {
        this(masterAddr, masterPort, worldSize, rank, localRank, nodeRank, timeout, DEFAULT_BUCKET_CAP_MB);
    }

    /** The gradient bucket size after the first, in bytes. */
    public long bucketCapBytes() {
        return Math.max(1, Math.round(bucketCapMb * (1 << 20)));
    }

    /** The names read, as torchrun sets them. */
    public static final List<String> VARIABLES = List.of("MASTER_ADDR", "MASTER_PORT", "WORLD_SIZE", "RANK", "LOCAL_RANK",
            "NODE_RANK", "TORCHLIGHT_DDP_TIMEOUT", "TORCHLIGHT_DDP_BUCKET_CAP_MB");

    /**
     * This process's: its environment variables, where a system property of the same name wins (Torchlight's
     * launcher sets those for the rank it runs itself, as a JVM cannot change its own environment).
     */
    public static DdpEnvironment ofProcess() {
        return ofProcess(Map.of());
    }

    /** This process's, where {@code launched} (what the container set for one run) wins over both. */
    public static DdpEnvironment ofProcess(Map<String, String> launched) {
        Map<String, String> values = new HashMap<>(System.getenv());
        for (String name : VARIABLES) {
            String property = System.getProperty(name);
            if (property != null) {
                values.put(name, property);
            }
        }
        values.putAll(launched);
        return of(values);
    }

    /** Read from these variables; a missing one takes torchrun's default (one process, port 29500, 127.0.0.1). */
    public static DdpEnvironment of(Map<String, String> env) {
        return new DdpEnvironment(env.getOrDefault("MASTER_ADDR", "127.0.0.1"), number(env, "MASTER_PORT", DEFAULT_PORT),
                number(env, "WORLD_SIZE", 1), number(env, "RANK", 0), number(env, "LOCAL_RANK", 0), number(env, "NODE_RANK", 0),
                Duration.ofSeconds(number(env, "TORCHLIGHT_DDP_TIMEOUT", (int) DEFAULT_TIMEOUT.toSeconds())),
                megabytes(env, "TORCHLIGHT_DDP_BUCKET_CAP_MB"));
    }

    private static double megabytes(Map<String, String> env, String name) {
        return read(env, name, DEFAULT_BUCKET_CAP_MB, Double::valueOf, "a number of MB");
    }

    private static int number(Map<String, String> env, String name, int fallback) {
        return read(env, name, fallback, Integer::valueOf, "a whole number");
    }

    private static <T> T read(Map<String, String> env, String name, T fallback, Function<String, T> parse, String expected) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return parse.apply(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be " + expected + ", got '" + value + "'", e);
        }
    }
}

package io.torchlight.strategy.ddp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.Backend;
import org.bytedeco.pytorch.ByteVector;
import org.bytedeco.pytorch.Store;
import org.bytedeco.pytorch.StringVector;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.Work;

import io.torchlight.api.TorchlightException;

/**
 * This rank's place in c10d: the rendezvous {@code TCPStore} (rank 0 serves it), the run's process group (Gloo, or
 * NCCL on CUDA), the subgroups {@code syncDistGroup} asks for, and broadcasts of plain values through the store.
 * Formed at the first use, once per process; every rendezvous and collective is bounded by the environment's timeout
 * and fails naming this rank and what was under way.
 */
final class C10dGroup {

    private static final long READERS_WAIT_MILLIS = 30_000;

    private final DdpEnvironment env;
    private boolean nccl;
    private TCPStore store;
    private Backend group;
    private long broadcasts;
    private final Map<List<Integer>, Backend> subgroups = new HashMap<>();
    private final List<TCPStore> subgroupStores = new ArrayList<>();

    C10dGroup(DdpEnvironment env) {
        this.env = env;
    }

    /** NCCL (CUDA) rather than Gloo for the run's process group; set before it forms (the first collective). */
    synchronized void useNccl(boolean value) {
        if (group != null && nccl != value) {
            throw new IllegalStateException("ddp rank " + env.rank() + ": the process group formed over " + (nccl ? "NCCL" : "Gloo")
                    + " already; one process trains on one kind of device");
        }
        nccl = value;
    }

    /** A collective started on a process group. */
    interface Collective {
        Work start();
    }

    /** Whether this rank has joined the rendezvous (its place in the run is fixed from then on). */
    synchronized boolean connected() {
        return store != null;
    }

    /** The run's process group, formed (after the rendezvous) at the first call: Gloo, or NCCL when asked for. */
    synchronized Backend group() {
        if (group == null) {
            TCPStore rendezvous = store();
            try {
                group = backend(rendezvous, env.rank(), env.worldSize());
                group.retainReference();
            } catch (RuntimeException e) {
                throw new TorchlightException("ddp rank " + env.rank() + ": the " + (nccl ? "NCCL" : "Gloo") + " process group "
                        + "did not form within " + env.timeout().toSeconds() + " s: " + firstLine(e), e);
            }
        }
        return group;
    }

    /**
     * The rendezvous store, once per process, at the first broadcast or collective: the trainer agrees on its run
     * folder through it before it sets up, and so before the process group's backend is known.
     */
    private TCPStore store() {
        if (store == null) {
            try {
                store = tcpStore(env.masterAddr(), env.masterPort(), env.rank() == 0, env.worldSize(), true);
                store.retainReference();
            } catch (RuntimeException e) {
                throw new TorchlightException("ddp rank " + env.rank() + " of " + env.worldSize() + ": no rendezvous at "
                        + env.masterAddr() + ":" + env.masterPort() + " within " + env.timeout().toSeconds() + " s ("
                        + (env.rank() == 0 ? "is the port in use? set MASTER_PORT" : "is rank 0 up and MASTER_ADDR reachable?")
                        + "): " + firstLine(e), e);
            }
        }
        return store;
    }

    private Backend backend(Store rendezvous, int rank, int size) {
        Milliseconds timeout = new Milliseconds(env.timeout().toMillis());
        return nccl ? ProcessGroups.nccl(rendezvous, rank, size, timeout) : ProcessGroups.gloo(rendezvous, rank, size, timeout, localAddress());
    }

    /** The address the other ranks reach this one at: loopback for a one-machine run. */
    private String localAddress() {
        String ifname = System.getenv("GLOO_SOCKET_IFNAME");
        if (ifname != null && !ifname.isBlank()) {
            return ifname;
        }
        return loopback() ? "127.0.0.1" : hostName();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    /**
     * A subgroup's own process group over its own rendezvous store (a prefix over the run's store cannot be made from
     * Java): its lowest rank serves it on a free port and says where through the run's store.
     */
    synchronized Backend subgroup(List<Integer> members, int index) {
        TCPStore shared = store();
        Backend existing = subgroups.get(members);
        if (existing != null) {
            return existing;
        }
        String key = "torchlight/group/" + members.stream().map(String::valueOf).collect(Collectors.joining(",")) + "/store";
        try {
            TCPStore rendezvous;
            if (index == 0) {
                int port = freePort();
                // it does not wait for the members: they learn its port from what follows
                rendezvous = tcpStore(env.masterAddr(), port, true, members.size(), false);
                String host = env.rank() == 0 || loopback() ? env.masterAddr() : hostName();
                shared.set(key, new ByteVector(bytes(host + ":" + port)));
            } else {
                String at = new String(bytes(shared.get(key)), StandardCharsets.UTF_8);
                int colon = at.lastIndexOf(':');
                rendezvous = tcpStore(at.substring(0, colon), Integer.parseInt(at.substring(colon + 1)), false, members.size(), true);
            }
            rendezvous.retainReference();
            subgroupStores.add(rendezvous);
            Backend b = backend(rendezvous, index, members.size());
            b.retainReference();
            subgroups.put(members, b);
            return b;
        } catch (RuntimeException e) {
            throw failed("forming the process group " + members, e);
        }
    }

    private TCPStore tcpStore(String host, int port, boolean server, int workers, boolean waitForWorkers) {
        TCPStoreOptions options = new TCPStoreOptions();
        options.port((short) port);
        options.isServer(server);
        options.numWorkers(new SizeTPointer(1).put(workers));
        options.timeout(new Milliseconds(env.timeout().toMillis()));
        options.waitWorkers(waitForWorkers);
        return new TCPStore(host, options);
    }

    private boolean loopback() {
        return env.masterAddr().equals("localhost") || env.masterAddr().startsWith("127.");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for a process group's rendezvous", e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteVector vector) {
        byte[] data = new byte[(int) vector.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = vector.get(i);
        }
        return data;
    }

    /** Rank 0's plain value on every rank, serialized through the rendezvous store. */
    @SuppressWarnings("unchecked")
    synchronized <T> T broadcast(T value) {
        TCPStore shared = store();
        String key = "torchlight/broadcast/" + broadcasts++;
        if (env.rank() == 0) {
            shared.set(key, new ByteVector(serialize(value)));
            return value;
        }
        byte[] data = bytes(shared.get(key));
        shared.set(key + "/read/" + env.rank(), new ByteVector(1)); // rank 0 keeps the store up until every rank has read
        return (T) deserialize(data);
    }

    private static byte[] serialize(Object value) {
        if (!(value instanceof Serializable)) {
            throw new IllegalArgumentException("ddp broadcast sends tensors and Serializable values, not " + value.getClass().getName());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream objects = new ObjectOutputStream(out)) {
            objects.writeObject(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static Object deserialize(byte[] data) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data))) {
            return in.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("ddp broadcast: rank 0 sent a value of a class this rank lacks", e);
        }
    }

    /** Leaves the process groups and, on rank 0, closes the rendezvous (its port is free again) once every rank read it. */
    synchronized void close() {
        awaitReaders();
        subgroups.values().forEach(Backend::releaseReference);
        subgroups.clear();
        subgroupStores.forEach(TCPStore::releaseReference);
        subgroupStores.clear();
        if (group != null) {
            group.releaseReference();
            group = null;
        }
        if (store != null) {
            store.releaseReference();
            store = null;
        }
    }

    /**
     * On rank 0: the rendezvous store serves the broadcasts, so it stays up until every rank has read the last one
     * (a rank that finished first would otherwise take the value away from one still reading it), within 30 s.
     */
    private void awaitReaders() {
        if (env.rank() != 0 || store == null || broadcasts == 0 || env.worldSize() == 1) {
            return;
        }
        String key = "torchlight/broadcast/" + (broadcasts - 1) + "/read/";
        StringVector keys = new StringVector();
        for (int r = 1; r < env.worldSize(); r++) {
            keys.push_back(key + r);
        }
        try {
            store._wait(keys, new Milliseconds(Math.min(env.timeout().toMillis(), READERS_WAIT_MILLIS)));
        } catch (RuntimeException e) {
            // a rank that died or hangs never reads: the store goes regardless
        }
    }

    /**
     * Runs a collective to its end; a failure (a rank gone, the timeout) names this rank and what was under way. Its
     * work handle is freed here, not by the garbage collector, which could free it after its process group.
     */
    void collective(String what, Collective collective) {
        Work work = null;
        try {
            work = collective.start();
            work._wait(new Milliseconds(env.timeout().toMillis()));
        } catch (RuntimeException e) {
            throw failed(what, e);
        } finally {
            if (work != null) {
                work.close();
            }
        }
    }

    TorchlightException failed(String what, RuntimeException e) {
        return new TorchlightException("ddp rank " + env.rank() + " of " + env.worldSize() + ": " + what
                + " failed (did another rank die or hang?): " + firstLine(e), e);
    }

    private static String firstLine(RuntimeException e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}

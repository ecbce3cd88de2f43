package io.torchlight.web.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;

import io.torchlight.api.run.MetricRecord;
import io.torchlight.api.run.RunManager;

/**
 * Server-sent events for the open pages, from one thread: every {@code intervalMillis} each page is sent the runs
 * (when they changed since it last got them) and, when it watches a run, that run's metric records it has not
 * seen yet, read from the run manager's metric stream; a comment every 15 s keeps idle connections open. A page
 * that went away is dropped at the next write.
 */
final class EventStream implements AutoCloseable {

    static final int MAX_RECORDS_PER_EVENT = 2_000;
    private static final long KEEPALIVE_NANOS = 15_000_000_000L;

    private final RunManager runs;
    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private final long intervalMillis;
    private final Consumer<String> log;
    private volatile boolean closed;

    EventStream(RunManager runs, long intervalMillis, Consumer<String> log) {
        this.runs = runs;
        this.intervalMillis = intervalMillis;
        this.log = log;
        this.thread = new Thread(this::loop, "torchlight-dashboard-events");
        thread.setDaemon(true);
        thread.start();
    }

    /** A page opened the stream; {@code watchedRun} is the run whose metrics it shows, or null. */
    void open(AsyncContext async, String watchedRun) throws IOException {
        async.setTimeout(0);
        Client client = new Client(async, watchedRun);
        async.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                clients.remove(client);
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                drop(client);
            }

            @Override
            public void onError(AsyncEvent event) {
                drop(client);
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        async.getResponse().getOutputStream().write("retry: 1000\n\n".getBytes(StandardCharsets.UTF_8));
        async.getResponse().flushBuffer();
        clients.add(client);
    }

    int clients() {
        return clients.size();
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(intervalMillis);
                if (clients.isEmpty()) {
                    continue;
                }
                String runsJson = Json.of(runs.runs().stream().map(Views::run).collect(Collectors.toList()));
                for (Client client : clients) {
                    send(client, runsJson);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.accept("dashboard events: " + e); // the next round tries again
            }
        }
    }

    private void send(Client client, String runsJson) {
        try {
            StringBuilder out = new StringBuilder();
            if (!runsJson.equals(client.lastRuns)) {
                event(out, "runs", runsJson);
                client.lastRuns = runsJson;
            }
            if (client.run != null) {
                List<MetricRecord> fresh = runs.metrics(client.run, client.nextSeq);
                for (int from = 0; from < fresh.size(); from += MAX_RECORDS_PER_EVENT) {
                    List<MetricRecord> part = fresh.subList(from, Math.min(fresh.size(), from + MAX_RECORDS_PER_EVENT));
                    event(out, "metrics", Json.of(Views.metrics(client.run, part)));
                }
                if (!fresh.isEmpty()) {
                    client.nextSeq = fresh.get(fresh.size() - 1).seq() + 1;
                }
            }
            long now = System.nanoTime();
            if (out.length() == 0 && now - client.lastWrite < KEEPALIVE_NANOS) {
                return;
            }
            if (out.length() == 0) {
                out.append(": keep-alive\n\n");
            }
            ServletOutputStream stream = client.async.getResponse().getOutputStream();
            stream.write(out.toString().getBytes(StandardCharsets.UTF_8));
            client.async.getResponse().flushBuffer();
            client.lastWrite = now;
        } catch (IOException | IllegalStateException e) {
            drop(client); // the page went away
        }
    }

    private static void event(StringBuilder out, String name, String data) {
        out.append("event: ").append(name).append('\n').append("data: ").append(data).append("\n\n");
    }

    private void drop(Client client) {
        if (clients.remove(client)) {
            try {
                client.async.complete();
            } catch (IllegalStateException e) {
                // already completed by the container
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        clients.forEach(this::drop);
    }

    private static final class Client {
        final AsyncContext async;
        final String run;
        String lastRuns;
        long nextSeq;
        long lastWrite = System.nanoTime();

        Client(AsyncContext async, String run) {
            this.async = async;
            this.run = run;
        }
    }
}

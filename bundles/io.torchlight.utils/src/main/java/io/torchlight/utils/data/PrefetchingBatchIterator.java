package io.torchlight.utils.data;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * Loads upcoming batches on worker threads, at most {@code 2 * workers} ahead, and hands them out in
 * order. Batches made on a worker belong to no scope there; they join the consumer's current
 * {@link PointerScope} when taken, so the training step frees them like its own temporaries.
 */
final class PrefetchingBatchIterator extends DataLoader.BatchIterator {

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ExecutorService workers;
    private final Deque<Future<Batch>> ahead = new ArrayDeque<>();
    private final int depth;
    private int submitted;

    PrefetchingBatchIterator(List<long[]> plan, DataLoader.BatchSource source, int numWorkers) {
        super(plan, source);
        int pool = POOLS.incrementAndGet();
        AtomicInteger thread = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(numWorkers, r -> {
            Thread t = new Thread(r, "torchlight-dataloader-" + pool + "-" + thread.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.depth = 2 * numWorkers;
        fill();
    }

    private void fill() {
        while (submitted < plan.size() && ahead.size() < depth) {
            long[] indices = plan.get(submitted++);
            ahead.add(workers.submit(() -> source.load(indices)));
        }
    }

    @Override
    public boolean hasNext() {
        return !ahead.isEmpty();
    }

    @Override
    public Batch next() {
        if (ahead.isEmpty()) {
            throw new NoSuchElementException();
        }
        Future<Batch> head = ahead.poll();
        Batch batch;
        try {
            batch = head.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        } catch (ExecutionException e) {
            close();
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("a dataloader worker failed: " + cause, cause);
        }
        next++;
        fill();
        if (!hasNext()) {
            workers.shutdown();
        }
        PointerScope scope = PointerScope.getInnerScope();
        if (scope != null) {
            for (Tensor t : batch.tensors()) {
                scope.attach(t);
            }
        }
        return batch;
    }

    @Override
    public void close() {
        ahead.forEach(f -> f.cancel(true));
        ahead.clear();
        workers.shutdownNow();
        super.close();
    }
}

package io.torchlight.utils.data;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Batches of a {@link Dataset}, like {@code torch.utils.data.DataLoader}: batch size, seeded shuffling
 * (a new order each epoch, the same order for the same seed and epoch), {@code dropLast}, a custom
 * collate function, and {@code numWorkers} threads that prepare the next batches while the current one
 * trains. Sharding across processes follows {@code DistributedSampler}: the index list is padded to a
 * multiple of the world size and each rank takes every world-size-th index.
 */
public final class DataLoader {

    private final Dataset<?> dataset;
    private final Collate<Object> collate;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final int numWorkers;
    private final int rank;
    private final int worldSize;
    private volatile Long seed;
    private volatile int epoch;

    private DataLoader(Builder<?> b, int rank, int worldSize) {
        this.dataset = b.dataset;
        @SuppressWarnings("unchecked")
        Collate<Object> c = (Collate<Object>) b.collate;
        this.collate = c;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.numWorkers = b.numWorkers;
        this.seed = b.seed;
        this.rank = rank;
        this.worldSize = worldSize;
    }

    /** Starts a loader over a dataset of {@link Batch} samples (collated by stacking, or gathered at once). */
    public static Builder<Batch> of(Dataset<Batch> dataset) {
        return new Builder<>(dataset, null);
    }

    /** Starts a loader over any samples with the collate function that makes them a batch. */
    public static <T> Builder<T> of(Dataset<T> dataset, Collate<T> collate) {
        return new Builder<>(dataset, Objects.requireNonNull(collate, "collate"));
    }

    /** The number of batches one epoch yields (for this rank). */
    public int size() {
        long samples = samplesPerRank();
        long batches = dropLast ? samples / batchSize : (samples + batchSize - 1) / batchSize;
        return (int) batches;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean shuffle() {
        return shuffle;
    }

    public int numWorkers() {
        return numWorkers;
    }

    public Dataset<?> dataset() {
        return dataset;
    }

    /** The shuffle seed, or null while none has been set. */
    public Long seed() {
        return seed;
    }

    /** Sets the shuffle seed unless the loader was built with one (the trainer passes its seed here). */
    public void seedIfUnset(long value) {
        if (seed == null) {
            seed = value;
        }
    }

    /** Selects the epoch whose order the next iteration follows (like {@code DistributedSampler.set_epoch}). */
    public void setEpoch(int epoch) {
        this.epoch = epoch;
    }

    public int epoch() {
        return epoch;
    }

    /** The same loader restricted to one rank's share of every epoch. */
    public DataLoader shard(int rank, int worldSize) {
        if (worldSize < 1 || rank < 0 || rank >= worldSize) {
            throw new IllegalArgumentException("rank " + rank + " is not in a world of " + worldSize);
        }
        Builder<Object> b = new Builder<>(dataset, collate);
        b.batchSize = batchSize;
        b.shuffle = shuffle;
        b.dropLast = dropLast;
        b.numWorkers = numWorkers;
        b.seed = seed;
        DataLoader sharded = new DataLoader(b, rank, worldSize);
        sharded.epoch = epoch;
        return sharded;
    }

    /** The batches of the current epoch. */
    public BatchIterator iterator() {
        return iterator(0);
    }

    /** The batches of the current epoch from batch {@code first} on (to resume mid-epoch). */
    public BatchIterator iterator(int first) {
        List<long[]> plan = plan();
        List<long[]> rest = plan.subList(Math.min(first, plan.size()), plan.size());
        BatchSource source = indices -> {
            if (collate == null) {
                return gather(indices);
            }
            List<Object> samples = new ArrayList<>(indices.length);
            for (long i : indices) {
                samples.add(dataset.get(i));
            }
            return collate.collate(samples);
        };
        return numWorkers == 0 ? new BatchIterator(rest, source) : new PrefetchingBatchIterator(rest, source, numWorkers);
    }

    private Batch gather(long[] indices) {
        if (dataset instanceof BatchedDataset batched) {
            return batched.getBatch(indices);
        }
        @SuppressWarnings("unchecked")
        Dataset<Batch> samples = (Dataset<Batch>) dataset;
        List<Batch> list = new ArrayList<>(indices.length);
        for (long i : indices) {
            list.add(samples.get(i));
        }
        return Collate.stack().collate(list);
    }

    /**
     * The sample indices of every batch of the current epoch, for this rank: a list whose batches are made when
     * asked for, so an epoch's start costs one shuffled order (none unshuffled) rather than a copy of every index.
     */
    List<long[]> plan() {
        long n = dataset.size();
        long[] order = shuffle ? shuffled(n) : null;
        long perRank = samplesPerRank();
        int count = size();
        return new AbstractList<>() {
            @Override
            public long[] get(int b) {
                if (b < 0 || b >= count) {
                    throw new IndexOutOfBoundsException("batch " + b + " of " + count);
                }
                long from = (long) b * batchSize;
                long to = Math.min(perRank, from + batchSize);
                long[] indices = new long[(int) (to - from)];
                for (int i = 0; i < indices.length; i++) {
                    long position = (from + i) * worldSize + rank;
                    long sample = position % Math.max(1, n);
                    indices[i] = order == null ? sample : order[(int) sample];
                }
                return indices;
            }

            @Override
            public int size() {
                return count;
            }
        };
    }

    private long[] shuffled(long n) {
        long[] order = new long[(int) n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(Objects.requireNonNullElse(seed, 0L) * 1_000_003L + epoch);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private long samplesPerRank() {
        long n = dataset.size();
        return worldSize == 1 ? n : (n + worldSize - 1) / worldSize;
    }

    /** Makes one batch from sample indices. */
    @FunctionalInterface
    interface BatchSource {
        Batch load(long[] indices);
    }

    /** Builds a {@link DataLoader}. */
    public static final class Builder<T> {

        private final Dataset<?> dataset;
        private final Collate<?> collate;
        private int batchSize = 1;
        private boolean shuffle;
        private boolean dropLast;
        private int numWorkers;
        private Long seed;

        private Builder(Dataset<?> dataset, Collate<?> collate) {
            this.dataset = Objects.requireNonNull(dataset, "dataset");
            this.collate = collate;
        }

        /** Samples per batch (default 1). */
        public Builder<T> batchSize(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + value);
            }
            batchSize = value;
            return this;
        }

        /** Reshuffle every epoch (default false). */
        public Builder<T> shuffle(boolean value) {
            shuffle = value;
            return this;
        }

        /** Drop the last batch when it is smaller than batchSize (default false). */
        public Builder<T> dropLast(boolean value) {
            dropLast = value;
            return this;
        }

        /** Threads that prepare upcoming batches; 0 (the default) loads on the training thread. */
        public Builder<T> numWorkers(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("numWorkers must be >= 0, got " + value);
            }
            numWorkers = value;
            return this;
        }

        /** Shuffle seed; without one the trainer's seed (or 0) is used. */
        public Builder<T> seed(long value) {
            seed = value;
            return this;
        }

        public DataLoader build() {
            return new DataLoader(this, 0, 1);
        }
    }

    /** An {@link Iterator} over one epoch's batches that must be closed when abandoned early. */
    public static class BatchIterator implements Iterator<Batch>, AutoCloseable {

        final List<long[]> plan;
        final BatchSource source;
        int next;

        BatchIterator(List<long[]> plan, BatchSource source) {
            this.plan = plan;
            this.source = source;
        }

        @Override
        public boolean hasNext() {
            return next < plan.size();
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return source.load(plan.get(next++));
        }

        /** Stops any prefetching; the iterator yields nothing more. */
        @Override
        public void close() {
            next = plan.size();
        }
    }
}

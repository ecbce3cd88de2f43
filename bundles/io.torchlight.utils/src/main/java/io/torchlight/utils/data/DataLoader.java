package io.torchlight.utils.data;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    /** The loaders a combined loader draws from (Lightning's CombinedLoader), else null. */
    private final Map<String, DataLoader> children;
    private final CombinedMode mode;

    private DataLoader(Map<String, DataLoader> children, CombinedMode mode) {
        DataLoader first = children.values().iterator().next();
        this.dataset = first.dataset;
        this.collate = null;
        this.batchSize = first.batchSize;
        this.shuffle = first.shuffle;
        this.dropLast = first.dropLast;
        this.numWorkers = 0;
        this.rank = first.rank;
        this.worldSize = first.worldSize;
        this.children = Collections.unmodifiableMap(new LinkedHashMap<>(children));
        this.mode = mode;
    }

    /**
     * Several training loaders as one, as Lightning's CombinedLoader for a {@code train_dataloader} returning a dict:
     * each batch is {@link Batch#combined(Map)} of one batch of every loader; {@code mode} says when the epoch ends. The
     * loaders keep their own batch sizes, shuffling and seeds (the trainer's seed reaches those without one).
     */
    public static DataLoader combined(Map<String, DataLoader> loaders, CombinedMode mode) {
        if (loaders.isEmpty()) {
            throw new IllegalArgumentException("a combined loader needs at least one loader");
        }
        loaders.forEach((k, l) -> {
            if (l == null || l.children != null) {
                throw new IllegalArgumentException("loader '" + k + "' must be a plain loader, got " + (l == null ? "null" : "a combined one"));
            }
        });
        return new DataLoader(loaders, mode);
    }

    /** A combined loader whose mode the trainer's {@code multipleTrainloaderMode} decides (Lightning's default way). */
    public static DataLoader combined(Map<String, DataLoader> loaders) {
        return combined(loaders, (CombinedMode) null);
    }

    /** The mode of a combined loader, or null while the trainer is to decide. */
    public CombinedMode mode() {
        return mode;
    }

    /** This combined loader with {@code value} as its mode unless it has one; a plain loader unchanged. */
    public DataLoader withModeIfUnset(CombinedMode value) {
        if (children == null || mode != null) {
            return this;
        }
        DataLoader copy = new DataLoader(children, value);
        copy.seed = seed;
        copy.epoch = epoch;
        return copy;
    }

    /** Several training loaders as a list: the parts are {@code "0"}, {@code "1"}, ... ({@link Batch#part(int)}). */
    public static DataLoader combined(List<DataLoader> loaders, CombinedMode mode) {
        Map<String, DataLoader> keyed = new LinkedHashMap<>();
        for (int i = 0; i < loaders.size(); i++) {
            keyed.put(String.valueOf(i), loaders.get(i));
        }
        return combined(keyed, mode);
    }

    /** The loaders of a combined loader by key; empty for a plain one. */
    public Map<String, DataLoader> loaders() {
        return children == null ? Map.of() : children;
    }

    private DataLoader(Builder<?> b, int rank, int worldSize) {
        this.children = null;
        this.mode = null;
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
        if (children != null) {
            var sizes = children.values().stream().mapToInt(DataLoader::size);
            return mode == CombinedMode.MIN_SIZE ? sizes.min().orElse(0) : sizes.max().orElse(0);
        }
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
        if (children != null) {
            children.values().forEach(c -> c.seedIfUnset(value));
        }
        if (seed == null) {
            seed = value;
        }
    }

    /** Selects the epoch whose order the next iteration follows (like {@code DistributedSampler.set_epoch}). */
    public void setEpoch(int epoch) {
        if (children != null) {
            children.values().forEach(c -> c.setEpoch(epoch));
        }
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
        if (children != null) {
            Map<String, DataLoader> sharded = new LinkedHashMap<>();
            children.forEach((k, c) -> sharded.put(k, c.shard(rank, worldSize)));
            return new DataLoader(sharded, mode);
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
        if (children != null) {
            return CombinedBatches.iterator(children, size(), first);
        }
        List<long[]> plan = plan();
        List<long[]> rest = plan.subList(Math.min(first, plan.size()), plan.size());
        BatchSource source = this::load;
        return numWorkers == 0 ? new BatchIterator(rest, source) : new PrefetchingBatchIterator(rest, source, numWorkers);
    }

    /** The batch of these sample indices: collated, or gathered at once from a batched dataset. */
    Batch load(long[] indices) {
        if (collate == null) {
            return gather(indices);
        }
        List<Object> samples = new ArrayList<>(indices.length);
        for (long i : indices) {
            samples.add(dataset.get(i));
        }
        return collate.collate(samples);
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
